/**
 * The terminal's log on disk: pino (JSON lines) into `<dataDir>/logs/pos.<date>.<n>.log`, rolled daily
 * and at 10 MB by pino-roll, the newest 14 files kept. Every line passes through the redaction rule
 * (redact.ts) before it is written. Writes are synchronous: a line logged just before a crash or a
 * kill is on disk; in the desktop app the services (and so the logger) run in their own process, so a
 * slow disk never stalls the window. Why pino: see docs/architecture.md ("Logs").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import roll from 'pino-roll';
import type SonicBoom from 'sonic-boom';
import type { LogConfig } from './config';
import { redact, redactText } from './redact';

export type Log = Logger;
const streams = new Map<Log, SonicBoom>();

export const LOG_FILE_BASE = 'pos';
export const LOG_EXTENSION = '.log';
export const LOG_RETAINED_FILES = 14;
export const LOG_MAX_FILE_SIZE = '10m';

export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

export interface OpenLogOptions {
  dataDir: string;
  level?: LogConfig['level'];
  /** Which process writes (cli, serve, desktop, services): one file may hold several. */
  component?: string;
}

export async function openLog(options: OpenLogOptions): Promise<Log> {
  const dir = logDir(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const stream = await roll({
    file: join(dir, LOG_FILE_BASE),
    extension: LOG_EXTENSION,
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    size: LOG_MAX_FILE_SIZE,
    limit: { count: LOG_RETAINED_FILES, removeOtherLogFiles: true },
    mkdir: true,
    sync: true,
  });
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, component: options.component ?? 'pos' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { bindings: (bindings) => redact(bindings) as Record<string, unknown> },
      hooks: {
        // Redaction by rule: every argument (message, merge object, error) before pino sees it.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const head = first instanceof Error ? { err: redact(first) } : redact(first);
          return method.apply(this, [head, ...rest.map((a) => redact(a))] as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
  streams.set(log, stream);
  return log;
}

/** Closes the file (a process that opens terminals again and again must not leak descriptors). */
export async function closeLog(log: Log): Promise<void> {
  const stream = streams.get(log);
  if (!stream) return;
  streams.delete(log);
  log.level = 'silent'; // a line logged after close (a second close, a late event) is dropped, not thrown
  await new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.end();
  });
}

/** The adapter for the older `(line) => void` loggers (devices, the HTTP binding). */
export function lineLogger(log: Log, level: 'info' | 'warn' | 'error' = 'info'): (line: string) => void {
  return (line) => log[level](line);
}

/**
 * Uncaught exceptions and unhandled rejections are written (synchronously) to every open log before
 * the process ends, with exit code 1, and echoed (redacted) to stderr for whoever watches the console.
 * Installed by each entry point (the CLI, browser mode, the desktop shell, the services process).
 */
export function logCrashes(exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onError = (kind: string) => (error: unknown) => {
    for (const log of streams.keys()) log.fatal({ err: error instanceof Error ? error : new Error(String(error)), kind }, `${kind}: the process ends`);
    process.stderr.write(redactText(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) + '\n');
    exit(1);
  };
  const onException = onError('uncaughtException');
  const onRejection = onError('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
