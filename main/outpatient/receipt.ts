/**
 * The outpatient receipt (门诊收费票据 layout) of a settled visit: the hospital, 门诊号 and 就诊ID, the
 * department and doctor, the items by document with their class (甲乙丙), then what each fund paid, the
 * personal account (of which 家庭共济), the wallet and the cash; a cancelled visit prints its refund. The
 * name and ID are masked here, so neither the preview nor the printer sees them whole. Same 58 mm width
 * and the same printer bytes as the pharmacy receipt.
 */
import iconv from 'iconv-lite';
import { maskName } from '../../devices/mask';
import { displayWidth, ESC_INIT, FEED_AND_CUT, FS_CHINESE, padEnd, RECEIPT_WIDTH, wrap } from '../../devices/printer';
import type { CounterIdentity } from '../platform/client';
import { chinaDateTime } from '../platform/china-time';
import { fundLines } from '../platform/funds';
import { fenToYuan } from '../platform/money';
import type { VisitView } from './visit-view';

const KIND_TEXT = { drug: '处方', exam: '检查治疗' } as const;

function leftRight(left: string, right: string, width: number): string {
  const gap = width - displayWidth(left) - displayWidth(right);
  return gap >= 1 ? `${left}${' '.repeat(gap)}${right}` : `${left}\n${padEnd('', Math.max(0, width - displayWidth(right)))}${right}`;
}

function center(text: string, width: number): string {
  const pad = Math.max(0, Math.floor((width - displayWidth(text)) / 2));
  return `${' '.repeat(pad)}${text}`;
}

export function outpatientReceiptLines(v: VisitView, counter: CounterIdentity, demo: boolean, width = RECEIPT_WIDTH): string[] {
  const rule = '-'.repeat(width);
  const money = (label: string, fen: number) => leftRight(label, fenToYuan(fen), width);
  // A visit settled offline prints the estimate the patient paid on until the platform settles it.
  const offline = v.offline !== null && v.settlement === null;
  const f = v.settlement ?? (offline ? v.offline?.estimate : null) ?? v.presettle;
  const live = v.fees.filter((x) => x.status !== 'removed');
  const docs = [...new Set(live.map((x) => x.rxno))];
  const lines = [
    ...wrap(counter.fixmedinsName, width).map((l) => center(l, width)),
    center('门诊收费票据', width),
    ...(demo ? [center('*** 演示 非真实结算 ***', width)] : []),
    ...(v.state === 'cancelled' ? [center('*** 已撤销 (退费) ***', width)] : []),
    ...(offline ? [center('*** 脱机结算 (估算) ***', width)] : []),
    `机构编码: ${counter.fixmedinsCode}`,
    `门诊号: ${v.iptOtpNo || '-'}`,
    `就诊ID: ${v.mdtrtId || '-'}`,
    // A 全自费 bill from the command line identifies nobody: no name to print.
    `患者: ${v.patient.name ? `${maskName(v.patient.name)}  ${v.patient.certnoMasked}` : '-'}`,
    `科室: ${v.dept.name || '-'}  医生: ${v.doctor.name || '-'}`,
    ...wrap(`诊断: ${v.diagnoses.map((d) => d.name).join('; ') || '-'}`, width),
    `时间: ${v.settlement?.setlTime ?? chinaDateTime(v.updatedAt)}`,
    rule,
  ];
  for (const doc of docs) {
    const items = live.filter((x) => x.rxno === doc);
    lines.push(`${KIND_TEXT[items[0]!.kind]} ${doc}`);
    for (const item of items) {
      lines.push(...wrap(`${item.classText ? `[${item.classText}]` : ''}${item.name}`, width));
      lines.push(leftRight(`  ${item.cnt} x ${item.pric}`, fenToYuan(item.amountFen), width));
    }
  }
  lines.push(rule, money('合计', v.totalFen));
  if (f) {
    const funds = fundLines(f);
    lines.push(money('医保统筹支付', funds.poolFen), ...funds.others.map((o) => money(o.name, o.amountFen)));
    lines.push(money('个人账户支付', f.acctPay), money('  其中家庭共济', f.acctMulaidPay), money('医保钱包支付', f.walletPay), money('个人现金支付', f.psnCashPay));
    lines.push(rule, money('个人账户余额', f.balcAfter));
    if (f.walletBalcAfter !== null) lines.push(money('医保钱包余额', f.walletBalcAfter));
  }
  if (v.refund) lines.push(rule, money('退还个人账户', v.refund.acctPay), money('退还医保钱包', v.refund.walletPay), money('退还现金', v.refund.cashPayamt));
  if (v.state === 'self_paid') lines.push(center('全自费 (未经医保结算)', width), money('个人现金支付', v.totalFen));
  if (offline) lines.push(...wrap('医保支付为脱机估算, 以医保平台结算为准, 差额多退少补', width));
  // The operator who opened the visit, as a sale's receipt shows its own; the configured one for older visits.
  lines.push(...wrap(`结算号: ${v.settlement?.setlId ?? '-'}`, width), `收款员: ${v.operator?.name ?? counter.opterName}`);
  return lines.flatMap((l) => l.split('\n'));
}

export function outpatientReceiptPreview(v: VisitView, counter: CounterIdentity, demo: boolean): string {
  return outpatientReceiptLines(v, counter, demo).join('\n') + '\n';
}

/** ESC/POS bytes, as the pharmacy receipt's: init, Chinese mode, GB18030 text, feed, cut. */
export function outpatientReceiptEscPos(v: VisitView, counter: CounterIdentity, demo: boolean): Buffer {
  return Buffer.concat([ESC_INIT, FS_CHINESE, iconv.encode(outpatientReceiptPreview(v, counter, demo), 'gb18030'), FEED_AND_CUT]);
}
