// 2206 门诊预结算 (computes, writes nothing) and 2207 门诊结算 (reference §2.14, §2.15). The bill is
// every unsettled fee detail of the visit; its scope was priced line by line at 2204. The split is the
// pharmacy's (policy.ts), with the insured region's OUTPATIENT fund rules: ordinary visits, or the
// 门诊慢特病 rules when the visit's 2203 gave med_type 14 with a chronic or special diagnosis.
// 2207 must carry the four scope amounts 2206 answered, and the same medfee_sumamt.
import type { PersonRow } from '../db';
import { fenToNumber as num } from '../decimal';
import type { Envelope } from '../envelope';
import type { Region } from '../fixture';
import { fenToYuan } from '../money';
import { splitScope, type Scope, type Split } from '../policy';
import type { YtdKind } from '../repo/people';
import type { DetailRow, VisitRow } from '../repo/visits';
import { cstYear, fmtCompact, fmtDateTime } from '../time';
import { fieldRefusal, parseInput, Refusal, type Handler, type Out, type TxContext } from './context';
import { preSettleSchema, settleSchema, type PreSettleData } from './outpatient-input';
import { once, openVisit, outpatientPolicy } from './outpatient-visit';
import { directGivers, walletUsableAt } from './payers';
import { chargeAccounts, patientFor, supplementaryOf } from './settle';
import { setldetail, setlinfo } from './setlinfo';

interface Quote {
  person: PersonRow; visit: VisitRow; region: Region; split: Split; details: DetailRow[]; clrOptins: string; ytdKind: YtdKind;
}

/** What 2207 keeps of a settlement to answer its 2208 and to undo it exactly. */
export interface SavedOutpatient {
  split: Split; ratio_bp: number; wallet: boolean; med_type: string; mdtrt_cert_type: string; feedetl_sns: string[];
}

const sum = (xs: DetailRow[], f: (d: DetailRow) => number) => xs.reduce((a, d) => a + f(d), 0);

function billOf(ctx: TxContext, visit: VisitRow, d: PreSettleData): { details: DetailRow[]; scope: Scope } {
  const details = ctx.visits.unsettled(visit.mdtrt_id);
  if (details.length === 0) throw new Refusal('NO_FEE_DETAILS', '该就诊无未结算的费用明细(2204)');
  if (!details.some((x) => x.chrg_bchno === d.chrg_bchno)) {
    const batches = [...new Set(details.map((x) => x.chrg_bchno))].join(', ');
    throw fieldRefusal('input.data.chrg_bchno', `not a batch of this visit's unsettled fee details (${batches})`, 'BATCH_NOT_FOUND');
  }
  const scope = {
    medfee: sum(details, (x) => x.fen), fulamt: sum(details, (x) => x.fulamt), overlmt: sum(details, (x) => x.overlmt),
    preself: sum(details, (x) => x.preself), inscp: sum(details, (x) => x.inscp),
  };
  if (scope.medfee === 0) throw fieldRefusal('input.data.medfee_sumamt', 'must be greater than 0 (every detail is 0.00)');
  if (scope.medfee !== d.medfee_sumamt) {
    throw fieldRefusal('input.data.medfee_sumamt', `must equal the sum of the visit's unsettled fee details (${fenToYuan(scope.medfee)})`);
  }
  const ceiling = ctx.people.maxMedfeePerSale();
  if (scope.medfee > ceiling) throw fieldRefusal('input.data.medfee_sumamt', `above the per-settlement ceiling of ${fenToYuan(ceiling)}`, 'AMOUNT_ABSURD');
  return { details, scope };
}

function quote(ctx: TxContext, env: Envelope, d: PreSettleData): Quote {
  const person = patientFor(ctx, env, d, 'input.data');
  const visit = openVisit(ctx, env, d.mdtrt_id, d.psn_no);
  if (!visit.med_type) throw new Refusal('VISIT_NO_MDTRTINFO', '未上传就诊信息(2203)，不能结算');
  if (d.med_type !== visit.med_type) throw fieldRefusal('input.data.med_type', `must be the visit's med_type ${visit.med_type} (2203)`);
  const { details, scope } = billOf(ctx, visit, d);
  const policy = outpatientPolicy(ctx, person);
  const base = ctx.people.region(ctx.people.poolOf(person.insuplc_admdvs)) as Region;
  const chronic = visit.med_type === '14' && visit.chronic_code !== null;
  const region: Region = { ...base, class_b_preself_bp: policy.class_b_preself_bp, fund: chronic ? policy.chronic : policy.fund };
  const ytdKind: YtdKind = chronic ? 'chronic' : 'otp';
  const split = splitScope(scope, {
    region, insutype: person.insutype, ytd: ctx.people.ytdOf(ytdKind, person.psn_no, cstYear(ctx.now())),
    acctUsed: d.acct_used_flag === '1', ownBalance: person.insutype === '310' ? person.acct_balc : 0,
    givers: directGivers(ctx, person), walletUsable: d.wlt_used_flag === '1' && walletUsableAt(ctx, person, env.mdtrtarea_admvs),
    walletBalance: person.wlt_balc, walletLimit: d.wlt_pay_limit ?? null, supplementary: supplementaryOf(person, base),
  });
  return { person, visit, region, split, details, clrOptins: ctx.people.poolOf(env.mdtrtarea_admvs), ytdKind };
}

