// Inputs of the hospital outpatient transactions 2201-2208 (reference §2.9-§2.16, FEEDETL of §2.0).
// Required fields are the reference's "Y"; optional ones may be absent, null or "".
import { z } from 'zod';
import { count, lineAmountFen, money, quantity, unitPrice } from '../decimal';
import { code, date, dateTime, flag01, INSUTYPES, MDTRT_CERT_TYPES, optional, text } from '../fields';
import { fenToYuan } from '../money';

/** 普通门诊, 门诊挂号, 急诊, 门诊慢特病 (reference §3); 15/16 mean different things by region. */
export const MED_TYPES_OUTPATIENT = ['11', '12', '13', '14'] as const;
const medType = code(MED_TYPES_OUTPATIENT, 'outpatient med_type');
const opt = (max: number) => optional(z.string({ error: 'must be a string' }).max(max, `at most ${max} characters`));

const patient = {
  psn_no: text(30),
  insutype: code(INSUTYPES, 'insutype'),
  mdtrt_cert_type: code(MDTRT_CERT_TYPES, 'mdtrt_cert_type'),
  mdtrt_cert_no: text(50),
};

export const registerSchema = z.object({
  data: z.object({
    ...patient,
    begntime: dateTime,
    ipt_otp_no: text(30),
    atddr_no: text(30),
    dr_name: text(50),
    dept_code: text(30),
    dept_name: text(100),
    caty: text(6),
    exp_content: optional(z.unknown()),
  }),
});

export const unregisterSchema = z.object({
  data: z.object({ psn_no: text(30), mdtrt_id: text(30), ipt_otp_no: text(30), exp_content: optional(z.unknown()) }),
});

const diagnosis = z.object({
  diag_type: code(['1', '2', '3'], 'diag_type'),
  diag_srt_no: count,
  diag_code: text(20),
  diag_name: text(100),
  diag_dept: text(50),
  dise_dor_no: text(30),
  dise_dor_name: text(50),
  diag_time: dateTime,
  vali_flag: flag01,
});

export const mdtrtinfoSchema = z.object({
  mdtrtinfo: z.object({
    mdtrt_id: text(30),
    psn_no: text(30),
    med_type: medType,
    begntime: dateTime,
    main_cond_dscr: opt(1000),
    dise_codg: opt(30),
    dise_name: opt(500),
    birctrl_type: opt(6),
    birctrl_matn_date: optional(date),
    matn_type: opt(6), // 2203A
    geso_val: optional(count), // 2203A
    exp_content: optional(z.unknown()),
  }),
  diseinfo: z.array(diagnosis, { error: 'must be a list' }).min(1, 'must have at least one diagnosis'),
});

const feeLine = z.object({
  feedetl_sn: text(30),
  mdtrt_id: text(30),
  psn_no: text(30),
  chrg_bchno: text(30),
  dise_codg: opt(30),
  rxno: opt(30),
  rx_circ_flag: flag01,
  fee_ocur_time: dateTime,
  med_list_codg: text(50),
  medins_list_codg: text(150),
  det_item_fee_sumamt: money,
  cnt: quantity,
  pric: unitPrice,
  sin_dos_dscr: opt(200),
  used_frqu_dscr: opt(200),
  prd_days: optional(z.unknown()),
  medc_way_dscr: opt(200),
  bilg_dept_codg: text(30),
  bilg_dept_name: text(100),
  bilg_dr_codg: text(30),
  bilg_dr_name: text(50),
  acord_dept_codg: opt(30),
  acord_dept_name: opt(100),
  orders_dr_code: opt(30),
  orders_dr_name: opt(50),
  hosp_appr_flag: code(['0', '1', '2'], 'hosp_appr_flag'),
  tcmdrug_used_way: opt(6),
  etip_flag: opt(3),
  etip_hosp_code: opt(30),
  dscg_tkdrug_flag: opt(3),
  matn_fee_flag: opt(6),
  exp_content: optional(z.unknown()),
});

export const feesSchema = z.object({
  feedetail: z.array(feeLine, { error: 'must be a list' }).min(1, 'must have at least one line'),
}).superRefine((inp, ctx) => {
  const first = inp.feedetail[0];
  const sns = new Set<string>();
  const diseOfBatch = new Map<string, string | undefined>();
  inp.feedetail.forEach((l, i) => {
    const at = (field: string) => ['feedetail', i, field];
    const due = lineAmountFen(l.pric, l.cnt);
    if (l.det_item_fee_sumamt !== due) {
      ctx.addIssue({ code: 'custom', path: at('det_item_fee_sumamt'), message: `must equal pric × cnt rounded half-up to the fen (${fenToYuan(due)})` });
    }
    if (first && l.mdtrt_id !== first.mdtrt_id) ctx.addIssue({ code: 'custom', path: at('mdtrt_id'), message: 'one 2204 uploads the details of one visit (as feedetail[0])' });
    if (first && l.psn_no !== first.psn_no) ctx.addIssue({ code: 'custom', path: at('psn_no'), message: 'must be the same person as feedetail[0]' });
    if (sns.has(l.feedetl_sn)) ctx.addIssue({ code: 'custom', path: at('feedetl_sn'), message: 'duplicate in this upload' });
    sns.add(l.feedetl_sn);
    // reference §2.0 FEEDETL chrg_bchno: 同一收费批次号病种编号必须一致
    if (diseOfBatch.has(l.chrg_bchno) && diseOfBatch.get(l.chrg_bchno) !== l.dise_codg) {
      ctx.addIssue({ code: 'custom', path: at('dise_codg'), message: `must be the same for every line of batch ${l.chrg_bchno}` });
    }
    diseOfBatch.set(l.chrg_bchno, l.dise_codg);
  });
});
export type FeesInput = z.infer<typeof feesSchema>;

export const removeFeesSchema = z.object({
  data: z.object({ mdtrt_id: text(30), chrg_bchno: text(30), psn_no: text(30), exp_content: optional(z.unknown()) }),
});

const preSettleData = {
  ...patient,
  med_type: medType,
  medfee_sumamt: money,
  psn_setlway: code(['01', '02'], 'psn_setlway'),
  mdtrt_id: text(30),
  chrg_bchno: text(30),
  acct_used_flag: flag01,
  exp_content: optional(z.unknown()),
  // This project's wallet extension: absent means "no wallet".
  wlt_used_flag: optional(flag01),
  wlt_pay_limit: optional(money),
};

export const preSettleSchema = z.object({ data: z.object(preSettleData) });
export type PreSettleData = z.infer<typeof preSettleSchema>['data'];

export const settleSchema = z.object({
  data: z.object({
    ...preSettleData,
    invono: opt(20),
    // copied from the 2206 answer (reference §2.15)
    fulamt_ownpay_amt: money,
    overlmt_selfpay: money,
    preselfpay_amt: money,
    inscp_scp_amt: money,
    pub_hosp_rfom_flag: opt(3),
    minpacunt_drug_trac_cnt: optional(count),
    mcs_trac_cnt: optional(count),
    return_invono: opt(20),
    return_date: opt(19),
  }),
});
export type SettleData = z.infer<typeof settleSchema>['data'];

export const unsettleSchema = z.object({
  data: z.object({ setl_id: text(30), mdtrt_id: text(30), psn_no: text(30), exp_content: optional(z.unknown()) }),
});
