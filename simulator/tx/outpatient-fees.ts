// 2204 门诊费用明细信息上传 and 2205 门诊费用明细信息撤销 (reference §2.12, §2.13). Each uploaded line
// is priced by the simulator's own catalogs (service items, then drugs): class 甲乙丙, the 乙类 self-pay
// share (the item's own, else the insured region's outpatient default), the per-unit price ceiling.
// The answer is one CUT row per line (reference §2.0 CUT, output node `result`, a list).
import { fenToNumber as num, lineAmountFen } from '../decimal';
import type { TxContext, Handler, Out } from './context';
import { fieldRefusal, parseInput, Refusal } from './context';
import { feesSchema, removeFeesSchema } from './outpatient-input';
import { once, openVisit, outpatientPolicy } from './outpatient-visit';

interface CatalogEntry { lv: '01' | '02' | '03'; med_chrgitm_type: string; selfpayBp: number | null; ceilingFen: number | null }

/** A service item, else a drug (西药费 09; drugs have no price ceiling here). */
function catalogEntry(ctx: TxContext, code: string): CatalogEntry | undefined {
  const item = ctx.visits.item(code);
  if (item) return { lv: item.chrgitm_lv, med_chrgitm_type: item.med_chrgitm_type, selfpayBp: item.selfpay_prop_bp, ceilingFen: item.pric_uplmt_fen };
  const drug = ctx.people.drug(code);
  if (drug) return { lv: drug.chrgitm_lv, med_chrgitm_type: '09', selfpayBp: null, ceilingFen: null };
  return undefined;
}

export interface LineCut { fulamt: number; overlmt: number; preself: number; inscp: number; selfpayBp: number }

/**
 * One line's split of scope, all integer fen: 丙类 is wholly self-pay; above the ceiling is 超限价;
 * 乙类 pays its share of the rest, rounded half-up (the reference's 2204 sample: 4.52 × 0.05 = 0.23).
 */
export function cutLine(line: { fen: number; cnt: number; pric: number }, e: CatalogEntry, classBBp: number): LineCut {
  if (e.lv === '03') return { fulamt: line.fen, overlmt: 0, preself: 0, inscp: 0, selfpayBp: 10000 };
  const ceilingMicros = e.ceilingFen === null ? null : e.ceilingFen * 10_000;
  const overlmt = ceilingMicros !== null && line.pric > ceilingMicros ? Math.max(0, line.fen - lineAmountFen(ceilingMicros, line.cnt)) : 0;
  const selfpayBp = e.lv === '02' ? (e.selfpayBp ?? classBBp) : 0;
  const preself = Math.floor(((line.fen - overlmt) * selfpayBp + 5000) / 10000);
  return { fulamt: 0, overlmt, preself, inscp: line.fen - overlmt - preself, selfpayBp };
}

function cutRow(sn: string, line: { fen: number; cnt: number; pric: number }, e: CatalogEntry, c: LineCut): Out {
  return {
    feedetl_sn: sn, det_item_fee_sumamt: num(line.fen), cnt: line.cnt / 10_000, pric: line.pric / 1_000_000,
    pric_uplmt_amt: e.ceilingFen === null ? 999999 : num(e.ceilingFen), selfpay_prop: c.selfpayBp / 10000,
    fulamt_ownpay_amt: num(c.fulamt), overlmt_amt: num(c.overlmt), preselfpay_amt: num(c.preself), inscp_scp_amt: num(c.inscp),
    chrgitm_lv: e.lv, med_chrgitm_type: e.med_chrgitm_type, bas_medn_flag: '0', hi_nego_drug_flag: '0', chld_medc_flag: null,
    list_sp_item_flag: null, lmt_used_flag: '0', drt_reim_flag: '0', memo: null, exp_content: null,
  };
}

export const uploadFees: Handler = (ctx, env) => {
  const input = parseInput(feesSchema, env.input);
  const first = input.feedetail[0] as (typeof input.feedetail)[number];
  return once(ctx, env, () => {
    const visit = openVisit(ctx, env, first.mdtrt_id, first.psn_no);
    const person = ctx.people.person(visit.psn_no);
    if (!person) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
    const policy = outpatientPolicy(ctx, person);
    const existing = ctx.visits.details(visit.mdtrt_id);
    const known = new Set(existing.map((d) => d.feedetl_sn));
    const batchDise = new Map(existing.map((d) => [d.chrg_bchno, d.dise_codg ?? undefined]));
    const rows = input.feedetail.map((l, i) => {
      const at = `input.feedetail[${i}]`;
      if (known.has(l.feedetl_sn)) throw fieldRefusal(`${at}.feedetl_sn`, `already uploaded for this visit (${l.feedetl_sn})`, 'FEEDETL_DUPLICATE');
      if (batchDise.has(l.chrg_bchno) && batchDise.get(l.chrg_bchno) !== l.dise_codg) {
        throw fieldRefusal(`${at}.dise_codg`, `must be the same for every line of batch ${l.chrg_bchno} (${batchDise.get(l.chrg_bchno) ?? 'none'})`);
      }
      const e = catalogEntry(ctx, l.med_list_codg);
      if (!e) throw fieldRefusal(`${at}.med_list_codg`, `not in the catalog (医保目录中无此项目 ${l.med_list_codg})`, 'CATALOG_NOT_FOUND');
      const line = { fen: l.det_item_fee_sumamt, cnt: l.cnt, pric: l.pric };
      const c = cutLine(line, e, policy.class_b_preself_bp);
      return { l, c, row: cutRow(l.feedetl_sn, line, e, c) };
    });
    for (const { l, c, row } of rows) {
      ctx.visits.saveDetail({
        mdtrt_id: visit.mdtrt_id, feedetl_sn: l.feedetl_sn, chrg_bchno: l.chrg_bchno, dise_codg: l.dise_codg ?? null,
        med_list_codg: l.med_list_codg, fen: l.det_item_fee_sumamt, fulamt: c.fulamt, overlmt: c.overlmt, preself: c.preself,
        inscp: c.inscp, cut: JSON.stringify(row),
      });
    }
    return { psn_no: visit.psn_no, output: { result: rows.map((r) => r.row) } };
  });
};

/** chrg_bchno "0000" removes every unsettled detail of the visit (reference §2.13). */
export const removeFees: Handler = (ctx, env) => {
  const { data } = parseInput(removeFeesSchema, env.input);
  return once(ctx, env, () => {
    const visit = openVisit(ctx, env, data.mdtrt_id, data.psn_no);
    const all = data.chrg_bchno === '0000';
    const removed = ctx.visits.removeUnsettled(visit.mdtrt_id, all ? null : data.chrg_bchno);
    if (!all && removed === 0) throw new Refusal('BATCH_NOT_FOUND', `未找到收费批次号${data.chrg_bchno}的未结算费用明细`);
    return { psn_no: visit.psn_no, output: {} };
  });
};