/** SETLINFO of 2206 (setl_id null, balances as they would be after) and 2207, with hosp_part_amt 0. */
function answer(ctx: TxContext, env: Envelope, d: PreSettleData, q: Quote, setlId: string | null, setlTime: string): Out {
  const pending = setlId === null;
  const p = pending ? q.person : (ctx.people.person(q.person.psn_no) as PersonRow);
  const own = p.insutype === '310' ? p.acct_balc : 0;
  const info = setlinfo({
    person: p, ratioBp: q.region.fund[p.insutype].ratio_bp, split: q.split, msgid: env.msgid, mdtrtId: q.visit.mdtrt_id, setlId, setlTime,
    medType: d.med_type, mdtrtCertType: d.mdtrt_cert_type, clrOptins: q.clrOptins, clrType: '11', now: ctx.now(),
    balcAfter: own - (pending ? q.split.own_acct_pay : 0),
    walletAfter: d.wlt_used_flag !== undefined ? p.wlt_balc - (pending ? q.split.wlt_pay : 0) : null,
  });
  return { setlinfo: { ...info, setl_id: setlId, hosp_part_amt: num(0) }, setldetail: setldetail(q.split, p.insutype) };
}

export const preSettleVisit: Handler = (ctx, env) => {
  const { data } = parseInput(preSettleSchema, env.input);
  const q = quote(ctx, env, data);
  return answer(ctx, env, data, q, null, fmtDateTime(ctx.now()));
};

/** The amounts 2207 copies from 2206 (reference §2.15); input and SETLINFO share the names. */
const SCOPE_FIELDS = ['fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt'] as const;

export const settleVisit: Handler = (ctx, env) => {
  const { data } = parseInput(settleSchema, env.input);
  return once(ctx, env, () => {
    const q = quote(ctx, env, data);
    for (const field of SCOPE_FIELDS) {
      if (data[field] !== q.split[field]) {
        throw fieldRefusal(`input.data.${field}`, `must be ${fenToYuan(q.split[field])} as 2206 answered (copy it from the pre-settlement)`, 'PRESETTLE_MISMATCH');
      }
    }
    return commit(ctx, env, data, q);
  });
};

function commit(ctx: TxContext, env: Envelope, d: PreSettleData, q: Quote) {
  const now = ctx.now();
  const s = q.split;
  const setlId = `S${q.clrOptins}${fmtCompact(now).slice(0, 8)}${String(ctx.ledger.nextSettlementSeq()).padStart(8, '0')}`;
  chargeAccounts(ctx, setlId, q.person.psn_no, s);
  const year = cstYear(now);
  ctx.people.addYtdOf(q.ytdKind, q.person.psn_no, year, s.inscp_scp_amt, s.hifp_pay);
  const sns = q.details.map((x) => x.feedetl_sn);
  const saved: SavedOutpatient = {
    split: s, ratio_bp: q.region.fund[q.person.insutype].ratio_bp, wallet: d.wlt_used_flag !== undefined,
    med_type: d.med_type, mdtrt_cert_type: d.mdtrt_cert_type, feedetl_sns: sns,
  };
  const setlTime = fmtDateTime(now);
  ctx.ledger.saveSettlement({
    setl_id: setlId, mdtrt_id: q.visit.mdtrt_id, msgid: env.msgid, psn_no: q.person.psn_no, insutype: q.person.insutype,
    fixmedins_code: env.fixmedins_code, clr_optins: q.clrOptins, setl_time: setlTime, year, medfee: s.medfee_sumamt,
    inscp: s.inscp_scp_amt, fund: s.fund_pay_sumamt, hifp: s.hifp_pay, acct_pay: s.acct_pay, mulaid_pay: s.acct_mulaid_pay,
    wlt_pay: s.wlt_pay, cash: s.psn_cash_pay, split: JSON.stringify(saved), clr_type: '11', ytd_kind: q.ytdKind,
  });
  ctx.visits.attach(q.visit.mdtrt_id, sns, setlId);
  return { psn_no: q.person.psn_no, setl_id: setlId, output: answer(ctx, env, d, q, setlId, setlTime) };
}
