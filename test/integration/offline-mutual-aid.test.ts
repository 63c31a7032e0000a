// A giver's mutual-aid money is one balance, offline too: the giver and each of his receivers draw on
// the same cached account, and what one offline sale took is held against the giver for all of them.
// Real SQLite ledger, the terminal's own offline desk and repositories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import { SalesRepo } from '../../db/sales-repo';
import { DEFAULT_REGIONS_FILE } from '../../main/config/config';
import { offlineConfigSchema } from '../../main/offline/settings';
import { ConnectivityMonitor } from '../../main/offline/monitor';
import { OfflineDesk } from '../../main/offline/offline-desk';
import { loadRegions } from '../../main/offline/regions';
import type { SettleRequest } from '../../main/platform/domain';

const now = new Date('2026-03-02T02:00:00Z');
const seenAt = '2026-03-02T01:00:00.000Z';
const choices = { useAccount: true, useWallet: false, walletCapFen: null };

let dir: string;
let db: Db;
let desk: OfflineDesk;
let sales: SalesRepo;

function person(psnNo: string, certno: string, insutype: '310' | '390', ownFen: number): PersonRow {
  return {
    psn_no: psnNo, certno, psn_name: psnNo, gend: '1', brdy: '1980-01-01', age: 46, insutype, psn_type: '1101',
    insu_stas: '1', insuplc_admdvs: '330100', emp_name: '', own_acct_fen: ownFen, mulaid_fen: 0, wallet_fen: 0,
    wallet_open: 0, seen_at: seenAt,
  };
}

/** A draft sale of one 丙类 line (the fund pays nothing: the whole amount is the patient's to split). */
function sale(psnNo: string, amountFen: number): number {
  const id = sales.create({
    created_at: now.toISOString(), state: 'presettled', psn_no: psnNo, psn_name: psnNo, certno: 'x', insutype: '390',
    insuplc_admdvs: '330100', mdtrt_cert_type: '03', mdtrt_cert_no: 'card', card_sn: '', begntime: '2026-03-02 10:00:00',
  });
  sales.addLine({ sale_id: id, barcode: '6900000000000', name: '药', spec: '', med_list_codg: 'X', medins_list_codg: 'Y', chrgitm_lv: '03', pric_fen: amountFen, cnt: 1 });
  return id;
}

const estimateOf = (saleId: number) => desk.estimate(sales.get(saleId)!, sales.lines(saleId), choices).figures;

/** Estimates and queues the sale in one transaction, as the sale service does; returns the figures. */
function sellOffline(saleId: number) {
  return sales.transaction(() => {
    const row = sales.get(saleId)!;
    const { figures, refusal } = desk.estimate(row, sales.lines(saleId), choices);
    expect(refusal).toBeNull();
    desk.enqueue(row, {} as SettleRequest, figures);
    expect(sales.transition(saleId, 'presettled', 'queued', now.toISOString())).toBe(true);
    return figures;
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mulaid-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
  sales = new SalesRepo(db);
  const persons = new PersonsRepo(db);
  persons.upsert(person('GIVER', '330102198001010011', '310', 10_000));
  persons.upsert(person('CHILD', '330102201001010022', '390', 0));
  persons.upsert(person('MOTHER', '330102195001010033', '390', 0));
  const aid = new MutualAidRepo(db);
  aid.replaceGivers('CHILD', [{ psnNo: 'GIVER', balanceFen: 10_000 }], seenAt);
  aid.replaceGivers('MOTHER', [{ psnNo: 'GIVER', balanceFen: 10_000 }], seenAt);
  const monitor = new ConnectivityMonitor({ probe: async () => undefined, intervalMs: 60_000, initialMode: 'offline', saveMode: () => undefined, now: () => now });
  desk = new OfflineDesk({ db, regions: loadRegions(DEFAULT_REGIONS_FILE), config: offlineConfigSchema.parse({}), counterAdmdvs: '330100', monitor, now: () => now });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mutual aid offline', () => {
  it('two receivers and the giver share the giver\'s one cached balance', () => {
    const child = sellOffline(sale('CHILD', 6_000));
    expect([child.acctMulaidPay, child.psnCashPay]).toEqual([6_000, 0]);

    // The mother draws on the same 100.00: only 40.00 is left of it.
    const mother = sellOffline(sale('MOTHER', 6_000));
    expect([mother.acctMulaidPay, mother.psnCashPay]).toEqual([4_000, 2_000]);

    // The giver's own account is the same money: nothing is left for his own purchase offline.
    const own = estimateOf(sale('GIVER', 3_000));
    expect([own.acctPay, own.psnCashPay]).toEqual([0, 3_000]);
  });

  it('a receiver whose givers the platform did not name gets no mutual aid offline', () => {
    new MutualAidRepo(db).replaceGivers('CHILD', [], seenAt);
    const figures = estimateOf(sale('CHILD', 6_000));
    expect([figures.acctMulaidPay, figures.psnCashPay]).toEqual([0, 6_000]);
  });

  it('a settled or failed offline sale no longer holds the giver\'s money', () => {
    const id = sale('CHILD', 6_000);
    sellOffline(id);
    expect(sales.transition(id, 'queued', 'syncing', now.toISOString())).toBe(true);
    expect(sales.transition(id, 'syncing', 'rejected', now.toISOString())).toBe(true);
    const mother = estimateOf(sale('MOTHER', 6_000));
    expect(mother.acctMulaidPay).toBe(6_000);
  });
});
