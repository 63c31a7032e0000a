/**
 * Reading the log back for `pos logs` and the technician screen: the newest lines across the retained
 * files, one readable line each, and an export of everything retained into one file. The files are
 * already redacted when written; nothing here sees personal data in the clear.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOG_EXTENSION, LOG_FILE_BASE, logDir } from './logger';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'component', 'hostname']);

/** The retained log files, oldest first (by modification time, then name). */
export function logFiles(dataDir: string): string[] {
  const dir = logDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${LOG_FILE_BASE}.`) && f.endsWith(LOG_EXTENSION))
    .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path, 'en', { numeric: true }))
    .map((f) => f.path);
}

/** The newest `limit` raw lines (JSON), oldest of them first. */
export function recentRawLines(dataDir: string, limit: number): string[] {
  const lines: string[] = [];
  const files = logFiles(dataDir);
  for (let i = files.length - 1; i >= 0 && lines.length < limit; i--) {
    const own = readFileSync(files[i]!, 'utf8').split('\n').filter((l) => l.trim() !== '');
    lines.unshift(...own.slice(Math.max(0, own.length - (limit - lines.length))));
  }
  return lines;
}

/** One readable line: time, level, process, message, then the other fields as JSON. */
export function formatLogLine(raw: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw; // not ours (or cut by a crash mid-line): show it as it is
  }
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const extra = Object.fromEntries(Object.entries(entry).filter(([k]) => !RESERVED.has(k)));
  const tail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
  return `${String(entry.time)} ${level.padEnd(5)} [${String(entry.component)} ${String(entry.pid)}] ${String(entry.msg ?? '')}${tail}`;
}

export function recentLogLines(dataDir: string, limit: number): string[] {
  return recentRawLines(dataDir, limit).map(formatLogLine);
}

/** Copies every retained line, oldest first, into `file` (JSON lines). Returns the number of lines. */
export function exportLogs(dataDir: string, file: string): number {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  let count = 0;
  for (const path of logFiles(dataDir)) {
    const text = readFileSync(path, 'utf8');
    count += text.split('\n').filter((l) => l.trim() !== '').length;
    appendFileSync(file, text.endsWith('\n') || text === '' ? text : text + '\n');
  }
  return count;
}

/** Where the technician screen puts an export: the data directory, named by the time. */
export function defaultExportFile(dataDir: string, now: Date): string {
  return join(dataDir, 'exports', `logs-${now.toISOString().replace(/[:.]/g, '-')}.log`);
}
