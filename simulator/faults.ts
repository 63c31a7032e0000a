// Fault injection, deterministic from the seed: the same seed and the same sequence of calls
// fire the same faults. Rules are matched per transaction code ("*" matches all; the 医保码
// query is "ec.query").
import { z } from 'zod';
import { TAMPERS, type Tamper } from './tamper';

export const faultRuleSchema = z.object({
  infno: z.string().min(1),
  kind: z.enum(['drop_after_commit', 'http_500', 'reset', 'latency', 'tamper']),
  rate: z.number().min(0).max(1),
  count: z.number().int().positive().optional(),
  latency_ms: z.number().int().nonnegative().optional(),
  // kind "tamper": the work is done and committed, then the answer is spoiled this way (tamper.ts)
  tamper: z.enum(TAMPERS).optional(),
}).superRefine((r, ctx) => {
  if (r.kind === 'tamper' && !r.tamper) ctx.addIssue({ code: 'custom', path: ['tamper'], message: `required for kind tamper: ${TAMPERS.join(', ')}` });
});
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultKind = FaultRule['kind'];

/** mulberry32: tiny, good enough, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision { latencyMs: number; kind: Exclude<FaultKind, 'latency'> | null; tamper?: Tamper }

export class FaultInjector {
  private rules: (FaultRule & { left: number })[] = [];
  private rand: () => number;
  readonly fired: Record<string, number> = {};

  constructor(seed: number) {
    this.rand = prng(seed);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, left: r.count ?? Infinity }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.count ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ left, ...r }) => (Number.isFinite(left) ? { ...r, count: left } : r));
  }

  /** Decide the faults of one call: all latencies add up; the first firing other rule wins. */
  decide(infno: string): FaultDecision {
    const out: FaultDecision = { latencyMs: 0, kind: null };
    for (const rule of this.rules) {
      if (rule.left <= 0 || (rule.infno !== infno && rule.infno !== '*')) continue;
      // Draw for every live matching rule, so the draws depend only on the sequence of calls.
      const hit = this.rand() < rule.rate;
      if (!hit || (rule.kind !== 'latency' && out.kind)) continue;
      rule.left -= 1;
      const key = `${infno}:${rule.kind}`;
      this.fired[key] = (this.fired[key] ?? 0) + 1;
      if (rule.kind === 'latency') out.latencyMs += rule.latency_ms ?? 0;
      else {
        out.kind = rule.kind;
        if (rule.tamper) out.tamper = rule.tamper;
      }
    }
    return out;
  }
}

/** CLI form: INFNO:KIND:RATE[:COUNT[:LATENCY_MS or TAMPER]], e.g. "2102:drop_after_commit:1:1", "2102:tamper:1:1:sum". */
export function parseFaultFlag(text: string): FaultRule {
  const [infno, kind, rate, count, last] = text.split(':');
  const rule = {
    infno,
    kind,
    rate: rate === undefined ? undefined : Number(rate),
    ...(count ? { count: Number(count) } : {}),
    ...(last && kind === 'tamper' ? { tamper: last } : last ? { latency_ms: Number(last) } : {}),
  };
  const parsed = faultRuleSchema.safeParse(rule);
  if (!parsed.success) {
    throw new Error(`expected INFNO:KIND:RATE[:COUNT[:LATENCY_MS or TAMPER]] with KIND one of drop_after_commit, http_500, reset, latency, tamper (TAMPER: ${TAMPERS.join(', ')})`);
  }
  return parsed.data;
}
