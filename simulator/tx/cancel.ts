// 2103 药店结算撤销 (reference §2.7) and 2601 冲正交易 (reference §2.8) of 2102/2103/2207/2208, and
// the undo/redo of a settlement's effects they share (2208 uses them too). A 2103 answers with negative amounts, as the real 2208 does.
import { z } from 'zod';
import type { Envelope } from '../envelope';
import { fenToNumber as num } from '../decimal';
import { text } from '../fields';
import type { Split } from '../policy';
import type { SettlementRow } from '../repo/ledger';
import { fmtDateTime } from '../time';
import { parseInput, Refusal, type Handler, type TxContext } from './context';
import { replay } from './settle';
import { moneyFields, setldetail } from './setlinfo';

const cancelSchema = z.object({
  data: z.object({ setl_id: text(30), mdtrt_id: text(30), psn_no: text(30), exp_content: z.unknown().optional() }),
});

/** Settlements and their cancellations (reference §2.8); 2304/2305/2401 are inpatient, not simulated. */
const REVERSIBLE = ['2102', '2103', '2207', '2208'];

const reversalSchema = z.object({
  data: z.object({
    psn_no: text(30),
    omsgid: text(30),
    oinfno: z.string({ error: 'must be a string' })
      .refine((v) => REVERSIBLE.includes(v), 'must be 2102, 2103, 2207 or 2208 (the reversible settlement transactions)'),
  }),
});

/** Give back exactly what the settlement took; take it out of the year's totals. */
export function undoEffects(ctx: TxContext, s: SettlementRow): void {
  for (const d of ctx.ledger.debitsOf(s.setl_id)) ctx.people.credit(d.psn_no, d.kind, d.amount);
  ctx.people.addYtdOf(s.ytd_kind, s.psn_no, s.year, -s.inscp, -s.hifp);
}

/** Re-apply a cancelled settlement (reversal of its 2103 or 2208); refused if the money is gone since. */
function redoEffects(ctx: TxContext, s: SettlementRow): void {
  for (const d of ctx.ledger.debitsOf(s.setl_id)) {
    if (!ctx.people.debit(d.psn_no, d.kind, d.amount)) throw new Refusal('REVERSAL_IMPOSSIBLE', '账户余额已不足，无法冲正该撤销交易');
  }
  ctx.people.addYtdOf(s.ytd_kind, s.psn_no, s.year, s.inscp, s.hifp);
}

/** The fee details a 2207 covered (kept in its saved split), for a 2601 of its 2208. */
function reattachDetails(ctx: TxContext, s: SettlementRow): void {
  const sns = (JSON.parse(s.split) as { feedetl_sns?: string[] }).feedetl_sns ?? [];
  const unsettled = new Set(ctx.visits.unsettled(s.mdtrt_id).map((d) => d.feedetl_sn));
  if (ctx.visits.liveSettlement(s.mdtrt_id) || !sns.every((sn) => unsettled.has(sn))) {
    throw new Refusal('REVERSAL_IMPOSSIBLE', '费用明细已撤销或已重新结算，无法冲正该结算撤销交易');
  }
  ctx.visits.attach(s.mdtrt_id, sns, s.setl_id);
}

function cancelOutput(ctx: TxContext, env: Envelope, s: SettlementRow, time: string) {
  const saved = JSON.parse(s.split) as { split: Split; ratio_bp: number; wallet: boolean };
  const sp = saved.split;
  const p = ctx.people.person(s.psn_no);
  return {
    setlinfo: {
      mdtrt_id: s.mdtrt_id, setl_id: s.setl_id, clr_optins: s.clr_optins, setl_time: time, ...moneyFields(sp, saved.ratio_bp, -1),
      psn_pay: num(-sp.psn_part_amt), cash_payamt: num(-sp.psn_cash_pay),
      balc: num(p && p.insutype === '310' ? p.acct_balc : 0), medins_setl_id: env.msgid,
      ...(saved.wallet ? { wlt_pay: num(-sp.wlt_pay), wlt_balc: num(p?.wlt_balc ?? 0) } : {}),
    },
    setldetail: setldetail(sp, s.insutype, -1),
  };
}

