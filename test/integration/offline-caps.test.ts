// Every cap refuses what it should, and says which cap: per sale, per person per day, total exposure,
// age of the oldest queued sale, age of the cached identity; plus what cannot be sold offline at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Terminal } from '../../main/terminal';
import { personaCard, startEnv, testClock, type Env } from '../helpers/offline-env';

describe('offline caps', () => {
  let env: Env;
  let t: Terminal;
  const clock = testClock();

  beforeAll(async () => {
    env = await startEnv({
      offline: { maxSaleFen: 10_000, maxPersonDayFen: 15_000, maxTotalExposureFen: 24_000, maxQueueAgeMinutes: 60, maxIdentityAgeMinutes: 120 },
    });
    t = await env.open({ now: clock.now });
    for (const label of ['employee', 'daughter', '33010000000000000011', 'cross_province']) {
      t.sales.discard((await t.sales.beginSale(personaCard(label))).id);
    }
    t.offline.setMode('offline');
  }, 60_000);
  afterAll(async () => env?.cleanup());

  // Class 01 drugs: for these employees (Hangzhou, ample account) the whole price is insured exposure.
  const drugAt = (min: number, max: number) => t.catalog.entries.find((d) => d.chrgitm_lv === '01' && d.pric_fen >= min && d.pric_fen <= max)!;

  async function sell(label: string, barcode: string) {
    const sale = await t.sales.beginSale(personaCard(label));
    t.sales.addItem(sale.id, barcode, 1);
    return t.sales.presettle(sale.id);
  }

  it('says 离线 and refuses what cannot be sold offline at all', async () => {
    expect(t.offline.status()).toMatchObject({ online: false, label: '离线 (手动)' });
    await expect(t.sales.beginSale({ kind: 'qr', payload: 'EC01ABCDEFGHIJKL1700000000ABCDEF12' })).rejects.toMatchObject({ code: 'OFFLINE_CARD_ONLY' });
    await expect(t.sales.beginSale(personaCard('retiree'))).rejects.toMatchObject({ code: 'OFFLINE_UNKNOWN_PERSON' });
    await expect(t.sales.beginSale(personaCard('cross_province'))).rejects.toMatchObject({ code: 'OFFLINE_CROSS_PROVINCE' });
  });

  it('refuses a sale above the per-sale cap, and lets it be paid in cash', async () => {
    const quoted = await sell('employee', drugAt(10_001, 20_000).barcode);
    expect(quoted.lastError).toContain('单笔限额');
    expect(quoted.presettle!.psnCashPay).toBe(quoted.medfeeFen);
    await expect(t.sales.settle(quoted.id)).rejects.toMatchObject({ code: 'OFFLINE_CAP', message: expect.stringContaining('单笔限额') });
    expect(t.sales.settleSelfPay(quoted.id).state).toBe('self_paid');
  });

  it('refuses past the per-person daily cap', async () => {
    const first = await sell('employee', drugAt(7_000, 9_000).barcode);
    expect(first.lastError).toBeNull();
    expect((await t.sales.settle(first.id)).state).toBe('queued');
    const second = await sell('employee', drugAt(7_000, 9_000).barcode);
    expect(second.lastError).toContain('每人每日离线限额');
    await expect(t.sales.settle(second.id)).rejects.toMatchObject({ code: 'OFFLINE_CAP' });
  });

  it('refuses past the terminal total exposure', async () => {
    for (const label of ['daughter', '33010000000000000011']) {
      const sale = await sell(label, drugAt(9_000, 10_000).barcode);
      if (sale.lastError) {
        expect(sale.lastError).toContain('离线总限额');
        await expect(t.sales.settle(sale.id)).rejects.toMatchObject({ message: expect.stringContaining('离线总限额') });
        return;
      }
      await t.sales.settle(sale.id);
    }
    throw new Error('the total exposure cap never refused');
  });

  it('refuses once the oldest queued sale is too old, and once the identity is too old', async () => {
    clock.advanceMinutes(61);
    const late = await sell('daughter', drugAt(100, 1_000).barcode);
    expect(late.lastError).toContain('离线时限');
    clock.advanceMinutes(60);
    await expect(t.sales.beginSale(personaCard('daughter'))).rejects.toMatchObject({ code: 'OFFLINE_IDENTITY_AGE' });
    expect(t.offline.status().exposureFen).toBeLessThanOrEqual(24_000);
  });
});
