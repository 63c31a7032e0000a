// The payment split for one sale, exactly as the "Regional policy" section of docs/interface.md.
// Pure: every amount is integer fen, every division is floor.
import type { Region } from './fixture';

export interface SaleLine { fen: number; lv: '01' | '02' | '03' }

export interface SplitInput {
  lines: SaleLine[];
  region: Region; // policy of the insured place
  insutype: '310' | '390';
  ytd: { inscp: number; hifp: number }; // this calendar year so far
  acctUsed: boolean;
  ownBalance: number; // 0 for a 390 person
  givers: { psn_no: string; balance: number }[]; // in binding order
  walletUsable: boolean; // flag, region, open, same place: all already checked
  walletBalance: number;
  walletLimit: number | null;
}

export interface Split {
  medfee_sumamt: number;
  fulamt_ownpay_amt: number;
  overlmt_selfpay: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
  hifp_pay: number;
  fund_pay_sumamt: number;
  psn_part_amt: number;
  own_acct_pay: number;
  acct_mulaid_pay: number;
  acct_pay: number; // own + mutual aid
  wlt_pay: number;
  psn_cash_pay: number;
  giverDebits: { psn_no: string; amount: number }[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Steps 1-2: the fund's share. */
function fundPart(inp: SplitInput) {
  const medfee = sum(inp.lines.map((l) => l.fen));
  const fulamt = sum(inp.lines.filter((l) => l.lv === '03').map((l) => l.fen));
  const classB = sum(inp.lines.filter((l) => l.lv === '02').map((l) => l.fen));
  const preself = Math.floor((classB * inp.region.class_b_preself_bp) / 10000);
  const inscp = medfee - fulamt - preself;
  const fund = inp.region.fund[inp.insutype];
  const deductibleLeft = Math.max(0, fund.deductible - inp.ytd.inscp);
  const base = Math.max(0, inscp - deductibleLeft);
  const capLeft = Math.max(0, fund.annual_cap - inp.ytd.hifp);
  const hifp = Math.min(Math.floor((base * fund.ratio_bp) / 10000), capLeft);
  return { medfee, fulamt, preself, inscp, hifp };
}

export function computeSplit(inp: SplitInput): Split {
  const f = fundPart(inp);
  const psnPart = f.medfee - f.hifp;
  let acctRoom = inp.acctUsed ? psnPart - (inp.region.acct_pays_class_c ? 0 : f.fulamt) : 0;
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
    overlmt_selfpay: 0,
    preselfpay_amt: f.preself,
    inscp_scp_amt: f.inscp,
    hifp_pay: f.hifp,
    fund_pay_sumamt: f.hifp,
    psn_part_amt: psnPart,
    own_acct_pay: own,
    acct_mulaid_pay: mulaid,
    acct_pay: own + mulaid,
    wlt_pay: wallet,
    psn_cash_pay: left,
    giverDebits,
  };
}
