// The receipt model and its 58 mm layout (32 columns). The ESC/POS bytes and the text preview
// come from the very same lines, so what the technician sees is what the printer prints.
import iconv from 'iconv-lite';
import { formatFen } from './money';
import { center, leftRight, wrap } from './text-width';

export interface ReceiptItem {
  name: string;
  qty: number | string; // boxes, or part of a box as text ("0.25", 拆零)
  priceFen: number;
  amountFen: number;
}

export interface ReceiptSplit {
  fundFen: number; // 统筹基金: the pooled fund (all funds when no others are listed)
  /** Other funds that paid (大病, 公务员补助, 医疗救助 ...), each on its own line. */
  otherFunds?: Array<{ name: string; amountFen: number }>;
  acctFen: number; // 个人账户 acct_pay (includes the mutual-aid part)
  acctMulaidFen: number; // 其中家庭共济 acct_mulaid_pay
  walletFen: number; // 医保钱包 wlt_pay
  cashFen: number; // 现金 psn_cash_pay
}

export interface Receipt {
  storeName: string;
  fixmedinsCode: string;
  time: string; // yyyy-MM-dd HH:mm:ss
  cashier: string;
  items: ReceiptItem[];
  split: ReceiptSplit;
  balancesAfter: { acctFen?: number; walletFen?: number };
  /** Already masked by the caller (e.g. 张*): the printer never sees the full name. */
  maskedName: string;
  /** Already masked by the caller (e.g. 1101**********1234). */
  maskedCertno: string;
  settlementId?: string; // setl_id; absent while offline
  offline: boolean; // 离线待上传: sold offline, not yet accepted by the platform
  demo?: boolean; // 演示: settled on the built-in simulator, not a real settlement
  /** 险种 (职工基本医疗保险 ...); absent on a 全自费 receipt. */
  insutypeText?: string;
  /** 全自费: paid entirely by the patient, no insurance settlement (its own title). */
  selfPay?: boolean;
  /** 全自费金额 of an insured sale (fulamt_ownpay_amt): items the fund never pays. */
  fulamtOwnpayFen?: number;
  /** How the cash part was collected (收款): 应收, each tender, 实收, 找零. Absent until tendered. */
  tender?: ReceiptTender;
}

export interface ReceiptTender {
  dueFen: number; // 应收: the cash part
  lines: Array<{ name: string; amountFen: number; reference?: string }>;
  receivedFen: number; // 实收: handed over in total
  changeFen: number; // 找零
}

export const RECEIPT_WIDTH = 32;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
export const ESC_INIT = Buffer.from([ESC, 0x40]); // ESC @
export const FS_CHINESE = Buffer.from([FS, 0x26]); // FS &: Chinese character mode (GB18030)
export const FEED_AND_CUT = Buffer.from([ESC, 0x64, 0x04, GS, 0x56, 0x01]); // ESC d 4, GS V 1 (partial cut)

function itemLines(item: ReceiptItem, width: number): string[] {
  const nums = `${item.qty} x ${formatFen(item.priceFen)}`;
  return [...wrap(item.name, width), ...leftRight(`  ${nums}`, formatFen(item.amountFen), width)];
}

export function receiptLines(r: Receipt, width = RECEIPT_WIDTH): string[] {
  const rule = '-'.repeat(width);
  const total = r.items.reduce((s, i) => s + i.amountFen, 0);
  const money = (label: string, fen: number) => leftRight(label, formatFen(fen), width);
  const lines: string[] = [
    ...wrap(r.storeName, width).map((l) => center(l, width)),
    center(r.selfPay ? '全自费收款凭证' : '医保结算凭证', width),
    ...(r.demo ? [center('*** 演示 非真实结算 ***', width)] : []),
    ...(r.offline ? [center('*** 离线待上传 ***', width)] : []),
    `机构编码: ${r.fixmedinsCode}`,
    `时间: ${r.time}`,
    `收银员: ${r.cashier}`,
    `患者: ${r.maskedName}`,
    `证件: ${r.maskedCertno}`,
    ...(r.insutypeText ? [`险种: ${r.insutypeText}`] : []),
    rule,
    ...r.items.flatMap((i) => itemLines(i, width)),
    rule,
    ...money('合计', total),
    ...(r.fulamtOwnpayFen !== undefined ? money('其中全自费', r.fulamtOwnpayFen) : []),
    ...money('统筹基金', r.split.fundFen),
    ...(r.split.otherFunds ?? []).flatMap((f) => money(f.name, f.amountFen)),
    ...money('个人账户', r.split.acctFen),
    ...money('  其中家庭共济', r.split.acctMulaidFen),
    ...money('医保钱包', r.split.walletFen),
    ...money(r.selfPay ? '自费应收' : '现金', r.split.cashFen),
    rule,
    ...(r.tender ? tenderLines(r.tender, width) : []),
  ];
  if (r.balancesAfter.acctFen !== undefined) lines.push(...money('个人账户余额', r.balancesAfter.acctFen));
  if (r.balancesAfter.walletFen !== undefined) lines.push(...money('医保钱包余额', r.balancesAfter.walletFen));
  lines.push(...wrap(`结算号: ${r.settlementId ?? (r.offline ? '(待上传)' : '-')}`, width));
  if (r.offline) lines.push(...wrap('离线结算，联网后自动上传', width));
  return lines;
}

function tenderLines(t: ReceiptTender, width: number): string[] {
  const money = (label: string, fen: number) => leftRight(label, formatFen(fen), width);
  return [
    ...money('应收', t.dueFen),
    ...t.lines.flatMap((l) => [...money(l.name, l.amountFen), ...(l.reference ? wrap(`  单号 ${l.reference}`, width) : [])]),
    ...money('实收', t.receivedFen),
    ...money('找零', t.changeFen),
    '-'.repeat(width),
  ];
}

/** Any printed text (a shift report) as ESC/POS bytes: init, Chinese mode, GB18030, feed, cut. */
export function linesEscPos(lines: readonly string[]): Buffer {
  const text = iconv.encode(lines.join('\n') + '\n', 'gb18030');
  return Buffer.concat([ESC_INIT, FS_CHINESE, text, FEED_AND_CUT]);
}

/** The text preview: exactly the printed lines. */
export function receiptPreview(r: Receipt, width = RECEIPT_WIDTH): string {
  return receiptLines(r, width).join('\n') + '\n';
}

/** ESC/POS bytes: init, Chinese mode, GB18030 text, feed, cut. */
export function receiptEscPos(r: Receipt, width = RECEIPT_WIDTH): Buffer {
  const text = iconv.encode(receiptPreview(r, width), 'gb18030');
  return Buffer.concat([ESC_INIT, FS_CHINESE, text, FEED_AND_CUT]);
}

/** A sample receipt for `devices print-test` (fictitious data). */
export const SAMPLE_RECEIPT: Receipt = {
  storeName: '示例大药房（测试门店）',
  fixmedinsCode: 'P11010500001',
  time: '2024-05-01 10:30:00',
  cashier: '收银员01',
  items: [
    { name: '阿莫西林胶囊 0.25g*24粒', qty: 2, priceFen: 1230, amountFen: 2460 },
    { name: '布洛芬缓释胶囊', qty: 1, priceFen: 1880, amountFen: 1880 },
  ],
  split: { fundFen: 1500, acctFen: 2000, acctMulaidFen: 500, walletFen: 300, cashFen: 540 },
  balancesAfter: { acctFen: 12345, walletFen: 700 },
  maskedName: '张*',
  maskedCertno: '1101**********002X',
  offline: true,
};
