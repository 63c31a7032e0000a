/**
 * `pos logs`: the terminal's log on disk, for a technician. Needs no ledger and no platform, so it
 * works when nothing else does.
 *   pos [--data DIR] logs [--limit N] [--json]     the newest lines (default 100; times in China time, JSON as stored)
 *   pos [--data DIR] logs --export FILE            every retained line into FILE (JSON lines)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportLogs, logFiles, recentLogLines, recentRawLines } from '../log/read';
import { logDir } from '../log/logger';
import { chinaLogLine } from '../platform/china-time';
import { InputError } from '../validation';
import type { Io } from './io';

export const LOGS_USAGE = `用法 usage: pos [--data DIR] logs [--limit N] [--json] | logs --export FILE

  logs                  最近的日志 (默认 100 行; 身份证号与姓名已脱敏)
  logs --export FILE    导出全部保留的日志到 FILE`;

export function runLogsCommand(dataDir: string, argv: string[], io: Io & { json: boolean }): number {
  let values: { limit?: string; export?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { limit: { type: 'string' }, export: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    throw new InputError(`logs: ${(error as Error).message.split('\n')[0]}`);
  }
  if (values.help) return io.out(LOGS_USAGE), 0;
  if (values.export !== undefined) {
    if (values.limit !== undefined) throw new InputError('logs: --export takes every retained line; drop --limit');
    const file = resolve(values.export);
    const count = exportLogs(dataDir, file);
    io.out(`已导出 ${count} 行日志到 ${file}`);
    return 0;
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!/^\d{1,6}$/.test(values.limit ?? '1') || limit < 1) throw new InputError(`logs --limit: expected a positive whole number, got "${values.limit}"`);
  if (logFiles(dataDir).length === 0) {
    io.err(`没有日志: ${logDir(dataDir)}`);
    return 1;
  }
  // The file keeps UTC; a person reads China time (the JSON lines stay as stored, for tools).
  for (const line of io.json ? recentRawLines(dataDir, limit) : recentLogLines(dataDir, limit).map(chinaLogLine)) io.out(line);
  return 0;
}
