import { z } from 'zod';

/** The chain headquarters (docs/chain.md); absent: a stand-alone pharmacy, nothing is pushed. */
export const headquartersConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** The store's code at headquarters (its terminals are registered under it). */
  storeCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected the store code registered at headquarters'),
  /** Printed once by `npm run hq -- terminal add`; headquarters keeps only its hash. */
  terminalToken: z.string().min(20, 'expected the terminal token printed by headquarters'),
  pushIntervalMs: z.number().int().min(100).max(600_000).default(5_000),
  /** How long a trace-code check may take before the local rule alone decides. */
  traceCheckTimeoutMs: z.number().int().min(50).max(10_000).default(1_500),
});
export type HeadquartersConfig = z.output<typeof headquartersConfigSchema>;
