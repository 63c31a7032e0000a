// 2101 药店预结算 (writes nothing) and 2102 药店结算 (one SQLite transaction; a msgid seen before
// answers its first result again). Rules: the holder's credential, status, insured place and filing,
// the catalog, the per-sale ceiling, then the split of the insured place's policy.
import type { PersonRow } from '../db';
import type { Envelope } from '../envelope';
import type { Region } from '../fixture';
import { fenToYuan } from '../money';
import { computeSplit, type Split, type Supplementary } from '../policy';
import { cstYear, fmtCompact, fmtDate, fmtDateTime } from '../time';
import { fieldRefusal, parseInput, Refusal, type Handler, type Out, type TxContext } from './context';
import { directGivers, walletUsableAt } from './payers';
import { checkInsuplc, holderOf } from './person';
import { settleSchema, type SettleInput } from './settle-input';
import { detlcutinfo, setldetail, setlinfo, type CutLine } from './setlinfo';

interface Quote { person: PersonRow; region: Region; split: Split; lines: CutLine[]; clrOptins: string }

export const preSettle: Handler = (ctx, env) => {
  const input = parseInput(settleSchema, env.input);
  const q = quote(ctx, env, input);
  const mdtrtId = `M${q.clrOptins}${fmtCompact(ctx.now()).slice(0, 8)}P${env.msgid.slice(-8)}`;
  return answer(ctx, env, input, q, { mdtrtId, setlId: null, setlTime: fmtDateTime(ctx.now()), pending: true });
};

export const settle: Handler = (ctx, env) => {
  const input = parseInput(settleSchema, env.input);
  return ctx.db.transaction(() => {
    const prior = ctx.ledger.message(env.msgid);
    if (prior) return replay(prior, '2102');
    const q = quote(ctx, env, input);
    return commit(ctx, env, input, q);
  })();
};

/** A msgid seen before: the first result again, or a refusal if it was reversed or used otherwise. */
export function replay(prior: { state: string; infno: string; result: string | null }, infno: string): Out {
  if (prior.state !== 'committed') throw new Refusal('MSG_REVERSED', '该报文已冲正，不能再次处理');
  if (prior.infno !== infno) throw new Refusal('MSGID_CONFLICT', `报文ID已用于交易${prior.infno}`);
  return JSON.parse(prior.result ?? '{}') as Out;
}

function quote(ctx: TxContext, env: Envelope, input: SettleInput): Quote {
  const d = input.druginfo;
  const person = patientFor(ctx, env, d, 'input.druginfo');
  const region = ctx.people.region(ctx.people.poolOf(person.insuplc_admdvs));
  if (!region) throw new Refusal('REGION_UNKNOWN', `参保地${person.insuplc_admdvs}无待遇政策`);
  const ceiling = ctx.people.maxMedfeePerSale();
  if (d.medfee_sumamt > ceiling) {
    throw fieldRefusal('input.druginfo.medfee_sumamt', `above the per-sale ceiling of ${fenToYuan(ceiling)}`, 'AMOUNT_ABSURD');
  }
  const lines = input.drugdetail.map((l, i): CutLine => {
    const drug = ctx.people.drug(l.med_list_codg);
    if (!drug) throw fieldRefusal(`input.drugdetail[${i}].med_list_codg`, `not in the catalog (医保目录中无此药品 ${l.med_list_codg})`, 'CATALOG_NOT_FOUND');
    return { feedetl_sn: l.feedetl_sn, fen: l.det_item_fee_sumamt, cnt: l.cnt, pric: l.pric, lv: drug.chrgitm_lv };
  });
  const split = computeSplit({
    lines: lines.map((l) => ({ fen: l.fen, lv: l.lv })), region, insutype: person.insutype,
    ytd: ctx.people.ytd(person.psn_no, cstYear(ctx.now())), acctUsed: d.acct_used_flag === '1',
    ownBalance: person.insutype === '310' ? person.acct_balc : 0, givers: directGivers(ctx, person),
    walletUsable: d.wlt_used_flag === '1' && walletUsableAt(ctx, person, env.mdtrtarea_admvs),
    walletBalance: person.wlt_balc, walletLimit: d.wlt_pay_limit ?? null, supplementary: supplementaryOf(person, region),
  });
  return { person, region, split, lines, clrOptins: ctx.people.poolOf(env.mdtrtarea_admvs) };
}

/**
 * The patient a settlement (or a registration) is for: known, holder of the credential, insured and
 * active, the insutype his, the envelope's insured place his, filed when from another province.
 */
export function patientFor(ctx: TxContext, env: Envelope, d: PatientFields, at: string): PersonRow {
  const person = ctx.people.person(d.psn_no);
  if (!person) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
  const holder = holderOf(ctx, d.mdtrt_cert_type, d.mdtrt_cert_no);
  if (holder.psn_no !== person.psn_no) throw new Refusal('CREDENTIAL_MISMATCH', '就诊凭证不属于该参保人');
  if (person.psn_insu_stas === '2') throw new Refusal('INSURANCE_SUSPENDED', '参保人医保待遇已暂停');
  if (person.psn_insu_stas !== '1') throw new Refusal('INSURANCE_TERMINATED', '参保人医保关系已终止');
  if (d.insutype !== person.insutype) throw fieldRefusal(`${at}.insutype`, `must be the person's insutype ${person.insutype}`, 'INSUTYPE_MISMATCH');
  checkInsuplc(ctx, env, person);
  checkFiling(ctx, person, env.mdtrtarea_admvs);
  return person;
}

