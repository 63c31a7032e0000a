import type { Db } from './connection';
import { immediately, sqlite } from './sqlite';

export interface ClockValue {
  second: string;
  seq: number;
}

/**
 * Advances the persisted msgid clock in one immediate transaction: two processes sharing the file
 * (a CLI next to the running app) can never draw the same value.
 */
export function advanceMsgidClock(ledger: Db, compute: (last: ClockValue | null) => ClockValue): ClockValue {
  const db = sqlite(ledger);
  return immediately(db, () => {
    const last = db.prepare('SELECT second, seq FROM msgid_clock WHERE id = 1').get() as ClockValue | undefined;
    const next = compute(last ?? null);
    db.prepare(
      'INSERT INTO msgid_clock (id, second, seq) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET second = excluded.second, seq = excluded.seq',
    ).run(next.second, next.seq);
    return next;
  });
}
