/**
 * The patient's cached balances after a settlement or a cancellation, on a real ledger file: one UPDATE
 * (PersonsRepo.moveBalances) must give what reading the row and writing it back gave, for any figures.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import type { CancelRecord, SettlementRecord } from '../../main/platform/domain';
import { CachedBalances } from '../../main/sending/balances';

let dir: string;
let db: Db;
let persons: PersonsRepo;
let balances: CachedBalances;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-balances-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
  persons = new PersonsRepo(db);
  balances = new CachedBalances(db);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const fen = fc.integer({ min: 0, max: 10_000_000 });
const start = fc.record({ own_acct_fen: fen, mulaid_fen: fen, wallet_fen: fen });

function person(b: { own_acct_fen: number; mulaid_fen: number; wallet_fen: number }): PersonRow {
  return {
    psn_no: '33010000000000000001', certno: '330102198001010033', psn_name: '王建国', gend: '1', brdy: '1980-01-01', age: 46,
    insutype: '310', psn_type: '1101', insu_stas: '1', insuplc_admdvs: '330100', emp_name: '', wallet_open: 1,
    seen_at: '2026-11-24T01:00:00.000Z', ...b,
  };
}

const settlement = (s: { balcAfter: number; acctMulaidPay: number; walletPay: number; walletBalcAfter: number | null }) =>
  ({ setlId: 'S1', mdtrtId: 'M1', setlTime: '2026-11-24 09:00:00', ...s }) as SettlementRecord;

describe('cached balances', () => {
  it('after a 2102: the account as the platform says, mutual aid and wallet less what was spent (the wallet as said when said), never below zero', () => {
    fc.assert(
      fc.property(start, fen, fen, fen, fc.option(fen, { nil: null }), (before, balcAfter, acctMulaidPay, walletPay, walletBalcAfter) => {
        persons.upsert(person(before));
        balances.settled('33010000000000000001', settlement({ balcAfter, acctMulaidPay, walletPay, walletBalcAfter }));
        expect(persons.get('33010000000000000001')).toEqual(
          person({
            own_acct_fen: balcAfter,
            mulaid_fen: Math.max(0, before.mulaid_fen - acctMulaidPay),
            wallet_fen: walletBalcAfter ?? Math.max(0, before.wallet_fen - walletPay),
          }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('after a 2103: each pocket gets back what the settlement took from it', () => {
    fc.assert(
      fc.property(start, fen, fen, fen, (before, acctMulaidPay, ownPart, walletPay) => {
        persons.upsert(person(before));
        const record = { acctPay: ownPart + acctMulaidPay, acctMulaidPay, walletPay } as CancelRecord;
        balances.cancelled('33010000000000000001', record);
        expect(persons.get('33010000000000000001')).toEqual(
          person({ own_acct_fen: before.own_acct_fen + ownPart, mulaid_fen: before.mulaid_fen + acctMulaidPay, wallet_fen: before.wallet_fen + walletPay }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('a person never seen is not created', () => {
    balances.settled('33019999999999999999', settlement({ balcAfter: 100, acctMulaidPay: 0, walletPay: 0, walletBalcAfter: null }));
    expect(persons.get('33019999999999999999')).toBeUndefined();
  });
});
