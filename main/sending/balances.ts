/**
 * The patient's cached balances (account, mutual-aid, wallet), kept in step with what the platform said
 * in each settlement and cancellation: the patient panel shows them and the offline caps count on them.
 * Called inside the transaction that records the platform's answer.
 */
import type { Db } from '../../db/connection';
import { PersonsRepo } from '../../db/persons-repo';
import type { CancelRecord, SettlementRecord } from '../platform/domain';

export class CachedBalances {
  private readonly persons: PersonsRepo;

  constructor(db: Db) {
    this.persons = new PersonsRepo(db);
  }

  /** After a 2102: the account balance the platform reports, the mutual-aid and wallet money spent. */
  settled(psnNo: string, record: SettlementRecord): void {
    this.persons.moveBalances(psnNo, {
      own_acct_fen: { set: record.balcAfter },
      mulaid_fen: { add: -record.acctMulaidPay },
      wallet_fen: record.walletBalcAfter === null ? { add: -record.walletPay } : { set: record.walletBalcAfter },
    });
  }

  /** After a 2103: what the settlement took comes back to each pocket. */
  cancelled(psnNo: string, record: CancelRecord): void {
    this.persons.moveBalances(psnNo, {
      own_acct_fen: { add: record.acctPay - record.acctMulaidPay },
      mulaid_fen: { add: record.acctMulaidPay },
      wallet_fen: { add: record.walletPay },
    });
  }
}
