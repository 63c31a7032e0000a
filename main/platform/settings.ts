/**
 * The platform client's settings (the `platform` key of the config file), owned here and composed by
 * main/config: the address, deadlines, retries and a province's names for the extension fields.
 */
import { z } from 'zod';
import { EXTENSION_FIELDS } from './fields';

export const platformConfigSchema = z.object({
  /** null: start the built-in simulator (the embedded default). */
  url: z.url().nullable().default(null),
  qrGatewayUrl: z.url().nullable().default(null),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retries: z.number().int().min(0).max(5).default(2),
  /** A province's names for this project's extension fields, e.g. {"wlt_pay": "wallet_pay_amt"}. */
  fieldNames: z.partialRecord(z.enum(EXTENSION_FIELDS), z.string().min(1)).default({}),
});
export type PlatformConfig = z.output<typeof platformConfigSchema>;
