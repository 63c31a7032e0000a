// The payment split for one sale, exactly as the "Regional policy" section of docs/interface.md.
// Pure: every amount is integer fen, every division is floor. Supplementary funds (大额, 公务员补助,
// 大病, 医疗救助) pay only for persons enrolled in them (fixture), after the base fund.
import type { Region } from './fixture';

export interface SaleLine { fen: number; lv: '01' | '02' | '03' }

export interface SplitInput extends SplitPolicy {
  lines: SaleLine[];
}

/** Everything but the lines: whose policy, what is spent this year, who may pay. */
export interface SplitPolicy {
  region: Region; // policy of the insured place (its fund rules: the pharmacy's, or the outpatient ones)
  insutype: '310' | '390';
  ytd: { inscp: number; hifp: number }; // this calendar year so far
  acctUsed: boolean;
  ownBalance: number; // 0 for a 390 person
  givers: { psn_no: string; balance: number }[]; // in binding order
  walletUsable: boolean; // flag, region, open, same place: all already checked
  walletBalance: number;
  walletLimit: number | null;
  /** Supplementary funds this person is enrolled in, with the insured region's rates (absent = none). */
  supplementary?: Supplementary;
}

/** Rates in basis points; each pays a share of what is still the patient's in-scope part. */
export interface Supplementary {
  hifob_bp?: number; // 职工大额: share of what the base fund could not pay above its annual cap
  cvlserv_bp?: number; // 公务员医疗补助
  hifmi?: { threshold: number; ratio_bp: number }; // 居民大病: above the year's in-scope threshold
  maf_bp?: number; // 医疗救助
}

export interface Split {
  medfee_sumamt: number;
  fulamt_ownpay_amt: number;
  overlmt_selfpay: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
  act_pay_dedc: number; // the deductible this sale used up
  hifp_pay: number;
  hifob_pay: number;
  cvlserv_pay: number;
  hifmi_pay: number;
  maf_pay: number;
  fund_pay_sumamt: number; // all funds, without the personal account
  psn_part_amt: number;
  own_acct_pay: number;
  acct_mulaid_pay: number;
  acct_pay: number; // own + mutual aid
  wlt_pay: number;
  psn_cash_pay: number;
  giverDebits: { psn_no: string; amount: number }[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Step 1: what the policy covers. Outpatient visits compute it per line at 2204 (outpatient-cut.ts). */
export interface Scope { medfee: number; fulamt: number; overlmt: number; preself: number; inscp: number }

/** The pharmacy's scope: 丙类 lines are self-pay, 乙类 pay the region's pre-self-pay share of their sum. */
export function pharmacyScope(lines: SaleLine[], classBBp: number): Scope {
  const medfee = sum(lines.map((l) => l.fen));
  const fulamt = sum(lines.filter((l) => l.lv === '03').map((l) => l.fen));
  const classB = sum(lines.filter((l) => l.lv === '02').map((l) => l.fen));
  const preself = Math.floor((classB * classBBp) / 10000);
  return { medfee, fulamt, overlmt: 0, preself, inscp: medfee - fulamt - preself };
}

/** Step 2: the fund's share of the in-scope amount. */
function fundPart(scope: Scope, inp: SplitPolicy) {
  const { inscp } = scope;
  const fund = inp.region.fund[inp.insutype];
  const deductibleLeft = Math.max(0, fund.deductible - inp.ytd.inscp);
  const base = Math.max(0, inscp - deductibleLeft);
  const capLeft = Math.max(0, fund.annual_cap - inp.ytd.hifp);
  const uncapped = Math.floor((base * fund.ratio_bp) / 10000);
  const hifp = Math.min(uncapped, capLeft);
  const extra = supplementaryPart(inp, { inscp, base, hifp, overCap: uncapped - hifp });
  const dedc = Math.min(inscp, deductibleLeft);
  return { ...scope, hifp, dedc, ...extra };
}

/** Supplementary funds, in a fixed order, each from what the patient still owes of the in-scope part. */
function supplementaryPart(inp: SplitPolicy, f: { inscp: number; base: number; hifp: number; overCap: number }) {
  const s = inp.supplementary ?? {};
  let rest = f.inscp - f.hifp;
  const take = (amount: number) => {
    const paid = Math.max(0, Math.min(amount, rest));
    rest -= paid;
    return paid;
  };
  const hifob = inp.insutype === '310' && s.hifob_bp ? take(Math.floor((f.overCap * s.hifob_bp) / 10000)) : 0;
  const cvlserv = s.cvlserv_bp ? take(Math.floor(((f.base - f.hifp - hifob) * s.cvlserv_bp) / 10000)) : 0;
  let hifmi = 0;
  if (inp.insutype === '390' && s.hifmi) {
    const over = Math.min(f.inscp, Math.max(0, inp.ytd.inscp + f.inscp - s.hifmi.threshold));
    hifmi = take(Math.floor((Math.min(over, rest) * s.hifmi.ratio_bp) / 10000));
  }
  const maf = s.maf_bp ? take(Math.floor((rest * s.maf_bp) / 10000)) : 0;
  return { hifob, cvlserv, hifmi, maf };
}

export function computeSplit(inp: SplitInput): Split {
  return splitScope(pharmacyScope(inp.lines, inp.region.class_b_preself_bp), inp);
}

/** Steps 2-4 for a scope already known: funds, then the accounts in the region's order, then cash. */
export function splitScope(scope: Scope, inp: SplitPolicy): Split {
  const f = fundPart(scope, inp);
  const funds = f.hifp + f.hifob + f.cvlserv + f.hifmi + f.maf;
  const psnPart = f.medfee - funds;
  // Where accounts may not pay 丙类, they may not pay above-ceiling prices either (both are 自费).
  let acctRoom = inp.acctUsed ? psnPart - (inp.region.acct_pays_class_c ? 0 : f.fulamt + f.overlmt) : 0;
  let left = psnPart;
  let own = 0;
  let wallet = 0;
  const giverDebits: { psn_no: string; amount: number }[] = [];
  for (const step of inp.region.payment_order) {
    if (step === 'own_acct') {
      own = Math.min(inp.ownBalance, acctRoom, left);
      acctRoom -= own;
      left -= own;
    } else if (step === 'mulaid') {
      // Givers are debited in binding order until the room is used.
      for (const g of inp.givers) {
        const take = Math.min(g.balance, acctRoom, left);
        if (take <= 0) continue;
        giverDebits.push({ psn_no: g.psn_no, amount: take });
        acctRoom -= take;
        left -= take;
      }
    } else if (inp.walletUsable) {
      wallet = Math.min(inp.walletBalance, inp.walletLimit ?? Number.MAX_SAFE_INTEGER, left);
      left -= wallet;
    }
  }
  const mulaid = sum(giverDebits.map((g) => g.amount));
  return {
    medfee_sumamt: f.medfee,
    fulamt_ownpay_amt: f.fulamt,
    overlmt_selfpay: f.overlmt,
    preselfpay_amt: f.preself,
    inscp_scp_amt: f.inscp,
    act_pay_dedc: f.dedc,
    hifp_pay: f.hifp,
    hifob_pay: f.hifob,
    cvlserv_pay: f.cvlserv,
    hifmi_pay: f.hifmi,
    maf_pay: f.maf,
    fund_pay_sumamt: funds,
    psn_part_amt: psnPart,
    own_acct_pay: own,
    acct_mulaid_pay: mulaid,
    acct_pay: own + mulaid,
    wlt_pay: wallet,
    psn_cash_pay: left,
    giverDebits,
  };
}
