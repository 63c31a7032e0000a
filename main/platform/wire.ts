/**
 * Building blocks of the wire shapes, shared by the per-transaction files in tx/: how a money amount, a
 * code, a text and the envelope are read. Real gateways send amounts as JSON numbers or strings, infcode
 * as 0 or "0", and optional fields absent or null; all of that is accepted here, and nothing else.
 */
import { z } from 'zod';
import { fenToYuan, yuanToFen } from './money';

/** C0/C1 control characters (tab and newline included) and bidi overrides: never shown, logged or printed. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from the platform as it may reach a screen, a log or a receipt. */
export function cleanText(value: string): string {
  return value.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

/** A yuan amount (number or string, at most 2 decimals) as integer fen. */
export const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return yuanToFen(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** An optional amount: absent or null reads as null. */
export const optionalMoney = money.nullable().optional().transform((v) => v ?? null);
/** An optional amount where absent or null means nothing was paid. */
export const zeroMoney = money.nullable().optional().transform((v) => v ?? 0);

/** A required text (codes and ids are sometimes sent as numbers), stripped of control characters. */
export const text = z.union([z.string(), z.number()]).transform((v) => cleanText(String(v)));
/** An identifier (psn_no, setl_id ...): a control character in one is refused, never silently cleaned. */
export const idText = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().min(1, 'required').refine((v) => cleanText(v) === v, 'contains control characters'));
/** An optional text: absent or null reads as "". */
export const optionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v == null ? '' : cleanText(String(v))));

export const admdvs = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d{6}$/, 'expected a 6-digit region code'));

/** A flag as the wire writes it. */
export const flag = (on: boolean): '0' | '1' => (on ? '1' : '0');
export const yuan = fenToYuan;

// ---------- envelopes (reference §1.1, §1.2) ----------

export interface EnvelopeHeader {
  infno: string;
  msgid: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  recer_sys_code: string;
  dev_no?: string;
  dev_safe_info?: string;
  cainfo?: string;
  signtype?: string;
  infver: string;
  opter_type: '1' | '2' | '3';
  opter: string;
  opter_name: string;
  inf_time: string;
  fixmedins_code: string;
  fixmedins_name: string;
  sign_no?: string;
}

export type RequestEnvelope = EnvelopeHeader & { input: Record<string, unknown> };

export const responseEnvelopeSchema = z.object({
  infcode: z
    .union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer code')])
    .transform(Number),
  inf_refmsgid: optionalText,
  refmsg_time: optionalText,
  respond_time: optionalText,
  err_msg: optionalText,
  warn_msg: optionalText,
  output: z.unknown().optional(),
});

/** An output that is absent, null, "" or {} (transactions with no output node). */
export const noOutput = z.unknown().transform(() => undefined);
