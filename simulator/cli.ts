// `npm run simulator -- [flags]`: start the stand-in platform and print its address.
import { parseArgs } from 'node:util';
import { startSimulator, DEFAULT_FIXTURE } from './server';
import { parseFaultFlag, type FaultRule } from './faults';
import { FixtureError } from './fixture';

const HELP = `Usage: npm run simulator -- [flags]
  --port N            port to listen on (default 8090; 0 = any free port)
  --fixture FILE      fixture JSON (default ${DEFAULT_FIXTURE})
  --db FILE           SQLite file (default: a fresh temp file); an existing file keeps its state
  --seed N            fault-injection seed (default 1)
  --qr-ttl SECONDS    医保码 payload lifetime (default 300)
  --profile FILE      enforce a province profile's gateway security (SM4 input, SM2 cainfo,
                      TIF headers; docs/security.md); POST /sim/security does the same at run time
  --fault RULE        INFNO:KIND:RATE[:COUNT[:LATENCY_MS or TAMPER]], repeatable
                      KIND = drop_after_commit | http_500 | reset | latency | tamper
  --help              this text`;

function bad(message: string): never {
  process.stderr.write(`simulator: ${message}\n`);
  process.exit(2);
}

function intFlag(name: string, text: string | undefined, def: number, min: number, max: number): number {
  if (text === undefined) return def;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) bad(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

async function main(): Promise<void> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: assigned once below, typed by parseArgs from its options
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' }, fixture: { type: 'string' }, db: { type: 'string' }, seed: { type: 'string' },
        'qr-ttl': { type: 'string' }, profile: { type: 'string' }, fault: { type: 'string', multiple: true }, help: { type: 'boolean' },
      },
      strict: true, allowPositionals: false,
    }));
  } catch (e) {
    bad((e as Error).message.split('\n')[0] ?? 'bad flags');
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return;
  }
  const faults: FaultRule[] = (values.fault ?? []).map((f) => {
    try {
      return parseFaultFlag(f);
    } catch (e) {
      return bad(`--fault "${f}": ${(e as Error).message}`);
    }
  });
  const opts = {
    port: intFlag('port', values.port, 8090, 0, 65535),
    seed: intFlag('seed', values.seed, 1, 0, 2 ** 32 - 1),
    qrTtlSeconds: intFlag('qr-ttl', values['qr-ttl'], 300, 1, 10 ** 9),
    fixturePath: values.fixture,
    dbPath: values.db,
    profileFile: values.profile,
    faults,
  };
  try {
    const sim = await startSimulator(opts);
    process.stdout.write(`simulator listening on ${sim.url}${values.profile ? ` (gateway security from ${values.profile})` : ''}\n`);
    const stop = () => void sim.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    if (e instanceof FixtureError) bad(`--fixture: ${e.message}`);
    bad((e as Error).message);
  }
}

void main();
