/**
 * Draining queued offline sales against the simulator, in the shape of the real thing: the simulator is
 * a process of its own (as the provincial gateway is), the terminal's drain is a process of its own (its
 * peak RSS is the terminal's alone), and beside it, in the same run, the simulator's own capacity for
 * the same 2102 calls (same carts, same concurrency, a fresh simulator with the same fixture, straight
 * HTTP with no journal). The ratio is the figure: how much of the platform's pace the drain keeps with
 * its guarantees (msgid journaled and claim durable before each 2102 leaves, result durable before the
 * person's next sale). Drain time is printed for 1,000 and 10,000 sales; `npm run bench -- --large`
 * adds 100,000 (a long outage of a big store); BENCH_SIZES=1000,5000 picks other sizes. The machine's load
 * average is printed beside the figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SimClient, settleInput } from '../../simulator/testkit';
import catalog from '../../main/config/catalog.default.json';
import { spawnSimulator } from './core';
import type { BuiltSale } from './queue-build';
import { benchFixture } from './offline-fixture';

const CONCURRENCY = 8;
const ROOT = join(import.meta.dirname, '..', '..');
/** The terminal's side runs bundled, as the app ships it (no TypeScript loader in its memory). */
const CHILD = join(ROOT, 'dist', 'bench', 'offline-child.js');
/** Capacity is measured on the first carts, this many at most: a sample of the same calls (keeps the bench short). */
const CAPACITY_MAX = 2_000;
/**
 * Calls the fresh capacity simulator answers first, not timed (the queue's last carts): the drain's
 * simulator is warm from identifying the buyers, so the capacity's must be too.
 */
const WARM_UP = 300;

interface DrainResult {
  drainMs: number;
  peakRss: number;
  sampledPeakRss: number;
  startRss: number;
  atPeak: NodeJS.MemoryUsage;
  rssBySettled: Record<string, { rss: number; s: number }>;
  openExceptions: number;
  report: { settled: number; rejected: number; remaining: number; heldForTechnician: number };
  stepsPerCommit: number;
  /** CPU time of the drain, every thread of the terminal's process; of which in the kernel. */
  cpuMs: number;
  systemCpuMs: number;
}

export async function benchOffline(): Promise<Record<string, string | number>> {
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : process.argv.includes('--large') ? [1_000, 10_000, 100_000] : [1_000, 10_000];
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-offline-'));
  const fixtureFile = join(dir, 'fixture.json');
  writeFileSync(fixtureFile, JSON.stringify(benchFixture().fixture));
  await bundleChild();
  const out: Record<string, string | number> = { 'concurrency (2102s in flight; four times as many persons worked on)': CONCURRENCY };
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  const drainSeconds: string[] = [];
  try {
    for (const sales of sizes) {
      const run = await benchSize(dir, fixtureFile, sales);
      const k = `${sales.toLocaleString('en')} sales`;
      const drainRate = sales / (run.drain.drainMs / 1000);
      out[`${k}: queue build (fast path, not measured), s`] = (run.buildMs / 1000).toFixed(1);
      out[`${k}: drain time, s`] = (run.drain.drainMs / 1000).toFixed(2);
      out[`${k}: drain, sales/s`] = drainRate.toFixed(0);
      out[`${k}: simulator alone, 2102/s (same carts, same concurrency)`] =
        `${run.capacity.toFixed(0)} (${run.capacityCalls} calls; before the drain ${run.capacities[0]!.toFixed(0)}, after ${run.capacities[1]!.toFixed(0)})`;
      out[`${k}: RATIO drain / simulator capacity (goal >= 0.9)`] = (drainRate / run.capacity).toFixed(2);
      out[`${k}: terminal peak RSS during drain, MB (goal < 150 at 10,000)`] =
        `${mb(run.drain.peakRss)} (kernel's max; sampled every 100 ms ${mb(run.drain.sampledPeakRss)}; at start ${mb(run.drain.startRss)})`;
      const p = run.drain.atPeak;
      out[`${k}: at the peak: heap total / used, external, MB`] = `${mb(p.heapTotal)} / ${mb(p.heapUsed)}, ${mb(p.external)}`;
      out[`${k}: RSS and time as sales settle`] = rssGrowth(run.drain.rssBySettled);
      out[`${k}: group commit, steps per COMMIT`] = run.drain.stepsPerCommit.toFixed(2);
      // On a machine where the terminal and the simulator share few cores, CPU decides the pace: the
      // drain cannot beat cores / (terminal's CPU + simulator's CPU per sale).
      const perSale = { terminal: run.drain.cpuMs / sales, simulator: run.drainSimCpuMs / sales };
      out[`${k}: CPU per drained sale, ms: terminal (all threads) + its simulator`] =
        `${perSale.terminal.toFixed(2)} (${(run.drain.systemCpuMs / sales).toFixed(2)} in the kernel) + ${perSale.simulator.toFixed(2)} (simulator alone: ${run.capacityCpuPerCall.toFixed(2)} per 2102; ${availableParallelism()} cores allow at most ${(availableParallelism() * 1000 / (perSale.terminal + perSale.simulator)).toFixed(0)} sales/s)`;
      out[`${k}: settled / rejected / exceptions`] = `${run.drain.report.settled} / ${run.drain.report.rejected} / ${run.drain.openExceptions}`;
      out[`${k}: load average 1/5/15 min after`] = load();
      drainSeconds.push(`${sales / 1000}k ${(run.drain.drainMs / 1000).toFixed(1)} s`);
    }
    out['drain time as the queue grows (linear: x10 per x10 sales)'] = drainSeconds.join(' -> ');
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function benchSize(dir: string, fixtureFile: string, sales: number) {
  const base = join(dir, `n${sales}`);
  const sim = await spawnSimulator(join(base, 'simulator.sqlite'), fixtureFile);
  try {
    const configFile = join(base, 'config.json');
    writeConfig(configFile, sim.url);
    const cartsFile = join(base, 'carts.json');
    const built = JSON.parse(await child(['build', join(base, 'terminal'), configFile, String(sales), '1', cartsFile])) as { buildMs: number };
    const carts = JSON.parse(readFileSync(cartsFile, 'utf8')) as BuiltSale[];
    // BENCH_KEEP=1: the files stay (the ledger as built in terminal-built/, as drained in terminal/) for a profiler.
    if (process.env.BENCH_KEEP) cpSync(join(base, 'terminal'), join(base, 'terminal-built'), { recursive: true });
    const capacityCarts = carts.slice(0, CAPACITY_MAX);
    const warmUp = carts.slice(-WARM_UP);
    // The simulator's capacity right before AND right after the drain (fresh processes, same carts): on a
    // shared machine one short capacity run can fall on a burst of other work; the ratio is taken against
    // the higher of the two (the stricter figure), and both are printed.
    const before = await simulatorCapacity(join(base, 'capacity.sqlite'), fixtureFile, capacityCarts, warmUp);
    const simCpuBefore = cpuMsOf(sim.child.pid!);
    const drain = JSON.parse(await child(['drain', join(base, 'terminal'), configFile])) as DrainResult;
    const drainSimCpuMs = cpuMsOf(sim.child.pid!) - simCpuBefore;
    if (drain.report.remaining !== 0) throw new Error(`drain of ${sales} left ${drain.report.remaining}`);
    const after = await simulatorCapacity(join(base, 'capacity-after.sqlite'), fixtureFile, capacityCarts, warmUp);
    const higher = before.perSecond >= after.perSecond ? before : after;
    return {
      buildMs: built.buildMs, capacity: higher.perSecond, capacities: [before.perSecond, after.perSecond], capacityCalls: capacityCarts.length,
      capacityCpuPerCall: higher.cpuMs / capacityCarts.length, drain, drainSimCpuMs,
    };
  } finally {
    sim.child.kill();
  }
}

function writeConfig(file: string, url: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      platform: { url, timeoutMs: 10_000, retries: 0 },
      sale: { requireTraceCodes: false },
      offline: {
        maxSaleFen: 10_000_000, maxPersonDayFen: 1_000_000_000_000, maxTotalExposureFen: 1_000_000_000_000,
        maxQueueAgeMinutes: 100_000, backoffBaseMs: 10, backoffMaxMs: 200, concurrency: CONCURRENCY,
      },
    }),
  );
}

