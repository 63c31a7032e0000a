/**
 * The one place where the national interface's field names live, verbatim.
 * Everything outside main/platform works with the domain types below (camelCase, integer fen);
 * the wire shapes (snake_case, yuan strings) never leak out of this module and client.ts.
 *
 * The public interface names no wallet or mutual-aid-balance field; this project's names for them are
 * EXTENSION_FIELDS, and a province's real names are configuration (`platform.fieldNames` in the config):
 * renameFields() swaps them at the transport boundary, both ways.
 */
import { z } from 'zod';
import { fenToYuan, yuanToFen } from './money';

// ---------- domain types (what the rest of the terminal sees) ----------

export type Insutype = '310' | '390';
export type MdtrtCertType = '01' | '02' | '03';

export interface Credential {
  mdtrtCertType: MdtrtCertType;
  /** ecToken (01), ID number (02) or card number (03). */
  mdtrtCertNo: string;
  cardSn?: string;
  certno?: string;
  psnName?: string;
  /** For 01, the patient's insured place as told by the QR query. */
  insuplcAdmdvs?: string;
}

export interface PersonInfo {
  psnNo: string;
  certno: string;
  psnName: string;
  gend: string;
  brdy: string;
  age: number;
  insutype: Insutype;
  psnType: string;
  insuStas: string;
  insuplcAdmdvs: string;
  empName: string;
  ownAcctFen: number;
  mulaidFen: number;
  walletFen: number;
  walletOpen: boolean;
}

export interface QrIdentity {
  ecToken: string;
  idNo: string;
  userName: string;
  insuOrg: string;
}

export interface DrugLine {
  feedetlSn: string;
  medListCodg: string;
  medinsListCodg: string;
  pricFen: number;
  cnt: number;
  traceCodes: string[];
  feeOcurTime: string;
}

export interface SettleRequest {
  psnNo: string;
  credential: Credential;
  insutype: Insutype;
  insuplcAdmdvs: string;
  mdtrtareaAdmvs: string;
  useAccount: boolean;
  useWallet: boolean;
  walletCapFen: number | null;
  lines: DrugLine[];
  begntime: string;
  invono?: string;
}

export interface SettlementFigures {
  medfeeSumamt: number;
  fulamtOwnpayAmt: number;
  overlmtSelfpay: number;
  preselfpayAmt: number;
  inscpScpAmt: number;
  hifpPay: number;
  fundPaySumamt: number;
  psnPartAmt: number;
  acctPay: number;
  acctMulaidPay: number;
  walletPay: number;
  psnCashPay: number;
  balcAfter: number;
  walletBalcAfter: number | null;
}

export interface SettlementRecord extends SettlementFigures {
  setlId: string;
  mdtrtId: string;
  setlTime: string;
}

export interface CancelRecord {
  setlId: string;
  mdtrtId: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  acctMulaidPay: number;
  walletPay: number;
  psnPay: number;
  cashPayamt: number;
}

/** 2601: "1" reversed now, "2" already reversed, "0" nothing was ever committed under that msgid. */
export type ReversalStatus = 'reversed' | 'already_reversed' | 'never_committed';

export interface ReconcileRow {
  msgid: string;
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  acctMulaidPay: number;
  walletPay: number;
  psnCashPay: number;
  setlTime: string;
  result: 'match' | 'platform_only' | 'terminal_only' | 'amounts_differ';
}

// ---------- extension names ----------

export const EXTENSION_FIELDS = [
  'wlt_used_flag',
  'wlt_pay_limit',
  'wlt_pay',
  'wlt_balc',
  'wltinfo',
  'wlt_open_flag',
  'mulaid_balc',
  'err_code',
] as const;
export type ExtensionField = (typeof EXTENSION_FIELDS)[number];
export type FieldNameOverrides = Partial<Record<ExtensionField, string>>;

/** Deep key rename: `renameFields(x, map)` outgoing, `renameFields(x, invert(map))` incoming. */
export function renameFields(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameFields(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [names[k] ?? k, renameFields(v, names)]),
  );
}

export function invertNames(names: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(names).map(([k, v]) => [v, k]));
}

// ---------- wire helpers ----------

const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return yuanToFen(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const flag = (on: boolean) => (on ? '1' : '0');
const text = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v == null ? '' : String(v)));

// ---------- envelopes ----------

export interface EnvelopeHeader {
  infno: string;
  msgid: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  recer_sys_code: string;
  dev_no: string;
  dev_safe_info: string;
  cainfo: string;
  signtype: string;
  infver: string;
  opter_type: '1' | '2' | '3';
  opter: string;
  opter_name: string;
  inf_time: string;
  fixmedins_code: string;
  fixmedins_name: string;
  sign_no: string;
}

