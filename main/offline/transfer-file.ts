/**
 * The two files that move a queue between terminals of one pharmacy (main/offline/transfer.ts):
 * - the queue file (`yibao-pos/offline-queue`): the exported sales, masked, with a SHA-256 of its body;
 * - the acknowledgement (`yibao-pos/offline-queue-ack`): written by the terminal that imported a queue
 *   file, carried back to the exporting terminal, which then knows its export arrived (no un-export).
 * Both are validated in full (zod), checksum included, before anything is changed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, parseOrThrow } from '../validation';

export const EXPORT_FORMAT = 'yibao-pos/offline-queue' as const;
export const ACK_FORMAT = 'yibao-pos/offline-queue-ack' as const;

const fen = z.number().int().min(0);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const lineSchema = z.object({
  line_no: z.number().int().min(1),
  barcode: z.string().min(1),
  name: z.string(),
  spec: z.string(),
  med_list_codg: z.string().min(1),
  medins_list_codg: z.string().min(1),
  chrgitm_lv: z.enum(['01', '02', '03']),
  pric_fen: fen,
  cnt: z.number().int().min(1),
});
const requestSchema = z.object({
  psnNo: z.string().min(1),
  credential: z.object({ mdtrtCertType: z.enum(['01', '02', '03']), mdtrtCertNo: z.string().min(1), cardSn: z.string().optional() }),
  insutype: z.enum(['310', '390']),
  insuplcAdmdvs: z.string().regex(/^\d{6}$/),
  mdtrtareaAdmvs: z.string().regex(/^\d{6}$/),
  useAccount: z.boolean(),
  useWallet: z.boolean(),
  walletCapFen: fen.nullable(),
  begntime: z.string(),
  invono: z.string().optional(),
  lines: z.array(
    z.object({
      feedetlSn: z.string(),
      medListCodg: z.string(),
      medinsListCodg: z.string(),
      pricFen: fen,
      cnt: z.number().int().min(1),
      traceCodes: z.array(z.string().regex(/^\d{20}$/)),
      feeOcurTime: z.string(),
    }),
  ).min(1),
});
const saleSchema = z.object({
  uid: z.uuid(),
  queuedAt: z.iso.datetime(),
  day: z.iso.date(),
  psnNo: z.string().min(1),
  psnName: z.string(),
  certno: z.string(),
  insutype: z.enum(['310', '390']),
  insuplcAdmdvs: z.string().regex(/^\d{6}$/),
  begntime: z.string(),
  estimate: z.object({ medfee: fen, fund: fen, ownAcct: fen, mulaid: fen, wallet: fen, cash: fen }),
  presettle: z.record(z.string(), z.unknown()),
  lines: z.array(lineSchema).min(1),
  traceCodes: z.array(z.object({ lineNo: z.number().int().min(1), code: z.string().regex(/^\d{20}$/) })),
  request: requestSchema,
  /** 家庭共济 offline: which giver's account the sale's mutual aid was counted against (absent in older files). */
  mulaidHolds: z.array(z.object({ giverPsnNo: z.string().min(1), fen: z.number().int().min(1) })).default([]),
});
export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  batchId: z.uuid(),
  fixmedinsCode: z.string().length(12),
  exportedAt: z.iso.datetime(),
  count: z.number().int().min(0),
  sales: z.array(saleSchema),
  sha256,
});
export const ackFileSchema = z.object({
  format: z.literal(ACK_FORMAT),
  version: z.literal(1),
  batchId: z.uuid(),
  /** The checksum of the queue file it acknowledges. */
  queueSha256: sha256,
  fixmedinsCode: z.string().length(12),
  importedAt: z.iso.datetime(),
  added: z.number().int().min(0),
  skipped: z.number().int().min(0),
  sha256,
});
export type ExportFile = z.infer<typeof exportFileSchema>;
export type ExportedSale = z.input<typeof saleSchema>;
export type AckFile = z.infer<typeof ackFileSchema>;
export type TransferFile = { kind: 'queue'; file: ExportFile } | { kind: 'ack'; file: AckFile };

/** SHA-256 of the body as written (key order included), without its own sha256 field. */
export function checksum(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** The text of a file with its checksum appended, as it is written to disk. */
export function withChecksum<T extends object>(body: T): { text: string; sha256: string } {
  const sum = checksum(body);
  return { text: JSON.stringify({ ...body, sha256: sum }, null, 1), sha256: sum };
}

export function readTransferFile(path: string): TransferFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`导入文件无法读取 (${path}): ${(error as Error).message}`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format === ACK_FORMAT) {
    const file = parseOrThrow(ackFileSchema, raw, 'file');
    verifyChecksum(raw as Record<string, unknown>);
    return { kind: 'ack', file };
  }
  const file = parseOrThrow(exportFileSchema, raw, 'file');
  verifyChecksum(raw as Record<string, unknown>);
  if (file.count !== file.sales.length) throw new InputError('file.count: 与销售条数不符');
  return { kind: 'queue', file };
}

function verifyChecksum(raw: Record<string, unknown>): void {
  // The checksum covers the text as written (key order included), so it is computed on the raw JSON.
  const { sha256: sum, ...body } = raw;
  if (checksum(body) !== sum) throw new InputError('file.sha256: 校验和不符, 文件已被修改或损坏');
}