/** 2102 straight at a fresh simulator process: the platform side's own throughput for these calls. */
async function simulatorCapacity(dbPath: string, fixtureFile: string, carts: BuiltSale[], warmUp: BuiltSale[]): Promise<{ perSecond: number; cpuMs: number }> {
  const sim = await spawnSimulator(dbPath, fixtureFile);
  try {
    const client = new SimClient(sim.url);
    await client.signIn();
    const byCode = new Map(catalog.map((d) => [d.barcode, d]));
    let next = 0;
    let list = warmUp;
    const worker = async () => {
      for (let i = next++; i < list.length; i = next++) {
        const c = list[i]!;
        const drug = byCode.get(c.barcode)!;
        const pric = `${Math.floor(drug.pric_fen / 100)}.${String(drug.pric_fen % 100).padStart(2, '0')}`;
        const insutype = c.kind === 'employee' || c.kind === 'giver' ? '310' : '390';
        await client.call('2102', settleInput({ psn_no: c.psnNo, certno: c.certno, insutype }, [{ med_list_codg: drug.med_list_codg, pric, cnt: 1 }]));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    [list, next] = [carts, 0];
    const start = performance.now();
    const cpuAtStart = cpuMsOf(sim.child.pid!);
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { perSecond: carts.length / ((performance.now() - start) / 1000), cpuMs: cpuMsOf(sim.child.pid!) - cpuAtStart };
  } finally {
    sim.child.kill();
  }
}

/** offline-child.ts as one ESM file with its data beside it, as main/cli/build.ts bundles the CLI. */
export async function bundleChild(): Promise<void> {
  const out = dirname(CHILD);
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(import.meta.dirname, 'offline-child.ts')],
    outfile: CHILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  for (const f of ['catalog.default.json', 'regions.default.json']) copyFileSync(join(ROOT, 'main', 'config', f), join(out, f));
  cpSync(join(ROOT, 'simulator', 'fixtures'), join(out, 'fixtures'), { recursive: true });
}

/** Runs one step of the terminal's side in its own process; returns its last line of output. */
function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=DIR: a V8 CPU profile of the drain step (open it in Chrome's DevTools, or see docs/performance.md).
    const profile = args[0] === 'drain' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const proc: ChildProcess = spawn(process.execPath, [...profile, CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(last);
      else reject(new Error(`bench child ${args[0]} exited ${code}: ${out.slice(-2000)}`));
    });
  });
}

/** CPU time (user + system) a process has used so far, ms: Linux's /proc, counted in ticks of 10 ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** RSS and time at each tenth of the drain: flat memory, and a steady pace (or a slow start). */
function rssGrowth(bySettled: DrainResult['rssBySettled']): string {
  return Object.entries(bySettled).map(([n, m]) => `${Number(n) / 1000}k:${mb(m.rss)}MB@${m.s.toFixed(0)}s`).join(' ');
}
