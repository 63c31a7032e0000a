// Test environment for offline selling: a simulator over real HTTP (port 0, its own SQLite file), a
// terminal data directory with a config file, generated persons (employees, residents with wallets,
// mutual-aid families), and an independent oracle built on the simulator's own policy code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idCheckChar } from '../../simulator/idcard';
import { startSimulator, DEFAULT_FIXTURE, type Simulator } from '../../simulator/server';
import { computeSplit } from '../../simulator/policy';
import type { Fixture, Person, Region } from '../../simulator/fixture';
import { openTerminal, type Terminal } from '../../main/terminal';
import type { IdentifySource } from '../../main/sales/sale-service';

export interface GenPerson {
  psn_no: string;
  certno: string;
  name: string;
  card_no: string;
  card_sn: string;
  kind: 'employee' | 'resident' | 'giver' | 'receiver' | 'gz_resident';
}

/** Deterministic PRNG: the simulator's own (mulberry32), so a seed means the same everywhere. */
import { prng as rng } from '../../simulator/faults';

export { rng };

function certno(district: string, n: number): string {
  const first17 = `${district}1980${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/**
 * The default fixture plus generated persons: `employees` Hangzhou 310, `residents` Hangzhou 390 with
 * wallets, `families` giver (310) + receiver (390, bound to that giver only), `gzResidents` Guangzhou 390
 * (deductible > 0: the offline estimate undershoots the fund when they already spent this year).
 */
export function buildFixture(counts: { employees: number; residents: number; families: number; gzResidents: number }, seed = 7) {
  const fixture = JSON.parse(readFileSync(DEFAULT_FIXTURE, 'utf8')) as Fixture;
  const r = rng(seed);
  const people: GenPerson[] = [];
  let n = 0;
  const add = (kind: GenPerson['kind'], insutype: '310' | '390', admdvs: string, acct: number, wallet: number): GenPerson => {
    n++;
    const district = admdvs === '440100' ? '440103' : '330102';
    const p: GenPerson = {
      psn_no: `${admdvs.slice(0, 2)}9${String(n).padStart(17, '0')}`,
      certno: certno(district, 500 + n),
      name: `测试${n}`,
      card_no: `T${String(n).padStart(8, '0')}`,
      card_sn: `SN${String(n).padStart(30, '0')}`,
      kind,
    };
    const person: Person = {
      psn_no: p.psn_no, certno: p.certno, psn_name: p.name, gend: Number(p.certno[16]) % 2 === 1 ? '1' : '2',
      brdy: `${p.certno.slice(6, 10)}-${p.certno.slice(10, 12)}-${p.certno.slice(12, 14)}`, insutype, psn_type: '1101',
      psn_insu_stas: '1', psn_insu_date: '2010-01-01', insuplc_admdvs: admdvs, emp_name: insutype === '310' ? '测试公司' : '',
      acct_balc: acct, wallet: { open: wallet > 0, balance: wallet }, cards: [{ card_no: p.card_no, card_sn: p.card_sn }], filings: [],
    };
    fixture.persons.push(person);
    people.push(p);
    return p;
  };
  for (let i = 0; i < counts.employees; i++) add('employee', '310', '330100', 20_000 + Math.floor(r() * 200_000), 0);
  for (let i = 0; i < counts.residents; i++) add('resident', '390', '330100', 0, Math.floor(r() * 30_000));
  for (let i = 0; i < counts.families; i++) {
    const giver = add('giver', '310', '330100', 30_000 + Math.floor(r() * 50_000), 0);
    const receiver = add('receiver', '390', '330100', 0, Math.floor(r() * 5_000));
    fixture.bindings.push({ giver: giver.psn_no, receiver: receiver.psn_no, relation: '子女' });
  }
  for (let i = 0; i < counts.gzResidents; i++) add('gz_resident', '390', '440100', 0, 0);
  return { fixture, people };
}

export function cardOf(p: GenPerson): IdentifySource {
  return { kind: 'card', record: { cardNo: p.card_no, cardSn: p.card_sn, certno: p.certno, name: p.name } };
}

export interface Env {
  dir: string;
  sim: Simulator;
  simDbPath: string;
  configFile: string;
  open(opts?: { now?: () => Date; dataDir?: string }): Promise<Terminal>;
  stopSimulator(): Promise<void>;
  restartSimulator(): Promise<void>;
  cleanup(): Promise<void>;
}

export interface EnvOptions {
  fixture?: Fixture;
  offline?: Record<string, number>;
  requireTraceCodes?: boolean;
}

export async function startEnv(options: EnvOptions = {}): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-test-'));
  const simDbPath = join(dir, 'simulator.sqlite');
  const fixture = options.fixture ?? (JSON.parse(readFileSync(DEFAULT_FIXTURE, 'utf8')) as Fixture);
  let sim = await startSimulator({ port: 0, dbPath: simDbPath, fixture });
  const port = sim.port;
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      platform: { url: sim.url, timeoutMs: 3000, retries: 0 },
      sale: { requireTraceCodes: options.requireTraceCodes ?? false },
      offline: {
        maxSaleFen: 10_000_000, maxPersonDayFen: 100_000_000, maxTotalExposureFen: 1_000_000_000,
        backoffBaseMs: 10, backoffMaxMs: 200, concurrency: 4, ...options.offline,
      },
    }),
  );
  const terminals: Terminal[] = [];
  const env: Env = {
    dir,
    get sim() {
      return sim;
    },
    simDbPath,
    configFile,
    async open(opts = {}) {
      const t = await openTerminal({ dataDir: opts.dataDir ?? join(dir, 'terminal'), configFile, now: opts.now });
      terminals.push(t);
      return t;
    },
    async stopSimulator() {
      await sim.close();
    },
    async restartSimulator() {
      sim = await startSimulator({ port, dbPath: simDbPath, fixture });
    },
    async cleanup() {
      for (const t of terminals) await t.close().catch(() => undefined);
      await sim.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

// ---------- oracle: what the platform must have done, from the simulator's own policy code ----------

export interface OracleState {
  acct: Map<string, number>;
  wallet: Map<string, number>;
  ytd: Map<string, { inscp: number; hifp: number }>;
}

export interface OracleSale {
  psnNo: string;
  lines: { fen: number; lv: '01' | '02' | '03' }[];
  walletUsable: boolean;
}

/** Applies one sale to the model; returns the platform's cash figure, or null when it would refuse. */
export function oracleSettle(
  state: OracleState,
  fixture: Fixture,
  person: { psn_no: string; insutype: '310' | '390'; insuplc_admdvs: string; active: boolean },
  sale: OracleSale,
): { cash: number; fund: number; acct: number; wallet: number } | null {
  if (!person.active) return null;
  const region = fixture.regions.find((r) => r.admdvs === person.insuplc_admdvs) as Region;
  const givers = fixture.bindings
    .filter((b) => b.receiver === person.psn_no)
    .map((b) => ({ psn_no: b.giver, balance: state.acct.get(b.giver) ?? 0 }));
  const ytd = state.ytd.get(person.psn_no) ?? { inscp: 0, hifp: 0 };
  const split = computeSplit({
    lines: sale.lines, region, insutype: person.insutype, ytd, acctUsed: true,
    ownBalance: person.insutype === '310' ? state.acct.get(person.psn_no) ?? 0 : 0,
    givers, walletUsable: sale.walletUsable, walletBalance: state.wallet.get(person.psn_no) ?? 0, walletLimit: null,
  });
  state.acct.set(person.psn_no, (state.acct.get(person.psn_no) ?? 0) - split.own_acct_pay);
  for (const g of split.giverDebits) state.acct.set(g.psn_no, (state.acct.get(g.psn_no) ?? 0) - g.amount);
  state.wallet.set(person.psn_no, (state.wallet.get(person.psn_no) ?? 0) - split.wlt_pay);
  state.ytd.set(person.psn_no, { inscp: ytd.inscp + split.inscp_scp_amt, hifp: ytd.hifp + split.hifp_pay });
  return { cash: split.psn_cash_pay, fund: split.fund_pay_sumamt, acct: split.acct_pay, wallet: split.wlt_pay };
}

/** Balances and year-to-date figures as the simulator holds them now. */
export function simState(sim: Simulator): OracleState {
  const persons = sim.db.prepare('SELECT psn_no, acct_balc, wlt_balc FROM persons').all() as { psn_no: string; acct_balc: number; wlt_balc: number }[];
  const ytd = sim.db.prepare('SELECT psn_no, inscp, hifp FROM ytd').all() as { psn_no: string; inscp: number; hifp: number }[];
  return {
    acct: new Map(persons.map((p) => [p.psn_no, p.acct_balc])),
    wallet: new Map(persons.map((p) => [p.psn_no, p.wlt_balc])),
    ytd: new Map(ytd.map((y) => [y.psn_no, { inscp: y.inscp, hifp: y.hifp }])),
  };
}

/** The card of a named persona of the default fixture (employee, resident, ...). */
export function personaCard(label: string): IdentifySource {
  const fixture = JSON.parse(readFileSync(DEFAULT_FIXTURE, 'utf8')) as Fixture;
  const p = fixture.persons.find((x) => x.label === label || x.psn_no === label);
  if (!p || !p.cards[0]) throw new Error(`no persona ${label}`);
  return { kind: 'card', record: { cardNo: p.cards[0].card_no, cardSn: p.cards[0].card_sn, certno: p.certno, name: p.psn_name, issuerAdmdvs: p.insuplc_admdvs } };
}

/** A controllable clock for caps that depend on age. */
export function testClock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advanceMinutes: (m: number) => void (t += m * 60_000) };
}

/** Everything that must come out the same whether a drain was interrupted or not (ids and times aside). */
export function drainSnapshot(t: Terminal, sim: Simulator) {
  const sales = t.offline.list({ limit: 1_000_000 }).sort((a, b) => a.sale_id - b.sale_id).map((e) => {
    const s = t.sales.get(e.sale_id).settlement;
    return {
      id: e.sale_id,
      state: e.state,
      settled: s && { medfee: s.medfeeSumamt, fund: s.fundPaySumamt, acct: s.acctPay, mulaid: s.acctMulaidPay, wallet: s.walletPay, cash: s.psnCashPay },
    };
  });
  const exceptions = t.offline.listExceptions().map((e) => [e.saleId, e.kind, e.owedFen]).sort();
  const balances = sim.db.prepare('SELECT psn_no, acct_balc, wlt_balc FROM persons ORDER BY psn_no').all();
  const live = sim.db
    .prepare("SELECT COUNT(*) AS n, SUM(medfee) AS medfee, SUM(fund) AS fund, SUM(acct_pay) AS acct, SUM(cash) AS cash FROM settlements WHERE status = 'live'")
    .get();
  return { sales, exceptions, balances, live };
}
