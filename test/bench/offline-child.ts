/**
 * The terminal's side of the offline benchmark, each step in a process of its own (test/bench/offline.ts
 * starts them), so the drain's memory is the terminal's alone:
 *   build DATA_DIR CONFIG SALES SEED CARTS_FILE   identify the buyers online, then queue SALES offline
 *                                                 sales (queue-build.ts, fast way); writes the carts sold
 *   drain DATA_DIR CONFIG                         drain the queue; prints its time and peak RSS as JSON
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { openTerminal } from '../../main/terminal';
import { identifyOnline, sellOffline } from './queue-build';
import { BENCH_PEOPLE, benchFixture } from './offline-fixture';
import { MemoryWatch } from './memory-watch';

const [mode, dataDir, configFile, ...rest] = process.argv.slice(2);
if (!dataDir || !configFile) throw new Error('usage: offline-child.ts build|drain DATA_DIR CONFIG ...');
const terminal = await openTerminal({ dataDir, configFile });
try {
  if (mode === 'build') {
    const [sales, seed, cartsFile] = rest;
    const buyers = benchFixture().people.filter((p) => p.kind !== 'giver');
    const started = Date.now();
    await identifyOnline(terminal, buyers, { fast: true });
    const identifyMs = Date.now() - started;
    const sold = await sellOffline(terminal, buyers, Number(sales), { seed: Number(seed), fast: true });
    writeFileSync(cartsFile!, JSON.stringify(sold));
    process.stdout.write(`${JSON.stringify({ buildMs: Date.now() - started, identifyMs, persons: buyers.length, people: BENCH_PEOPLE })}\n`);
  } else if (mode === 'drain') {
    const memory = new MemoryWatch(terminal.offline.status().pending);
    const sampler = setInterval(() => memory.sample(), 100);
    // RSS after every 1,000th sale settled: growth with the queue's size shows here (flat or not).
    terminal.offline.events.on('progress', (r: { settled: number }) => memory.passed(r.settled));
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const report = await terminal.offline.syncUntilIdle();
    const drainMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart); // every thread: the event loop, the thread pool's fsyncs, V8's GC
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const systemCpuMs = cpu.system / 1000; // the kernel's part: writes to the WAL, fsyncs, sockets
    clearInterval(sampler);
    memory.sample();
    const openExceptions = terminal.offline.status().openExceptions;
    // Looking for what stays (node --expose-gc): BENCH_HEAP_SNAPSHOT=DIR writes the heap after a full GC.
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      (globalThis as { gc?: () => void }).gc?.();
      writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT, 'drain-end.heapsnapshot'));
    }
    const { batches, steps } = terminal.offline.worker.group;
    process.stdout.write(`${JSON.stringify({ drainMs, ...memory.result(), report, openExceptions, stepsPerCommit: steps / batches, cpuMs, systemCpuMs })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await terminal.close();
}

