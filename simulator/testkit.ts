// A tiny client for the simulator, for tests, the bench and demos. Deliberately independent of
// main/platform (the terminal's real client): it builds envelopes by hand.
import { readFileSync } from 'node:fs';
import { CALL_PATH, DEFAULT_FIXTURE, QR_PATH, startSimulator, type Simulator, type SimulatorOptions } from './server';
import type { Drug, Fixture, Person } from './fixture';

export const COUNTER = { fixmedins_code: 'P33010500123', fixmedins_name: '杭州市仁和大药房', mdtrtarea_admvs: '330100' };

export interface Reply { infcode: number; err_msg: string; err_code?: string; output: Record<string, any>; inf_refmsgid: string }

export class SimClient {
  private seq = 0;
  signNo = '';

  constructor(readonly url: string, readonly counter = COUNTER) {}

  /** A fresh msgid: fixmedins_code + yyyyMMddHHmmss + 4-digit sequence. */
  nextMsgid(): string {
    this.seq += 1;
    return `${this.counter.fixmedins_code}20250615100000${String(this.seq).padStart(4, '0')}`;
  }

  envelope(infno: string, input: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      infno, msgid: this.nextMsgid(), mdtrtarea_admvs: this.counter.mdtrtarea_admvs, insuplc_admdvs: '',
      recer_sys_code: 'MBS_LOCAL', dev_no: '', dev_safe_info: '', cainfo: '', signtype: 'SM2', infver: 'V1.0',
      opter_type: '1', opter: '0001', opter_name: '收银员甲', inf_time: '2025-06-15 10:00:00',
      fixmedins_code: this.counter.fixmedins_code, fixmedins_name: this.counter.fixmedins_name,
      sign_no: this.signNo, input, ...over,
    };
  }

  async post(path: string, body: unknown): Promise<any> {
    const res = await fetch(this.url + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return res.json();
  }

  /**
   * Send one transaction. When the input names a psn_no and `over` gives no insuplc_admdvs, the
   * person's insured place is looked up through /sim/ first (a real client takes it from 1101).
   */
  async call(infno: string, input: unknown, over: Record<string, unknown> = {}): Promise<Reply> {
    const extra = { ...over };
    if (!('insuplc_admdvs' in extra)) {
      const psnNo = psnNoIn(input);
      const place = psnNo ? await this.insuredPlace(psnNo) : undefined;
      if (place) extra.insuplc_admdvs = place;
    }
    return this.post(CALL_PATH, this.envelope(infno, input, extra)) as Promise<Reply>;
  }

  private places: Map<string, string> | null = null;

  /** A person's insuplc_admdvs, from one /sim/persons listing (fetched again for a psn_no it lacks). */
  private async insuredPlace(psnNo: string): Promise<string | undefined> {
    if (!this.places?.has(psnNo)) {
      const res = await fetch(`${this.url}/sim/persons`);
      const body = (await res.json()) as { persons: { psn_no: string; insuplc_admdvs: string }[] };
      this.places = new Map(body.persons.map((p) => [p.psn_no, p.insuplc_admdvs]));
    }
    return this.places.get(psnNo);
  }

  /** 9102 answers with bytes (or a JSON envelope when refused). */
  async download(input: unknown, over: Record<string, unknown> = {}): Promise<{ status: number; type: string; bytes: Buffer }> {
    const res = await fetch(this.url + CALL_PATH, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(this.envelope('9102', input, over)),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async signIn(): Promise<string> {
    const r = await this.call('9001', { signIn: { opter_no: '0001', mac: '00:11:22:33:44:55', ip: '127.0.0.1' } });
    this.signNo = String(r.output.signinoutb?.sign_no ?? '');
    return this.signNo;
  }

  async qrFor(psnNoOrLabel: string): Promise<string> {
    const r = await this.post('/sim/qrcode', { psn_no: psnNoOrLabel });
    return String(r.qrCode);
  }

  async ecQuery(qrCode: string): Promise<any> {
    return this.post(QR_PATH, { businessType: '01101', orgId: this.counter.fixmedins_code, data: { qrCode } });
  }

  async person(psnNoOrLabel: string): Promise<any> {
    const res = await fetch(`${this.url}/sim/persons/${encodeURIComponent(psnNoOrLabel)}`);
    return res.json();
  }
}

/** pric: up to 6 decimals; cnt: up to 4 decimals (拆零). Trace codes go by 3505, not on the line. */
export interface CartLine { med_list_codg: string; pric: string; cnt: number | string; codes?: string[] }

function psnNoIn(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  for (const value of Object.values(input as Record<string, unknown>)) {
    const node = Array.isArray(value) ? value[0] : value; // 2204 feedetail is a list
    const v = node && typeof node === 'object' ? (node as Record<string, unknown>).psn_no : undefined;
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** Exact decimal text to integer units of 10^-scale. */
function units(text: string, scale: number): bigint {
  const [w = '0', f = ''] = text.split('.');
  return BigInt(w) * 10n ** BigInt(scale) + BigInt(f.padEnd(scale, '0') || '0');
}

/** A line's amount: pric x cnt rounded half-up to the fen (docs/simulator.md "Amounts"). */
export function lineYuan(pric: string, cnt: number | string): string {
  const fen = (units(pric, 6) * units(String(cnt), 4) + 50_000_000n) / 100_000_000n;
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

/** 2101/2102 input (druginfo + drugdetail) for a cart, paid with the person's ID number (02), wallet on. */
export function settleInput(p: { psn_no: string; certno: string; insutype: string }, cart: CartLine[], druginfo: Record<string, unknown> = {}) {
  const lines = cart.map((l, i) => ({
    feedetl_sn: String(i + 1), rxno: '', rx_circ_flag: '0', fee_ocur_time: '2025-06-15 10:00:00',
    med_list_codg: l.med_list_codg, medins_list_codg: `YP${i}`, det_item_fee_sumamt: lineYuan(l.pric, l.cnt),
    cnt: l.cnt, pric: l.pric,
  }));
  const totalFen = lines.reduce((a, l) => a + units(l.det_item_fee_sumamt, 2), 0n);
  return {
    druginfo: {
      psn_no: p.psn_no, mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, begntime: '2025-06-15 10:00:00', med_type: '41',
      medfee_sumamt: `${totalFen / 100n}.${String(totalFen % 100n).padStart(2, '0')}`, insutype: p.insutype,
      acct_used_flag: '1', wlt_used_flag: '1', ...druginfo,
    },
    drugdetail: lines,
  };
}

// ---- test harness: a simulator on port 0 with a temp DB and a settable clock ----

export function defaultFixture(): Fixture {
  return JSON.parse(readFileSync(DEFAULT_FIXTURE, 'utf8')) as Fixture;
}

export interface Harness {
  sim: Simulator;
  client: SimClient;
  fixture: Fixture;
  clock: { ms: number };
  persona: (label: string) => Person;
  drug: (lv: '01' | '02' | '03', nth?: number) => Drug;
  /** A 20-digit trace code for a drug: its 7-digit prefix + 13 digits from n. */
  trace: (d: Drug, n: number) => string;
  close: () => Promise<void>;
}

/** 2025-06-15 10:00:00 in China. */
export const T0 = Date.UTC(2025, 5, 15, 2, 0, 0);

export async function harness(opts: SimulatorOptions & { fixture?: Fixture } = {}): Promise<Harness> {
  const fixture = opts.fixture ?? defaultFixture();
  const clock = { ms: T0 };
  const sim = await startSimulator({ now: () => clock.ms, ...opts, fixture, port: 0 });
  const client = new SimClient(sim.url);
  await client.signIn();
  const persona = (label: string) => {
    const p = fixture.persons.find((x) => x.label === label);
    if (!p) throw new Error(`no persona ${label}`);
    return p;
  };
  const drug = (lv: '01' | '02' | '03', nth = 0) => {
    const d = fixture.drugs.filter((x) => x.chrgitm_lv === lv)[nth];
    if (!d) throw new Error(`no drug of class ${lv}`);
    return d;
  };
  const trace = (d: Drug, n: number) => `${d.trace_prefix ?? '8000000'}${String(n).padStart(13, '0')}`;
  return { sim, client, fixture, clock, persona, drug, trace, close: () => sim.close() };
}
