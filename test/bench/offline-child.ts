/**
 * The terminal's side of the offline benchmark, each step in a process of its own (test/bench/offline.ts
 * starts them), so the drain's memory is the terminal's alone:
 *   build DATA_DIR CONFIG SALES SEED CARTS_FILE   identify the buyers online, then queue SALES offline
 *                                                 sales (queue-build.ts, fast way); writes the carts sold
 *   drain DATA_DIR CONFIG                         drain the queue; prints its time and peak RSS as JSON
 */
import { writeFileSync } from 'node:fs';
import { openTerminal } from '../../main/terminal';
import { identifyOnline, sellOffline } from './queue-build';
import { BENCH_PEOPLE, benchFixture } from './offline-fixture';

const [mode, dataDir, configFile, ...rest] = process.argv.slice(2);
if (!dataDir || !configFile) throw new Error('usage: offline-child.ts build|drain DATA_DIR CONFIG ...');
const terminal = await openTerminal({ dataDir, configFile });
try {
  if (mode === 'build') {
    const [sales, seed, cartsFile] = rest;
    const buyers = benchFixture().people.filter((p) => p.kind !== 'giver');
    const started = Date.now();
    await identifyOnline(terminal, buyers);
    const sold = await sellOffline(terminal, buyers, Number(sales), { seed: Number(seed), fast: true });
    writeFileSync(cartsFile!, JSON.stringify(sold));
    process.stdout.write(`${JSON.stringify({ buildMs: Date.now() - started, persons: buyers.length, people: BENCH_PEOPLE })}\n`);
  } else if (mode === 'drain') {
    let peakRss = process.memoryUsage.rss();
    const startRss = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
    const started = performance.now();
    const report = await terminal.offline.syncUntilIdle();
    const drainMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const openExceptions = terminal.offline.status().openExceptions;
    process.stdout.write(`${JSON.stringify({ drainMs, peakRss, startRss, report, openExceptions })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await terminal.close();
}
