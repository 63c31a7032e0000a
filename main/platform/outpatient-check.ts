/**
 * Answers of the billing desk's transactions are checked, not trusted (as answer-check.ts does for the
 * pharmacy's): each must be about the person and the visit asked, for the items and amounts sent, add up,
 * and not be absurd. A 2207/2208 answer failing here may still have moved money: AnswerMismatchError is an
 * unknown outcome, so the visit goes in doubt (2601), never "settled".
 */
import { absurdities, AnswerMismatchError, differsFromAgreed, sumProblems } from './answer-check';
import type { CancelRecord, SettlementFigures } from './domain';
import { fenToYuan as y } from './money';
import type { FeeAnswer, FeeItem, VisitCancelTarget, VisitSettleRequest } from './outpatient-domain';
import type { ProvinceProfile } from './profile';
import type { VisitSettleAnswer } from './tx/outpatient-settle';
import { mixedSignProblems } from './tx/refund';

/** 2204: one answer per item sent, each for the amount sent, its parts adding up to it. */
export function checkFeeAnswers(items: FeeItem[], answers: FeeAnswer[]): void {
  const problems: string[] = [];
  const sent = new Map(items.map((i) => [i.feedetlSn, i]));
  const seen = new Set<string>();
  for (const a of answers) {
    const item = sent.get(a.feedetlSn);
    if (!item) problems.push(`平台返回了未上传的明细 ${a.feedetlSn}`);
    else if (seen.has(a.feedetlSn)) problems.push(`明细 ${a.feedetlSn} 返回了两次`);
    else if (a.amountFen !== item.amountFen) problems.push(`明细 ${a.feedetlSn} 金额 上传 ${y(item.amountFen)}, 平台 ${y(a.amountFen)}`);
    seen.add(a.feedetlSn);
    const parts = a.fulamtOwnpayAmt + a.overlmtAmt + a.preselfpayAmt + a.inscpScpAmt;
    if (parts !== a.amountFen) problems.push(`明细 ${a.feedetlSn}: 全自费+超限价+先行自付+符合范围 ${y(parts)} ≠ 金额 ${y(a.amountFen)}`);
  }
  for (const sn of sent.keys()) if (!seen.has(sn)) problems.push(`明细 ${sn} 平台未返回`);
  if (problems.length > 0) throw new AnswerMismatchError('2204', problems, null);
}

/** 2206/2207: the person, the visit, the total and (2207) the msgid; sums, signs; a 2207 against its 2206. */
export function checkVisitSettleAnswer(
  infno: '2206' | '2207',
  request: VisitSettleRequest,
  msgid: string,
  answer: VisitSettleAnswer,
  profile: ProvinceProfile,
  agreed?: SettlementFigures,
): void {
  const problems: string[] = [];
  if (answer.psnNo !== request.psnNo) problems.push(`psn_no 应为 ${request.psnNo}, 平台为 ${answer.psnNo}`);
  if (answer.mdtrtId && answer.mdtrtId !== request.mdtrtId) problems.push(`mdtrt_id 应为 ${request.mdtrtId}, 平台为 ${answer.mdtrtId}`);
  if (infno === '2207' && !answer.mdtrtId) problems.push('mdtrt_id 缺失');
  if (answer.figures.medfeeSumamt !== request.medfeeSumamt) {
    problems.push(`medfee_sumamt 请求 ${y(request.medfeeSumamt)}, 平台 ${y(answer.figures.medfeeSumamt)}`);
  }
  if (infno === '2207' && answer.medinsSetlId && answer.medinsSetlId !== msgid) {
    problems.push(`medins_setl_id 应为本报文 ${msgid}, 平台为 ${answer.medinsSetlId}`);
  }
  if (!request.useAccount && answer.figures.acctPay > 0) problems.push(`未使用个人账户, 平台却支付 ${y(answer.figures.acctPay)}`);
  if (!request.useWallet && answer.figures.walletPay > 0) problems.push(`未使用医保钱包, 平台却支付 ${y(answer.figures.walletPay)}`);
  problems.push(...sumProblems(answer.figures, profile), ...absurdities(answer.figures, profile));
  if (agreed) problems.push(...differsFromAgreed(answer.figures, agreed, profile));
  if (problems.length > 0) throw new AnswerMismatchError(infno, problems, answer.figures);
}

/** 2208: the refund of that very visit and amount, adding up. */
export function visitCancelProblems(got: CancelRecord & { psnNo: string }, target: VisitCancelTarget, profile: ProvinceProfile): string[] {
  const problems: string[] = [];
  if (got.mdtrtId !== target.mdtrtId) problems.push(`mdtrt_id 应为 ${target.mdtrtId}, 平台为 ${got.mdtrtId}`);
  if (got.psnNo && got.psnNo !== target.psnNo) problems.push(`psn_no 应为 ${target.psnNo}, 平台为 ${got.psnNo}`);
  if (got.medfeeSumamt !== target.medfeeSumamt) problems.push(`medfee_sumamt 应为 ${y(target.medfeeSumamt)}, 平台为 ${y(got.medfeeSumamt)}`);
  const fundOnly = profile.fundPaySumamtIncludesAcct ? got.fundPaySumamt - got.acctPay : got.fundPaySumamt;
  if (fundOnly + got.psnPay !== got.medfeeSumamt) problems.push('fund_pay_sumamt + 个人负担 ≠ medfee_sumamt');
  if (got.acctPay + got.walletPay + got.cashPayamt !== got.psnPay) problems.push('acct_pay + wlt_pay + psn_cash_pay ≠ 个人负担');
  problems.push(...mixedSignProblems(got));
  return problems;
}