export const cancel: Handler = (ctx, env) => {
  const { data } = parseInput(cancelSchema, env.input);
  return ctx.db.transaction(() => {
    const prior = ctx.ledger.message(env.msgid);
    if (prior) return replay(prior, '2103');
    const s = ctx.ledger.settlement(data.setl_id);
    // a 2207 (clr_type 11) is cancelled by 2208, not by the pharmacy's 2103
    if (!s || s.clr_type !== '41' || s.fixmedins_code !== env.fixmedins_code || s.mdtrt_id !== data.mdtrt_id || s.psn_no !== data.psn_no) {
      throw new Refusal('SETL_NOT_FOUND', '未找到该结算记录');
    }
    if (s.status !== 'live') throw new Refusal('ALREADY_CANCELLED', '该结算已撤销或已冲正');
    const time = fmtDateTime(ctx.now());
    undoEffects(ctx, s);
    ctx.ledger.setStatus(s.setl_id, 'cancelled', env.msgid, time);
    const output = cancelOutput(ctx, env, s, time);
    ctx.ledger.saveMessage({ msgid: env.msgid, infno: '2103', psn_no: s.psn_no, state: 'committed', setl_id: s.setl_id, result: JSON.stringify(output) });
    return output;
  })();
};

/** err_msg prefix of a 2601 whose original never arrived (the reference records no text; agreed with the terminal). */
export const ORIGINAL_NOT_FOUND = '原交易不存在';

/**
 * 2601: output none (infcode only). Afterwards the original has no effect. When the original never
 * arrived the answer is a refusal, and the msgid is blocked so that a late arrival cannot commit.
 */
export const reverse: Handler = (ctx, env) => {
  const { data } = parseInput(reversalSchema, env.input);
  const outcome = ctx.db.transaction((): 'done' | 'unknown' => {
    const m = ctx.ledger.message(data.omsgid);
    if (!m) {
      ctx.ledger.saveMessage({ msgid: data.omsgid, infno: data.oinfno, psn_no: data.psn_no, state: 'blocked', setl_id: null, result: null });
      return 'unknown';
    }
    if (m.infno !== data.oinfno) throw new Refusal('REVERSAL_CONFLICT', `原报文的交易编号为${m.infno}，与oinfno不符`);
    if (m.psn_no !== data.psn_no) throw new Refusal('REVERSAL_CONFLICT', '原报文的人员编号与psn_no不符');
    if (m.state === 'blocked') return 'unknown';
    if (m.state === 'reversed') return 'done';
    const s = ctx.ledger.settlement(m.setl_id ?? '');
    if (!s) throw new Refusal('REVERSAL_CONFLICT', '原报文无对应结算记录');
    if (m.infno === '2102' || m.infno === '2207') {
      if (s.status === 'live') undoEffects(ctx, s);
      ctx.ledger.setStatus(s.setl_id, 'reversed', null, null);
      if (m.infno === '2207') ctx.visits.detach(s.setl_id);
    } else {
      if (s.status !== 'cancelled' || s.cancel_msgid !== m.msgid) throw new Refusal('REVERSAL_CONFLICT', '原结算已冲正，不能冲正该撤销交易');
      if (m.infno === '2208') reattachDetails(ctx, s);
      redoEffects(ctx, s);
      ctx.ledger.setStatus(s.setl_id, 'live', null, null);
    }
    ctx.ledger.setMessageState(m.msgid, 'reversed');
    return 'done';
  })();
  if (outcome === 'unknown') throw new Refusal('ORIGINAL_NOT_FOUND', `${ORIGINAL_NOT_FOUND}: 报文ID ${data.omsgid} 未被接收`);
  return {};
};
