/**
 * `pos outpatient ...`: the hospital billing desk from the command line. `settle` does a whole visit from
 * a HIS export (identify, 2201, 2203, 2204, 2206, 2207) and prints the outpatient receipt; the others work
 * on a visit by its number. Exit codes as everywhere: 0 done, 1 refused or not settled, 2 bad argument or file.
 */
import { readJsonFile, InputError } from '../validation';
import type { IdentifySource } from '../sales/identify';
import type { Choices } from '../settlement/choices';
import { outpatientReceiptPreview } from '../outpatient/receipt';
import type { VisitView } from '../outpatient/visit-view';
import type { Terminal } from '../terminal';
import { chinaDateTime } from '../platform/china-time';
import { keyValues, splitKeyValues, table, yuan } from './format';
import type { Io } from './io';

export const OUTPATIENT_USAGE = `  outpatient settle PATIENT --fees FILE [CHOICES] [--presettle-only]
                                           门诊: 挂号, 诊断, 上传费用 (HIS 导出文件, docs/outpatient.md), 预结算, 结算, 打印票据
  outpatient settle --self-pay --fees FILE 门诊全自费: 不调用医保平台, 不识别患者, 整单现金, 打印票据
  outpatient show ID | outpatient receipt ID | outpatient list [--state S] [--limit N]
  outpatient remove ID FEEDETL_SN          结算前撤销一项费用明细 (2205, 其余重新上传)
  outpatient cancel ID                     撤销门诊结算 (2208, 然后 2205, 2202)
  outpatient unregister ID                 未结算的就诊退号 (2205, 2202)
  outpatient resolve ID                    结果未知的结算/撤销: 冲正 (2601)`;

export interface OutpatientArgs {
  json: boolean;
  fees?: string;
  presettleOnly: boolean;
  /** 全自费: no platform call, no patient (refused with PATIENT or CHOICES). */
  selfPay: boolean;
  /** The options given that a 全自费 bill has no use for (--persona, --no-account ...), to refuse them by name. */
  insuranceOptions: string[];
  state?: string;
  limit?: number;
  /** Resolved lazily: only `settle` needs a patient. */
  source: () => Promise<IdentifySource>;
  choices: () => Partial<Choices>;
}

export async function runOutpatientCommand(t: Terminal, rest: string[], a: OutpatientArgs, io: Io): Promise<number> {
  const [sub, idText, ...args] = rest;
  const show = (v: VisitView) => io.out(a.json ? JSON.stringify(v) : formatVisit(v));
  if (sub === 'settle') return settle(t, a, io, show);
  if (sub === 'list') {
    const visits = t.outpatient.list({ ...(a.state ? { state: a.state } : {}), limit: a.limit ?? 50 });
    io.out(a.json ? JSON.stringify(visits) : formatVisitList(visits));
    return 0;
  }
  if (idText === undefined) throw new InputError(`outpatient ${sub ?? ''}: a visit id is needed (pos --help)`);
  if (!/^\d{1,9}$/.test(idText) || Number(idText) === 0) throw new InputError(`visit id: expected a positive whole number, got "${idText}"`);
  const id = Number(idText);
  switch (sub) {
    case 'show':
      return show(t.outpatient.get(id)), 0;
    case 'receipt':
      return io.out(outpatientReceiptPreview(t.outpatient.get(id), t.platform.counter, t.demo)), 0;
    case 'remove': {
      if (!args[0]) throw new InputError('outpatient remove: FEEDETL_SN is needed');
      return show(await t.outpatient.removeFee(id, args[0])), 0;
    }
    case 'cancel': {
      const v = await t.outpatient.cancel(id);
      show(v);
      return v.state === 'cancelled' && !v.lastError ? 0 : 1;
    }
    case 'unregister':
      return show(await t.outpatient.unregister(id)), 0;
    case 'resolve':
      return show(await t.outpatient.resolve(id)), 0;
    default:
      throw new InputError(`unknown outpatient command "${sub}" (pos --help)`);
  }
}

