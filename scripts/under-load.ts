// Runs a command several times in a row while every core is kept busy by spinning threads, to show a
// test suite does not depend on a quiet machine (waits that race the screen fail here first).
// Not part of `npm test`: it takes several suite lengths.
//   npx tsx scripts/under-load.ts [--runs 5] [--busy N] [--keep-going] [-- command args...]
// (default command: npm test). Stops at the first failing run unless --keep-going (to count failures);
// exits 0 only when every run passed. N defaults to the number of cores.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

interface Options { runs: number; busy: number; keepGoing: boolean; command: string[] }

function parseArgs(argv: string[]): Options {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const command = dash === -1 ? ['npm', 'test'] : argv.slice(dash + 1);
  const options: Options = { runs: 5, busy: availableParallelism(), keepGoing: false, command };
  for (let i = 0; i < own.length; i++) {
    const flag = own[i];
    if (flag === '--keep-going') {
      options.keepGoing = true;
      continue;
    }
    const text = own[++i];
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a whole number >= 1, got ${text}`);
    if (flag === '--runs') options.runs = value;
    else if (flag === '--busy') options.busy = value;
    else throw new Error(`unknown option ${flag} (expected --runs N, --busy N, --keep-going, then -- command)`);
  }
  if (command.length === 0) throw new Error('no command after --');
  return options;
}

/** One thread that never yields: a core's worth of load from another "process" the suite competes with. */
function spinner(): Worker {
  return new Worker('for (;;) {}', { eval: true });
}

function run(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

async function main(): Promise<number> {
  const { runs, busy, keepGoing, command } = parseArgs(process.argv.slice(2));
  const spinners = Array.from({ length: busy }, spinner);
  const results: string[] = [];
  let failures = 0;
  try {
    for (let i = 1; i <= runs && (keepGoing || failures === 0); i++) {
      console.log(`under-load: run ${i}/${runs} of \`${command.join(' ')}\` with ${busy} busy thread(s)`);
      const started = Date.now();
      const code = await run(command);
      if (code !== 0) failures += 1;
      results.push(`run ${i}/${runs}: ${code !== 0 ? `FAILED (exit ${code})` : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
  } finally {
    await Promise.all(spinners.map((w) => w.terminate()));
  }
  for (const line of results) console.log(`under-load: ${line}`);
  console.log(`under-load: ${failures > 0 ? `FAILED (${failures} failing run(s))` : `all ${runs} runs passed`}`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`under-load: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
