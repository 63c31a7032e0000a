/**
 * 拆零 at the counter: a quantity typed with up to 4 decimals for a drug the catalog lets be split,
 * and the boxes' trace codes such a line takes part of (docs/split-packs.md). Called inside the cart's
 * transaction; the ledger trigger of migration 007 is the last guard for two counters on one file.
 */
import type { Db } from '../../db/connection';
import { TraceCodeTakenError, type LineRow } from '../../db/sales-repo';
import { SplitPackRepo, TraceCodeUsedUpError } from '../../db/split-pack-repo';
import { SaleError } from '../settlement/sale-error';
import { lineAmountFen, parseScaled, priceMicros, WHOLE_BOX_E4 } from '../settlement/split-pack';

/** What the cashier typed: whole boxes, or part of a box (ten-thousandths). */
export type Quantity = { split: false; boxes: number } | { split: true; cntE4: number };

/** Reads a typed quantity ("2", "0.25"); a fraction only for a drug that may be split. */
export function readQuantity(text: string, drug: { name: string; trdn: boolean }): Quantity {
  let cntE4: number;
  try {
    cntE4 = parseScaled(text.trim(), 4, 'cnt');
  } catch (error) {
    throw new SaleError('BAD_QUANTITY', `数量应为数字, 最多 4 位小数: ${text} (${(error as Error).message})`);
  }
  if (cntE4 % WHOLE_BOX_E4 === 0) return { split: false, boxes: cntE4 / WHOLE_BOX_E4 };
  if (!drug.trdn) throw new SaleError('NOT_SPLITTABLE', `${drug.name} 不能拆零销售: 数量应为整盒`);
  return { split: true, cntE4 };
}

type SplitLine = LineRow & { trdn_flag?: number; cnt_e4?: number | null; pric_micros?: number | null };

/**
 * Sets a line's split quantity: its amount is recomputed by the rule, and the boxes it had are taken
 * again as they now fit (in scan order; a box no longer needed is let go).
 */
export function setSplitQuantity(db: Db, line: SplitLine, cntE4: number): void {
  const packs = new SplitPackRepo(db);
  const pricMicros = priceMicros(line.trdn_flag === 1 ? line : { cnt: line.cnt, pric_fen: line.pric_fen });
  const codes = packs.lineTakes(line.sale_id, line.line_no).map((t) => t.code);
  packs.dropLineCodes(line.sale_id, line.line_no);
  packs.makeSplit(line.sale_id, line.line_no, cntE4, pricMicros, lineAmountFen(pricMicros, cntE4));
  let left = cntE4;
  for (const code of codes) {
    if (left === 0) break;
    const use = packs.boxUse(code);
    const take = use.soldWhole ? 0 : Math.min(WHOLE_BOX_E4 - use.usedE4, left);
    if (take > 0) packs.takeFromBox(line.sale_id, line.line_no, code, take);
    left -= take;
  }
}

/** A box's trace code scanned for a split line: the line takes what it still needs, or what the box has left. */
export function attachSplitCode(db: Db, line: SplitLine, code: string): void {
  const packs = new SplitPackRepo(db);
  const need = (line.cnt_e4 ?? 0) - packs.lineTakes(line.sale_id, line.line_no).reduce((s, t) => s + t.takeE4, 0);
  if (need <= 0) throw new SaleError('TRACE_LINE_FULL', '该拆零药品的追溯码已齐: 如需更多, 请先改数量');
  const use = packs.boxUse(code);
  if (use.soldWhole) throw new SaleError('TRACE_SOLD', `追溯码 ${code} 已整盒售出, 不能再拆零销售`);
  const room = WHOLE_BOX_E4 - use.usedE4;
  if (room <= 0) throw new SaleError('TRACE_USED_UP', new TraceCodeUsedUpError(code).message);
  try {
    packs.takeFromBox(line.sale_id, line.line_no, code, Math.min(need, room));
  } catch (error) {
    // Another counter on the same file took the box meanwhile: the ledger's trigger refused.
    if (error instanceof TraceCodeUsedUpError) throw new SaleError('TRACE_USED_UP', error.message);
    if (error instanceof TraceCodeTakenError) throw new SaleError('TRACE_SOLD', error.message);
    throw error;
  }
}

/** How much of a split line no box covers yet (ten-thousandths): the trace codes still to scan. */
export function splitMissingE4(db: Db, line: SplitLine): number {
  const taken = new SplitPackRepo(db).lineTakes(line.sale_id, line.line_no).reduce((s, t) => s + t.takeE4, 0);
  return Math.max(0, (line.cnt_e4 ?? 0) - taken);
}