async function settle(t: Terminal, a: OutpatientArgs, io: Io, show: (v: VisitView) => void): Promise<number> {
  // The file and the choices are checked before the patient is identified: a bad one leaves nothing behind.
  if (!a.fees) throw new InputError('--fees FILE: the HIS export of the visit is needed (docs/outpatient.md)');
  if (a.selfPay) return selfPay(t, a, a.fees, io, show);
  const raw = readJsonFile(a.fees, 'HIS 费用文件');
  const choices = a.choices();
  let visit = await t.outpatient.openFromHis(await a.source(), raw, a.fees, choices);
  if (!a.presettleOnly) visit = await t.outpatient.settle(visit.id);
  show(visit);
  // Settled, or settled offline on the estimate (脱机, profile outpatientOffline: queued for the platform).
  const done = visit.state === 'settled' || visit.state === 'offline_queued';
  if (done && !a.json) io.out('\n' + outpatientReceiptPreview(visit, t.platform.counter, t.demo));
  return done || (a.presettleOnly && (visit.state === 'presettled' || visit.state === 'offline_open')) ? 0 : 1;
}

/** 全自费: the whole bill in cash, nothing sent to the platform; the receipt says so. */
function selfPay(t: Terminal, a: OutpatientArgs, fees: string, io: Io, show: (v: VisitView) => void): number {
  if (a.insuranceOptions.length > 0 || a.presettleOnly) {
    const named = [...a.insuranceOptions, ...(a.presettleOnly ? ['--presettle-only'] : [])].join(', ');
    throw new InputError(`--self-pay: 全自费不识别患者、不经医保结算, 不能与 ${named} 同用`);
  }
  const visit = t.outpatient.selfPayFromHis(readJsonFile(fees, 'HIS 费用文件'), fees);
  show(visit);
  if (!a.json) io.out('\n' + outpatientReceiptPreview(visit, t.platform.counter, t.demo));
  return 0;
}

export function formatVisit(v: VisitView): string {
  const parts = [
    keyValues([
      ['就诊编号', String(v.id)],
      ['状态', v.stateText],
      ['患者', v.patient.psnNo ? `${v.patient.name}  ${v.patient.certnoMasked}  险种 ${v.patient.insutype}  参保地 ${v.patient.insuplcAdmdvs}` : '- (全自费, 未识别)'],
      ['门诊号 / 就诊ID', `${v.iptOtpNo || '-'} / ${v.mdtrtId}`],
      ['科室 / 医生', `${v.dept.name || '-'} / ${v.doctor.name || '-'}`],
      ['诊断', v.diagnoses.map((d) => `${d.code} ${d.name}`).join('; ') || '-'],
      ['收款员', v.operator ? `${v.operator.name} (${v.operator.code})` : '-'],
    ]),
  ];
  if (v.fees.length > 0) {
    parts.push(
      table(
        ['流水号', '单据', '项目', '数量', '单价', '金额', '等级', '自付比例', '全自费', '状态'],
        v.fees.map((f) => [
          f.feedetlSn, f.rxno, f.name, f.cnt, f.pric, yuan(f.amountFen), f.classText,
          f.answer?.selfpayPropE4 != null ? `${f.answer.selfpayPropE4 / 100}%` : '', f.answer ? yuan(f.answer.fulamtOwnpayAmt) : '',
          f.statusText,
        ]),
        [3, 4, 5, 8],
      ),
    );
  }
  const f = v.settlement ?? v.presettle;
  if (f) {
    parts.push(splitKeyValues(f, v.settlement?.setlId ?? null));
  }
  if (v.state === 'self_paid') parts.push(`全自费: 个人现金支付 ${yuan(v.totalFen)} (未经医保结算)`);
  if (v.refund) parts.push(`已撤销: 退回基金 ${yuan(v.refund.fundPaySumamt)}, 个人账户 ${yuan(v.refund.acctPay)}, 钱包 ${yuan(v.refund.walletPay)}, 现金 ${yuan(v.refund.cashPayamt)}`);
  if (v.lastError) parts.push(`提示: ${v.lastError}`);
  return parts.join('\n\n');
}

function formatVisitList(visits: VisitView[]): string {
  if (visits.length === 0) return '(没有门诊就诊记录)';
  return table(
    ['编号', '时间', '患者', '就诊ID', '状态', '金额'],
    visits.map((v) => [String(v.id), chinaDateTime(v.createdAt), v.patient.name, v.mdtrtId, v.stateText, yuan(v.totalFen)]),
    [5],
  );
}
