/** The `log` section of the terminal's config (kept apart so the config schema does not load pino). */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const logConfigSchema = z.strictObject({
  /** The least severe level written to the log files. */
  level: z.enum(LOG_LEVELS).default('info'),
});
export type LogConfig = z.output<typeof logConfigSchema>;
