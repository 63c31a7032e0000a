// An upgrade of the app must not leave the embedded demo unable to start: a built-in simulator file
// written by an older simulator schema is kept aside (never deleted) and the demo starts afresh.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';

const dir = mkdtempSync(join(tmpdir(), 'embedded-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeOldSimulatorFile(file: string): void {
  const old = new Database(file);
  old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('fixture_loaded', '2026-11-01T00:00:00Z'), ('schema_version', '2')`);
  old.close();
}

describe('the embedded simulator after an upgrade', () => {
  it('keeps an older simulator file aside, starts afresh on the built-in persons, and says so in the log', async () => {
    const dataDir = join(dir, 'home');
    mkdirSync(dataDir);
    writeOldSimulatorFile(join(dataDir, 'simulator.sqlite'));

    const terminal = await openTerminal({ dataDir, demo: true });
    try {
      await terminal.platform.signIn();
      const answer = await fetch(`${terminal.embeddedSimulatorUrl}/sim/persons`);
      const { persons } = (await answer.json()) as { persons: Array<{ label: string | null }> };
      expect(persons.map((p) => p.label)).toContain('employee');
    } finally {
      await terminal.close();
    }

    const kept = readdirSync(dataDir).filter((f) => /^simulator\.schema2-\d{8}T\d{6}Z\.sqlite$/.test(f));
    expect(kept).toHaveLength(1);
    const old = new Database(join(dataDir, kept[0]!), { readonly: true });
    expect(old.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '2' });
    old.close();
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('');
    expect(logs).toContain('built-in simulator file written by an older simulator: kept aside, starting afresh');
    expect(logs).toContain(kept[0]);

    // The new file is current: a second start keeps it and sets nothing else aside.
    const again = await openTerminal({ dataDir, demo: true });
    await again.close();
    expect(readdirSync(dataDir).filter((f) => f.startsWith('simulator.schema'))).toEqual(kept);
  });
});

