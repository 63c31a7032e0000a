// 2208 门诊结算撤销 (reference §2.16). As observed in real traffic (NM capture, NW storage) the answer
// is a full 2207-style setlinfo with NEGATIVE amounts and psn_cash_pay (pdn_cash_pay, the spec tables'
// spelling, is sent too); setl_id is the original's, medins_setl_id the 2208 msgid, setl_time the
// cancel time, balc the balance after the refund. Every fen goes back where it came from; the visit's
// fee details are unsettled again (2205 may remove them, 2202 then cancel the registration).
import { fenToNumber as num } from '../decimal';
import type { Split } from '../policy';
import { fmtDateTime } from '../time';
import { parseInput, Refusal, type Handler } from './context';
import { undoEffects } from './cancel';
import { unsettleSchema } from './outpatient-input';
import type { SavedOutpatient } from './outpatient-settle';
import { once, ownVisit } from './outpatient-visit';
import { setldetail, setlinfo } from './setlinfo';

/** Every amount of a split with its sign turned (givers' debits are not part of the answer). */
function negated(s: Split): Split {
  const out = { ...s };
  for (const [k, v] of Object.entries(s)) if (typeof v === 'number') (out as unknown as Record<string, number>)[k] = v === 0 ? 0 : -v;
  return out;
}

export const cancelVisitSettlement: Handler = (ctx, env) => {
  const { data } = parseInput(unsettleSchema, env.input);
  return once(ctx, env, () => {
    const visit = ownVisit(ctx, env, data.mdtrt_id, data.psn_no);
    const s = ctx.ledger.settlement(data.setl_id);
    if (!s || s.clr_type !== '11' || s.mdtrt_id !== visit.mdtrt_id) throw new Refusal('SETL_NOT_FOUND', `未找到该就诊的结算记录: 结算ID ${data.setl_id}`);
    if (s.status !== 'live') throw new Refusal('ALREADY_CANCELLED', '该结算已撤销或已冲正');
    const time = fmtDateTime(ctx.now());
    undoEffects(ctx, s);
    ctx.ledger.setStatus(s.setl_id, 'cancelled', env.msgid, time);
    ctx.visits.detach(s.setl_id);
    const saved = JSON.parse(s.split) as SavedOutpatient;
    const p = ctx.people.person(s.psn_no);
    if (!p) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
    const split = negated(saved.split);
    const info = setlinfo({
      person: p, ratioBp: saved.ratio_bp, split, msgid: env.msgid, mdtrtId: s.mdtrt_id, setlId: s.setl_id, setlTime: time, medType: saved.med_type,
      mdtrtCertType: saved.mdtrt_cert_type, clrOptins: s.clr_optins, clrType: '11', now: ctx.now(),
      balcAfter: p.insutype === '310' ? p.acct_balc : 0, walletAfter: saved.wallet ? p.wlt_balc : null,
    });
    const output = {
      setlinfo: { ...info, hosp_part_amt: num(0), pdn_cash_pay: info.psn_cash_pay },
      setldetail: setldetail(split, p.insutype),
    };
    return { psn_no: s.psn_no, setl_id: s.setl_id, output };
  });
};
