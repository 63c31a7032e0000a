/**
 * Tender (收款): how the cash part of a sale (psn_cash_pay, or the whole amount of a 全自费 sale) is
 * collected at the counter: 现金, 微信, 支付宝, 银行卡, or a mix. Pure: integer fen in, integer fen out.
 *
 * The rules:
 * - an electronic tender (微信/支付宝/银行卡) pays an exact amount, never more than what is still due
 *   (no change is given from a phone or a card), and carries the reference of its transaction;
 * - cash may exceed what is still due: the difference is the change (找零), handed back in cash;
 * - cash below what is still due is refused, with the shortfall, unless the cashier says it is a part
 *   payment (a mix: the rest follows by another tender);
 * - the collection is complete when the tenders cover what is due; nothing is recorded beyond that.
 */
import { fenToYuan } from '../platform/money';
import { SaleError } from './sale-error';

export const TENDER_KINDS = ['cash', 'wechat', 'alipay', 'card'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

export const TENDER_TEXT: Record<TenderKind, string> = { cash: '现金', wechat: '微信', alipay: '支付宝', card: '银行卡' };

/** One tender as recorded: `amountFen` is what it pays of the due amount; cash also keeps what was handed over. */
export interface Tender {
  kind: TenderKind;
  amountFen: number;
  /** Cash handed over (实收); equals amountFen for an electronic tender. */
  tenderedFen: number;
  /** Cash handed back (找零); 0 for an electronic tender. */
  changeFen: number;
  reference: string | null;
}

/** What the cashier entered for one tender. */
export type TenderInput =
  | { kind: 'cash'; tenderedFen: number; partial?: boolean }
  | { kind: Exclude<TenderKind, 'cash'>; amountFen: number; reference: string };

export interface Collection {
  dueFen: number;
  paidFen: number;
  remainingFen: number;
  /** Cash handed over in total (实收, every tender's handed amount). */
  receivedFen: number;
  changeFen: number;
  complete: boolean;
}

const yuan = (fen: number) => `${fenToYuan(fen)} 元`;

function requireFen(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new SaleError('BAD_TENDER', `${what}应为不小于 0 的金额`);
}

/** The state of a collection from the tenders recorded so far. */
export function collectionOf(dueFen: number, tenders: readonly Tender[]): Collection {
  requireFen(dueFen, '应收');
  const paidFen = tenders.reduce((sum, t) => sum + t.amountFen, 0);
  return {
    dueFen,
    paidFen,
    remainingFen: Math.max(0, dueFen - paidFen),
    receivedFen: tenders.reduce((sum, t) => sum + t.tenderedFen, 0),
    changeFen: tenders.reduce((sum, t) => sum + t.changeFen, 0),
    complete: paidFen >= dueFen,
  };
}

/**
 * The next tender, checked against what is still due; returns the tender to record. Refusals name what
 * is wrong (the shortfall, the reference's expected shape) and record nothing.
 */
export function nextTender(dueFen: number, recorded: readonly Tender[], input: TenderInput): Tender {
  const before = collectionOf(dueFen, recorded);
  if (before.complete) throw new SaleError('TENDER_COMPLETE', `该笔已收讫 (应收 ${yuan(dueFen)}): 按 Enter 接待下一位`);
  const remaining = before.remainingFen;
  if (input.kind === 'cash') {
    requireFen(input.tenderedFen, '实收');
    if (input.tenderedFen === 0) throw new SaleError('BAD_TENDER', `实收为 0: 请输入收到的现金 (还应收 ${yuan(remaining)})`);
    if (input.tenderedFen < remaining && !input.partial) {
      throw new SaleError('CASH_SHORT', `实收不足: 还应收 ${yuan(remaining)}, 实收 ${yuan(input.tenderedFen)}, 差 ${yuan(remaining - input.tenderedFen)}`);
    }
    const amountFen = Math.min(input.tenderedFen, remaining);
    return { kind: 'cash', amountFen, tenderedFen: input.tenderedFen, changeFen: input.tenderedFen - amountFen, reference: null };
  }
  requireFen(input.amountFen, `${TENDER_TEXT[input.kind]}金额`);
  if (input.amountFen === 0) throw new SaleError('BAD_TENDER', `${TENDER_TEXT[input.kind]}金额为 0: 请输入本次${TENDER_TEXT[input.kind]}收款金额`);
  if (input.amountFen > remaining) {
    throw new SaleError('TENDER_OVER', `${TENDER_TEXT[input.kind]}金额 ${yuan(input.amountFen)} 超过还应收的 ${yuan(remaining)}: 电子支付不找零, 请按还应收金额收款`);
  }
  const reference = checkReference(input.kind, input.reference);
  if (recorded.some((t) => t.reference === reference)) {
    throw new SaleError('TENDER_DUPLICATE', `${TENDER_TEXT[input.kind]}单号 ${reference} 本单已登记过: 请核对后重新输入`);
  }
  return { kind: input.kind, amountFen: input.amountFen, tenderedFen: input.amountFen, changeFen: 0, reference };
}

/**
 * The shapes a reference may take, per kind (what a cashier scans from the patient's phone or types from
 * the payment slip). A wrong shape is named, with what was expected.
 */
const REFERENCE_SHAPES: Record<Exclude<TenderKind, 'cash'>, { test: RegExp; expected: string }> = {
  // 付款码: 18 digits starting 10-15; 交易单号: 28 digits starting 42 (the merchant's bill shows it).
  wechat: { test: /^(1[0-5]\d{16}|42\d{26})$/, expected: '18 位付款码 (10-15 开头) 或 28 位交易单号 (42 开头)' },
  // 付款码: 16-24 digits starting 25-30; 交易号: 28 digits starting with the year (20...).
  alipay: { test: /^((2[5-9]|30)\d{14,22}|20\d{26})$/, expected: '16-24 位付款码 (25-30 开头) 或 28 位交易号 (20 开头)' },
  // The slip's 参考号 (12 digits) or 凭证号 (6 digits).
  card: { test: /^(\d{12}|\d{6})$/, expected: '12 位参考号 或 6 位凭证号 (见签购单)' },
};

export function checkReference(kind: Exclude<TenderKind, 'cash'>, raw: string): string {
  const reference = raw.replace(/\s+/g, '');
  const shape = REFERENCE_SHAPES[kind];
  if (reference === '') throw new SaleError('BAD_REFERENCE', `请输入或扫描${TENDER_TEXT[kind]}单号: ${shape.expected}`);
  if (!shape.test.test(reference)) {
    throw new SaleError('BAD_REFERENCE', `${TENDER_TEXT[kind]}单号 "${reference.slice(0, 40)}" 格式不对: 应为${shape.expected}`);
  }
  return reference;
}

/** What to hand back when the sale is cancelled: each tender's net amount, by kind (cash net of change). */
export function handBack(tenders: readonly Tender[]): { kind: TenderKind; amountFen: number; reference: string | null }[] {
  return tenders.filter((t) => t.amountFen > 0).map((t) => ({ kind: t.kind, amountFen: t.amountFen, reference: t.reference }));
}

/** Totals by kind (what the tenders paid of the due amounts, cash net of change). */
export function totalsByKind(tenders: readonly Tender[]): Record<TenderKind, number> {
  const totals: Record<TenderKind, number> = { cash: 0, wechat: 0, alipay: 0, card: 0 };
  for (const t of tenders) totals[t.kind] += t.amountFen;
  return totals;
}
