/**
 * The 模拟设备 panel's tools, for the built-in simulator only (demo/browser mode): the simulator's
 * personas, putting a persona's 社保卡 on the virtual reader or showing their 医保码, scanning a drug's
 * barcode or a fresh trace code on the virtual scanner, and cutting the platform to try an outage.
 */
import type { CardRecord } from '../../../devices/types';
import { maskName } from '../../../devices/mask';
import { fenToYuan } from '../../platform/money';
import { ApiError } from '../errors';
import { ok, type ApiContext, type Feature } from '../feature';

type DemoMethods = 'listPersonas' | 'listDrugs' | 'virtualCard' | 'virtualQr' | 'virtualScan' | 'virtualTrace' | 'simOutage';

interface SimPerson {
  psn_no: string;
  label: string | null;
  psn_name: string;
  certno: string;
  insutype: string;
  insuplc_admdvs: string;
  cards: { card_no: string; card_sn: string }[];
}

export const demoHandlers: Feature<DemoMethods> = (ctx) => {
  const { terminal, devices } = ctx;
  const sim = simulatorAdmin(ctx);
  const persons = async () => (await sim.get<{ persons: SimPerson[] }>('/sim/persons')).persons;
  let traceSeq = 0;
  return {
    listPersonas: async () => ({
      personas: (await persons())
        .filter((p) => p.label)
        .map((p) => ({
          label: p.label!,
          psnName: p.psn_name,
          insutypeText: p.insutype === '310' ? '职工' : '居民',
          insuplcText: ctx.view.regions.get(p.insuplc_admdvs)?.name ?? p.insuplc_admdvs,
          hasCard: p.cards.length > 0,
        })),
    }),
    listDrugs: async () => ({
      drugs: terminal.catalog.entries.map((d) => ({ barcode: d.barcode, name: d.name, spec: d.spec, price: fenToYuan(d.pric_fen) })),
    }),
    virtualCard: async ({ persona }) => {
      const p = (await persons()).find((x) => x.label === persona || x.psn_no === persona);
      if (!p) throw new ApiError('NO_PERSONA', `模拟平台没有这个人: ${persona}`, 404);
      const card = p.cards[0];
      if (!card) throw new ApiError('NO_CARD', `${p.psn_name} 没有社保卡: 请用医保码`, 404);
      const record: CardRecord = {
        issuerAdmdvs: p.insuplc_admdvs, certno: p.certno, cardNo: card.card_no, cardSn: card.card_sn, name: p.psn_name,
        resetInfo: '3B6C0000C4A5', specVersion: '3.00', issueDate: '20200101', expiryDate: '20300101', terminalNo: '', deviceNo: '',
      };
      devices.virtualCardReader().insert(record);
      return ok(`已放上 ${maskName(p.psn_name)} 的社保卡`);
    },
    virtualQr: async ({ persona }) => {
      const q = await sim.post<{ qrCode: string }>('/sim/qrcode', { psn_no: persona });
      devices.virtualScanner().scan(q.qrCode);
      return ok('已扫医保码');
    },
    virtualScan: async ({ code }) => {
      requireDemo(ctx);
      devices.virtualScanner().scan(code);
      return ok(`已扫 ${code}`);
    },
    virtualTrace: async ({ barcode }) => {
      requireDemo(ctx);
      const drug = terminal.catalog.byCode(barcode);
      if (!drug) throw new ApiError('UNKNOWN_DRUG', `条码 ${barcode} 不在本店药品目录中`, 404);
      traceSeq = (traceSeq + 1) % 1000;
      const tail = `${Date.now() % 10_000_000_000}`.padStart(10, '0') + String(traceSeq).padStart(3, '0');
      const code = drug.trace_prefix + tail;
      devices.virtualScanner().scan(code);
      return ok(`已扫追溯码 ${code}`);
    },
    simOutage: async ({ on }) => {
      if (on) await sim.post('/sim/faults', { rules: [{ infno: '*', kind: 'reset', rate: 1 }] });
      else await sim.delete('/sim/faults');
      return ok(on ? '模拟平台已断开' : '模拟平台已恢复');
    },
  };
};

/** Virtual devices only in demo/browser mode (a real counter's scans come from real devices). */
function requireDemo({ demo }: ApiContext): void {
  if (!demo) throw new ApiError('NOT_DEMO', '模拟设备只在演示/浏览器模式下可用', 403);
}

/** The built-in simulator's admin endpoints; refused unless this terminal runs the demo. */
function simulatorAdmin({ demo, terminal }: ApiContext) {
  const base = (): string => {
    if (!demo || !terminal.embeddedSimulatorUrl) throw new ApiError('NOT_DEMO', '模拟设备只在内置模拟平台 (演示/浏览器模式) 下可用', 403);
    return terminal.embeddedSimulatorUrl;
  };
  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base() + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new ApiError('SIM', `模拟平台拒绝: ${res.status} ${await res.text()}`);
    return (method === 'DELETE' ? undefined : await res.json()) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
    delete: (path: string) => call<void>('DELETE', path),
  };
}
