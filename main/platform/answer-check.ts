/**
 * Answers are checked, not trusted. A 2101/2102/2103 answer that does not match what was asked, whose parts
 * do not add up, or whose figures are absurd, is refused here with every problem named and both figures
 * shown. For a 2102/2103 the platform may still have moved money: AnswerMismatchError is an unknown
 * outcome, so the sale goes in doubt for a technician, never "settled".
 */
import { ACCOUNT_FUND_PAY_TYPE } from './codes';
import type { SettleRequest, SettlementFigures } from './domain';
import { OutcomeUnknownError } from './errors';
import { fenToYuan } from './money';
import type { ProvinceProfile } from './profile';
import { requestMedfeeFen, type DrugSettleAnswer } from './tx/drug-settle';

export class AnswerMismatchError extends OutcomeUnknownError {
  constructor(
    infno: string,
    readonly problems: string[],
    readonly platformFigures: SettlementFigures | null,
  ) {
    super(infno, 'bad_response', `应答与请求不符: ${problems.join('; ')}`);
    this.name = 'AnswerMismatchError';
  }
}

const y = fenToYuan;

/** The answer of a 2101/2102 against its request (and, for a 2102, against the 2101 the patient agreed to). */
export function checkDrugSettleAnswer(
  infno: '2101' | '2102',
  request: SettleRequest,
  msgid: string,
  answer: DrugSettleAnswer,
  profile: ProvinceProfile,
  agreed?: SettlementFigures,
): void {
  const problems = [
    ...matchesRequest(request, msgid, answer),
    ...sumProblems(answer.figures, profile),
    ...absurdities(answer.figures, profile),
    ...(agreed ? differsFromAgreed(answer.figures, agreed, profile) : []),
  ];
  if (problems.length > 0) throw new AnswerMismatchError(infno, problems, answer.figures);
}

function matchesRequest(request: SettleRequest, msgid: string, answer: DrugSettleAnswer): string[] {
  const problems: string[] = [];
  if (answer.psnNo !== request.psnNo) problems.push(`psn_no 应为 ${request.psnNo}, 平台为 ${answer.psnNo}`);
  const asked = requestMedfeeFen(request);
  if (answer.figures.medfeeSumamt !== asked) {
    problems.push(`medfee_sumamt 请求 ${y(asked)}, 平台 ${y(answer.figures.medfeeSumamt)}`);
  }
  if (answer.cutFeedetlSns !== null) {
    const sent = request.lines.map((l) => l.feedetlSn).sort().join(',');
    const got = [...answer.cutFeedetlSns].sort().join(',');
    if (sent !== got) problems.push(`明细条数/流水号不符: 请求 ${request.lines.length} 条, 平台 ${answer.cutFeedetlSns.length} 条`);
  }
  if (answer.medinsSetlId && answer.medinsSetlId !== msgid && msgid !== '') {
    problems.push(`medins_setl_id 应为本报文 ${msgid}, 平台为 ${answer.medinsSetlId}`);
  }
  return problems;
}

/** The identities of reference §2.0, with the province's convention for fund_pay_sumamt. */
export function sumProblems(f: SettlementFigures, profile: ProvinceProfile): string[] {
  const problems: string[] = [];
  const x = f.extra;
  const fundOnly = profile.fundPaySumamtIncludesAcct ? f.fundPaySumamt - f.acctPay : f.fundPaySumamt;
  if (fundOnly + f.psnPartAmt !== f.medfeeSumamt) {
    problems.push(`基金 ${y(fundOnly)} + 个人负担 ${y(f.psnPartAmt)} ≠ 医疗费总额 ${y(f.medfeeSumamt)}`);
  }
  if (f.acctPay + f.walletPay + f.psnCashPay !== f.psnPartAmt) {
    problems.push(`账户 ${y(f.acctPay)} + 钱包 ${y(f.walletPay)} + 现金 ${y(f.psnCashPay)} ≠ 个人负担 ${y(f.psnPartAmt)}`);
  }
  if (f.acctMulaidPay > f.acctPay) problems.push(`共济 ${y(f.acctMulaidPay)} > 账户支付 ${y(f.acctPay)}`);
  if (x) {
    const parts = f.hifpPay + x.cvlservPay + x.hifesPay + x.hifmiPay + x.hifobPay + x.mafPay + x.othPay + x.hifdmPay;
    if (parts !== fundOnly) problems.push(`各基金之和 ${y(parts)} ≠ 基金支付总额 ${y(fundOnly)}`);
    if (x.funds.length > 0) {
      const account = x.funds.filter((d) => d.fundPayType === ACCOUNT_FUND_PAY_TYPE);
      const funds = x.funds.filter((d) => d.fundPayType !== ACCOUNT_FUND_PAY_TYPE);
      const fundSum = funds.reduce((s, d) => s + d.amountFen, 0);
      if (fundSum !== fundOnly) problems.push(`setldetail 基金合计 ${y(fundSum)} ≠ 基金支付总额 ${y(fundOnly)}`);
      const acctSum = account.reduce((s, d) => s + d.amountFen, 0);
      if (account.length > 0 && acctSum !== f.acctPay) problems.push(`setldetail 个人账户 ${y(acctSum)} ≠ acct_pay ${y(f.acctPay)}`);
    }
  }
  return problems;
}

export function absurdities(f: SettlementFigures, profile: ProvinceProfile): string[] {
  const problems: string[] = [];
  const ceiling = profile.answerChecks.maxAmountFen;
  const named: Array<[string, number | null | undefined]> = [
    ['medfee_sumamt', f.medfeeSumamt],
    ['fund_pay_sumamt', f.fundPaySumamt],
    ['psn_part_amt', f.psnPartAmt],
    ['acct_pay', f.acctPay],
    ['acct_mulaid_pay', f.acctMulaidPay],
    ['wlt_pay', f.walletPay],
    ['psn_cash_pay', f.psnCashPay],
    ['hifp_pay', f.hifpPay],
    ['balc', f.balcAfter],
    ['wlt_balc', f.walletBalcAfter],
    ...(f.extra?.funds.map((d): [string, number] => [`setldetail ${d.fundPayType}`, d.amountFen]) ?? []),
  ];
  for (const [name, value] of named) {
    if (value === null || value === undefined) continue;
    if (value < 0) problems.push(`${name} 为负数 (${y(value)})`);
    else if (value > ceiling && name !== 'balc' && name !== 'wlt_balc') problems.push(`${name} ${y(value)} 超过单笔上限 ${y(ceiling)}`);
  }
  return problems;
}

/** A 2102 whose split is not the one the patient agreed to (2101) by more than the profile allows. */
export function differsFromAgreed(got: SettlementFigures, agreed: SettlementFigures, profile: ProvinceProfile): string[] {
  const tolerance = profile.answerChecks.settleToleranceFen;
  const pairs: Array<[string, number, number]> = [
    ['统筹', agreed.fundPaySumamt, got.fundPaySumamt],
    ['个人账户', agreed.acctPay, got.acctPay],
    ['钱包', agreed.walletPay, got.walletPay],
    ['现金', agreed.psnCashPay, got.psnCashPay],
  ];
  return pairs
    .filter(([, a, b]) => Math.abs(a - b) > tolerance)
    .map(([name, a, b]) => `${name} 预结算 ${y(a)}, 结算 ${y(b)}`);
}
