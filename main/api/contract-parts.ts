/**
 * Building blocks shared by the contract's files (contract.ts and its parts for recovery and the billing
 * desk): yuan text, ids, the roles a method may require, and the split and refund display models, which a
 * sale and a visit share. Renderer-safe like the contract (zod only).
 */
import { z } from 'zod';

/** Yuan text made by the server's fenToYuan: "12.30", "-0.50". */
export const money = z.string().regex(/^-?\d+\.\d{2}$/, 'expected yuan text like "12.30"');
export const id = z.number().int().positive();
/** An amount typed by a person: "20" or "20.50". */
export const yuanText = z.string().trim().regex(/^\d{1,7}(\.\d{1,2})?$/, '应为金额, 如 20 或 20.50');

/** Who may call a method: any signed-in operator with the screen unlocked, or a technician session. */
export const CASHIER = 'cashier' as const;
export const TECHNICIAN = 'technician' as const;

export const splitSchema = z.object({
  medfee: money,
  fulamtOwnpay: money,
  inscpScp: money,
  hifpPay: money,
  /** Funds other than 统筹 that paid (大病, 公务员补助, 医疗救助 ...), by the platform's setldetail. */
  otherFunds: z.array(z.object({ code: z.string(), name: z.string(), amount: money })),
  fundPay: money,
  psnPart: money,
  acctPay: money,
  acctMulaidPay: money,
  walletPay: money,
  cashPay: money,
  acctBalcAfter: money,
  walletBalcAfter: money.nullable(),
});
export type SplitDto = z.infer<typeof splitSchema>;

export const refundSchema = z.object({
  medfee: money,
  fundPay: money,
  acctPay: money,
  acctMulaidPay: money,
  walletPay: money,
  cashPay: money,
});
export type RefundDto = z.infer<typeof refundSchema>;
