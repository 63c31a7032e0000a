// 3505 商品销售 / 3506 商品销售退货: every settled sale's trace codes are reported, a cancelled sale's
// returned; the reports wait in the ledger while the platform is away and go out after, each under a
// msgid stored before it left; a refusal stays visible until the technician sends it again.
// Real ledger file, the real platform client over HTTP, to a small gateway that records what it gets.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { advanceMsgidClock } from '../../db/msgid-repo';
import { SalesRepo } from '../../db/sales-repo';
import { SplitPackRepo } from '../../db/split-pack-repo';
import { PlatformClient } from '../../main/platform/client';
import { loadProfile } from '../../main/platform/profile';
import { formatMsgid, nextMsgidClock } from '../../main/platform/msgid';
import { TraceOutbox } from '../../main/offline/trace-outbox';

interface Envelope { infno: string; msgid: string; input: { selinfo: Record<string, unknown> } }

/** A gateway that answers 9001 and 3505/3506, records every envelope, and can be switched off. */
class Gateway {
  received: Envelope[] = [];
  refuseNext: string | null = null;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const env = JSON.parse(body) as Envelope;
        this.received.push(env);
        const output = env.infno === '9001'
          ? { signinoutb: { sign_time: '2026-03-02 10:00:00', sign_no: '651918' } }
          : this.refuseNext ? { retRslt: '0', msgRslt: this.refuseNext } : { retRslt: '1', msgRslt: '成功' };
        if (env.infno !== '9001') this.refuseNext = null;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ infcode: 0, inf_refmsgid: '330100202603021000000000000001', err_msg: '', output }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  reports(infno: string): Envelope[] {
    return this.received.filter((e) => e.infno === infno);
  }
}

let dir: string;
let db: Db;
let gateway: Gateway;
let outbox: TraceOutbox;
let sales: SalesRepo;
let clock: Date;

function makeClient(): PlatformClient {
  return new PlatformClient({
    baseUrl: `http://127.0.0.1:${gateway.port}`,
    counter: { fixmedinsCode: 'P33010500123', fixmedinsName: '测试药房', mdtrtareaAdmvs: '330100', opter: 'c01', opterName: '收银员01', devNo: '', mac: '00', ip: '127.0.0.1' },
    msgids: { next: () => formatMsgid('P33010500123', advanceMsgidClock(db, (last) => nextMsgidClock(last, clock))) },
    profile: loadProfile(null),
    timeoutMs: 2000,
    retries: 0,
    now: () => clock,
  });
}

/** A sale settled by the platform: two lines, three boxes with their trace codes. */
function settledSale(): number {
  const at = clock.toISOString();
  const id = sales.create({
    created_at: at, state: 'draft', psn_no: '33000000000000000001', psn_name: '张三', certno: '330102198001010011', insutype: '310',
    insuplc_admdvs: '330100', mdtrt_cert_type: '03', mdtrt_cert_no: 'T00000001', card_sn: '', begntime: '2026-03-02 10:00:00',
  });
  const line = (n: number, cnt: number) =>
    sales.addLine({ sale_id: id, barcode: '6945210000010', name: `药品${n}`, spec: '0.5g*12片', med_list_codg: `XJ01CAD76400${n}`, medins_list_codg: `YP00000${n}`, chrgitm_lv: '01', pric_fen: 1290, cnt });
  const l1 = line(1, 2);
  const l2 = line(2, 1);
  sales.addTraceCode(id, l1, `8540001${String(id).padStart(6, '0')}0000001`);
  sales.addTraceCode(id, l1, `8540001${String(id).padStart(6, '0')}0000002`);
  sales.addTraceCode(id, l2, `8540002${String(id).padStart(6, '0')}0000003`);
  sales.transition(id, 'draft', 'presettled', at);
  sales.transition(id, 'presettled', 'sending', at, { settle_msgid: 'P33010500123202603021000000001' });
  sales.transition(id, 'sending', 'settled', at, { setl_id: `SETL${id}`, mdtrt_id: `MDTRT${id}`, setl_time: '2026-03-02 10:00:01' });
  return id;
}

function cancel(id: number): void {
  sales.transition(id, 'settled', 'cancelling', clock.toISOString());
  sales.transition(id, 'cancelling', 'cancelled', clock.toISOString());
}

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trace-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
  sales = new SalesRepo(db);
  clock = new Date('2026-03-02T02:00:00Z');
  gateway = new Gateway();
  await gateway.start();
  outbox = new TraceOutbox({
    db, sender: makeClient(), batchOf: () => ({ manuLotnum: 'B20250101', manuDate: '2025-01-01' }), opterName: '收银员01',
    pharmacist: { name: '药师01', pracCertNo: 'YS01' }, now: () => clock, backoffBaseMs: 1_000, backoffMaxMs: 60_000, leaseMs: 30_000,
  });
});

