/**
 * Who is sending: a process, named host|pid|start time, written on a record while its message is in
 * flight (a sale in `sending`/`cancelling`, an offline sale in `syncing`), with a lease. Another process
 * (a CLI next to the running app, a second window's services) takes the record over only when that owner
 * is gone or its lease expired: never a live process's payment.
 */
import { hostname } from 'node:os';

/** When this process started (ms): with host and pid, it tells this process from a later one with the same pid. */
const STARTED_AT = new Date(Math.round(Date.now() - process.uptime() * 1000)).toISOString();

/** This process, as written into claims. */
export const PROCESS_OWNER = `${hostname()}|${process.pid}|${STARTED_AT}`;

/**
 * How long a claim on an online 2102/2103 holds without its owner: far above the longest platform
 * deadline (2 minutes), so a live sender is never overtaken; a sender on another host (whose process
 * cannot be asked) is taken over after it.
 */
export const SEND_LEASE_MS = 10 * 60_000;

/** A claim's process still runs? Only decidable on this host; elsewhere the lease decides. */
export function ownerAlive(owner: string): boolean {
  if (owner === PROCESS_OWNER) return true;
  const [host, pidText] = owner.split('|');
  if (host !== hostname()) return true;
  const pid = Number(pidText);
  if (pid === process.pid) return false; // our pid, another start: a previous life of this process id
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** May another process take this claim over? No owner (an older row), owner gone, or lease expired. */
export function claimStale(owner: string | null, leaseUntil: string | null, now: Date): boolean {
  if (!owner) return true;
  if (leaseUntil !== null && leaseUntil < now.toISOString()) return true;
  return !ownerAlive(owner);
}

/** The lease's end for a claim taken now. */
export function leaseFrom(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString();
}
