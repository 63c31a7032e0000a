/** 1101 人员信息获取 (reference §2.3) and the local 医保码 decode ec.query (§2.4). */
import { z } from 'zod';
import type { Credential, Insutype, PersonInfo, QrIdentity } from '../domain';
import { wants, type ProvinceProfile } from '../profile';
import { admdvs, idText, optionalText, text, zeroMoney } from '../wire';

// ---------- ec.query ----------

export function qrQueryBody(fixmedinsCode: string, payload: string) {
  return { transType: 'ec.query', businessType: '01101', orgId: fixmedinsCode, data: { qrCode: payload } };
}

export const qrQueryResponseSchema = z.object({
  code: z.union([z.number(), z.string()]).transform(Number),
  message: optionalText,
  data: z.unknown().optional(),
});

export const qrQueryDataSchema = z
  .object({
    ecToken: idText,
    idNo: idText,
    idType: optionalText,
    userName: text.pipe(z.string().min(1, 'required')),
    insuOrg: admdvs,
  })
  .transform((d): QrIdentity => ({ ...d, idType: d.idType || '01' }));

// ---------- 1101 ----------

export function personQueryInput(c: Credential, begntime: string, profile: ProvinceProfile) {
  const data: Record<string, string> = { mdtrt_cert_type: c.mdtrtCertType, mdtrt_cert_no: c.mdtrtCertNo };
  // card_sn is required with a card (03) and means nothing otherwise.
  if (c.mdtrtCertType === '03') data.card_sn = c.cardSn ?? '';
  if (wants(profile, '1101.begntime')) data.begntime = begntime;
  if (c.certno && wants(profile, '1101.psn_cert_type')) data.psn_cert_type = '01';
  if (c.certno && wants(profile, '1101.certno')) data.certno = c.certno;
  if (c.psnName && wants(profile, '1101.psn_name')) data.psn_name = c.psnName;
  return { data };
}

const insuinfoSchema = z.object({
  balc: zeroMoney,
  insutype: text,
  psn_type: optionalText,
  psn_insu_stas: optionalText,
  cvlserv_flag: optionalText,
  insuplc_admdvs: admdvs,
  emp_name: optionalText,
  mulaid_balc: zeroMoney,
  mulaid_gvr_list: z
    .array(z.object({ gvr_psn_no: idText, gvr_balc: zeroMoney }))
    .nullable()
    .optional()
    .transform((l) => l?.map((g) => ({ psnNo: g.gvr_psn_no, balanceFen: g.gvr_balc })) ?? null),
});

export const personOutputSchema = z
  .object({
    baseinfo: z.object({
      psn_no: idText,
      certno: idText,
      psn_name: text.pipe(z.string().min(1, 'required')),
      gend: optionalText,
      brdy: optionalText,
      // N(4,1): 69.2 years old is a real answer.
      age: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().min(0).max(150)),
    }),
    insuinfo: z.array(insuinfoSchema).min(1, 'the person has no insurance record'),
    wltinfo: z.object({ wlt_balc: zeroMoney, wlt_open_flag: z.enum(['0', '1']) }).nullable().optional(),
  })
  .transform((o, ctx): PersonInfo => {
    // Settled under employee (310) or resident (390) insurance; the row in normal standing first, 310 first.
    const usable = o.insuinfo.filter((i) => i.insutype === '310' || i.insutype === '390');
    const insu =
      usable.find((i) => i.insutype === '310' && i.psn_insu_stas === '1') ??
      usable.find((i) => i.psn_insu_stas === '1') ??
      usable[0];
    if (!insu) {
      ctx.addIssue({ code: 'custom', path: ['insuinfo'], message: 'no 310 or 390 insurance record' });
      return z.NEVER;
    }
    return {
      psnNo: o.baseinfo.psn_no,
      certno: o.baseinfo.certno,
      psnName: o.baseinfo.psn_name,
      gend: o.baseinfo.gend,
      brdy: o.baseinfo.brdy,
      age: Math.floor(o.baseinfo.age),
      insutype: insu.insutype as Insutype,
      psnType: insu.psn_type,
      insuStas: insu.psn_insu_stas,
      insuplcAdmdvs: insu.insuplc_admdvs,
      empName: insu.emp_name,
      ownAcctFen: insu.insutype === '310' ? insu.balc : 0,
      mulaidFen: insu.mulaid_balc,
      walletFen: o.wltinfo?.wlt_balc ?? 0,
      walletOpen: o.wltinfo?.wlt_open_flag === '1',
      mulaidGivers: insu.mulaid_gvr_list,
    };
  });
