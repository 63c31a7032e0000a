/**
 * 门诊收费处: the hospital billing desk's methods (contract-outpatient.ts) over `terminal.outpatient`.
 * VisitView (integer fen) becomes VisitDto (display text) here; steps run one at a time through the
 * counter's queue, so a double Enter cannot settle twice. A persona (demo only) becomes a fresh 医保码
 * from the built-in simulator, as the phone would show it.
 */
import { fenToYuan, yuanToFen } from '../../platform/money';
import type { IdentifySource } from '../../sales/identify';
import { outpatientReceiptEscPos, outpatientReceiptLines } from '../../outpatient/receipt';
import { EDITABLE, type VisitState } from '../../outpatient/visit-state';
import type { FeeView, VisitView } from '../../outpatient/visit-view';
import type { VisitService } from '../../outpatient/visit-service';
import { parseScaled } from '../../settlement/split-pack';
import { SaleError } from '../../settlement/sale-error';
import { infTime } from '../../platform/time';
import { ApiError } from '../errors';
import type { FeeDto, VisitDto, VisitSummary } from '../contract';
import { ok, type ApiContext, type Feature } from '../feature';
import { splitDto } from '../views';

type DeskMethod =
  | 'deskInfo' | 'deskSearch' | 'deskOpen' | 'deskDiagnose' | 'deskImportFees' | 'deskAddItem' | 'deskRemoveFee' | 'deskPresettle'
  | 'deskSettle' | 'deskCancel' | 'deskUnregister' | 'deskResolve' | 'deskSelfPay' | 'deskGetVisit' | 'deskListVisits' | 'deskPrint';

const INSUTYPE_TEXT: Record<string, string> = { '310': '职工医保', '390': '居民医保' };
const MED_TYPE_TEXT: Record<string, string> = { '11': '普通门诊', '14': '门诊慢特病' };

export const outpatientHandlers: Feature<DeskMethod> = (ctx) => {
  const desk = ctx.terminal.outpatient;
  const catalog = desk.catalog;
  const dto = (v: VisitView) => toVisitDto(ctx, v);
  const step = (work: () => Promise<VisitView>) => ctx.counter.serial(async () => dto(await work()));
  return {
    deskInfo: async () => ({ kind: ctx.terminal.config.counter.kind, departments: catalog.entries.departments, doctors: catalog.entries.doctors }),
    deskSearch: async ({ what, query }) => ({
      diagnoses: what === 'diagnosis' ? catalog.searchDiagnoses(query) : [],
      items: what === 'item' ? catalog.searchItems(query).map((i) => ({ code: i.code, name: i.name, kindText: i.kind === 'drug' ? '药品' : '诊疗', price: fenToYuan(i.pric_fen) })) : [],
    }),
    deskOpen: async ({ patient, deptCode, doctorCode, mdtrtId }) => {
      const dept = catalog.entries.departments.find((d) => d.code === deptCode);
      const doctor = catalog.entries.doctors.find((d) => d.code === doctorCode);
      if (!dept) throw new ApiError('BAD_INPUT', `没有科室 ${deptCode}`, 400);
      if (!doctor) throw new ApiError('BAD_INPUT', `没有医生 ${doctorCode}`, 400);
      const registration = { dept, doctor: { code: doctor.code, name: doctor.name } };
      const source = await patientSource(ctx, patient);
      return step(() => desk.open(source, mdtrtId ? { kind: 'take', mdtrtId, registration } : { kind: 'register', registration }));
    },
    deskDiagnose: async ({ visitId, medType, codes }) => step(() => desk.diagnose(visitId, medType, codes)),
    deskImportFees: async ({ visitId, export: raw }) => step(() => desk.importHis(visitId, raw, 'HIS 费用数据')),
    deskAddItem: async ({ visitId, code, quantity, rxno }) => {
      const cntE4 = parseScaled(quantity, 4, 'quantity');
      const v = desk.get(visitId);
      const doc = { rxno: rxno || `KEY${visitId}`, dept: { code: v.dept.code, name: v.dept.name }, doctor: v.doctor, time: infTime(new Date()) };
      return step(() => desk.addKeyed(visitId, code, cntE4, doc));
    },
    deskRemoveFee: async ({ visitId, feedetlSn }) => step(() => desk.removeFee(visitId, feedetlSn)),
    deskPresettle: async ({ visitId, useAccount, useWallet, walletCap }) => {
      const choices = {
        ...(useAccount !== undefined ? { useAccount } : {}),
        ...(useWallet !== undefined ? { useWallet } : {}),
        ...(walletCap !== undefined ? { walletCapFen: walletCap === null ? null : yuanToFen(walletCap) } : {}),
      };
      return step(() => desk.presettle(visitId, choices));
    },
    deskSettle: async ({ visitId }) => step(() => desk.settle(visitId)),
    deskCancel: async ({ visitId }) => step(() => desk.cancel(visitId)),
    deskUnregister: async ({ visitId }) => step(() => desk.unregister(visitId)),
    deskResolve: async ({ visitId }) => step(() => desk.resolve(visitId)),
    deskSelfPay: async ({ visitId }) => dto(desk.selfPay(visitId)),
    deskGetVisit: async ({ visitId }) => dto(desk.get(visitId)),
    deskListVisits: async ({ inDoubt, offlinePending, query, limit }) => {
      if (inDoubt) return { visits: desk.inDoubt().map(toVisitSummary) };
      if (offlinePending) return { visits: desk.offlinePending().map(toVisitSummary) };
      const q = (query ?? '').trim();
      const max = limit ?? 50;
      if (!q) return { visits: desk.list({ limit: max }).map(toVisitSummary) };
      // The visit of that number first, found whatever its age; then the recent visits matching exactly.
      const byNumber = /^\d{1,12}$/.test(q) ? visitNumbered(desk, Number(q)) : null;
      const hits = desk.list({ limit: 500 }).filter((v) => v.id !== byNumber?.id && visitMatches(v, q));
      return { visits: [...(byNumber ? [byNumber] : []), ...hits].slice(0, max).map(toVisitSummary) };
    },
    deskPrint: async ({ visitId }) => {
      const v = desk.get(visitId);
      if (!v.settlement && v.state !== 'offline_queued') throw new SaleError('NO_RECEIPT', '该就诊还没有结算, 没有票据');
      if (!ctx.devices.printerId()) return { ...ok('未配置打印机: 仅显示票据预览'), outcome: 'no-printer' as const };
      const what = v.refund ? '撤销 (退费) 票据' : '门诊收费票据';
      try {
        await ctx.devices.print(outpatientReceiptEscPos(v, ctx.terminal.platform.counter, ctx.terminal.demo));
        return { ...ok(`${what}已打印`), outcome: 'printed' as const };
      } catch (error) {
        ctx.log(`print failed: ${(error as Error).message}`);
        return { ...ok(`${what}打印失败: 请检查打印机 (纸、电源、连线) 后重打`), outcome: 'failed' as const };
      }
    },
  };
};

