// Quote: "what would this sale cost the patient, and from which pockets?" computed locally from a JSON
// scenario (`npm run pos -- quote FILE`, format in docs/quote.md). A what-if tool for cashiers and
// technicians; the platform's 2101 answer is what counts at the counter.
import { z } from 'zod';
import { fenToYuan } from '../platform/money';
import { estimateFund, SettlementInputError, type FundEstimate } from './fund';
import {
  admdvsSchema,
  booleanSchema,
  fenSchema,
  insutypeSchema,
  regionPolicySchema,
  requiredOr,
  type Insutype,
  type RegionPolicy,
} from './policy';
import { MAX_SELF_PAY_FEN, splitSelfPay, type SplitResult, type WalletUnavailableReason } from './split';
import { displayWidth, padEnd, padStart } from '../../devices/printer/text-width';

const objectError = requiredOr('expected an object');

const lineSchema = z.strictObject(
  {
    name: z.string({ error: 'expected a string' }).optional(),
    amountFen: fenSchema,
    chrgitmLv: z.enum(['01', '02', '03'], {
      error: requiredOr('expected "01" (甲类), "02" (乙类) or "03" (丙类)'),
    }),
  },
  { error: objectError },
);

/** The quote scenario. Exactly one of `selfPayFen` (direct) or `lines` (fund estimated first). */
export const quoteScenarioSchema = z
  .strictObject(
    {
      /** Free text for the reader of the file; ignored by the computation. */
      description: z.string({ error: 'expected a string' }).optional(),
      selfPayFen: fenSchema
        .max(MAX_SELF_PAY_FEN, { error: `must not exceed ${MAX_SELF_PAY_FEN} fen` })
        .optional(),
      /** Direct mode only; defaults to selfPayFen. */
      acctEligibleFen: fenSchema.optional(),
      lines: z
        .array(lineSchema, { error: 'expected an array of lines' })
        .min(1, { error: 'expected at least one line' })
        .optional(),
      /** Lines mode only; default 0. */
      inscpSpentThisYearFen: fenSchema.optional(),
      /** Lines mode only; default 0. */
      fundPaidThisYearFen: fenSchema.optional(),
      policy: regionPolicySchema,
      insutype: insutypeSchema,
      balances: z.strictObject(
        { ownAcctFen: fenSchema, mulaidFen: fenSchema, walletFen: fenSchema },
        { error: objectError },
      ),
      place: z.strictObject(
        { mdtrtareaAdmvs: admdvsSchema, insuplcAdmdvs: admdvsSchema },
        { error: objectError },
      ),
      walletOpen: booleanSchema,
      choices: z.strictObject(
        { useAccount: booleanSchema, useWallet: booleanSchema, walletCapFen: fenSchema.optional() },
        { error: objectError },
      ),
    },
    { error: requiredOr('expected a JSON object') },
  )
  .superRefine((s, ctx) => {
    const direct = s.selfPayFen !== undefined;
    const withLines = s.lines !== undefined;
    if (direct === withLines) {
      ctx.addIssue({
        code: 'custom',
        path: ['selfPayFen'],
        message: 'give exactly one of selfPayFen or lines',
      });
      return;
    }
    if (direct) {
      for (const field of ['inscpSpentThisYearFen', 'fundPaidThisYearFen'] as const) {
        if (s[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'only allowed with lines' });
        }
      }
    } else if (s.acctEligibleFen !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['acctEligibleFen'],
        message: 'only allowed with selfPayFen (with lines it is computed from the policy)',
      });
    }
  });
export type QuoteScenario = z.infer<typeof quoteScenarioSchema>;

/** A scenario that cannot be quoted. The message is one line starting with the field path. */
export class QuoteError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'QuoteError';
  }
}

export interface QuoteLine {
  name: string | null;
  amountFen: number;
  chrgitmLv: '01' | '02' | '03';
}

export interface QuoteResult {
  policy: RegionPolicy;
  insutype: Insutype;
  place: { mdtrtareaAdmvs: string; insuplcAdmdvs: string };
  /** Empty in direct mode. */
  lines: QuoteLine[];
  /** Null in direct mode (no lines, so no fund estimate). */
  fund: FundEstimate | null;
  selfPayFen: number;
  acctEligibleFen: number;
  choices: { useAccount: boolean; useWallet: boolean; walletCapFen: number | null };
  split: SplitResult;
}

/** "balances.ownAcctFen", "lines[2].amountFen"; "scenario" for the whole document. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? 'scenario' : out;
}

function toQuoteError(error: z.ZodError): QuoteError {
  const issue = error.issues[0];
  if (!issue) return new QuoteError('scenario', 'invalid');
  if (issue.code === 'unrecognized_keys') {
    return new QuoteError(formatPath([...issue.path, issue.keys[0] ?? '?']), 'unknown field');
  }
  return new QuoteError(formatPath(issue.path), issue.message);
}

/**
 * Validate a scenario (already parsed from JSON) and compute the quote.
 * Throws QuoteError with a one-line message naming the field path.
 */
