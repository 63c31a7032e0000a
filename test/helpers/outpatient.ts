/** Helpers for the billing desk's integration tests: HIS exports built from the desk catalog, the platform's view. */
import { readFileSync } from 'node:fs';
import type { Counter } from './counter';

export const EXAMPLE_FILE = 'docs/examples/his-fees.json';

/** The documented example export (2 prescriptions, 1 examination), parsed; `iptOtpNo` made unique per call. */
export function exampleExport(over: { iptOtpNo?: string; medType?: '11' | '14'; diagnoses?: Array<{ code: string; name: string }> } = {}) {
  const raw = JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8'));
  raw.visit.iptOtpNo = over.iptOtpNo ?? `MZT${Date.now() % 1e9}${Math.floor(Math.random() * 1000)}`;
  if (over.medType) raw.visit.medType = over.medType;
  if (over.diagnoses) raw.visit.diagnoses = over.diagnoses;
  return raw;
}

/** The platform's own record of a visit (simulator admin endpoint), by the simulator's address. */
export async function platformVisitOf(simUrl: string, mdtrtId: string): Promise<{ status: string; details: Array<{ feedetl_sn: string; setl_id: string | null }> } & Record<string, unknown>> {
  return (await (await fetch(`${simUrl}/sim/visits/${encodeURIComponent(mdtrtId)}`)).json()) as never;
}

/** The platform's own record of a visit (simulator admin endpoint). */
export async function platformVisit(counter: Counter, mdtrtId: string): Promise<{ status: string; details: Array<{ feedetl_sn: string; setl_id: string | null }> } & Record<string, unknown>> {
  const response = await fetch(`${counter.sim.url}/sim/visits/${encodeURIComponent(mdtrtId)}`);
  return (await response.json()) as never;
}

/** How many times each infno reached the platform. */
export async function platformCalls(counter: Counter): Promise<Record<string, number>> {
  return ((await (await fetch(`${counter.sim.url}/sim/stats`)).json()) as { calls: Record<string, number> }).calls;
}