export type RequestEnvelope = EnvelopeHeader & { input: Record<string, unknown> };

export const responseEnvelopeSchema = z.object({
  infcode: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number),
  inf_refmsgid: optionalText,
  refmsg_time: optionalText,
  respond_time: optionalText,
  err_msg: optionalText,
  err_code: optionalText,
  output: z.unknown().optional(),
});

// ---------- 9001 ----------

export function signInInput(opterNo: string, mac: string, ip: string) {
  return { signIn: { opter_no: opterNo, mac, ip } };
}
export const signInOutputSchema = z.object({
  signinoutb: z.object({ sign_time: text, sign_no: z.string().min(1) }),
});

// ---------- ec.query (local 医保码 gateway) ----------

export function qrQueryBody(fixmedinsCode: string, payload: string) {
  return { businessType: '01101', orgId: fixmedinsCode, data: { qrCode: payload } };
}
export const qrQueryResponseSchema = z.object({
  code: z.union([z.number(), z.string()]).transform(Number),
  message: optionalText,
  data: z.unknown().optional(),
});
export const qrQueryDataSchema = z
  .object({
    ecToken: z.string().min(1),
    idNo: z.string().min(1),
    userName: z.string().min(1),
    insuOrg: z.string().regex(/^\d{6}$/),
  })
  .transform((d): QrIdentity => d);

// ---------- 1101 ----------

export function personQueryInput(c: Credential, begntime: string) {
  return {
    data: {
      mdtrt_cert_type: c.mdtrtCertType,
      mdtrt_cert_no: c.mdtrtCertNo,
      card_sn: c.cardSn ?? '',
      begntime,
      psn_cert_type: c.certno ? '01' : '',
      certno: c.certno ?? '',
      psn_name: c.psnName ?? '',
    },
  };
}

const insuinfoSchema = z.object({
  balc: money,
  insutype: text,
  psn_type: optionalText,
  psn_insu_stas: optionalText,
  insuplc_admdvs: z.string().regex(/^\d{6}$/, 'expected a 6-digit region code'),
  emp_name: optionalText,
  mulaid_balc: money.optional(),
});

export const personOutputSchema = z
  .object({
    baseinfo: z.object({
      psn_no: z.string().min(1),
      certno: z.string().min(1),
      psn_name: z.string().min(1),
      gend: optionalText,
      brdy: optionalText,
      age: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int().min(0).max(150)),
    }),
    insuinfo: z.array(insuinfoSchema).min(1, 'the person has no insurance record'),
    wltinfo: z.object({ wlt_balc: money, wlt_open_flag: z.enum(['0', '1']) }).optional(),
  })
  .transform((o, ctx): PersonInfo => {
    // A person is settled under employee (310) or resident (390) insurance; prefer 310 when both exist.
    const insu = o.insuinfo.find((i) => i.insutype === '310') ?? o.insuinfo.find((i) => i.insutype === '390');
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
      age: o.baseinfo.age,
      insutype: insu.insutype as Insutype,
      psnType: insu.psn_type,
      insuStas: insu.psn_insu_stas,
      insuplcAdmdvs: insu.insuplc_admdvs,
      empName: insu.emp_name,
      ownAcctFen: insu.insutype === '310' ? insu.balc : 0,
      mulaidFen: insu.mulaid_balc ?? 0,
      walletFen: o.wltinfo?.wlt_balc ?? 0,
      walletOpen: o.wltinfo?.wlt_open_flag === '1',
    };
  });

// ---------- 2101 / 2102 ----------

export function settleInput(r: SettleRequest) {
  const medfee = r.lines.reduce((sum, l) => sum + l.pricFen * l.cnt, 0);
  const data: Record<string, unknown> = {
    psn_no: r.psnNo,
    mdtrt_cert_type: r.credential.mdtrtCertType,
    mdtrt_cert_no: r.credential.mdtrtCertNo,
    begntime: r.begntime,
    med_type: '41',
    medfee_sumamt: fenToYuan(medfee),
    psn_setlway: '01',
    insutype: r.insutype,
    acct_used_flag: flag(r.useAccount),
    insuplc_admdvs: r.insuplcAdmdvs,
    mdtrtarea_admvs: r.mdtrtareaAdmvs,
    wlt_used_flag: flag(r.useWallet),
  };
  if (r.walletCapFen !== null) data.wlt_pay_limit = fenToYuan(r.walletCapFen);
  if (r.invono !== undefined) data.invono = r.invono;
  const drugdetail = r.lines.map((l) => ({
    feedetl_sn: l.feedetlSn,
    rxno: '',
    rx_circ_flag: '0',
    fee_ocur_time: l.feeOcurTime,
    med_list_codg: l.medListCodg,
    medins_list_codg: l.medinsListCodg,
    det_item_fee_sumamt: fenToYuan(l.pricFen * l.cnt),
    cnt: l.cnt,
    pric: fenToYuan(l.pricFen),
    drug_trac_codg: l.traceCodes.join(','),
  }));
  return { data, drugdetail };
}