afterEach(async () => {
  await gateway.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('trace-code reports', () => {
  it('a 3505 queued during an outage waits in the ledger and is sent once the platform is back', async () => {
    await gateway.stop();
    const id = settledSale();
    expect(outbox.repo.forSale(id).map((r) => [r.infno, r.line_no, r.status])).toEqual([['3505', 1, 'pending'], ['3505', 2, 'pending']]);

    const away = await outbox.drain();
    expect(away.stoppedBy).toBe('unreachable');
    const waiting = outbox.list().filter((e) => e.sale_id === id);
    expect(waiting.map((e) => [e.status, e.drug_name, e.codes])).toEqual([['pending', '药品2', 1], ['pending', '药品1', 2]]);
    expect(waiting.find((e) => e.attempts === 1)?.last_error).toContain('无法连接医保平台');

    await gateway.start();
    expect((await outbox.drain()).sent).toBe(1); // the row never tried; the failed one waits for its backoff
    later(60_000);
    expect(await outbox.drain()).toMatchObject({ sent: 1, pending: 0, stoppedBy: 'done' });

    const sent = gateway.reports('3505');
    expect(sent).toHaveLength(2);
    const first = sent.find((e) => e.input.selinfo.fixmedins_hilist_name === '药品1')!;
    expect(first.input.selinfo).toMatchObject({
      med_list_codg: 'XJ01CAD764001', fixmedins_hilist_id: 'YP000001', setl_id: `SETL${id}`, mdtrt_sn: `MDTRT${id}`,
      trdn_flag: '0', sel_retn_cnt: '2', finl_trns_pric: '12.9', mdtrt_setl_type: '1', manu_lotnum: 'B20250101',
      phar_name: '药师01', drugtracinfo: [{ drug_trac_codg: expect.stringMatching(/1$/) }, { drug_trac_codg: expect.stringMatching(/2$/) }],
    });
    // Each message left under the msgid the ledger stored for it.
    const rows = outbox.repo.forSale(id);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(sent.map((e) => e.msgid).sort()).toEqual(rows.map((r) => r.msgid).sort());
  });

  it('a cancelled sale is returned with 3506, after its 3505, naming the sale it returns', async () => {
    const id = settledSale();
    cancel(id); // before the 3505 went out: the return must still follow the sale
    expect(outbox.repo.forSale(id).map((r) => r.infno)).toEqual(['3505', '3505', '3506', '3506']);
    await outbox.drain();
    expect(gateway.received.filter((e) => e.infno !== '9001').map((e) => e.infno)).toEqual(['3505', '3505', '3506', '3506']);
    const ret = gateway.reports('3506').find((e) => e.input.selinfo.fixmedins_hilist_name === '药品2')!;
    expect(ret.input.selinfo).toMatchObject({ medins_prod_sel_no: `S${String(id).padStart(10, '0')}-2`, sel_retn_cnt: '1', setl_id: `SETL${id}` });
    expect(outbox.repo.counts()).toEqual({ pending: 0, sent: 4, refused: 0 });
  });

  it('a refused report stays refused, visible with the platform\'s reason, until the technician sends it again', async () => {
    gateway.refuseNext = '追溯码已销售';
    const id = settledSale();
    await outbox.drain();
    const refused = outbox.list().find((e) => e.status === 'refused')!;
    expect(refused.last_error).toContain('追溯码已销售');
    expect((await outbox.drain()).sent).toBe(0);
    expect(outbox.retry(refused.id)).toBe(true);
    await outbox.drain();
    expect(outbox.repo.forSale(id).every((r) => r.status === 'sent')).toBe(true);
  });

  it('a split-pack line (拆零) is reported with trdn_flag 1, its exact quantity and the box price', async () => {
    const at = clock.toISOString();
    const id = sales.create({
      created_at: at, state: 'draft', psn_no: 'P2', psn_name: '王五', certno: 'x', insutype: '310', insuplc_admdvs: '330100',
      mdtrt_cert_type: '03', mdtrt_cert_no: 'c', card_sn: '', begntime: '2026-03-02 10:00:00',
    });
    const packs = new SplitPackRepo(db);
    const lineNo = packs.addSplitLine({
      sale_id: id, barcode: '6909990000035', name: '阿莫西林片', spec: '0.5g*12片', med_list_codg: 'XJ01CAD428A221000389224',
      medins_list_codg: 'YP000003', chrgitm_lv: '01', cntE4: 2_500, pricMicros: 15_380_000, amountFen: 385,
    });
    packs.takeFromBox(id, lineNo, '89100030000000000001', 2_500);
    sales.transition(id, 'draft', 'presettled', at);
    sales.transition(id, 'presettled', 'sending', at);
    sales.transition(id, 'sending', 'settled', at, { setl_id: 'SETL-SPLIT', mdtrt_id: 'M2' });
    await outbox.drain();
    expect(gateway.reports('3505')[0]?.input.selinfo).toMatchObject({
      trdn_flag: '1', sel_retn_cnt: '0.25', finl_trns_pric: '15.38', drugtracinfo: [{ drug_trac_codg: '89100030000000000001' }],
    });
  });

  it('a sale the platform never settled reports nothing', () => {
    const id = sales.create({
      created_at: clock.toISOString(), state: 'draft', psn_no: 'P', psn_name: '李四', certno: 'x', insutype: '310', insuplc_admdvs: '330100',
      mdtrt_cert_type: '03', mdtrt_cert_no: 'c', card_sn: '', begntime: '2026-03-02 10:00:00',
    });
    sales.transition(id, 'draft', 'discarded', clock.toISOString());
    expect(outbox.repo.forSale(id)).toEqual([]);
  });
});
