// Regional policy: the terminal's copy of the rules of a pooled region (docs/interface.md, "Regional
// policy"). Used for quotes and offline estimates; the platform's answer always wins.
import { z } from 'zod';

/**
 * Error message for a schema: "required" when the field is missing, else `message`. Zod's default texts
 * are generic; a technician reading "balances.ownAcctFen: required" knows at once what to fix.
 */
export function requiredOr(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : message);
}

export const PAYMENT_SOURCES = ['own_acct', 'mulaid', 'wallet'] as const;
export const paymentSourceSchema = z.enum(PAYMENT_SOURCES, {
  error: requiredOr('expected one of "own_acct", "mulaid", "wallet"'),
});
/** A source that can pay the self-pay portion before cash. */
export type PaymentSource = z.infer<typeof paymentSourceSchema>;

export const INSUTYPES = ['310', '390'] as const;
export const insutypeSchema = z.enum(INSUTYPES, { error: requiredOr('expected "310" or "390"') });
/** 310 employee insurance (has a personal account), 390 resident insurance (has none). */
export type Insutype = z.infer<typeof insutypeSchema>;

const FEN_MSG = 'expected a non-negative integer (fen)';
const BP_MSG = 'expected an integer from 0 to 10000 (basis points)';
const ADMDVS_MSG = 'expected a 6-digit region code';

/** Non-negative integer fen (z.number().int() already limits to safe integers). */
export const fenSchema = z
  .number({ error: requiredOr(FEN_MSG) })
  .int({ error: FEN_MSG })
  .min(0, { error: FEN_MSG });

export const basisPointsSchema = z
  .number({ error: requiredOr(BP_MSG) })
  .int({ error: BP_MSG })
  .min(0, { error: BP_MSG })
  .max(10000, { error: BP_MSG });

export const admdvsSchema = z
  .string({ error: requiredOr(ADMDVS_MSG) })
  .regex(/^\d{6}$/, { error: ADMDVS_MSG });

export const booleanSchema = z.boolean({ error: requiredOr('expected true or false') });

const objectError = requiredOr('expected an object');

/** Fund rule for one insurance type; all amounts are fen per calendar year. */
export const fundRuleSchema = z.object(
  {
    deductible: fenSchema,
    ratio_bp: basisPointsSchema,
    annual_cap: fenSchema,
  },
  { error: objectError },
);
export type FundRule = z.infer<typeof fundRuleSchema>;

const fundRulesSchema = z.strictObject({ '310': fundRuleSchema, '390': fundRuleSchema }, { error: objectError });

/** Outpatient fund rules of a region (main/outpatient/offline-estimate.ts); the 乙类 share comes from each item's 2204 answer. */
export const outpatientPolicySchema = z.strictObject({ fund: fundRulesSchema, chronic: fundRulesSchema }, { error: objectError });
export type OutpatientPolicy = z.infer<typeof outpatientPolicySchema>;

export const paymentOrderSchema = z
  .array(paymentSourceSchema, { error: requiredOr('expected an array of payment sources') })
  .refine((order) => order.length === 3 && new Set(order).size === 3, {
    error: 'expected each of "own_acct", "mulaid", "wallet" exactly once',
  });

export const regionPolicySchema = z.object(
  {
    admdvs: admdvsSchema,
    name: z
      .string({ error: requiredOr('expected a non-empty string') })
      .min(1, { error: 'expected a non-empty string' }),
    /** Order in which the self-pay portion is taken before cash (rule 3: per-region policy, not code). */
    payment_order: paymentOrderSchema,
    wallet_enabled: booleanSchema,
    /** May personal accounts pay 丙类 (full self-pay) items? */
    acct_pays_class_c: booleanSchema,
    /** 乙类先行自付: share of 乙类 costs the patient pays first, in basis points. */
    class_b_preself_bp: basisPointsSchema,
    fund: z.object({ '310': fundRuleSchema, '390': fundRuleSchema }, { error: objectError }),
    /**
     * The region's OUTPATIENT fund rules (billing desk visits; they may differ from the pharmacy's): ordinary
     * visits (`fund`) and 门诊慢特病 (`chronic`, med_type 14 with a chronic diagnosis). Absent: the terminal
     * cannot estimate a visit of a person insured here offline.
     */
    outpatient: outpatientPolicySchema.optional(),
  },
  { error: objectError },
);
export type RegionPolicy = z.infer<typeof regionPolicySchema>;
