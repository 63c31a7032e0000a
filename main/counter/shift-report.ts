/**
 * The shift report (交班报表): counts and totals by fund and by tender, cancels, offline sales pending,
 * exceptions. Built from the ledger's rows (pure: no I/O), then laid out for the receipt printer and as
 * CSV. Amounts are integer fen; text only in the layouts.
 */
import type { SaleRow } from '../../db/sales-repo';
import type { TenderRow } from '../../db/tender-repo';
import { center, leftRight, wrap } from '../../devices/printer/text-width';
import { fundLines } from '../platform/funds';
import type { CancelRecord } from '../platform/domain';
import { fenToYuan } from '../platform/money';
import { chinaDateTime } from '../platform/china-time';
import { TENDER_KINDS, TENDER_TEXT, type TenderKind } from '../settlement/tender';
import { collectedFigures, dueSource, toTender } from './collection';

export interface Tally {
  count: number;
  fen: number;
}

export interface ShiftReport {
  shiftId: number;
  opter: string;
  opterName: string;
  /** ISO instants (stored unambiguous); the layouts show China time. */
  openedAt: string;
  closedAt: string | null;
  /** Every sale that counts in the shift (cancelled since or not). */
  sales: Tally;
  funds: { pool: number; otherFunds: number; acct: number; mulaid: number; wallet: number; cashPart: number };
  /** The cash part by how it was collected; `unrecorded`: sales left without a tender (counted as cash due). */
  tenders: Record<TenderKind | 'unrecorded', Tally>;
  drawer: { receivedFen: number; changeFen: number };
  selfPay: Tally;
  cancels: Tally & { handBack: Record<TenderKind | 'unrecorded', number> };
  offlinePending: Tally;
  /** What the next shift or the technician must look at, one sentence each. */
  exceptions: string[];
}

export interface ShiftInputs {
  shift: { id: number; opter: string; opter_name: string; opened_at: string; closed_at: string | null };
  sales: SaleRow[];
  tenders: TenderRow[];
  cancels: SaleRow[];
  cancelTenders: TenderRow[];
  offlinePending: SaleRow[];
  unresolved: SaleRow[];
  /** 挂单: parked sales the next cashier may recall (they hold their boxes). */
  parked: SaleRow[];
  openExceptions: number;
}

const tally = (): Tally => ({ count: 0, fen: 0 });
const medfeeOf = (sale: SaleRow): number => collectedFigures(dueSource(sale))?.medfeeSumamt ?? 0;

export function buildShiftReport(input: ShiftInputs): ShiftReport {
  const r: ShiftReport = {
    shiftId: input.shift.id,
    opter: input.shift.opter,
    opterName: input.shift.opter_name,
    openedAt: input.shift.opened_at,
    closedAt: input.shift.closed_at,
    sales: tally(),
    funds: { pool: 0, otherFunds: 0, acct: 0, mulaid: 0, wallet: 0, cashPart: 0 },
    tenders: { cash: tally(), wechat: tally(), alipay: tally(), card: tally(), unrecorded: tally() },
    drawer: { receivedFen: 0, changeFen: 0 },
    selfPay: tally(),
    cancels: { ...tally(), handBack: { cash: 0, wechat: 0, alipay: 0, card: 0, unrecorded: 0 } },
    offlinePending: tally(),
    exceptions: [],
  };
  const unrecorded: number[] = [];
  for (const sale of input.sales) {
    const f = collectedFigures(dueSource(sale));
    if (!f) continue;
    add(r.sales, f.medfeeSumamt);
    const funds = fundLines(f);
    r.funds.pool += funds.poolFen;
    r.funds.otherFunds += f.fundPaySumamt - funds.poolFen;
    r.funds.acct += f.acctPay;
    r.funds.mulaid += f.acctMulaidPay;
    r.funds.wallet += f.walletPay;
    r.funds.cashPart += f.psnCashPay;
    if (sale.state === 'self_paid') add(r.selfPay, f.medfeeSumamt);
    const mine = input.tenders.filter((t) => t.sale_id === sale.id);
    for (const t of mine) {
      add(r.tenders[t.kind], t.amount_fen);
      r.drawer.receivedFen += t.tendered_fen;
      r.drawer.changeFen += t.change_fen;
    }
    const left = f.psnCashPay - mine.reduce((s, t) => s + t.amount_fen, 0);
    if (left > 0) {
      add(r.tenders.unrecorded, left);
      unrecorded.push(sale.id);
    }
  }
  for (const sale of input.cancels) {
    const c = sale.cancel_json ? (JSON.parse(sale.cancel_json) as CancelRecord) : null;
    add(r.cancels, c?.medfeeSumamt ?? medfeeOf(sale));
    const mine = input.cancelTenders.filter((t) => t.sale_id === sale.id).map(toTender);
    for (const t of mine) r.cancels.handBack[t.kind] += t.amountFen;
    const cash = c?.cashPayamt ?? 0;
    const tendered = mine.reduce((s, t) => s + t.amountFen, 0);
    if (cash > tendered) r.cancels.handBack.unrecorded += cash - tendered;
  }
  for (const sale of input.offlinePending) add(r.offlinePending, medfeeOf(sale));
  if (unrecorded.length > 0) r.exceptions.push(`未登记收款方式的销售 ${unrecorded.length} 笔 (${saleList(unrecorded)}): 现金部分按现金计`);
  if (input.unresolved.length > 0) r.exceptions.push(`结果未知的结算 ${input.unresolved.length} 笔 (${saleList(input.unresolved.map((s) => s.id))}): 请在查询页冲正确认`);
  if (input.parked.length > 0) r.exceptions.push(`挂单 ${input.parked.length} 笔 (${saleList(input.parked.map((s) => s.id))}): 可按 F7 取单`);
  if (input.openExceptions > 0) r.exceptions.push(`离线异常 ${input.openExceptions} 个待运维处理`);
  if (r.offlinePending.count > 0) r.exceptions.push(`离线待上传 ${r.offlinePending.count} 笔: 联网后自动上传`);
  return r;
}

