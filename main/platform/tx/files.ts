/**
 * 9101 文件上传 and 9102 文件下载 (reference §2.19, §2.20), and the zip the files travel in.
 * fflate: a maintained, dependency-free zip implementation with a synchronous API; node's zlib only
 * deflates and cannot write or read the zip container the platform expects.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import { optionalText, text } from '../wire';

/** One text file zipped, as the platform wants detail files (UTF-8). */
export function zipText(filename: string, content: string): Uint8Array {
  return zipSync({ [filename]: strToU8(content) }, { level: 6 });
}

/** The text of the first file in a zip (the platform's result archives hold one). */
export function unzipText(bytes: Uint8Array): string {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new Error(`结果文件不是有效的 zip: ${(error as Error).message}`);
  }
  const names = Object.keys(entries).filter((name) => !name.endsWith('/'));
  const first = names[0];
  if (first === undefined) throw new Error('结果文件 zip 中没有文件');
  return strFromU8(entries[first] as Uint8Array);
}

export function uploadInput(bytes: Uint8Array, filename: string, fixmedinsCode: string) {
  return { fsUploadIn: { in: Buffer.from(bytes).toString('base64'), filename, fixmedins_code: fixmedinsCode } };
}

/** 9101 answers at the output's root (no node). */
export const uploadOutputSchema = z
  .object({
    file_qury_no: text.pipe(z.string().min(1, 'required')),
    filename: optionalText,
    fixmedins_code: optionalText,
    dld_endtime: optionalText,
  })
  .transform((o) => ({ fileQuryNo: o.file_qury_no, filename: o.filename }));

export function downloadInput(fileQuryNo: string, filename: string, fixmedinsCode: string) {
  return { fsDownloadIn: { file_qury_no: fileQuryNo, filename, fixmedins_code: fixmedinsCode } };
}