export interface PatientFields { psn_no: string; mdtrt_cert_type: string; mdtrt_cert_no: string; insutype: string }

export function supplementaryOf(p: PersonRow, region: Region): Supplementary {
  const enrolled = new Set(JSON.parse(p.supplementary) as string[]);
  const rates = region.supplementary ?? {};
  return {
    ...(enrolled.has('hifob') && rates.hifob_bp ? { hifob_bp: rates.hifob_bp } : {}),
    ...(enrolled.has('cvlserv') && rates.cvlserv_bp ? { cvlserv_bp: rates.cvlserv_bp } : {}),
    ...(enrolled.has('hifmi') && rates.hifmi ? { hifmi: rates.hifmi } : {}),
    ...(enrolled.has('maf') && rates.maf_bp ? { maf_bp: rates.maf_bp } : {}),
  };
}

/** Cross-province (first 2 digits differ) needs a filing for the counter, its pool or its province, valid today. */
export function checkFiling(ctx: TxContext, p: PersonRow, counter: string): void {
  if (p.insuplc_admdvs.slice(0, 2) === counter.slice(0, 2)) return;
  const areas = [counter, ctx.people.poolOf(counter), `${counter.slice(0, 2)}0000`];
  if (!ctx.people.hasFiling(p.psn_no, areas, fmtDate(ctx.now()))) throw new Refusal('NO_FILING', '异地就医未备案，不能直接结算');
}

/** Which settlement the answer is for; `pending`: a 2101, whose debits are not applied (balances as they would be). */
interface AnswerFor { mdtrtId: string; setlId: string | null; setlTime: string; pending: boolean }

function answer(ctx: TxContext, env: Envelope, input: SettleInput, q: Quote, { mdtrtId, setlId, setlTime, pending }: AnswerFor): Out {
  const p = pending ? q.person : (ctx.people.person(q.person.psn_no) as PersonRow);
  const own = p.insutype === '310' ? p.acct_balc : 0;
  const usesWallet = input.druginfo.wlt_used_flag !== undefined;
  return {
    setlinfo: setlinfo({
      person: p, ratioBp: q.region.fund[p.insutype].ratio_bp, split: q.split, msgid: env.msgid, mdtrtId, setlId, setlTime,
      medType: input.druginfo.med_type, mdtrtCertType: input.druginfo.mdtrt_cert_type, clrOptins: q.clrOptins,
      balcAfter: own - (pending ? q.split.own_acct_pay : 0),
      walletAfter: usesWallet ? p.wlt_balc - (pending ? q.split.wlt_pay : 0) : null, now: ctx.now(),
    }),
    setldetail: setldetail(q.split, p.insutype),
    detlcutinfo: detlcutinfo(q.lines, q.split, q.region.class_b_preself_bp),
  };
}

/** Take the split's account, mutual-aid and wallet payments, recording each debit for an exact undo. */
export function chargeAccounts(ctx: TxContext, setlId: string, psnNo: string, s: Split): void {
  const debits = [
    { psn_no: psnNo, kind: 'acct' as const, amount: s.own_acct_pay },
    ...s.giverDebits.map((g) => ({ psn_no: g.psn_no, kind: 'acct' as const, amount: g.amount })),
    { psn_no: psnNo, kind: 'wallet' as const, amount: s.wlt_pay },
  ];
  for (const d of debits) {
    if (d.amount === 0) continue;
    // Checked in the same transaction as the split: a short balance aborts everything.
    if (!ctx.people.debit(d.psn_no, d.kind, d.amount)) throw new Refusal('BALANCE_SHORT', '账户余额不足');
    ctx.ledger.saveDebit(setlId, d);
  }
}

function commit(ctx: TxContext, env: Envelope, input: SettleInput, q: Quote): Out {
  const now = ctx.now();
  const s = q.split;
  const base = `${q.clrOptins}${fmtCompact(now).slice(0, 8)}${String(ctx.ledger.nextSettlementSeq()).padStart(8, '0')}`;
  const setlId = `S${base}`;
  const mdtrtId = `M${base}`;
  chargeAccounts(ctx, setlId, q.person.psn_no, s);
  const year = cstYear(now);
  ctx.people.addYtd(q.person.psn_no, year, s.inscp_scp_amt, s.hifp_pay);
  const setlTime = fmtDateTime(now);
  ctx.ledger.saveSettlement({
    setl_id: setlId, mdtrt_id: mdtrtId, msgid: env.msgid, psn_no: q.person.psn_no, insutype: q.person.insutype,
    fixmedins_code: env.fixmedins_code, clr_optins: q.clrOptins, setl_time: setlTime, year, medfee: s.medfee_sumamt,
    inscp: s.inscp_scp_amt, fund: s.fund_pay_sumamt, hifp: s.hifp_pay, acct_pay: s.acct_pay, mulaid_pay: s.acct_mulaid_pay,
    wlt_pay: s.wlt_pay, cash: s.psn_cash_pay,
    split: JSON.stringify({ split: s, ratio_bp: q.region.fund[q.person.insutype].ratio_bp, wallet: input.druginfo.wlt_used_flag !== undefined }),
  });
  const output = answer(ctx, env, input, q, { mdtrtId, setlId, setlTime, pending: false });
  ctx.ledger.saveMessage({ msgid: env.msgid, infno: '2102', psn_no: q.person.psn_no, state: 'committed', setl_id: setlId, result: JSON.stringify(output) });
  return output;
}
