/**
 * The billing desk's part of the API contract (issue 10): its display models and methods, spread into
 * `methods` by contract.ts. Renderer-safe like contract.ts (zod only). Amounts are display text made by the
 * server's fenToYuan. The split and refund have the pharmacy's shapes (contract-parts.ts); the server fills
 * both from one function.
 */
import { z } from 'zod';
import { CASHIER, id, money, refundSchema, splitSchema, yuanText } from './contract-parts';

export const feeSchema = z.object({
  feedetlSn: z.string(),
  rxno: z.string(),
  kindText: z.string(),
  name: z.string(),
  code: z.string(),
  cnt: z.string(),
  pric: z.string(),
  amount: money,
  status: z.enum(['pending', 'uploaded', 'removed']),
  statusText: z.string(),
  /** The platform's answer (2204): 甲/乙/丙, self-pay ratio ("10%"), ceiling, full self-pay; null until answered. */
  classText: z.string(),
  selfpayProp: z.string().nullable(),
  ceiling: z.string().nullable(),
  fulamtOwnpay: money.nullable(),
  overlmt: money.nullable(),
  preselfpay: money.nullable(),
});
export type FeeDto = z.infer<typeof feeSchema>;

export const visitSchema = z.object({
  id,
  state: z.string(),
  stateText: z.string(),
  createdAt: z.string(),
  patient: z.object({ name: z.string(), maskedCertno: z.string(), insutypeText: z.string(), insuplcAdmdvs: z.string() }),
  iptOtpNo: z.string(),
  mdtrtId: z.string(),
  dept: z.string(),
  doctor: z.string(),
  medType: z.string(),
  medTypeText: z.string(),
  diagnoses: z.array(z.object({ code: z.string(), name: z.string() })),
  fees: z.array(feeSchema),
  total: money,
  choices: z.object({ useAccount: z.boolean(), useWallet: z.boolean(), walletCap: money.nullable() }),
  preview: splitSchema.nullable(),
  settlement: splitSchema.extend({ setlId: z.string(), setlTime: z.string() }).nullable(),
  refund: refundSchema.nullable(),
  /** The outpatient receipt (门诊收费票据), line by line, once settled or cancelled. */
  receipt: z.array(z.string()).nullable(),
  lastError: z.string().nullable(),
  editable: z.boolean(),
  canSettle: z.boolean(),
  canCancel: z.boolean(),
  inDoubt: z.boolean(),
  done: z.boolean(),
  /** 脱机: a visit settled with the platform away on an estimate (docs/outpatient.md); null for every other. */
  offline: z.object({ status: z.enum(['composing', 'pending', 'settled', 'rejected']), statusText: z.string(), cashCollected: money.nullable(), lastError: z.string().nullable() }).nullable(),
});
export type VisitDto = z.infer<typeof visitSchema>;

export const visitSummarySchema = z.object({
  id, createdAt: z.string(), state: z.string(), stateText: z.string(), psnName: z.string(), iptOtpNo: z.string(), mdtrtId: z.string(), total: money, lastError: z.string().nullable(),
});
export type VisitSummary = z.infer<typeof visitSummarySchema>;

const visitArg = z.object({ visitId: id }).strict();

export const outpatientMethods = {
  /** What the desk needs first: whether this terminal is a desk, its departments and doctors. */
  deskInfo: {
    args: z.object({}).strict(),
    result: z.object({
      kind: z.enum(['pharmacy', 'desk', 'both']),
      departments: z.array(z.object({ code: z.string(), name: z.string(), caty: z.string() })),
      doctors: z.array(z.object({ code: z.string(), name: z.string(), dept: z.string() })),
    }),
  },
  deskSearch: {
    args: z.object({ what: z.enum(['diagnosis', 'item']), query: z.string().max(64) }).strict(),
    result: z.object({
      diagnoses: z.array(z.object({ code: z.string(), name: z.string(), chronic: z.boolean() })),
      items: z.array(z.object({ code: z.string(), name: z.string(), kindText: z.string(), price: money })),
    }),
  },
  /** 挂号 (2201) with a department and doctor, or an existing 就诊ID taken; the patient by 医保码, ID number, or (demo) persona. */
  deskOpen: { role: CASHIER,
    args: z
      .object({
        patient: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('qr'), payload: z.string().min(1).max(512) }).strict(),
          z.object({ kind: z.literal('idno'), certno: z.string().regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位'), idChecked: z.boolean().optional() }).strict(),
          z.object({ kind: z.literal('persona'), label: z.string().min(1).max(64) }).strict(),
        ]),
        deptCode: z.string().min(1).max(30),
        doctorCode: z.string().min(1).max(30),
        mdtrtId: z.string().regex(/^[A-Za-z0-9_-]{1,30}$/, '就诊ID应为 1 到 30 位字母或数字').optional(),
      })
      .strict(),
    result: visitSchema,
  },
  deskDiagnose: { role: CASHIER,
    args: z.object({ visitId: id, medType: z.enum(['11', '14']), codes: z.array(z.string().min(1).max(20)).min(1).max(10) }).strict(),
    result: visitSchema,
  },
  /** The HIS export (docs/outpatient.md), posted as JSON: validated whole, then uploaded (2204). */
  deskImportFees: { role: CASHIER, args: z.object({ visitId: id, export: z.unknown() }).strict(), result: visitSchema },
  deskAddItem: { role: CASHIER,
    args: z
      .object({ visitId: id, code: z.string().min(1).max(150), quantity: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/, '数量应为数字, 最多 4 位小数'), rxno: z.string().max(30).optional() })
      .strict(),
    result: visitSchema,
  },
  deskRemoveFee: { role: CASHIER, args: z.object({ visitId: id, feedetlSn: z.string().min(1).max(30) }).strict(), result: visitSchema },
  deskPresettle: { role: CASHIER,
    args: z.object({ visitId: id, useAccount: z.boolean().optional(), useWallet: z.boolean().optional(), walletCap: yuanText.nullable().optional() }).strict(),
    result: visitSchema,
  },
  deskSettle: { role: CASHIER, args: visitArg, result: visitSchema },
  deskCancel: { role: CASHIER, args: visitArg, result: visitSchema },
  deskUnregister: { role: CASHIER, args: visitArg, result: visitSchema },
  deskResolve: { role: CASHIER, args: visitArg, result: visitSchema },
  deskSelfPay: { role: CASHIER, args: visitArg, result: visitSchema },
  deskGetVisit: { role: CASHIER, args: visitArg, result: visitSchema },
  /**
   * The desk's visits, newest first; `query` finds one (门诊查询): the visit's number, its 门诊号, 就诊ID or
   * 结算号 (exact), the last 4 of the patient's ID number, or part of a name in Chinese. `inDoubt`: those whose
   * outcome was not seen; `offlinePending`: those settled offline and not yet drained, in the order they go.
   */
  deskListVisits: { role: CASHIER,
    args: z
      .object({ inDoubt: z.boolean().optional(), offlinePending: z.boolean().optional(), query: z.string().max(64).optional(), limit: z.number().int().min(1).max(200).optional() })
      .strict(),
    result: z.object({ visits: z.array(visitSummarySchema) }),
  },
  /** Prints the outpatient receipt (after 2208: the cancel receipt) on the configured printer; the outcome said in Chinese. */
  deskPrint: {
    role: CASHIER,
    args: visitArg,
    result: z.object({ ok: z.literal(true), message: z.string(), outcome: z.enum(['printed', 'no-printer', 'failed']) }),
  },
} as const;

