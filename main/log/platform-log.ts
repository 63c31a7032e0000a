/**
 * One log line per message to the platform: transaction code, msgid, duration and outcome at info;
 * the business input (personal fields masked by the rule) at debug, for a technician chasing a case.
 */
import type { Exchange } from '../platform/client';
import type { Log } from './logger';

export function logExchange(log: Log, exchange: Exchange): void {
  const { infno, msgid, ms, outcome, input, error } = exchange;
  const fields = { infno, msgid, ms, outcome, ...(error ? { err: error } : {}) };
  if (outcome === 'ok') log.info(fields, `platform ${infno} ok`);
  else if (outcome === 'refused') log.warn(fields, `platform ${infno} refused`);
  else log.error(fields, `platform ${infno} ${outcome}`);
  log.debug({ infno, msgid, input }, `platform ${infno} input`);
}
