// The log's redaction rule, its files and its crash handlers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactText } from '../../main/log/redact';
import { closeLog, openLog } from '../../main/log/logger';
import { formatLogLine, logFiles, recentLogLines } from '../../main/log/read';
import { configSchema } from '../../main/config/config';

const idNumber = fc
  .tuple(fc.stringMatching(/^\d{17}$/), fc.constantFrom(...'0123456789X'))
  .map(([head, check]) => head + check);

describe('redaction rule', () => {
  it('masks any 18-character ID number inside any text, keeping 4 + 4', () => {
    fc.assert(
      fc.property(fc.string(), idNumber, fc.string(), (before, id, after) => {
        const text = redactText(`${before} ${id} ${after}`);
        expect(text).not.toContain(id);
        expect(text).toContain(`${id.slice(0, 4)}**********${id.slice(-4)}`);
      }),
    );
  });

  it('leaves longer digit runs (trace codes, psn_no, msgids) alone', () => {
    expect(redactText('trace 89100030000000000001 psn 33010000000000000001')).toBe('trace 89100030000000000001 psn 33010000000000000001');
  });

  it('masks names and IDs by field, deep, and errors by text', () => {
    const out = redact({ data: { psn_name: '欧阳娜娜', certno: '110101199003071234', card_sn: 'A1234567' }, list: [{ name: '张三' }], err: new Error('bad 110101199003071234') }) as {
      data: Record<string, string>; list: Array<Record<string, string>>; err: { message: string; type: string };
    };
    expect(out.data).toEqual({ psn_name: '欧***', certno: '1101**********1234', card_sn: '****4567' });
    expect(out.list[0]!.name).toBe('张*');
    expect(out.err).toMatchObject({ type: 'Error', message: 'bad 1101**********1234' });
  });
});

describe('log files', () => {
  it('writes redacted JSON lines under <dataDir>/logs at the configured level', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yibao-log-'));
    const log = await openLog({ dataDir, level: 'warn', component: 'unit' });
    log.info({ psn_name: '李四' }, 'not written: below the level');
    log.warn({ psn_name: '李四', certno: '11010119900307123X' }, 'identified');
    await closeLog(log);
    const [file] = logFiles(dataDir);
    const text = readFileSync(file!, 'utf8');
    expect(text).not.toContain('not written');
    expect(text).not.toContain('李四');
    expect(text).not.toContain('11010119900307123X');
    expect(recentLogLines(dataDir, 10)).toEqual([expect.stringMatching(/ WARN {2}\[unit \d+\] identified \{"psn_name":"李\*","certno":"1101\*{10}123X"\}$/)]);
  });

  it('the level is a validated key of the config', () => {
    expect(configSchema.parse({}).log.level).toBe('info');
    expect(configSchema.parse({ log: { level: 'debug' } }).log.level).toBe('debug');
    expect(configSchema.safeParse({ log: { level: 'loud' } }).success).toBe(false);
    expect(configSchema.safeParse({ log: { level: 'info', file: 'x' } }).success).toBe(false);
  });

  it('shows a line that is not JSON as it is', () => {
    expect(formatLogLine('{"level":30,"ti')).toBe('{"level":30,"ti');
  });
});

describe('crashes', () => {
  for (const kind of ['exception', 'rejection']) {
    it(`an uncaught ${kind} is logged (redacted) before the process exits with 1`, () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'yibao-crash-'));
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'helpers', 'crash-child.ts'), dataDir, kind], { encoding: 'utf8' });
      expect(child.status).toBe(1);
      const text = readFileSync(logFiles(dataDir)[0]!, 'utf8');
      const fatal = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; kind: string; err: { message: string } }).find((l) => l.level === 60);
      expect(fatal?.kind).toBe(kind === 'exception' ? 'uncaughtException' : 'unhandledRejection');
      expect(fatal?.err.message).toMatch(/1101\*{10}1234$/);
      expect(text + child.stderr).not.toContain('110101199003071234');
    });
  }
});

describe('closing', () => {
  it('a line logged after close is dropped, a second close is harmless', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yibao-log-'));
    const log = await openLog({ dataDir });
    log.info('before');
    await closeLog(log);
    log.info('after');
    await closeLog(log);
    expect(recentLogLines(dataDir, 10).map((l) => l.split('] ')[1])).toEqual(['before']);
  });
});

describe('offline events in the log', () => {
  it('the line going down and up, and each exception (masked)', async () => {
    const { logConnectivity, logOfflineException } = await import('../../main/log/offline-log');
    const dataDir = mkdtempSync(join(tmpdir(), 'yibao-log-'));
    const log = await openLog({ dataDir, component: 'unit' });
    logConnectivity(log)({ online: false, mode: 'auto' });
    logOfflineException(log)({ id: 3, saleId: 9, kind: 'amount_differs', owedFen: -120, message: '金额不符 110101199003071234' });
    logConnectivity(log)({ online: true, mode: 'auto' });
    await closeLog(log);
    const lines = recentLogLines(dataDir, 10).map((l) => l.split('] ')[1]);
    expect(lines).toEqual([
      'platform unreachable: offline {"online":false,"mode":"auto"}',
      'offline exception: 金额不符 1101**********1234 {"exception":3,"saleId":9,"kind":"amount_differs","owedFen":-120}',
      'platform reachable: online {"online":true,"mode":"auto"}',
    ]);
  });
});
