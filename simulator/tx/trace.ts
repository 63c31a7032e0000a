// 3505 商品销售 and 3506 商品销售退货 (reference §2.21, §2.22): the trace codes of what was sold. A
// box sold whole (trdn_flag 0) is sold once; a split box (拆零, trdn_flag 1) serves several sales until
// its one box (10000 ten-thousandths) is used up. Output {retRslt, msgRslt}. 3505A takes a batch.
import { z } from 'zod';
import { quantity, unitPrice } from '../decimal';
import { code, date, dateTime, flag01, optional, PSN_CERT_TYPES, RX_FLAGS, text } from '../fields';
import { WHOLE_BOX } from '../repo/sales';
import { fmtDateTime } from '../time';
import type { Envelope } from '../envelope';
import { fieldRefusal, parseInput, Refusal, type Handler, type Out, type TxContext } from './context';
import { replay } from './settle';

const opt = (n: number) => optional(z.string({ error: 'must be a string' }).max(n, `at most ${n} characters`));
const traceCode = z.string({ error: 'must be a string' }).regex(/^\d{20}$/, 'must be a 20-digit 药品追溯码');

const common = {
  med_list_codg: text(50), fixmedins_hilist_id: text(30), fixmedins_hilist_name: text(200), fixmedins_bchno: text(30),
  setl_id: opt(30), psn_no: opt(30), psn_cert_type: code(PSN_CERT_TYPES, 'psn_cert_type'), certno: opt(50), psn_name: opt(50),
  manu_lotnum: text(30), manu_date: date, expy_end: optional(date), rx_flag: code(RX_FLAGS, 'rx_flag'), trdn_flag: flag01,
  finl_trns_pric: optional(unitPrice), sel_retn_cnt: quantity, sel_retn_time: dateTime, sel_retn_opter_name: text(50),
  memo: opt(500), mdtrt_sn: opt(30), drug_trac_codg: optional(traceCode), // V1.0 single code
  drugtracinfo: optional(z.array(z.object({ drug_trac_codg: traceCode }), { error: 'must be a list' })),
};

const saleRow = z.object({
    ...common,
    prsc_dr_cert_type: opt(6), prsc_dr_certno: opt(50), prsc_dr_name: text(50), phar_cert_type: opt(6), phar_certno: opt(50),
    phar_name: text(50), phar_prac_cert_no: text(50), hi_feesetl_type: text(6), mdtrt_sn: text(30), rxno: opt(40),
    rx_circ_flag: flag01, rtal_docno: text(40), stoout_no: opt(40), bchno: opt(30), drug_prod_barc: opt(30), shelf_posi: opt(20),
    mdtrt_setl_type: optional(code(['1', '2'], 'mdtrt_setl_type')),
  }).superRefine((s, ctx) => {
    // MOCK (§2.21): a 医保 sale (mdtrt_setl_type 1) names its settlement
    if (s.mdtrt_setl_type === '1' && !s.setl_id) ctx.addIssue({ code: 'custom', path: ['setl_id'], message: 'required for mdtrt_setl_type 1 (医保结算)' });
  });

const saleSchema = z.object({ selinfo: saleRow });
// 3505A: the same rows in a batch (reference §2.21: selinfoDetail)
const batchSchema = z.object({ selinfoDetail: z.array(saleRow, { error: 'must be a list' }).min(1, 'must have at least one row') });

const returnSchema = z.object({ selinfo: z.object({ ...common, medins_prod_sel_no: opt(50) }) });

type Sel = z.infer<typeof saleRow>;

function codesOf(s: { drug_trac_codg?: string; drugtracinfo?: { drug_trac_codg: string }[] }): string[] {
  return [...(s.drug_trac_codg ? [s.drug_trac_codg] : []), ...(s.drugtracinfo ?? []).map((t) => t.drug_trac_codg)];
}

function checkItem(ctx: TxContext, at: string, fixmedins: string, s: { med_list_codg: string; setl_id?: string; psn_no?: string }, codes: string[]): void {
  const drug = ctx.people.drug(s.med_list_codg);
  if (!drug) throw fieldRefusal(`${at}.med_list_codg`, `not in the catalog (医保目录中无此药品 ${s.med_list_codg})`, 'CATALOG_NOT_FOUND');
  codes.forEach((c, i) => {
    if (drug.trace_prefix && !c.startsWith(drug.trace_prefix)) {
      throw fieldRefusal(`${at}.drugtracinfo[${i}].drug_trac_codg`, `${c} is not a code of ${s.med_list_codg}`, 'TRACE_CODE_MISMATCH');
    }
  });
  if (new Set(codes).size !== codes.length) throw fieldRefusal(`${at}.drugtracinfo`, 'the same code twice', 'TRACE_CODE_DUPLICATE');
  if (s.setl_id) {
    const setl = ctx.sales.liveSettlement(s.setl_id, fixmedins);
    if (!setl) throw fieldRefusal(`${at}.setl_id`, 'no settlement with this id for this institution', 'SETL_NOT_FOUND');
    if (s.psn_no && setl.psn_no !== s.psn_no) throw fieldRefusal(`${at}.psn_no`, "must be the settlement's person");
  }
}

