/**
 * The patient's cached balances (account, mutual-aid, wallet), kept in step with what the platform said
 * in each settlement and cancellation: the patient panel shows them and the offline caps count on them.
 * Called inside the transaction that records the platform's answer.
 */
import type { Db } from '../../db/connection';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import type { CancelRecord, SettlementRecord } from '../platform/domain';

type Balances = Pick<PersonRow, 'own_acct_fen' | 'mulaid_fen' | 'wallet_fen'>;

export class CachedBalances {
  private readonly persons: PersonsRepo;

  constructor(db: Db) {
    this.persons = new PersonsRepo(db);
  }

  /** After a 2102: the account balance the platform reports, the mutual-aid and wallet money spent. */
  settled(psnNo: string, record: SettlementRecord): void {
    this.update(psnNo, (p) => ({
      own_acct_fen: record.balcAfter,
      mulaid_fen: p.mulaid_fen - record.acctMulaidPay,
      wallet_fen: record.walletBalcAfter ?? p.wallet_fen - record.walletPay,
    }));
  }

  /** After a 2103: what the settlement took comes back to each pocket. */
  cancelled(psnNo: string, record: CancelRecord): void {
    this.update(psnNo, (p) => ({
      own_acct_fen: p.own_acct_fen + record.acctPay - record.acctMulaidPay,
      mulaid_fen: p.mulaid_fen + record.acctMulaidPay,
      wallet_fen: p.wallet_fen + record.walletPay,
    }));
  }

  private update(psnNo: string, next: (p: PersonRow) => Balances): void {
    const person = this.persons.get(psnNo);
    if (!person) return;
    const b = next(person);
    this.persons.upsert({
      ...person,
      own_acct_fen: Math.max(0, b.own_acct_fen),
      mulaid_fen: Math.max(0, b.mulaid_fen),
      wallet_fen: Math.max(0, b.wallet_fen),
    });
  }
}
