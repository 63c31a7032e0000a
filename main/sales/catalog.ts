import { z } from 'zod';
import { eanCheckDigit } from '../../devices/classify';
import { parseOrThrow, readJsonFile } from '../validation';

/** One drug of the pharmacy's price list: what a barcode means at this counter. */
const catalogEntrySchema = z.object({
  barcode: z.string().regex(/^(\d{8}|\d{13})$/, 'expected an EAN-8 or EAN-13 barcode'),
  name: z.string().min(1),
  spec: z.string(),
  pric_fen: z.number().int().positive(),
  med_list_codg: z.string().min(1),
  medins_list_codg: z.string().min(1),
  chrgitm_lv: z.enum(['01', '02', '03']),
  trace_prefix: z.string().regex(/^\d{7}$/, 'expected the 7-digit product part of the trace code'),
  /** Batch data the 3505 trace report carries (生产批号, 生产日期, 有效期止, 处方药标志), when known. */
  manu_lotnum: z.string().min(1).max(30).optional(),
  manu_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd').optional(),
  expy_end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd').optional(),
  rx_flag: z.enum(['0', '1', '2']).optional(),
  /** 拆零: may be sold in parts of a box (quantity with up to 4 decimals); the box's trace code then serves until used up. */
  trdn: z.boolean().default(false),
}).strict();
export type CatalogEntry = z.output<typeof catalogEntrySchema>;

const catalogSchema = z.array(catalogEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (seen.has(entry.barcode)) ctx.addIssue({ code: 'custom', path: [i, 'barcode'], message: `duplicate barcode ${entry.barcode}` });
    seen.add(entry.barcode);
    const body = entry.barcode.slice(0, -1);
    if (eanCheckDigit(body) !== Number(entry.barcode.slice(-1))) {
      ctx.addIssue({ code: 'custom', path: [i, 'barcode'], message: `check digit wrong in ${entry.barcode}` });
    }
  });
});

export class Catalog {
  private readonly byBarcode: Map<string, CatalogEntry>;
  private readonly byTracePrefix: Map<string, CatalogEntry[]>;

  constructor(readonly entries: CatalogEntry[]) {
    this.byBarcode = new Map(entries.map((e) => [e.barcode, e]));
    this.byTracePrefix = new Map();
    for (const e of entries) {
      this.byTracePrefix.set(e.trace_prefix, [...(this.byTracePrefix.get(e.trace_prefix) ?? []), e]);
    }
  }

  static fromFile(path: string): Catalog {
    const raw = readJsonFile(path, '药品目录文件');
    return new Catalog(parseOrThrow(catalogSchema, raw, `catalog(${path})`));
  }

  byCode(barcode: string): CatalogEntry | undefined {
    return this.byBarcode.get(barcode);
  }

  /** The drugs a 20-digit 药品追溯码 can belong to (its first 7 digits name the product). */
  forTraceCode(code: string): CatalogEntry[] {
    return this.byTracePrefix.get(code.slice(0, 7)) ?? [];
  }
}
