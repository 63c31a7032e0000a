// zod schemas of the request envelope and each transaction's input (docs/interface.md).
// Money fields are parsed to integer fen here, so handlers never see yuan.
import { z } from 'zod';
import { parseYuan } from './money';
import { isDate, isDateTime } from './time';

/** First problem of a failed parse as "input.data.psn_no: required". */
export function describeIssue(error: z.ZodError, prefix: string, root: unknown): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix || 'request'}: invalid`;
  const path = [...(prefix ? [prefix] : []), ...issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : String(k)))]
    .join('.').replace(/\.\[/g, '[');
  const missing = issue.code === 'invalid_type' && valueAt(root, issue.path) === undefined;
  return `${path || 'request'}: ${missing ? 'required' : issue.message}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const str = z.string({ error: 'must be a string' });
const nonEmpty = str.min(1, 'must not be empty');

export const yuan = z.union([z.string(), z.number()], { error: 'must be yuan ("12.30")' }).transform((v, ctx) => {
  const fen = parseYuan(v);
  if (fen === null || fen < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative yuan amount with at most 2 decimals' });
    return z.NEVER;
  }
  return fen;
});

const dateTime = str.refine(isDateTime, 'must be yyyy-MM-dd HH:mm:ss');
const date = str.refine(isDate, 'must be yyyy-MM-dd');
const admdvs = str.regex(/^\d{6}$/, 'must be a 6-digit region code');
const flag = z.enum(['0', '1'], { error: 'must be "0" or "1"' });

export const envelopeSchema = z.object({
  infno: str.regex(/^\d{4}$/, 'must be 4 digits'),
  msgid: str.length(30, 'must be 30 characters (fixmedins_code + yyyyMMddHHmmss + 4 digits)'),
  mdtrtarea_admvs: admdvs,
  insuplc_admdvs: str.regex(/^(\d{6})?$/, 'must be a 6-digit region code or ""'),
  recer_sys_code: str,
  dev_no: str,
  dev_safe_info: str,
  cainfo: str,
  signtype: str,
  infver: str,
  opter_type: z.enum(['1', '2', '3'], { error: 'must be "1", "2" or "3"' }),
  opter: nonEmpty,
  opter_name: str,
  inf_time: dateTime,
  fixmedins_code: str.length(12, 'must be 12 characters'),
  fixmedins_name: str,
  sign_no: str,
  input: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
}).superRefine((env, ctx) => {
  // msgid = fixmedins_code(12) + yyyyMMddHHmmss(14) + 4-digit sequence
  if (env.msgid.slice(0, 12) !== env.fixmedins_code) {
    ctx.addIssue({ code: 'custom', path: ['msgid'], message: 'must start with fixmedins_code' });
  } else if (!/^\d{18}$/.test(env.msgid.slice(12))) {
    ctx.addIssue({ code: 'custom', path: ['msgid'], message: 'must end with yyyyMMddHHmmss and a 4-digit sequence' });
  }
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const signInSchema = z.object({
  signIn: z.object({ opter_no: nonEmpty, mac: str, ip: str }),
});

export const personInfoSchema = z.object({
  data: z.object({
    mdtrt_cert_type: z.enum(['01', '02', '03'], { error: 'must be "01", "02" or "03"' }),
    mdtrt_cert_no: nonEmpty,
    card_sn: str.optional(),
    begntime: str.optional(),
    psn_cert_type: str.optional(),
    certno: str.optional(),
    psn_name: str.optional(),
  }).superRefine((d, ctx) => {
    if (d.mdtrt_cert_type === '03' && !d.card_sn) {
      ctx.addIssue({ code: 'custom', path: ['card_sn'], message: 'required for mdtrt_cert_type 03' });
    }
  }),
});

const cnt = z.union([z.number(), z.string()], { error: 'must be an integer' }).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive integer (boxes)' });
    return z.NEVER;
  }
  return n;
});

