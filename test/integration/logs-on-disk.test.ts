/**
 * The log on disk: after a sale (identified by ID number and name, the most personal way), a log file
 * is in the data directory, it tells what happened, and it holds no 18-digit ID number and no full name.
 * The level comes from the config (debug here, so the business input of every message is logged too:
 * the redaction rule, not a lucky omission, keeps the person out).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';
import { logFiles, recentLogLines, recentRawLines, exportLogs } from '../../main/log/read';
import { chinaDateTime } from '../../main/platform/china-time';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../../main/cli/index';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000);

let counter: Counter;
beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-logcfg-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ log: { level: 'debug' } }));
  counter = await startCounter({ configFile });
});
afterEach(async () => {
  await counter?.close();
});

describe('logs on disk', () => {
  it('a sale leaves a log file in the data directory without ID numbers or full names', async () => {
    const person = (await (await fetch(`${counter.sim.url}/sim/persons/employee`)).json()) as { certno: string; psn_name: string };
    expect(person.certno).toMatch(/^\d{17}[\dX]$/);
    const { sales } = counter.terminal;
    const sale = await sales.beginSale({ kind: 'idno', certno: person.certno, psnName: person.psn_name, idDocumentChecked: true });
    scanBoxes(counter.terminal, sale.id, classA, 1);
    await sales.presettle(sale.id);
    expect((await sales.settle(sale.id)).state).toBe('settled');

    const files = logFiles(counter.dataDir);
    expect(files).toHaveLength(1);
    expect(files[0]!.startsWith(join(counter.dataDir, 'logs'))).toBe(true);
    const text = readFileSync(files[0]!, 'utf8');
    // What happened is there: identification, presettlement and settlement, and the (masked) person.
    for (const infno of ['1101', '2101', '2102']) expect(text).toContain(`"msg":"platform ${infno} ok"`);
    expect(text).toContain(person.certno.slice(0, 4) + '**********' + person.certno.slice(-4));
    // The person is not.
    expect(text).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/); // an ID number (psn_no and trace codes are 20 digits)
    expect(text).not.toContain(person.certno);
    expect(text).not.toContain(person.psn_name);

    const shown = recentLogLines(counter.dataDir, 200);
    expect(shown.some((l) => l.includes('platform 2102 ok'))).toBe(true);
    const exported = join(counter.dataDir, 'export', 'logs.log');
    expect(exportLogs(counter.dataDir, exported)).toBe(text.trim().split('\n').length);
    expect(readFileSync(exported, 'utf8')).toBe(text);
  });

  it('`pos logs` shows the newest lines and exports every retained line', async () => {
    await counter.terminal.platform.signIn();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await main(['--data', counter.dataDir, 'logs', '--limit', '2'], io)).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/ INFO {2}\[pos \d+\] platform 9001 ok /);
    expect(out[1]).toMatch(/ DEBUG \[pos \d+\] platform 9001 input /);
    // Each line's time is China time: the stored UTC time of the same line, eight hours on.
    const stored = recentRawLines(counter.dataDir, 2).map((l) => (JSON.parse(l) as { time: string }).time);
    expect(out.map((l) => l.slice(0, 19))).toEqual(stored.map(chinaDateTime));
    expect(out[0]!.slice(0, 19)).not.toBe(stored[0]!.slice(0, 19).replace('T', ' '));

    const file = join(counter.dataDir, 'usb', 'pos-logs.log');
    out.length = 0;
    expect(await main(['--data', counter.dataDir, 'logs', '--export', file], io)).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(out[0]).toBe(`已导出 ${lines.length} 行日志到 ${file}`);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('platform 9001 ok');

    expect(await main(['--data', counter.dataDir, 'logs', '--limit', 'x'], io)).toBe(2);
    expect(await main(['--data', join(counter.dataDir, 'nothing-here'), 'logs'], io)).toBe(1);
    expect(err.at(-1)).toContain('没有日志');
  });
});