function add(t: Tally, fen: number): void {
  t.count += 1;
  t.fen += fen;
}

function saleList(ids: number[]): string {
  const shown = ids.slice(0, 5).map((id) => `#${id}`).join(', ');
  return ids.length > 5 ? `${shown} 等` : shown;
}

const y = fenToYuan;
const china = (iso: string | null) => (iso ? chinaDateTime(iso) : '(未交班)');

/** The report as rows of (section, item, count, amount): the CSV and the screen's table. */
export function reportRows(r: ShiftReport): { section: string; item: string; count: string; amount: string }[] {
  const row = (section: string, item: string, count: number | null, fen: number | null) => ({ section, item, count: count === null ? '' : String(count), amount: fen === null ? '' : y(fen) });
  return [
    row('销售', '结算笔数/金额', r.sales.count, r.sales.fen),
    row('销售', '其中全自费', r.selfPay.count, r.selfPay.fen),
    row('资金', '统筹基金', null, r.funds.pool),
    row('资金', '其他基金', null, r.funds.otherFunds),
    row('资金', '个人账户', null, r.funds.acct),
    row('资金', '其中家庭共济', null, r.funds.mulaid),
    row('资金', '医保钱包', null, r.funds.wallet),
    row('资金', '个人现金部分', null, r.funds.cashPart),
    ...TENDER_KINDS.map((k) => row('收款', TENDER_TEXT[k], r.tenders[k].count, r.tenders[k].fen)),
    row('收款', '未登记 (按现金计)', r.tenders.unrecorded.count, r.tenders.unrecorded.fen),
    row('钱箱', '现金实收', null, r.drawer.receivedFen),
    row('钱箱', '现金找零', null, r.drawer.changeFen),
    row('钱箱', '现金应在钱箱', null, r.tenders.cash.fen + r.tenders.unrecorded.fen - r.cancels.handBack.cash - r.cancels.handBack.unrecorded),
    row('撤销', '撤销笔数/金额', r.cancels.count, r.cancels.fen),
    ...TENDER_KINDS.map((k) => row('撤销', `退还${TENDER_TEXT[k]}`, null, r.cancels.handBack[k])),
    row('撤销', '退还未登记 (按现金计)', null, r.cancels.handBack.unrecorded),
    row('离线', '待上传', r.offlinePending.count, r.offlinePending.fen),
  ];
}

/** The report for the receipt printer (58 mm, 32 columns), China time. */
export function reportLines(r: ShiftReport, width = 32): string[] {
  const rule = '-'.repeat(width);
  const lines = [center('交班报表', width), `班次: ${r.shiftId}`, `收银员: ${r.opterName} (${r.opter})`, `开班: ${china(r.openedAt)}`, `交班: ${china(r.closedAt)}`, rule];
  let section = '';
  for (const row of reportRows(r)) {
    if (row.section !== section) {
      if (section) lines.push(rule);
      section = row.section;
    }
    lines.push(...leftRight(row.count ? `${row.item} ${row.count}笔` : row.item, row.amount, width));
  }
  lines.push(rule);
  if (r.exceptions.length === 0) lines.push('异常: 无');
  else for (const e of r.exceptions) lines.push(...wrap(`异常: ${e}`, width));
  return lines;
}

/** CSV (UTF-8 with BOM so that spreadsheet programs read the Chinese): a header, then one row per figure. */
export function reportCsv(r: ShiftReport): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = [
    ['班次', String(r.shiftId), '', ''],
    ['收银员', `${r.opterName} (${r.opter})`, '', ''],
    ['开班', china(r.openedAt), '', ''],
    ['交班', china(r.closedAt), '', ''],
    ['类别', '项目', '笔数', '金额(元)'],
  ];
  const body = reportRows(r).map((row) => [row.section, row.item, row.count, row.amount]);
  const notes = r.exceptions.map((e) => ['异常', e, '', '']);
  return `\uFEFF${[...head, ...body, ...notes].map((cols) => cols.map(cell).join(',')).join('\r\n')}\r\n`;
}
