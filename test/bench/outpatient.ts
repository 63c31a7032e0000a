/**
 * Issue 10's figure: a whole outpatient visit at the billing desk against the simulator in its own process
 * (1101 via the 医保码, 2201, 2203, 2204 with 20 items, 2206, 2207), p50/p99 over 100 visits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeskCatalog } from '../../main/outpatient/desk-catalog';
import type { FeeInput } from '../../main/outpatient/fee-input';
import { openTerminal } from '../../main/terminal';
import { spawnSimulator } from './core';
import { nowMs, summarize } from './stats';

const VISITS = 100;
const ITEMS = 20;

export async function benchOutpatient(): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-desk-'));
  const { child, url } = await spawnSimulator(join(dir, 'sim.sqlite'));
  const terminal = await openTerminal({ dataDir: join(dir, 'terminal'), platformUrl: url });
  try {
    const persons = ((await (await fetch(`${url}/sim/persons`)).json()) as { persons: Array<{ psn_no: string; psn_insu_stas: string; insuplc_admdvs: string }> })
      .persons.filter((p) => p.psn_insu_stas === '1' && p.insuplc_admdvs.startsWith('33'));
    const items = billOf20(DeskCatalog.load(null));
    const registration = { dept: { code: 'A03', name: '内科', caty: 'A03' }, doctor: { code: 'D0001', name: '李医生' } };
    const samples: number[] = [];
    for (let i = 0; i < VISITS; i++) {
      const person = persons[i % persons.length]!;
      const qr = ((await (await fetch(`${url}/sim/qrcode`, { method: 'POST', body: JSON.stringify({ psn_no: person.psn_no }), headers: { 'Content-Type': 'application/json' } })).json()) as { qrCode: string }).qrCode;
      const t0 = nowMs();
      const desk = terminal.outpatient;
      const visit = await desk.open({ kind: 'qr', payload: qr }, { kind: 'register', registration });
      await desk.diagnose(visit.id, '11', ['J06.900']);
      await desk.addFees(visit.id, items);
      await desk.presettle(visit.id);
      const done = await desk.settle(visit.id);
      samples.push(nowMs() - t0);
      if (done.state !== 'settled') throw new Error(`bench visit ${i} ended ${done.state}: ${done.lastError}`);
    }
    const s = summarize(samples);
    return { 'outpatient visit (1101+2201+2203+2204x20+2206+2207) p50 ms': s.p50, 'outpatient visit p99 ms': s.p99 };
  } finally {
    await terminal.close();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 20 items: drugs and service items of the desk catalog, one each, at the catalog's price. */
function billOf20(catalog: DeskCatalog): FeeInput[] {
  const drugs = catalog.entries.items.filter((i) => i.kind === 'drug').slice(0, 12);
  const services = catalog.entries.items.filter((i) => i.kind === 'exam').slice(0, ITEMS - drugs.length);
  return [...drugs, ...services].map((item, n) => ({
    rxno: n < drugs.length ? 'RX-BENCH' : 'EX-BENCH', kind: item.kind, name: item.name, code: item.code, medListCodg: item.med_list_codg,
    cntE4: 10_000, pricMicros: item.pric_fen * 10_000, amountFen: item.pric_fen, time: '2026-11-23 10:00:00',
    dept: { code: 'A03', name: '内科' }, doctor: { code: 'D0001', name: '李医生' },
  }));
}
