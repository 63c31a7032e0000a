/**
 * SaleView (integer fen) -> SaleDto (display text) for the screens. Every amount becomes text here,
 * through fenToYuan; the renderer never sees a fen number it could add up.
 */
import { receiptLines, type Receipt } from '../../devices/printer';
import { maskName } from '../../devices/mask';
import { fenToYuan } from '../platform/money';
import type { SettlementFigures } from '../platform/domain';
import { fundLines } from '../platform/funds';
import type { SaleView } from '../sales/sale-view';
import { EDITABLE, UNRESOLVED, type SaleState } from '../settlement/sale-state';
import { walletUnavailableReason } from '../settlement/split';
import { collectedFigures } from '../counter/collection';
import { collectionOf, handBack, TENDER_TEXT } from '../settlement/tender';
import type { PatientDto, SaleDto, SaleSummary, SplitDto, TenderDto } from './contract';
import { chinaDateTime } from '../platform/china-time';

export interface ViewContext {
  /** 就医地: the counter's region. */
  counterAdmdvs: string;
  /** Region code -> name and whether the wallet is enabled there. */
  regions: ReadonlyMap<string, { name: string; walletEnabled: boolean }>;
  requireTraceCodes: boolean;
  storeName: string;
  fixmedinsCode: string;
  cashier: string;
  /** The platform is the built-in simulator: the receipt says 演示. */
  demo?: boolean;
}

const INSUTYPE_TEXT: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险' };
const CERT_TEXT: Record<string, string> = { '01': '医保码', '02': '身份证', '03': '社保卡' };
const GEND_TEXT: Record<string, string> = { '1': '男', '2': '女' };
const CLASS_TEXT: Record<string, string> = { '01': '甲类', '02': '乙类', '03': '丙类' };

const y = (fen: number): string => fenToYuan(fen);
const yn = (fen: number | null | undefined): string | null => (fen === null || fen === undefined ? null : fenToYuan(fen));

export function regionText(ctx: ViewContext, admdvs: string): string {
  const region = ctx.regions.get(admdvs);
  return region ? `${region.name} (${admdvs})` : admdvs;
}

/**
 * Why the wallet cannot pay here, in words for the cashier. Rule 4 itself (insured place, region
 * enabled) is decided by the split engine's walletUnavailableReason; this only phrases it.
 */
export function walletWarning(ctx: ViewContext, p: SaleView['patient']): string | null {
  if (p.walletOpen === false) return '医保钱包未开通: 本次不能用钱包支付';
  const region = ctx.regions.get(p.insuplcAdmdvs);
  const reason = walletUnavailableReason({
    place: { mdtrtareaAdmvs: ctx.counterAdmdvs, insuplcAdmdvs: p.insuplcAdmdvs },
    // An unknown region is not refused here: the platform has the last word at 2101.
    policy: { walletEnabled: region?.walletEnabled ?? true },
    walletOpen: true,
    choices: { useWallet: true },
  });
  switch (reason) {
    case 'not_insured_place':
      return `医保钱包只能在参保地使用: 参保地 ${regionText(ctx, p.insuplcAdmdvs)}, 本店在 ${regionText(ctx, ctx.counterAdmdvs)}`;
    case 'region_disabled':
      return `${region?.name ?? p.insuplcAdmdvs}未开通医保钱包支付`;
    default:
      return null;
  }
}

function patientDto(ctx: ViewContext, p: SaleView['patient']): PatientDto {
  const warning = walletWarning(ctx, p);
  return {
    psnName: p.psnName,
    maskedCertno: p.maskedCertno,
    age: p.age,
    gendText: GEND_TEXT[p.gend] ?? '',
    insutype: p.insutype,
    insutypeText: INSUTYPE_TEXT[p.insutype] ?? p.insutype,
    insuplcAdmdvs: p.insuplcAdmdvs,
    insuplcText: regionText(ctx, p.insuplcAdmdvs),
    certTypeText: CERT_TEXT[p.certType] ?? p.certType,
    crossRegion: p.insuplcAdmdvs !== ctx.counterAdmdvs,
    ownAcct: p.insutype === '390' ? null : yn(p.ownAcctFen),
    mulaid: yn(p.mulaidFen),
    wallet: yn(p.walletFen),
    walletUsable: warning === null,
    walletWarning: warning,
  };
}

/** The receipt's split: 统筹 on its line, every other fund that paid on its own. */
export function receiptSplit(s: SettlementFigures): Receipt['split'] {
  const funds = fundLines(s);
  return {
    fundFen: funds.poolFen,
    otherFunds: funds.others.map((f) => ({ name: f.name, amountFen: f.amountFen })),
    acctFen: s.acctPay,
    acctMulaidFen: s.acctMulaidPay,
    walletFen: s.walletPay,
    cashFen: s.psnCashPay,
  };
}

