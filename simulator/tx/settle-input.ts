// 2101/2102 input: `druginfo` + `drugdetail[]` (reference §2.5, §2.6). Required fields are those of
// the reference's tables that pharmacy clients send (the §2.6 example); the rest may be absent or null.
import { z } from 'zod';
import { count, lineAmountFen, money, quantity, unitPrice } from '../decimal';
import { code, dateTime, flag01, INSUTYPES, MDTRT_CERT_TYPES, optional, text } from '../fields';
import { fenToYuan } from '../money';

const drugLine = z.object({
  feedetl_sn: text(30),
  rxno: optional(z.string().max(30, 'at most 30 characters')),
  rx_circ_flag: flag01,
  fee_ocur_time: dateTime,
  med_list_codg: text(50),
  medins_list_codg: text(150),
  det_item_fee_sumamt: money,
  cnt: quantity,
  pric: unitPrice,
  sin_dos_dscr: optional(z.string().max(200, 'at most 200 characters')),
  used_frqu_dscr: optional(z.string().max(200, 'at most 200 characters')),
  prd_days: optional(z.unknown()),
  medc_way_dscr: optional(z.string().max(200, 'at most 200 characters')),
  // FEEDETL marks the doctor Y, but pharmacy clients send none for OTC sales (§2.6 example).
  bilg_dr_codg: optional(z.string().max(30, 'at most 30 characters')),
  bilg_dr_name: optional(z.string().max(50, 'at most 50 characters')),
  tcmdrug_used_way: optional(z.string().max(6, 'at most 6 characters')),
});

const druginfo = z.object({
  psn_no: text(30),
  mdtrt_cert_type: code(MDTRT_CERT_TYPES, 'mdtrt_cert_type'),
  mdtrt_cert_no: text(50),
  begntime: dateTime,
  medfee_sumamt: money,
  insutype: code(INSUTYPES, 'insutype'),
  dise_codg: optional(z.string().max(30, 'at most 30 characters')),
  dise_name: optional(z.string().max(500, 'at most 500 characters')),
  acct_used_flag: flag01,
  med_type: z.string({ error: 'must be a string' })
    .refine((v) => v === '41' || v === '14', 'must be 41 (定点药店购药) or 14 (门诊慢特病) at a pharmacy'),
  invono: optional(z.string().max(20, 'at most 20 characters')),
  exp_content: optional(z.unknown()),
  minpacunt_drug_trac_cnt: optional(count),
  mcs_trac_cnt: optional(count),
  // This project's wallet extension: absent means "no wallet".
  wlt_used_flag: optional(flag01),
  wlt_pay_limit: optional(money),
});

export const settleSchema = z.object({
  druginfo,
  drugdetail: z.array(drugLine, { error: 'must be a list' }).min(1, 'must have at least one line'),
}).superRefine((inp, ctx) => {
  const d = inp.druginfo;
  if (d.med_type === '14' && !d.dise_codg) {
    ctx.addIssue({ code: 'custom', path: ['druginfo', 'dise_codg'], message: 'required for med_type 14 (门诊慢特病)' });
  }
  const sns = new Set<string>();
  inp.drugdetail.forEach((l, i) => {
    const due = lineAmountFen(l.pric, l.cnt);
    if (l.det_item_fee_sumamt !== due) {
      ctx.addIssue({ code: 'custom', path: ['drugdetail', i, 'det_item_fee_sumamt'], message: `must equal pric × cnt rounded half-up to the fen (${fenToYuan(due)})` });
    }
    if (sns.has(l.feedetl_sn)) ctx.addIssue({ code: 'custom', path: ['drugdetail', i, 'feedetl_sn'], message: 'duplicate in this sale' });
    sns.add(l.feedetl_sn);
  });
  const total = inp.drugdetail.reduce((a, l) => a + l.det_item_fee_sumamt, 0);
  if (total !== d.medfee_sumamt) {
    ctx.addIssue({ code: 'custom', path: ['druginfo', 'medfee_sumamt'], message: `must equal the sum of drugdetail det_item_fee_sumamt (${fenToYuan(total)})` });
  } else if (total === 0) {
    ctx.addIssue({ code: 'custom', path: ['druginfo', 'medfee_sumamt'], message: 'must be greater than 0' });
  }
});
export type SettleInput = z.infer<typeof settleSchema>;
