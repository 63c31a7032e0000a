// Exponential backoff for reopening a device that went away.
export interface BackoffOptions {
  initialMs?: number; // first retry delay (default 250 ms)
  maxMs?: number; // ceiling (default 10 s)
}

export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 10_000;
  return Math.min(max, initial * 2 ** Math.min(attempt, 30));
}
