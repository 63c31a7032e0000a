/**
 * The counter's money desk (issue 11): tenders (收款), 全自费 sales and shifts (交班), over the ledger.
 * Opened once by the composition root; the API and the command line reach them through the terminal.
 */
import type { Db } from '../../db/connection';
import { SelfPayDesk } from './self-pay';
import { ShiftBook } from './shift-book';
import { TenderDesk } from './tender-desk';

export { SelfPayDesk, WALK_IN_NAME } from './self-pay';
export { ShiftBook, type ShiftOperator } from './shift-book';
export type { ShiftReport } from './shift-report';
export { reportCsv, reportLines, reportRows } from './shift-report';
export { TenderDesk, type TenderRequest } from './tender-desk';

export interface CounterDesks {
  tenders: TenderDesk;
  selfPay: SelfPayDesk;
  shifts: ShiftBook;
}

export interface CounterDeskOptions {
  db: Db;
  now: () => Date;
  counter: { opter: string; mdtrtareaAdmvs: string };
  /** The operator at work now (the platform client's current one): whose shift a tender or a close is in. */
  operator: () => { code: string; name: string };
  requireTraceCodes: boolean;
  /** The sale service's notify: the screens see a sale that changed here. */
  onChange: (saleId: number) => void;
}

export function openCounterDesks(o: CounterDeskOptions): CounterDesks {
  // A shift opens at the cashier's sign-in (main/api/features/shift.ts) or first need, not at start.
  const shifts = new ShiftBook({ db: o.db, now: o.now, operator: o.operator, fallbackOpter: o.counter.opter });
  return {
    shifts,
    tenders: new TenderDesk({ db: o.db, now: o.now, shifts, onChange: o.onChange }),
    selfPay: new SelfPayDesk({ db: o.db, now: o.now, counterAdmdvs: o.counter.mdtrtareaAdmvs, requireTraceCodes: o.requireTraceCodes, onChange: o.onChange }),
  };
}
