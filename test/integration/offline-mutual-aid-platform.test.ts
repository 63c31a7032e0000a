// Mutual aid offline, end to end: a retiree identified online (1101 names her daughter as a giver, with
// the daughter's balance) is sold to during an outage; the offline estimate spends her own account, then
// her daughter's money; when the line is back the drained 2102 takes exactly that from the daughter's
// account at the platform, and the estimate agrees with the platform to the fen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Terminal } from '../../main/terminal';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';

const RETIREE = '33010000000000000002';
const DAUGHTER = '33010000000000000003';

let env: Env;
let t: Terminal;

beforeEach(async () => {
  env = await startEnv();
  t = await env.open();
});
afterEach(async () => env.cleanup());

const accountAtPlatform = (psnNo: string) =>
  (env.sim.db.prepare('SELECT acct_balc FROM persons WHERE psn_no = ?').get(psnNo) as { acct_balc: number }).acct_balc;

describe('mutual aid offline, from identification to the drain', () => {
  it("spends the daughter's money offline, and the platform takes the same from her account", async () => {
    t.sales.discard((await t.sales.beginSale(personaCard('retiree'))).id); // seen online: 1101 names the daughter
    const own = accountAtPlatform(RETIREE);
    const daughter = accountAtPlatform(DAUGHTER);
    // A 丙类 drug: the fund pays nothing, so the whole price is hers to pay, more than her own account holds.
    const drug = t.catalog.entries.find((d) => d.chrgitm_lv === '03' && d.pric_fen > own)!;

    await env.stopSimulator();
    const sale = await t.sales.beginSale(personaCard('retiree'));
    t.sales.addItem(sale.id, drug.barcode, 1);
    const estimate = (await t.sales.presettle(sale.id)).presettle!;
    expect(estimate).toMatchObject({ acctPay: drug.pric_fen, acctMulaidPay: drug.pric_fen - own, psnCashPay: 0 });
    expect((await t.sales.settle(sale.id)).state).toBe('queued');

    await env.restartSimulator();
    expect(await t.offline.probe()).toBe(true);
    expect((await t.offline.syncUntilIdle()).settled).toBe(1);
    const settled = t.sales.get(sale.id);
    expect(settled.state).toBe('settled');
    expect(settled.settlement).toMatchObject({ acctPay: estimate.acctPay, acctMulaidPay: estimate.acctMulaidPay, psnCashPay: 0 });
    expect(accountAtPlatform(RETIREE)).toBe(0);
    expect(accountAtPlatform(DAUGHTER)).toBe(daughter - estimate.acctMulaidPay);
    expect(t.offline.listExceptions({ saleId: sale.id })).toEqual([]);
  });
});
