/**
 * The platform client's settings (the `platform` key of the config file), owned here and composed by
 * main/config: the address, deadlines, retries and the province profile (profile.ts).
 */
import { z } from 'zod';

export const platformConfigSchema = z.object({
  /** null: start the built-in simulator (the embedded default). */
  url: z.url().nullable().default(null),
  qrGatewayUrl: z.url().nullable().default(null),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retries: z.number().int().min(0).max(5).default(2),
  /** The province profile file (main/platform/profile.ts); null: the built-in national profile. */
  profileFile: z.string().min(1).nullable().default(null),
});
export type PlatformConfig = z.output<typeof platformConfigSchema>;
