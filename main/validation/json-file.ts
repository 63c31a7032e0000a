import { readFileSync } from 'node:fs';
import { InputError } from './index';

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
