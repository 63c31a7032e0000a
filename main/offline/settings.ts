/**
 * The offline module's settings (the `offline` key of the config file), owned here and composed by
 * main/config: the caps, the probe, the drain's parallelism, backoff and claim lease.
 */
import { z } from 'zod';

const fen = z.number().int().min(0);

/** Store-and-forward: caps like a card terminal's, in fen; ages in minutes. */
export const offlineConfigSchema = z.strictObject({
  /** The most the platform may owe for one offline sale (fund + accounts + wallet). */
  maxSaleFen: fen.default(50_000),
  /** The same, summed over one person's offline sales of one day. */
  maxPersonDayFen: fen.default(100_000),
  /** The same, summed over everything this terminal has not sent yet. */
  maxTotalExposureFen: fen.default(2_000_000),
  /** No new offline sale once the oldest unsent one is older than this. */
  maxQueueAgeMinutes: z.number().int().min(1).default(72 * 60),
  /** Sell offline only to persons identified online (1101) within this age. */
  maxIdentityAgeMinutes: z.number().int().min(1).default(7 * 24 * 60),
  /** Health probe while offline (and as a heartbeat while online). */
  probeIntervalMs: z.number().int().min(100).default(15_000),
  /**
   * Messages (2102, 2601) in flight to the platform at once; four times as many persons are worked on, and
   * one person's sales always go one at a time, in order.
   */
  concurrency: z.number().int().min(1).max(64).default(4),
  backoffBaseMs: z.number().int().min(1).default(1_000),
  backoffMaxMs: z.number().int().min(1).default(5 * 60_000),
  /** How long a sync claim holds without its process; a dead process's claim is taken over at once. */
  leaseMs: z.number().int().min(1_000).default(2 * 60_000),
});
export type OfflineConfig = z.output<typeof offlineConfigSchema>;