export function splitDto(f: SettlementFigures): SplitDto {
  return {
    otherFunds: fundLines(f).others.map((d) => ({ code: d.code, name: d.name, amount: y(d.amountFen) })),
    medfee: y(f.medfeeSumamt),
    fulamtOwnpay: y(f.fulamtOwnpayAmt),
    inscpScp: y(f.inscpScpAmt),
    hifpPay: y(f.hifpPay),
    fundPay: y(f.fundPaySumamt),
    psnPart: y(f.psnPartAmt),
    acctPay: y(f.acctPay),
    acctMulaidPay: y(f.acctMulaidPay),
    walletPay: y(f.walletPay),
    cashPay: y(f.psnCashPay),
    acctBalcAfter: y(f.balcAfter),
    walletBalcAfter: yn(f.walletBalcAfter),
  };
}

export function receiptOf(ctx: ViewContext, v: SaleView): Receipt | null {
  const s = v.settlement;
  if (!s) return null;
  return {
    storeName: ctx.storeName,
    fixmedinsCode: ctx.fixmedinsCode,
    time: s.setlTime,
    cashier: v.cashier?.name ?? ctx.cashier,
    items: v.lines.map((l) => ({ name: `${l.name} ${l.spec}`, qty: l.split ? l.quantity : l.cnt, priceFen: l.pricFen, amountFen: l.amountFen })),
    split: receiptSplit(s),
    balancesAfter: {
      ...(v.patient.insutype === '310' ? { acctFen: s.balcAfter } : {}),
      ...(s.walletBalcAfter !== null ? { walletFen: s.walletBalcAfter } : {}),
    },
    maskedName: isWalkIn(v) ? v.patient.psnName : maskName(v.patient.psnName),
    maskedCertno: isWalkIn(v) ? '-' : v.patient.maskedCertno,
    settlementId: s.setlId,
    offline: false,
    demo: ctx.demo ?? false,
    ...(v.state === 'self_paid' ? { selfPay: true } : { insutypeText: INSUTYPE_TEXT[v.patient.insutype] ?? v.patient.insutype, fulamtOwnpayFen: s.fulamtOwnpayAmt }),
    ...receiptTender(v),
  };
}

/** Begun without a patient card: a walk-in 全自费 sale. */
function isWalkIn(v: SaleView): boolean {
  return v.patient.psnNo === '' && v.patient.certType === '';
}

function collectionOfView(v: OfflineAware) {
  const figures = collectedFigures({ state: v.state, offline: Boolean(v.offline), settlement: v.settlement, presettle: v.presettle });
  return figures ? collectionOf(figures.psnCashPay, v.tenders ?? []) : null;
}

function receiptTender(v: OfflineAware): { tender?: Receipt['tender'] } {
  const c = collectionOfView(v);
  // On the receipt once collected: a half-collected sale's receipt would show a wrong 实收.
  if (!c?.complete || (v.tenders ?? []).length === 0) return {};
  const lines = (v.tenders ?? []).map((t) => ({ name: TENDER_TEXT[t.kind], amountFen: t.tenderedFen, ...(t.reference ? { reference: t.reference } : {}) }));
  return { tender: { dueFen: c.dueFen, lines, receivedFen: c.receivedFen, changeFen: c.changeFen } };
}

/** The collection as the screens show it (every figure made here). */
export function tenderDto(v: OfflineAware): TenderDto | null {
  const c = collectionOfView(v);
  if (!c) return null;
  const tenders = v.tenders ?? [];
  return {
    due: y(c.dueFen),
    remaining: y(c.remainingFen),
    received: y(c.receivedFen),
    change: y(c.changeFen),
    complete: c.complete,
    lines: tenders.map((t) => ({ kind: t.kind, kindText: TENDER_TEXT[t.kind], amount: y(t.amountFen), tendered: y(t.tenderedFen), change: y(t.changeFen), reference: t.reference })),
    // Settled: what a cancel would hand back; cancelled: what was to be handed back.
    handBack: (v.state === 'cancelled' || v.state === 'settled') && tenders.length > 0 ? handBack(tenders).map((h) => ({ kindText: TENDER_TEXT[h.kind], amount: y(h.amountFen), reference: h.reference })) : null,
  };
}

/** States in which the counter has nothing more to do for the sale. */
export const DONE_STATES: readonly string[] = ['settled', 'cancelled', 'discarded', 'queued', 'syncing', 'sync_in_doubt', 'self_paid', 'exported', 'rejected'];
/** Sold offline and collected at the counter; the platform has not confirmed yet. */
const OFFLINE_COLLECTED: readonly string[] = ['queued', 'syncing', 'sync_in_doubt', 'exported', 'rejected'];

