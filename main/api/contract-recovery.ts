/**
 * The contract's methods for recovery at the counter, 挂单 and queue files (issue 11), spread into
 * `methods` in main/api/contract.ts. Kept apart so the features' schemas read together.
 */
import { z } from 'zod';
import { id, money } from './contract-parts';

const empty = z.object({}).strict();
const saleArg = z.object({ saleId: id }).strict();
const ok = z.object({ ok: z.literal(true), message: z.string() });

/** A sale interrupted at the platform, as the counter's recovery panel shows it (patient masked). */
export const interruptedSaleSchema = z.object({
  saleId: id,
  /** China time, as the cashier reads it. */
  createdAt: z.string(),
  state: z.string(),
  stateText: z.string(),
  psnName: z.string(),
  maskedCertno: z.string(),
  amount: money,
  lineCount: z.number().int().min(0),
  /** The 2102/2103 whose outcome was not seen, and what the journal knows of it. */
  msgid: z.string().nullable(),
  msgidText: z.string(),
  note: z.string().nullable(),
  /** The one key's next step: 2601 first, then release or redo; `wait` while another process sends it. */
  next: z.enum(['resolve', 'release_or_redo', 'wait']),
});
export type InterruptedSaleDto = z.infer<typeof interruptedSaleSchema>;

export const parkedSaleSchema = z.object({
  saleId: id,
  parkedAt: z.string(),
  psnName: z.string(),
  maskedCertno: z.string(),
  amount: money,
  lineCount: z.number().int().min(0),
  summary: z.string(),
});
export type ParkedSaleDto = z.infer<typeof parkedSaleSchema>;

export const exportRowSchema = z.object({
  sha256: z.string(),
  batchId: z.string(),
  fileName: z.string(),
  exportedAt: z.string(),
  count: z.number().int().min(0),
  status: z.enum(['outstanding', 'acknowledged', 'withdrawn']),
  statusText: z.string(),
  note: z.string().nullable(),
});
export type ExportRowDto = z.infer<typeof exportRowSchema>;

const interruptedList = z.object({ sales: z.array(interruptedSaleSchema) });
const recoveryStep = z.object({ message: z.string(), sales: z.array(interruptedSaleSchema) });
const sha256Arg = z.object({ sha256: z.string().trim().toLowerCase().regex(/^[0-9a-f]{8,64}$/, '应为导出文件的校验和 (至少 8 位十六进制)') }).strict();

/** Roles (issue 9; checked once by main/api/features/operators.ts): the counter's steps need a signed-in operator, queue files a technician. */
export function recoveryMethods<C extends z.ZodType>(counterState: C) {
  return {
    // --- recovery at the counter (main/api/features/recovery.ts) ---
    listInterrupted: { role: 'cashier', args: empty, result: interruptedList },
    /** 2601 of the sale's unseen 2102/2103. */
    resolveInterrupted: { role: 'cashier', args: saleArg, result: recoveryStep },
    /** A reversed/failed sale let go of (its boxes free). */
    releaseInterrupted: { role: 'cashier', args: saleArg, result: recoveryStep },
    /** A reversed/failed sale made again: a new sale with the same lines on the counter, presettled. */
    redoInterrupted: { role: 'cashier', args: saleArg, result: counterState },
    // --- 挂单 (main/api/features/parking.ts) ---
    parkSale: { role: 'cashier', args: saleArg, result: counterState },
    listParked: { role: 'cashier', args: empty, result: z.object({ sales: z.array(parkedSaleSchema) }) },
    recallSale: { role: 'cashier', args: saleArg, result: counterState },
    // --- queue files (main/api/features/transfer.ts) ---
    planExport: { role: 'technician', args: empty, result: z.object({ count: z.number().int().min(0), amount: money, busy: z.number().int().min(0) }) },
    /** Confirmed export: the file's name and text (a download, or a save dialog in the desktop app). */
    exportQueue: { role: 'technician',
      args: z.object({ confirm: z.literal(true) }).strict(),
      result: z.object({ fileName: z.string(), content: z.string(), sha256: z.string(), count: z.number().int().min(0), batchId: z.string() }),
    },
    listExports: { role: 'technician', args: empty, result: z.object({ exports: z.array(exportRowSchema) }) },
    unexportQueue: { role: 'technician', args: sha256Arg, result: ok },
    /** A queue file from another terminal, or the acknowledgement of one of ours. */
    importQueue: { role: 'technician',
      args: z.object({ content: z.string().min(1).max(20_000_000) }).strict(),
      result: z.object({
        message: z.string(),
        kind: z.enum(['imported', 'acknowledged']),
        ack: z.object({ fileName: z.string(), content: z.string() }).nullable(),
      }),
    },
  } as const;
}
