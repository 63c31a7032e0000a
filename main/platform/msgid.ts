import { compactTime } from './time';

/**
 * msgid = fixmedins_code (12) + yyyyMMddHHmmss (14) + a 4-digit sequence within that second.
 * The last (second, sequence) issued is persisted by the caller, so ids stay unique across restarts and
 * even when the clock steps back: we never issue a second earlier than the last one used.
 */
export interface MsgidClock {
  second: string; // yyyyMMddHHmmss
  seq: number; // 1..9999
}

export const MAX_SEQ_PER_SECOND = 9999;

export function formatMsgid(fixmedinsCode: string, clock: MsgidClock): string {
  if (fixmedinsCode.length !== 12) {
    throw new Error(`fixmedins_code must be 12 characters, got ${fixmedinsCode.length}`);
  }
  return `${fixmedinsCode}${clock.second}${String(clock.seq).padStart(4, '0')}`;
}

/** The clock value following `last` at time `now`. Pure, so the persistence layer can run it in a transaction. */
export function nextMsgidClock(last: MsgidClock | null, now: Date): MsgidClock {
  const second = compactTime(now);
  if (!last || second > last.second) return { second, seq: 1 };
  if (last.seq < MAX_SEQ_PER_SECOND) return { second: last.second, seq: last.seq + 1 };
  // 9999 messages in one second, or the clock stepped back: borrow the next second.
  return { second: addOneSecond(last.second), seq: 1 };
}

function addOneSecond(second: string): string {
  const iso = `${second.slice(0, 4)}-${second.slice(4, 6)}-${second.slice(6, 8)}T${second.slice(8, 10)}:${second.slice(10, 12)}:${second.slice(12, 14)}+08:00`;
  return compactTime(new Date(Date.parse(iso) + 1000));
}

export function isMsgid(value: string): boolean {
  return /^[A-Za-z0-9]{12}\d{18}$/.test(value);
}
