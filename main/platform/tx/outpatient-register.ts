/**
 * 2201 门诊挂号 and 2202 门诊挂号撤销 (reference §2.9, §2.10). 2201: input `data`, output `data{mdtrt_id,
 * psn_no, ipt_otp_no}`; 2202: input `data{psn_no, mdtrt_id, ipt_otp_no}`, no output.
 */
import { z } from 'zod';
import type { Registration, RegisterRequest } from '../outpatient-domain';
import { idText } from '../wire';

export function registerInput(r: RegisterRequest) {
  return {
    data: {
      psn_no: r.psnNo,
      insutype: r.insutype,
      begntime: r.begntime,
      mdtrt_cert_type: r.credential.mdtrtCertType,
      mdtrt_cert_no: r.credential.mdtrtCertNo,
      ipt_otp_no: r.iptOtpNo,
      atddr_no: r.doctor.code,
      dr_name: r.doctor.name,
      dept_code: r.dept.code,
      dept_name: r.dept.name,
      caty: r.dept.caty,
    },
  };
}

export const registerOutputSchema = z
  .object({ data: z.object({ mdtrt_id: idText, psn_no: idText, ipt_otp_no: idText }) })
  .transform(({ data }): Registration => ({ mdtrtId: data.mdtrt_id, psnNo: data.psn_no, iptOtpNo: data.ipt_otp_no }));

export function unregisterInput(psnNo: string, mdtrtId: string, iptOtpNo: string) {
  return { data: { psn_no: psnNo, mdtrt_id: mdtrtId, ipt_otp_no: iptOtpNo } };
}