/** How much of each box this sale uses; refused when a box is already sold or used up. */
function allocate(ctx: TxContext, at: string, s: Sel, codes: string[]): { code: string; units: number }[] {
  if (s.trdn_flag === '0') {
    if (s.sel_retn_cnt % WHOLE_BOX !== 0) throw fieldRefusal(`${at}.sel_retn_cnt`, 'must be whole boxes when trdn_flag is 0');
    if (codes.length > s.sel_retn_cnt / WHOLE_BOX) throw fieldRefusal(`${at}.drugtracinfo`, 'more trace codes than boxes sold');
    for (const c of codes) if (ctx.sales.usage(c).units > 0) throw new Refusal('TRACE_CODE_SOLD', `追溯码${c}已销售，不能重复销售`);
    return codes.map((c) => ({ code: c, units: WHOLE_BOX }));
  }
  let left = s.sel_retn_cnt;
  const uses: { code: string; units: number }[] = [];
  for (const c of codes) {
    const used = ctx.sales.usage(c);
    const room = used.whole ? 0 : WHOLE_BOX - used.units;
    const take = Math.min(room, left);
    if (take > 0) uses.push({ code: c, units: take });
    left -= take;
  }
  if (codes.length > 0 && left > 0) throw new Refusal('TRACE_CODE_USED_UP', `追溯码${codes.join(',')}对应的药品已拆零售完，不能再销售`);
  return uses;
}

/** Record one sold row inside the caller's transaction. */
function recordSale(ctx: TxContext, env: Envelope, at: string, s: Sel): void {
  const codes = codesOf(s);
  checkItem(ctx, at, env.fixmedins_code, s, codes);
  const uses = allocate(ctx, at, s, codes);
  const id = ctx.sales.saveSale({
    fixmedins_code: env.fixmedins_code, msgid: env.msgid, med_list_codg: s.med_list_codg, fixmedins_bchno: s.fixmedins_bchno,
    setl_id: s.setl_id ?? null, mdtrt_sn: s.mdtrt_sn, trdn_flag: s.trdn_flag, cnt: s.sel_retn_cnt, sel_time: fmtDateTime(ctx.now()),
  });
  for (const u of uses) ctx.sales.saveUse(u.code, id, u.units, s.trdn_flag === '0');
}

/**
 * Do the work once per msgid, in one transaction: a report sent again after a lost answer (same msgid)
 * gets the first answer and changes nothing, as a 2102 does.
 */
function once(ctx: TxContext, env: Envelope, work: () => void): Out {
  return ctx.db.transaction(() => {
    const prior = ctx.ledger.message(env.msgid);
    if (prior) return replay(prior, env.infno);
    work();
    const out = { retRslt: '1', msgRslt: '成功' };
    ctx.ledger.saveMessage({ msgid: env.msgid, infno: env.infno, psn_no: '', state: 'committed', setl_id: null, result: JSON.stringify(out) });
    return out;
  })();
}

export const sale: Handler = (ctx, env) => {
  const { selinfo } = parseInput(saleSchema, env.input);
  return once(ctx, env, () => recordSale(ctx, env, 'input.selinfo', selinfo));
};

/** 3505A: all rows or none. */
export const saleBatch: Handler = (ctx, env) => {
  const { selinfoDetail } = parseInput(batchSchema, env.input);
  return once(ctx, env, () => selinfoDetail.forEach((s, i) => recordSale(ctx, env, `input.selinfoDetail[${i}]`, s)));
};

/** 3506: returns go against earlier 3505 sales of the same item and batch (and codes, when named). */
export const saleReturn: Handler = (ctx, env) => {
  const { selinfo: s } = parseInput(returnSchema, env.input);
  const codes = codesOf(s);
  return once(ctx, env, () => {
    checkItem(ctx, 'input.selinfo', env.fixmedins_code, s, codes);
    const candidates = ctx.sales.returnable(env.fixmedins_code, s.med_list_codg, s.fixmedins_bchno)
      .filter((x) => (!s.setl_id || x.setl_id === s.setl_id) && (!s.mdtrt_sn || x.mdtrt_sn === s.mdtrt_sn))
      .filter((x) => codes.every((c) => ctx.sales.usesOf(x.id).some((u) => u.code === c)));
    const target = candidates.find((x) => x.cnt - x.returned >= s.sel_retn_cnt);
    if (!target) throw new Refusal('SALE_NOT_FOUND', '未找到可退货的商品销售记录（med_list_codg、fixmedins_bchno、setl_id、追溯码）');
    ctx.sales.markReturned(target.id, s.sel_retn_cnt);
    let left = s.sel_retn_cnt;
    for (const u of ctx.sales.usesOf(target.id).filter((x) => codes.length === 0 || codes.includes(x.code))) {
      const give = Math.min(u.units, left);
      ctx.sales.releaseUse(u.code, target.id, give);
      left -= give;
    }
  });
};
