// Who a credential belongs to, where he is insured, and 1101 人员信息获取 (reference §2.3).
// A gateway answers 1101 from the insured place's system: without insuplc_admdvs it searches the
// counter's province; a patient insured elsewhere is found only when insuplc_admdvs names his place.
import { z } from 'zod';
import type { PersonRow } from '../db';
import type { Envelope } from '../envelope';
import { code, MDTRT_CERT_TYPES, optional, PSN_CERT_TYPES, text } from '../fields';
import { ageOn, fmtDate } from '../time';
import { fenToNumber as num } from '../decimal';
import { parseInput, Refusal, type Handler, type TxContext } from './context';
import { directGivers } from './payers';

const personInfoSchema = z.object({
  data: z.object({
    mdtrt_cert_type: code(MDTRT_CERT_TYPES, 'mdtrt_cert_type'),
    mdtrt_cert_no: text(50),
    card_sn: optional(z.string().max(32, 'at most 32 characters')),
    begntime: optional(z.string()),
    psn_cert_type: optional(code(PSN_CERT_TYPES, 'psn_cert_type')),
    certno: optional(z.string().max(50, 'at most 50 characters')),
    psn_name: optional(z.string().max(50, 'at most 50 characters')),
  }).superRefine((d, ctx) => {
    // reference §2.3: card_sn is required when the credential is a social security card
    if (d.mdtrt_cert_type === '03' && !d.card_sn) ctx.addIssue({ code: 'custom', path: ['card_sn'], message: 'required for mdtrt_cert_type 03' });
  }),
});

/** The holder of a credential: 01 ecToken, 02 ID number, 03 card number (+ card_sn when given). */
export function holderOf(ctx: TxContext, type: string, no: string, cardSn?: string): PersonRow {
  let psnNo: string | undefined;
  if (type === '01') {
    psnNo = ctx.people.tokenOwner(no);
    if (!psnNo) throw new Refusal('CREDENTIAL_NOT_FOUND', '电子凭证令牌无效或已失效');
  } else if (type === '02') {
    psnNo = ctx.people.psnNoByCertno(no);
    if (!psnNo) throw new Refusal('PERSON_NOT_FOUND', '未查询到该证件号码的参保信息');
  } else {
    const card = ctx.people.card(no);
    if (!card) throw new Refusal('CREDENTIAL_NOT_FOUND', '社保卡卡号不存在');
    if (cardSn !== undefined && card.card_sn !== cardSn) throw new Refusal('CREDENTIAL_MISMATCH', '社保卡卡号与卡识别码不匹配');
    psnNo = card.psn_no;
  }
  const person = ctx.people.person(psnNo);
  if (!person) throw new Refusal('PERSON_NOT_FOUND', '未查询到参保人员信息');
  return person;
}

/** The envelope's insuplc_admdvs, when given, must name the person's pooled region (a district code counts). */
export function checkInsuplc(ctx: TxContext, env: Envelope, person: PersonRow): void {
  const given = env.insuplc_admdvs;
  if (given && ctx.people.poolOf(given) !== ctx.people.poolOf(person.insuplc_admdvs)) {
    throw new Refusal('INSUPLC_MISMATCH', `参保地${given}与参保信息(${person.insuplc_admdvs})不符`);
  }
}

export const personInfo: Handler = (ctx, env) => {
  const { data } = parseInput(personInfoSchema, env.input);
  const p = holderOf(ctx, data.mdtrt_cert_type, data.mdtrt_cert_no, data.card_sn);
  const outOfProvince = p.insuplc_admdvs.slice(0, 2) !== env.mdtrtarea_admvs.slice(0, 2);
  // The 医保码 token is national; an ID number or card is looked up at the insured place the envelope names.
  if (data.mdtrt_cert_type !== '01' && outOfProvince && !env.insuplc_admdvs) {
    throw new Refusal('PERSON_NOT_FOUND', '本省未查询到参保信息（异地参保人员请传入参保地医保区划 insuplc_admdvs）');
  }
  checkInsuplc(ctx, env, p);
  if (data.certno && data.certno !== p.certno) throw new Refusal('CREDENTIAL_MISMATCH', '证件号码与凭证持有人不符');
  if (data.psn_name && data.psn_name !== p.psn_name) throw new Refusal('CREDENTIAL_MISMATCH', '姓名与凭证持有人不符');
  const givers = directGivers(ctx, p);
  const supplementary = JSON.parse(p.supplementary) as string[];
  return {
    baseinfo: {
      psn_no: p.psn_no, psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name, gend: p.gend, naty: '01',
      brdy: p.brdy, age: ageOn(p.brdy, ctx.now()), exp_content: null,
    },
    insuinfo: [{
      balc: num(p.acct_balc), insutype: p.insutype, psn_type: p.psn_type, psn_insu_stas: p.psn_insu_stas,
      psn_insu_date: p.psn_insu_date, paus_insu_date: p.psn_insu_stas === '2' ? fmtDate(ctx.now()) : null,
      cvlserv_flag: supplementary.includes('cvlserv') ? '1' : '0', insuplc_admdvs: p.insuplc_admdvs, emp_name: p.emp_name,
      // project extension: mutual-aid money the holder may use here, and whose it is, in debit order
      mulaid_balc: num(givers.reduce((a, g) => a + g.balance, 0)),
      mulaid_gvr_list: givers.map((g) => ({ gvr_psn_no: g.psn_no, gvr_balc: num(g.balance) })),
    }],
    idetinfo: [],
    wltinfo: { wlt_balc: num(p.wlt_balc), wlt_open_flag: p.wlt_open ? '1' : '0' }, // project extension
  };
};