async function patientSource(
  ctx: ApiContext,
  p: { kind: 'qr'; payload: string } | { kind: 'idno'; certno: string; idChecked?: boolean | undefined } | { kind: 'persona'; label: string },
): Promise<IdentifySource> {
  if (p.kind === 'qr') return { kind: 'qr', payload: p.payload };
  // A bare ID number only where the profile allows it, and only with the clerk's word that the document was checked.
  if (p.kind === 'idno') return { kind: 'idno', certno: p.certno, idDocumentChecked: p.idChecked ?? false };
  const url = ctx.terminal.embeddedSimulatorUrl;
  if (!ctx.demo || !url) throw new ApiError('BAD_INPUT', '示例参保人只能用于内置模拟平台', 400);
  const response = await fetch(`${url}/sim/qrcode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ psn_no: p.label }) });
  const body = (await response.json()) as { qrCode?: unknown };
  if (!response.ok || typeof body.qrCode !== 'string') throw new ApiError('BAD_INPUT', `没有示例参保人 ${p.label}`, 400);
  return { kind: 'qr', payload: body.qrCode };
}

function toFeeDto(f: FeeView): FeeDto {
  const a = f.answer;
  const pct = (e4: number) => `${(e4 / 100).toFixed(e4 % 100 === 0 ? 0 : 2)}%`;
  return {
    feedetlSn: f.feedetlSn, rxno: f.rxno, kindText: f.kind === 'drug' ? '药品' : '诊疗', name: f.name, code: f.code, cnt: f.cnt, pric: priceText(f.pric),
    amount: fenToYuan(f.amountFen), status: f.status, statusText: f.statusText, classText: f.classText,
    selfpayProp: a?.selfpayPropE4 != null ? pct(a.selfpayPropE4) : null,
    ceiling: a?.pricUplmtMicros != null && a.pricUplmtMicros < 999_999_000_000 ? ceilingText(a.pricUplmtMicros) : null,
    fulamtOwnpay: a ? fenToYuan(a.fulamtOwnpayAmt) : null,
    overlmt: a ? fenToYuan(a.overlmtAmt) : null,
    preselfpay: a ? fenToYuan(a.preselfpayAmt) : null,
  };
}

/** A unit price (up to 6 decimals) shown with at least the fen: "27.1" -> "27.10", "0.125" stays. */
function priceText(pric: string): string {
  const [whole, frac = ''] = pric.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

function ceilingText(micros: number): string {
  return fenToYuan(Math.round(micros / 10_000));
}

const OFFLINE_STATUS_TEXT = { composing: '脱机收费中 (估算)', pending: '脱机已收费, 待上传医保', settled: '脱机已上传, 医保已结算', rejected: '脱机上传被拒, 见运维异常' } as const;

export function toVisitDto(ctx: ApiContext, v: VisitView): VisitDto {
  const state = v.state as VisitState;
  // A visit settled offline has its receipt (脱机, the estimate) from the moment it is queued.
  const receipt = v.settlement || state === 'offline_queued' ? outpatientReceiptLines(v, ctx.terminal.platform.counter, ctx.terminal.demo) : null;
  return {
    id: v.id, state: v.state, stateText: v.stateText, createdAt: v.createdAt,
    patient: { name: v.patient.name, maskedCertno: v.patient.certnoMasked, insutypeText: INSUTYPE_TEXT[v.patient.insutype] ?? v.patient.insutype, insuplcAdmdvs: v.patient.insuplcAdmdvs },
    iptOtpNo: v.iptOtpNo, mdtrtId: v.mdtrtId, dept: v.dept.name, doctor: v.doctor.name, medType: v.medType, medTypeText: MED_TYPE_TEXT[v.medType] ?? v.medType,
    diagnoses: v.diagnoses, fees: v.fees.map(toFeeDto), total: fenToYuan(v.totalFen),
    choices: { useAccount: v.choices.useAccount, useWallet: v.choices.useWallet, walletCap: v.choices.walletCapFen === null ? null : fenToYuan(v.choices.walletCapFen) },
    preview: v.presettle ? splitDto(v.presettle) : null,
    settlement: v.settlement ? { ...splitDto(v.settlement), setlId: v.settlement.setlId, setlTime: v.settlement.setlTime } : null,
    refund: v.refund
      ? { medfee: fenToYuan(v.refund.medfeeSumamt), fundPay: fenToYuan(v.refund.fundPaySumamt), acctPay: fenToYuan(v.refund.acctPay), acctMulaidPay: fenToYuan(v.refund.acctMulaidPay), walletPay: fenToYuan(v.refund.walletPay), cashPay: fenToYuan(v.refund.cashPayamt) }
      : null,
    receipt,
    lastError: v.lastError,
    editable: EDITABLE.includes(state) || state === 'offline_open',
    canSettle: state === 'presettled' || (state === 'offline_open' && v.presettle !== null),
    canCancel: state === 'settled' || (state === 'cancelled' && (!v.feesRemoved || (v.registeredHere && !v.unregistered))),
    inDoubt: v.inDoubt,
    done: ['settled', 'cancelled', 'unregistered', 'self_paid', 'offline_queued', 'offline_rejected'].includes(state),
    offline: v.offline
      ? { status: v.offline.status, statusText: OFFLINE_STATUS_TEXT[v.offline.status], cashCollected: v.offline.cashCollectedFen === null ? null : fenToYuan(v.offline.cashCollectedFen), lastError: v.offline.lastError }
      : null,
  };
}

function toVisitSummary(v: VisitView): VisitSummary {
  return {
    id: v.id, createdAt: v.createdAt, state: v.state, stateText: v.stateText, psnName: v.patient.name, iptOtpNo: v.iptOtpNo,
    mdtrtId: v.mdtrtId, total: fenToYuan(v.totalFen), lastError: v.lastError ?? v.offline?.lastError ?? null,
  };
}

/** 门诊查询: what a clerk reads off a receipt or hears from the patient, each matched exactly (a name in part). */
function visitMatches(v: VisitView, q: string): boolean {
  const upper = q.toUpperCase();
  const ids = [v.iptOtpNo, v.mdtrtId, v.settlement?.setlId ?? ''].filter((x) => x !== '');
  if (ids.some((x) => x.toUpperCase() === upper)) return true;
  if (/^[\dXx]{4}$/.test(q) && v.patient.certnoMasked.toUpperCase().endsWith(upper)) return true;
  return /\p{Script=Han}/u.test(q) && v.patient.name.includes(q);
}

function visitNumbered(desk: VisitService, id: number): VisitView | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  try {
    return desk.get(id);
  } catch {
    return null; // no visit of that number
  }
}
