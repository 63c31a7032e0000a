/** `npm run bench`: every benchmark of the project in one run, printed as figures. */
import { cpus, loadavg } from 'node:os';
import { benchCore } from './core';

type Bench = [string, () => Promise<Record<string, string | number>>];

const benches: Bench[] = [['settlement core', benchCore]];

async function optional(name: string, module: string, exported: string): Promise<void> {
  try {
    const mod = (await import(module)) as Record<string, () => Promise<Record<string, string | number>>>;
    const fn = mod[exported];
    if (fn) benches.push([name, fn]);
  } catch (error) {
    console.error(`(${name}: not run: ${(error as Error).message})`);
  }
}

await optional('devices', './devices', 'benchDevices');
await optional('offline queue', './offline', 'benchOffline');
await optional('counter UI', './ui', 'benchUi');
await optional('chain headquarters', './chain', 'benchChain');
await optional('gateway security', './security', 'benchSecurity');
await optional('billing desk', './outpatient', 'benchOutpatient');

// `npm run bench -- --chain` (or any part of a name, with or without the dashes) runs just that part.
// `--large` is no part's name: it adds the 100,000-sale drain to the offline part (offline.ts).
const only = process.argv.slice(2).find((a) => a !== '--large')?.replace(/^--/, '');
const benchStarted = Date.now();
console.log(`load average (1/5/15 min) at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
for (const [name, run] of benches) {
  if (only && !name.includes(only)) continue;
  const started = Date.now();
  const figures = await run();
  console.log(`\n== ${name} (${((Date.now() - started) / 1000).toFixed(1)} s, load average after ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(48)} ${value}`);
}
console.log(`\nwhole bench: ${((Date.now() - benchStarted) / 1000).toFixed(1)} s (goal < 240 s), load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