const drugLine = z.object({
  feedetl_sn: nonEmpty,
  rxno: str.optional(),
  rx_circ_flag: flag.optional(),
  fee_ocur_time: dateTime.optional(),
  med_list_codg: nonEmpty,
  medins_list_codg: str,
  det_item_fee_sumamt: yuan,
  cnt,
  pric: yuan,
  drug_trac_codg: str.optional(),
}).transform((line, ctx) => {
  const codes = line.drug_trac_codg ? line.drug_trac_codg.split(',').map((c) => c.trim()) : [];
  if (codes.some((c) => !/^\d{20}$/.test(c))) {
    ctx.addIssue({ code: 'custom', path: ['drug_trac_codg'], message: 'must be 20-digit codes joined by ","' });
  } else if (codes.length > line.cnt) {
    ctx.addIssue({ code: 'custom', path: ['drug_trac_codg'], message: 'more trace codes than cnt' });
  }
  if (line.det_item_fee_sumamt !== line.pric * line.cnt) {
    ctx.addIssue({ code: 'custom', path: ['det_item_fee_sumamt'], message: 'must equal pric * cnt' });
  }
  return { ...line, codes };
});

function settleSchema(isSettle: boolean) {
  return z.object({
    data: z.object({
      psn_no: nonEmpty,
      mdtrt_cert_type: z.enum(['01', '02', '03'], { error: 'must be "01", "02" or "03"' }),
      mdtrt_cert_no: nonEmpty,
      begntime: str.optional(),
      med_type: z.literal('41', { error: 'must be "41" (定点药店购药)' }),
      medfee_sumamt: yuan,
      psn_setlway: str.optional(),
      insutype: z.enum(['310', '390'], { error: 'must be "310" or "390"' }),
      acct_used_flag: flag,
      insuplc_admdvs: str.regex(/^(\d{6})?$/, 'must be a 6-digit region code or ""').optional(),
      mdtrtarea_admvs: str.regex(/^(\d{6})?$/, 'must be a 6-digit region code or ""').optional(),
      wlt_used_flag: flag,
      wlt_pay_limit: yuan.optional(),
      invono: isSettle ? str.optional() : z.unknown().optional(),
    }),
    drugdetail: z.array(drugLine, { error: 'must be an array' }).min(1, 'must have at least one line'),
  }).superRefine((inp, ctx) => {
    const total = inp.drugdetail.reduce((a, l) => a + l.det_item_fee_sumamt, 0);
    if (total !== inp.data.medfee_sumamt) {
      ctx.addIssue({ code: 'custom', path: ['data', 'medfee_sumamt'], message: 'must equal the sum of det_item_fee_sumamt' });
    }
    const sns = new Set<string>();
    inp.drugdetail.forEach((l, i) => {
      if (sns.has(l.feedetl_sn)) ctx.addIssue({ code: 'custom', path: ['drugdetail', i, 'feedetl_sn'], message: 'duplicate' });
      sns.add(l.feedetl_sn);
    });
  });
}
export const preSettleSchema = settleSchema(false);
export const settleSchemaFull = settleSchema(true);
export type SettleInput = z.infer<typeof settleSchemaFull>;

export const cancelSchema = z.object({
  data: z.object({ setl_id: nonEmpty, mdtrt_id: nonEmpty, psn_no: nonEmpty }),
});

export const reversalSchema = z.object({
  data: z.object({
    psn_no: nonEmpty,
    omsgid: str.length(30, 'must be 30 characters'),
    oinfno: z.enum(['2102', '2103'], { error: 'must be "2102" or "2103"' }),
  }),
});

export const totalsSchema = z.object({
  data: z.object({
    insutype: z.enum(['310', '390'], { error: 'must be "310" or "390"' }),
    clr_type: z.literal('41', { error: 'must be "41"' }),
    setl_optins: admdvs,
    stmt_begndate: date,
    stmt_enddate: date,
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    fixmedins_setl_cnt: z.union([z.number().int().nonnegative(), str.regex(/^\d+$/)], { error: 'must be a count' })
      .transform((v) => Number(v)),
  }),
});

export const detailSchema = z.object({
  data: z.object({
    setl_optins: admdvs,
    stmt_begndate: date,
    stmt_enddate: date,
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    cash_payamt: yuan,
    fixmedins_setl_cnt: z.union([z.number().int().nonnegative(), str.regex(/^\d+$/)], { error: 'must be a count' })
      .transform((v) => Number(v)),
  }),
  detail: z.array(z.object({
    setl_id: nonEmpty,
    mdtrt_id: str,
    psn_no: str,
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    refd_setl_flag: flag,
  }), { error: 'must be an array' }),
});

export const qrQuerySchema = z.object({
  businessType: z.literal('01101', { error: 'must be "01101"' }),
  orgId: str.length(12, 'must be 12 characters'),
  data: z.object({ qrCode: nonEmpty }),
});