type OfflineAware = SaleView & { offline?: { queue: unknown } | null };

function offlineText(v: OfflineAware): string | null {
  if (v.state === 'self_paid') return '按自费收款 (医保未结算)';
  if (OFFLINE_COLLECTED.includes(v.state)) {
    if (v.state === 'rejected') return '离线交易被医保平台拒绝: 运维会处理差额';
    if (v.state === 'exported') return '离线交易已导出到其他站点上传';
    return '离线结算, 待上传: 联网后自动上传';
  }
  if (v.offline) return '离线销售 (按本机缓存的参保信息估算)';
  return null;
}

/**
 * An offline sale whose estimate a cap refused: its figures are cash only and Enter would be refused
 * (the offline desk writes the cap's reason as the sale's last error when it presettles).
 */
export function offlineRefused(v: OfflineAware): boolean {
  return Boolean(v.offline) && v.state === 'presettled' && v.lastError !== null;
}

export function toSaleDto(ctx: ViewContext, v: OfflineAware): SaleDto {
  const editable = EDITABLE.includes(v.state);
  const traceBlocks = ctx.requireTraceCodes && v.traceMissingTotal > 0;
  const collectedOffline = (OFFLINE_COLLECTED.includes(v.state) || v.state === 'self_paid') && !v.settlement && v.presettle !== null;
  const receipt = collectedOffline ? offlineReceiptModel(ctx, v) : receiptOf(ctx, v);
  const c = v.cancellation;
  return {
    id: v.id,
    state: v.state,
    stateLabel: v.stateLabel,
    createdAt: v.createdAt,
    patient: patientDto(ctx, v.patient),
    lines: v.lines.map((l) => ({
      lineNo: l.lineNo,
      barcode: l.barcode,
      name: l.name,
      spec: l.spec,
      classText: CLASS_TEXT[l.chrgitmLv] ?? l.chrgitmLv,
      price: y(l.pricFen),
      cnt: l.cnt,
      quantity: l.quantity,
      amount: y(l.amountFen),
      traceCount: l.traceCodes.length,
      traceMissing: l.traceMissing,
      traceCodes: l.traceCodes,
    })),
    total: y(v.medfeeFen),
    boxes: v.lines.reduce((n, l) => n + l.cnt, 0),
    traceMissingTotal: v.traceMissingTotal,
    traceRequired: ctx.requireTraceCodes,
    choices: { useAccount: v.choices.useAccount, useWallet: v.choices.useWallet, walletCap: yn(v.choices.walletCapFen) },
    preview: v.state === 'presettled' && v.presettle ? splitDto(v.presettle) : null,
    settlement: v.settlement
      ? { ...splitDto(v.settlement), setlId: v.settlement.setlId, setlTime: v.settlement.setlTime }
      : collectedOffline && v.presettle
        ? { ...splitDto(v.presettle), setlId: '', setlTime: chinaDateTime(v.updatedAt) }
        : null,
    refund: c
      ? { medfee: y(c.medfeeSumamt), fundPay: y(c.fundPaySumamt), acctPay: y(c.acctPay), acctMulaidPay: y(c.acctMulaidPay), walletPay: y(c.walletPay), cashPay: y(c.cashPayamt) }
      : null,
    receipt: receipt ? receiptLines(receipt) : null,
    lastError: v.lastError,
    offlineText: offlineText(v),
    done: DONE_STATES.includes(v.state),
    editable,
    canSettle: v.state === 'presettled' && !traceBlocks && !offlineRefused(v),
    canCancel: v.state === 'settled',
    inDoubt: (UNRESOLVED as readonly SaleState[]).includes(v.state),
    tender: tenderDto(v),
    selfPay: v.state === 'self_paid',
    walkIn: isWalkIn(v),
  };
}

/** The receipt of a sale collected offline: the estimate the patient agreed to, marked 离线待上传. */
export function offlineReceiptModel(ctx: ViewContext, v: SaleView): Receipt | null {
  const f = v.presettle;
  if (!f || !DONE_STATES.includes(v.state)) return null;
  const receipt = receiptOf(ctx, { ...v, settlement: { ...f, setlId: '', mdtrtId: '', setlTime: chinaDateTime(v.updatedAt) } });
  if (!receipt) return null;
  return { ...receipt, settlementId: undefined, offline: v.state !== 'self_paid' };
}


export function toSummary(v: SaleView): SaleSummary {
  return {
    id: v.id,
    createdAt: v.createdAt,
    state: v.state,
    stateLabel: v.stateLabel,
    psnName: v.patient.psnName,
    maskedCertno: v.patient.maskedCertno,
    total: y(v.medfeeFen),
    setlId: v.settlement?.setlId ?? null,
    canCancel: v.state === 'settled',
  };
}
