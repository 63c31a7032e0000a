/**
 * Store-and-forward in the log: the line going up or down, and every exception a drain raises (what a
 * technician asks about first). Listeners typed structurally, so the log needs nothing from main/offline.
 */
import type { Log } from './logger';

export function logConnectivity(log: Log): (change: { online: boolean; mode: string }) => void {
  return ({ online, mode }) => log.info({ online, mode }, online ? 'platform reachable: online' : 'platform unreachable: offline');
}

export function logOfflineException(log: Log): (e: { id: number; saleId: number | null; kind: string; owedFen: number; message: string }) => void {
  return ({ id, saleId, kind, owedFen, message }) => log.warn({ exception: id, saleId, kind, owedFen }, `offline exception: ${message}`);
}
