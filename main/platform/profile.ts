/**
 * A province profile: what one provincial gateway wants beyond the specification's required fields.
 * A JSON file, validated strictly (an unknown key is an error). The default (profiles/national.json, bundled)
 * is what the built-in simulator speaks; a technician points `platform.profileFile` at another one.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError, parseOrThrow, readJsonFile } from '../validation';
import { securitySchema } from './security/schema';

import national from './profiles/national.json';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the default profile lives in the sources (it is bundled into the code, so builds need no copy). */
export const DEFAULT_PROFILE_FILE = join(here, 'profiles', 'national.json');

/** Optional fields of the specification the terminal can send; a gateway gets only those its profile lists. */
export const OPTIONAL_FIELDS = [
  'envelope.dev_no',
  'envelope.dev_safe_info',
  'envelope.cainfo',
  'envelope.signtype',
  'envelope.sign_no',
  '1101.begntime',
  '1101.psn_cert_type',
  '1101.certno',
  '1101.psn_name',
  'druginfo.invono',
  'drugdetail.rxno',
  'drugdetail.drug_trac_codg',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/** This project's wallet/mutual-aid extension; the value is the gateway's name for each field. */
const extensionSchema = z.strictObject({
  wlt_used_flag: z.string().min(1),
  wlt_pay_limit: z.string().min(1),
  wlt_pay: z.string().min(1),
  wlt_balc: z.string().min(1),
  wltinfo: z.string().min(1),
  wlt_open_flag: z.string().min(1),
  mulaid_balc: z.string().min(1),
  mulaid_gvr_list: z.string().min(1),
  gvr_psn_no: z.string().min(1),
  gvr_balc: z.string().min(1),
});
export type ExtensionNames = z.output<typeof extensionSchema>;

const fen = z.number().int().min(0);

export const profileSchema = z.strictObject({
  name: z.string().min(1),
  /** 接收方系统代码, C(10): YBXT at most gateways. */
  recerSysCode: z.string().min(1).max(10),
  /** 接口版本号, C(6), as the province's notice says. */
  infver: z.string().min(1).max(6),
  optionalFields: z.array(z.enum(OPTIONAL_FIELDS)),
  /** null: the gateway knows no wallet; its fields are never sent and a wallet is never offered. */
  extensionFields: extensionSchema.nullable(),
  /**
   * Whether a bare ID number (mdtrt_cert_type 02, no card, no 医保码) may identify and settle at all; even then
   * only after the cashier confirms an ID document was checked (the card is not shared: domain.md rule 1).
   */
  bareIdMaySettle: z.boolean(),
  /**
   * May the hospital billing desk settle a visit with the platform away (store-and-forward, as the pharmacy's
   * offline sales; docs/outpatient.md)? Absent or false: it refuses plainly and offers 全自费.
   */
  outpatientOffline: z.boolean().optional(),
  /** Plain http to a non-local platform in production (https otherwise; main/config/platform-choice.ts). */
  allowHttp: z.boolean().optional(),
  /** The gateway's signing, encryption and headers (reference §1.4); absent: none. */
  security: securitySchema.optional(),
  /** Province-dependent (reference §2.0): does fund_pay_sumamt include acct_pay? */
  fundPaySumamtIncludesAcct: z.boolean(),
  answerChecks: z.strictObject({
    /** An answer with any amount above this is absurd for one sale. */
    maxAmountFen: fen,
    /** How far a 2102 split may differ from the 2101 the patient agreed to, per figure. */
    settleToleranceFen: fen,
  }),
  /**
   * err_msg fragments of a refusal about the terminal's sign-in (a lapsed sign_no), not about the request:
   * the message is marked SIGN_NO_INVALID and the next call signs in again. Default: 签到.
   */
  signInRefusal: z.array(z.string().min(1)).min(1).default(['签到']),
  /** How a refused 2601 is read: err_msg fragments, as this gateway words them. */
  reversal: z.strictObject({
    neverReceived: z.array(z.string().min(1)).min(1),
    alreadyReversed: z.array(z.string().min(1)),
  }),
});
export type ProvinceProfile = z.output<typeof profileSchema>;

export function loadProfile(file: string | null): ProvinceProfile {
  if (file === null) return parseOrThrow(profileSchema, national, 'profile');
  const raw = readJsonFile(file, '省份配置文件');
  try {
    return parseOrThrow(profileSchema, raw);
  } catch (error) {
    throw error instanceof InputError ? new InputError(`省份配置文件 ${file}: ${error.message}`) : error;
  }
}

export function wants(profile: ProvinceProfile, field: OptionalField): boolean {
  return profile.optionalFields.includes(field);
}
