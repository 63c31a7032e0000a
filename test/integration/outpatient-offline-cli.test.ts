/**
 * Offline outpatient settlement on the command line (docs/outpatient.md): with a province profile allowing it,
 * `pos outpatient settle --card` against an unreachable platform settles the visit on the estimate and prints
 * the 脱机 receipt (exit 0); with the platform back, the terminal's drain settles it there.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/index';
import { DEFAULT_PROFILE_FILE } from '../../main/platform/profile';
import { openTerminal } from '../../main/terminal';
import { cliEnv } from '../helpers/cli-env';
import { personaCard } from '../helpers/offline-env';
import { EXAMPLE_FILE } from '../helpers/outpatient';

const cli = cliEnv('yibao-desk-offline-cli-');

/** `pos` with this file's ledger and a config whose profile allows offline visits, against `platform`. */
async function pos(platform: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const profileFile = join(cli.dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({ ...JSON.parse(readFileSync(DEFAULT_PROFILE_FILE, 'utf8')), outpatientOffline: true }));
  const configFile = join(cli.dir, 'config.json');
  // Demo mode as the other CLI tests run (no operator needed); --platform points at the test's simulator.
  writeFileSync(configFile, JSON.stringify({ mode: 'demo', platform: { profileFile, timeoutMs: 2000, retries: 0 } }));
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--data', join(cli.dir, 'data'), '--config', configFile, '--platform', platform, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The 社保卡 basic-info record of a persona, as a reader hands it over (11 fields, each ended by "|"). */
function cardRecord(label: string): string {
  const source = personaCard(label);
  if (source.kind !== 'card') throw new Error('a card');
  const r = source.record;
  return [r.issuerAdmdvs ?? '330100', r.certno, r.cardNo, r.cardSn, r.name, '', '3.00', '20200101', '20300101', '', ''].join('|') + '|';
}

describe('pos outpatient offline', () => {
  it('settles on the estimate with the platform away (exit 0, 脱机 receipt); drained to a settlement once the platform is back', async () => {
    const online = await pos(cli.sim.url, 'outpatient', 'settle', '--card', cardRecord('employee'), '--fees', EXAMPLE_FILE);
    expect(online.err).toBe('');
    expect(online.code).toBe(0); // seen online: the identity offline needs, and the items' classes

    const offline = await pos('http://127.0.0.1:9', 'outpatient', 'settle', '--card', cardRecord('employee'), '--fees', EXAMPLE_FILE);
    expect(offline.err).toBe('');
    expect(offline.code).toBe(0);
    expect(offline.out).toMatch(/状态\s+脱机已收费, 待上传/);
    expect(offline.out).toContain('*** 脱机结算 (估算) ***');

    // The drain (`pos queue sync` needs a technician sign-in; the drain itself is the same service): the terminal
    // opened on the same ledger, the platform back.
    const t = await openTerminal({ dataDir: join(cli.dir, 'data'), configFile: join(cli.dir, 'config.json'), platformUrl: cli.sim.url });
    try {
      expect(await t.offline.syncUntilIdle()).toMatchObject({ settled: 1, rejected: 0 });
      const [latest] = t.outpatient.list({ limit: 1 });
      expect(latest).toMatchObject({ state: 'settled', offline: { status: 'settled' } });
      expect(latest!.mdtrtId).toMatch(/^V330100/);
    } finally {
      await t.close();
    }
  });
});