const setlinfoFields = {
  medfee_sumamt: money,
  fulamt_ownpay_amt: money,
  overlmt_selfpay: money,
  preselfpay_amt: money,
  inscp_scp_amt: money,
  hifp_pay: money,
  fund_pay_sumamt: money,
  psn_part_amt: money,
  acct_pay: money,
  acct_mulaid_pay: money.optional(),
  psn_cash_pay: money,
  balc: money,
  wlt_pay: money.optional(),
  wlt_balc: money.optional(),
};

function toFigures(s: z.infer<z.ZodObject<typeof setlinfoFields>>): SettlementFigures {
  return {
    medfeeSumamt: s.medfee_sumamt,
    fulamtOwnpayAmt: s.fulamt_ownpay_amt,
    overlmtSelfpay: s.overlmt_selfpay,
    preselfpayAmt: s.preselfpay_amt,
    inscpScpAmt: s.inscp_scp_amt,
    hifpPay: s.hifp_pay,
    fundPaySumamt: s.fund_pay_sumamt,
    psnPartAmt: s.psn_part_amt,
    acctPay: s.acct_pay,
    acctMulaidPay: s.acct_mulaid_pay ?? 0,
    walletPay: s.wlt_pay ?? 0,
    psnCashPay: s.psn_cash_pay,
    balcAfter: s.balc,
    walletBalcAfter: s.wlt_balc ?? null,
  };
}

/** The platform's figures must add up; an answer that does not is not trusted. */
function checkFigures(f: SettlementFigures, ctx: z.RefinementCtx): void {
  const problems: string[] = [];
  if (f.fundPaySumamt + f.psnPartAmt !== f.medfeeSumamt) problems.push('fund_pay_sumamt + psn_part_amt != medfee_sumamt');
  if (f.acctPay + f.walletPay + f.psnCashPay !== f.psnPartAmt) problems.push('acct_pay + wlt_pay + psn_cash_pay != psn_part_amt');
  if (f.acctMulaidPay > f.acctPay) problems.push('acct_mulaid_pay > acct_pay');
  for (const [name, value] of Object.entries(f)) {
    if (typeof value === 'number' && value < 0) problems.push(`${name} is negative`);
  }
  for (const message of problems) ctx.addIssue({ code: 'custom', path: ['setlinfo'], message });
}

export const presettleOutputSchema = z
  .object({ setlinfo: z.object(setlinfoFields) })
  .transform((o, ctx): SettlementFigures => {
    const f = toFigures(o.setlinfo);
    checkFigures(f, ctx);
    return f;
  });

export const settleOutputSchema = z
  .object({
    setlinfo: z.object({ ...setlinfoFields, setl_id: z.string().min(1), mdtrt_id: text, setl_time: text }),
  })
  .transform((o, ctx): SettlementRecord => {
    const f = toFigures(o.setlinfo);
    checkFigures(f, ctx);
    return { ...f, setlId: o.setlinfo.setl_id, mdtrtId: o.setlinfo.mdtrt_id, setlTime: o.setlinfo.setl_time };
  });

// ---------- 2103 ----------

export function cancelInput(setlId: string, mdtrtId: string, psnNo: string) {
  return { data: { setl_id: setlId, mdtrt_id: mdtrtId, psn_no: psnNo } };
}
export const cancelOutputSchema = z
  .object({
    setlinfo: z.object({
      setl_id: text,
      mdtrt_id: text,
      medfee_sumamt: money,
      fund_pay_sumamt: money,
      acct_pay: money,
      acct_mulaid_pay: money.optional(),
      wlt_pay: money.optional(),
      psn_pay: money,
      cash_payamt: money,
    }),
  })
  .transform(
    ({ setlinfo: s }): CancelRecord => ({
      setlId: s.setl_id,
      mdtrtId: s.mdtrt_id,
      medfeeSumamt: s.medfee_sumamt,
      fundPaySumamt: s.fund_pay_sumamt,
      acctPay: s.acct_pay,
      acctMulaidPay: s.acct_mulaid_pay ?? 0,
      walletPay: s.wlt_pay ?? 0,
      psnPay: s.psn_pay,
      cashPayamt: s.cash_payamt,
    }),
  );

// ---------- 2601 ----------

