/**
 * The operators' settings (the `operators` key of the config file), owned here and composed by main/config.
 */
import { z } from 'zod';

export const operatorsConfigSchema = z.strictObject({
  /** Wrong PINs in a row before the operator is locked (an administrator unlocks with reset-pin). */
  maxPinFailures: z.number().int().min(1).max(20).default(5),
});
export type OperatorsConfig = z.output<typeof operatorsConfigSchema>;
