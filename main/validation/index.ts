import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** One line naming the first bad field, e.g. `balances.ownAcctFen: expected a non-negative integer`. */
export function describeZodError(error: z.ZodError, root = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Parse with a schema, or throw an InputError carrying the one-line description. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, root = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(describeZodError(result.error, root));
  return result.data;
}

/** Bad input from outside (arguments, files, requests): a specific message, nothing changed. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * A JSON input file (config, catalog, regions): unreadable, empty, BOM-prefixed or malformed is bad input,
 * said in one line with the file's path.
 */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? '文件不存在 (not found)' : e.code === 'EISDIR' ? '是目录, 不是文件 (is a directory)' : e.code === 'EACCES' ? '无权读取 (permission denied)' : e.message;
    throw new InputError(`${what} ${path}: ${why}`);
  }
  if (text.charCodeAt(0) === 0xfeff) throw new InputError(`${what} ${path}: 文件以 BOM 开头 (byte-order mark); 请存为不带 BOM 的 UTF-8`);
  if (text.trim() === '') throw new InputError(`${what} ${path}: 文件为空 (empty)`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${path}: 不是有效的 JSON (${(error as Error).message.split('\n')[0]})`);
  }
}