export function runQuote(scenario: unknown): QuoteResult {
  const parsed = quoteScenarioSchema.safeParse(scenario);
  if (!parsed.success) throw toQuoteError(parsed.error);
  const s = parsed.data;

  try {
    let fund: FundEstimate | null = null;
    let selfPayFen: number;
    let acctEligibleFen: number;
    if (s.lines !== undefined) {
      fund = estimateFund({
        lines: s.lines,
        policy: s.policy,
        insutype: s.insutype,
        inscpSpentThisYearFen: s.inscpSpentThisYearFen ?? 0,
        fundPaidThisYearFen: s.fundPaidThisYearFen ?? 0,
      });
      selfPayFen = fund.psnPartAmt;
      acctEligibleFen = fund.acctEligible;
    } else {
      selfPayFen = s.selfPayFen ?? 0; // present: the schema requires one of the two modes
      acctEligibleFen = s.acctEligibleFen ?? selfPayFen;
    }

    const split = splitSelfPay({
      selfPayFen,
      acctEligibleFen,
      balances: s.balances,
      insutype: s.insutype,
      policy: { paymentOrder: s.policy.payment_order, walletEnabled: s.policy.wallet_enabled },
      place: s.place,
      walletOpen: s.walletOpen,
      choices: s.choices,
    });

    return {
      policy: s.policy,
      insutype: s.insutype,
      place: s.place,
      lines: (s.lines ?? []).map((l) => ({
        name: l.name ?? null,
        amountFen: l.amountFen,
        chrgitmLv: l.chrgitmLv,
      })),
      fund,
      selfPayFen,
      acctEligibleFen,
      choices: {
        useAccount: s.choices.useAccount,
        useWallet: s.choices.useWallet,
        walletCapFen: s.choices.walletCapFen ?? null,
      },
      split,
    };
  } catch (error) {
    // Computed values can still be refused: a lines total whose self-pay is above the split's limit.
    if (error instanceof SettlementInputError) {
      if (s.lines !== undefined && error.field === 'selfPayFen') {
        throw new QuoteError('lines', `self-pay portion ${error.problem}`);
      }
      throw new QuoteError(error.field, error.problem);
    }
    throw error;
  }
}

// ---- formatting ----------------------------------------------------------------------------------

const INSUTYPE_LABEL: Record<Insutype, string> = { '310': '职工医保', '390': '居民医保' };
const CLASS_LABEL = { '01': '甲类', '02': '乙类', '03': '丙类' } as const;

export const WALLET_REASON_LABEL: Record<WalletUnavailableReason, string> = {
  not_insured_place: '非参保地就医，医保钱包不可用',
  region_disabled: '本地区未启用医保钱包',
  not_open: '医保钱包未开通',
  declined: '患者不使用医保钱包',
};

type Row = [label: string, field: string, fen: number] | 'rule';

function table(rows: readonly Row[]): string[] {
  const data = rows.filter((r): r is Exclude<Row, 'rule'> => r !== 'rule');
  const labelW = Math.max(...data.map((r) => displayWidth(r[0])));
  const fieldW = Math.max(...data.map((r) => displayWidth(r[1])));
  const amountW = Math.max(...data.map((r) => fenToYuan(r[2]).length));
  const total = labelW + 2 + fieldW + 2 + amountW;
  return rows.map((r) =>
    r === 'rule'
      ? '  ' + '-'.repeat(total)
      : `  ${padEnd(r[0], labelW)}  ${padEnd(r[1], fieldW)}  ${padStart(fenToYuan(r[2]), amountW)}`,
  );
}

/** A readable table of the quote with Chinese labels; amounts in yuan. */
export function formatQuote(result: QuoteResult): string {
  const { fund, split, policy, place } = result;
  const out: string[] = [];
  const insutype = `${INSUTYPE_LABEL[result.insutype]} ${result.insutype}`;
  out.push(`医保结算试算  ${policy.name} (${policy.admdvs})  ${insutype}`);
  out.push(`就医地 ${place.mdtrtareaAdmvs}  参保地 ${place.insuplcAdmdvs}`);

  if (result.lines.length > 0) {
    out.push('', '明细');
    const nameW = Math.max(...result.lines.map((l, i) => displayWidth(l.name ?? `#${i + 1}`)));
    const amountW = Math.max(...result.lines.map((l) => fenToYuan(l.amountFen).length));
    result.lines.forEach((l, i) => {
      const name = padEnd(l.name ?? `#${i + 1}`, nameW);
      out.push(`  ${name}  ${CLASS_LABEL[l.chrgitmLv]}  ${padStart(fenToYuan(l.amountFen), amountW)}`);
    });
  }

  const rows: Row[] = [];
  if (fund) {
    rows.push(
      ['费用总额', 'medfee_sumamt', fund.medfeeSumamt],
      ['  全自费', 'fulamt_ownpay_amt', fund.fulamtOwnpayAmt],
      ['  先行自付', 'preselfpay_amt', fund.preselfpayAmt],
      ['  符合范围', 'inscp_scp_amt', fund.inscpScpAmt],
      ['统筹基金', 'hifp_pay', fund.hifpPay],
    );
  }
  rows.push(
    ['个人负担', 'psn_part_amt', result.selfPayFen],
    ['  账户可付上限', '', result.acctEligibleFen],
    'rule',
    ['个人账户', 'acct_pay', split.ownAcct + split.mulaid],
    ['  其中家庭共济', 'acct_mulaid_pay', split.mulaid],
    ['医保钱包', 'wlt_pay', split.wallet],
    ['现金', 'psn_cash_pay', split.cash],
    'rule',
  );
  const paidByFund = fund ? fund.fundPaySumamt : 0;
  const total = paidByFund + split.ownAcct + split.mulaid + split.wallet + split.cash;
  rows.push(['合计', fund ? '统筹+个人' : '个人', total]);
  out.push('', ...table(rows));

  const notes: string[] = [];
  if (!result.choices.useAccount) notes.push('患者不使用个人账户');
  else if (result.insutype === '390') notes.push('居民医保无个人账户，仅家庭共济可付');
  if (split.walletUnavailableReason) notes.push(WALLET_REASON_LABEL[split.walletUnavailableReason]);
  else if (result.choices.walletCapFen !== null) {
    notes.push(`医保钱包本次最多支付 ${fenToYuan(result.choices.walletCapFen)}`);
  }
  if (notes.length > 0) out.push('', ...notes.map((n) => `注: ${n}`));
  return out.join('\n');
}
