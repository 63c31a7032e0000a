// 2201 门诊挂号, 2202 门诊挂号撤销, 2203/2203A 门诊就诊信息上传 (reference §2.9-§2.11), and the rules
// every outpatient transaction shares: a visit (mdtrt_id) belongs to one person and one institution;
// a cancelled or settled visit takes no more changes; a msgid seen before answers its first result.
import type { PersonRow } from '../db';
import type { Envelope } from '../envelope';
import type { OutpatientPolicy } from '../fixture';
import type { VisitRow } from '../repo/visits';
import { fmtCompact } from '../time';
import { fieldRefusal, parseInput, Refusal, type Handler, type Out, type TxContext } from './context';
import { mdtrtinfoSchema, registerSchema, unregisterSchema } from './outpatient-input';
import { patientFor, replay } from './settle';

/** Run a writing transaction once per msgid: a msgid seen before answers the first result again. */
export function once(ctx: TxContext, env: Envelope, work: () => { psn_no: string; output: Out; setl_id?: string }): Out {
  return ctx.db.transaction(() => {
    const prior = ctx.ledger.message(env.msgid);
    if (prior) return replay(prior, env.infno);
    const r = work();
    ctx.ledger.saveMessage({ msgid: env.msgid, infno: env.infno, psn_no: r.psn_no, state: 'committed', setl_id: r.setl_id ?? null, result: JSON.stringify(r.output) });
    return r.output;
  })();
}

/** The visit, if it is this institution's and this person's. */
export function ownVisit(ctx: TxContext, env: Envelope, mdtrtId: string, psnNo: string): VisitRow {
  const visit = ctx.visits.visit(mdtrtId);
  if (!visit || visit.fixmedins_code !== env.fixmedins_code) throw new Refusal('VISIT_NOT_FOUND', `未找到就诊记录: 就诊ID ${mdtrtId}`);
  if (visit.psn_no !== psnNo) throw new Refusal('VISIT_OTHER_PERSON', `就诊ID ${mdtrtId} 不属于该参保人，不能办理`);
  return visit;
}

/** The visit, registered (not cancelled) and not settled: it may still change. */
export function openVisit(ctx: TxContext, env: Envelope, mdtrtId: string, psnNo: string): VisitRow {
  const visit = ownVisit(ctx, env, mdtrtId, psnNo);
  if (visit.status !== 'registered') throw new Refusal('VISIT_CANCELLED', '该就诊已撤销挂号');
  if (ctx.visits.liveSettlement(mdtrtId)) throw new Refusal('VISIT_SETTLED', '该就诊已结算，请先撤销结算(2208)');
  return visit;
}

/** The outpatient policy of the person's insured pooled region. */
export function outpatientPolicy(ctx: TxContext, person: PersonRow): OutpatientPolicy {
  const policy = ctx.people.region(ctx.people.poolOf(person.insuplc_admdvs))?.outpatient;
  if (!policy) throw new Refusal('REGION_UNKNOWN', `参保地${person.insuplc_admdvs}无门诊待遇政策`);
  return policy;
}

export const register: Handler = (ctx, env) => {
  const { data } = parseInput(registerSchema, env.input);
  return once(ctx, env, () => {
    const person = patientFor(ctx, env, data, 'input.data');
    outpatientPolicy(ctx, person);
    const taken = ctx.visits.registeredByOtpNo(env.fixmedins_code, data.ipt_otp_no);
    if (taken) throw new Refusal('VISIT_DUPLICATE', `门诊号${data.ipt_otp_no}已挂号(就诊ID ${taken.psn_no === person.psn_no ? taken.mdtrt_id : '属于他人'})`);
    const seq = ctx.visits.nextVisitSeq();
    const mdtrtId = `V${ctx.people.poolOf(env.mdtrtarea_admvs)}${fmtCompact(ctx.now()).slice(0, 8)}${String(seq).padStart(8, '0')}`;
    ctx.visits.saveVisit({
      mdtrt_id: mdtrtId, seq, psn_no: person.psn_no, insutype: person.insutype, fixmedins_code: env.fixmedins_code,
      ipt_otp_no: data.ipt_otp_no, begntime: data.begntime, registration: JSON.stringify(data),
    });
    return { psn_no: person.psn_no, output: { data: { mdtrt_id: mdtrtId, psn_no: person.psn_no, ipt_otp_no: data.ipt_otp_no, exp_content: null } } };
  });
};

export const unregister: Handler = (ctx, env) => {
  const { data } = parseInput(unregisterSchema, env.input);
  return once(ctx, env, () => {
    const visit = openVisit(ctx, env, data.mdtrt_id, data.psn_no);
    if (visit.ipt_otp_no !== data.ipt_otp_no) throw fieldRefusal('input.data.ipt_otp_no', `must be the visit's ipt_otp_no ${visit.ipt_otp_no}`);
    const left = ctx.visits.unsettled(visit.mdtrt_id).length;
    if (left > 0) throw new Refusal('FEE_DETAILS_REMAIN', `该就诊尚有${left}条费用明细，请先撤销费用明细(2205)`);
    ctx.visits.cancelVisit(visit.mdtrt_id);
    return { psn_no: visit.psn_no, output: {} };
  });
};

/** 2203 and 2203A: the visit's medical type and diagnoses (each from the catalog); sent again, it replaces them. */
export const uploadMdtrtinfo: Handler = (ctx, env) => {
  const input = parseInput(mdtrtinfoSchema, env.input);
  const m = input.mdtrtinfo;
  return once(ctx, env, () => {
    const visit = openVisit(ctx, env, m.mdtrt_id, m.psn_no);
    input.diseinfo.forEach((d, i) => {
      if (!ctx.visits.diagnosis(d.diag_code)) {
        throw fieldRefusal(`input.diseinfo[${i}].diag_code`, `not in the diagnosis catalog (${d.diag_code})`, 'DIAGNOSIS_NOT_FOUND');
      }
    });
    if (m.dise_codg && !ctx.visits.diagnosis(m.dise_codg)) {
      throw fieldRefusal('input.mdtrtinfo.dise_codg', `not in the diagnosis catalog (${m.dise_codg})`, 'DIAGNOSIS_NOT_FOUND');
    }
    let chronic: string | null = null;
    if (m.med_type === '14') {
      const candidates = [m.dise_codg, ...input.diseinfo.filter((d) => d.vali_flag === '1').map((d) => d.diag_code)];
      const opensChronic = (c: string | undefined) => {
        const kind = c === undefined ? undefined : ctx.visits.diagnosis(c)?.kind;
        return kind === 'chronic' || kind === 'special';
      };
      chronic = candidates.find(opensChronic) ?? null;
      if (!chronic) {
        throw fieldRefusal('input.mdtrtinfo.dise_codg', 'med_type 14 (门诊慢特病) needs a chronic or special diagnosis of the catalog (dise_codg or a valid diseinfo row)', 'CHRONIC_DIAGNOSIS_REQUIRED');
      }
    }
    ctx.visits.saveMdtrtinfo(visit.mdtrt_id, m.med_type, m.dise_codg ?? null, chronic, JSON.stringify(input));
    return { psn_no: visit.psn_no, output: {} };
  });
};