export function reversalInput(psnNo: string, omsgid: string, oinfno: '2102' | '2103') {
  return { data: { psn_no: psnNo, omsgid, oinfno } };
}
const RVS: Record<string, ReversalStatus> = { '1': 'reversed', '2': 'already_reversed', '0': 'never_committed' };
export const reversalOutputSchema = z
  .object({ rvs_stas: z.enum(['0', '1', '2']).optional() })
  .transform((o): ReversalStatus => RVS[o.rvs_stas ?? '1'] ?? 'reversed');

// ---------- 3201 / 3202 ----------

export interface ReconcileTotals {
  insutype: Insutype;
  begnDate: string;
  endDate: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  cashPayamt: number;
  count: number;
}

export function totalsInput(t: ReconcileTotals, setlOptins: string) {
  return {
    data: {
      insutype: t.insutype,
      clr_type: '41',
      setl_optins: setlOptins,
      stmt_begndate: t.begnDate,
      stmt_enddate: t.endDate,
      medfee_sumamt: fenToYuan(t.medfeeSumamt),
      fund_pay_sumamt: fenToYuan(t.fundPaySumamt),
      acct_pay: fenToYuan(t.acctPay),
      fixmedins_setl_cnt: t.count,
    },
  };
}

export const totalsOutputSchema = z
  .object({
    stmt_totlrslt: z.object({
      stmt_rslt: z.enum(['0', '1']),
      stmt_rslt_dscr: optionalText,
      medfee_sumamt: money.optional(),
      fund_pay_sumamt: money.optional(),
      acct_pay: money.optional(),
      fixmedins_setl_cnt: z.union([z.number(), z.string()]).transform(Number).optional(),
    }),
  })
  .transform(({ stmt_totlrslt: r }) => ({
    balanced: r.stmt_rslt === '0',
    description: r.stmt_rslt_dscr,
    platform: {
      medfeeSumamt: r.medfee_sumamt ?? null,
      fundPaySumamt: r.fund_pay_sumamt ?? null,
      acctPay: r.acct_pay ?? null,
      count: r.fixmedins_setl_cnt ?? null,
    },
  }));

export interface DetailRow {
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  cancelled: boolean;
}

export function detailInput(t: ReconcileTotals, setlOptins: string, rows: DetailRow[]) {
  return {
    data: {
      setl_optins: setlOptins,
      stmt_begndate: t.begnDate,
      stmt_enddate: t.endDate,
      medfee_sumamt: fenToYuan(t.medfeeSumamt),
      fund_pay_sumamt: fenToYuan(t.fundPaySumamt),
      cash_payamt: fenToYuan(t.cashPayamt),
      fixmedins_setl_cnt: t.count,
    },
    detail: rows.map((r) => ({
      setl_id: r.setlId,
      mdtrt_id: r.mdtrtId,
      psn_no: r.psnNo,
      medfee_sumamt: fenToYuan(r.medfeeSumamt),
      fund_pay_sumamt: fenToYuan(r.fundPaySumamt),
      acct_pay: fenToYuan(r.acctPay),
      refd_setl_flag: flag(r.cancelled),
    })),
  };
}

const STMT: Record<string, ReconcileRow['result']> = {
  '0': 'match',
  '1': 'platform_only',
  '2': 'terminal_only',
  '3': 'amounts_differ',
};
const zeroMoney = money.optional().transform((v) => v ?? 0);
export const detailOutputSchema = z
  .object({
    result: z.array(
      z.object({
        msgid: optionalText,
        setl_id: optionalText,
        mdtrt_id: optionalText,
        psn_no: optionalText,
        medfee_sumamt: zeroMoney,
        fund_pay_sumamt: zeroMoney,
        acct_pay: zeroMoney,
        acct_mulaid_pay: zeroMoney,
        wlt_pay: zeroMoney,
        psn_cash_pay: zeroMoney,
        setl_time: optionalText,
        stmt_rslt: z.enum(['0', '1', '2', '3']),
      }),
    ),
  })
  .transform((o): ReconcileRow[] =>
    o.result.map((r) => ({
      msgid: r.msgid,
      setlId: r.setl_id,
      mdtrtId: r.mdtrt_id,
      psnNo: r.psn_no,
      medfeeSumamt: r.medfee_sumamt,
      fundPaySumamt: r.fund_pay_sumamt,
      acctPay: r.acct_pay,
      acctMulaidPay: r.acct_mulaid_pay,
      walletPay: r.wlt_pay,
      psnCashPay: r.psn_cash_pay,
      setlTime: r.setl_time,
      result: STMT[r.stmt_rslt] ?? 'amounts_differ',
    })),
  );
