/**
 * The request envelope (reference §1.1): every field the specification requires, and of the optional
 * ones only those the province profile lists. Nothing else: a gateway may refuse an unknown key.
 */
import { wants, type ProvinceProfile } from './profile';

export interface CounterIdentity {
  fixmedinsCode: string;
  fixmedinsName: string;
  mdtrtareaAdmvs: string;
  opter: string;
  opterName: string;
  devNo: string;
  mac: string;
  ip: string;
}

export interface EnvelopeHeader {
  infno: string;
  msgid: string;
  /** Required when the input carries psn_no; "" when unknown (a local patient's 1101). */
  insuplcAdmdvs: string;
  signNo: string;
  infTime: string;
}

export function buildEnvelope(
  h: EnvelopeHeader,
  c: CounterIdentity,
  profile: ProvinceProfile,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    infno: h.infno,
    msgid: h.msgid,
    mdtrtarea_admvs: c.mdtrtareaAdmvs,
    insuplc_admdvs: h.insuplcAdmdvs,
    recer_sys_code: profile.recerSysCode,
    infver: profile.infver,
    opter_type: '1',
    opter: c.opter,
    opter_name: c.opterName,
    inf_time: h.infTime,
    fixmedins_code: c.fixmedinsCode,
    fixmedins_name: c.fixmedinsName,
  };
  if (wants(profile, 'envelope.dev_no')) envelope.dev_no = c.devNo;
  if (wants(profile, 'envelope.dev_safe_info')) envelope.dev_safe_info = '';
  if (wants(profile, 'envelope.cainfo')) envelope.cainfo = '';
  if (wants(profile, 'envelope.signtype')) envelope.signtype = '';
  // 9001 itself goes with an empty sign_no (IT); afterwards the operator's.
  if (wants(profile, 'envelope.sign_no')) envelope.sign_no = h.signNo;
  envelope.input = input;
  return envelope;
}
