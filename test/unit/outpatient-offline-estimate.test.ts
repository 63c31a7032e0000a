/**
 * The offline visit estimate (main/outpatient/offline-estimate.ts): an item never answered is full
 * self-pay, a region without outpatient rules gives none, and whatever the items, the figures add up in
 * integer fen (property). Its agreement with the platform is checked against the simulator in
 * test/integration/outpatient-offline-estimate.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ItemTerms } from '../../db/item-terms-repo';
import { DEFAULT_REGIONS_FILE } from '../../main/config/config';
import { loadRegions } from '../../main/offline/regions';
import { cutFee, estimateVisit, withOutpatient, type EstimateFee } from '../../main/outpatient/offline-estimate';
import { UNTOUCHED_YEAR } from '../../main/settlement/year-usage';

const regions = loadRegions(DEFAULT_REGIONS_FILE);
const hangzhou = withOutpatient(regions.get('330100'))!;

function input(fees: EstimateFee[], terms: Map<string, ItemTerms>, over: Partial<Parameters<typeof estimateVisit>[0]> = {}) {
  return {
    fees, terms, policy: hangzhou, chronic: false, insutype: '310' as const, yearUsage: UNTOUCHED_YEAR,
    balances: { ownAcctFen: 1_000_000, mulaidFen: 0, walletFen: 0 }, walletOpen: false,
    place: { mdtrtareaAdmvs: '330100', insuplcAdmdvs: '330100' }, choices: { useAccount: true, useWallet: false, walletCapFen: null }, ...over,
  };
}
const fee = (code: string, pricFen: number, cnt = 1): EstimateFee => ({ medListCodg: code, amountFen: pricFen * cnt, pricMicros: pricFen * 10_000, cntE4: cnt * 10_000 });
const terms = (code: string, lv: '01' | '02' | '03', share: number, ceilingFen: number | null): [string, ItemTerms] =>
  [code, { medListCodg: code, insuplcAdmdvs: '330100', chrgitmLv: lv, selfpayPropE4: share, pricUplmtMicros: ceilingFen === null ? null : ceilingFen * 10_000 }];

describe('offline visit estimate', () => {
  it('takes an item never answered as full self-pay: the fund counts on nothing it does not know', () => {
    const figures = estimateVisit(input([fee('NEW', 50_000)], new Map(), { choices: { useAccount: false, useWallet: false, walletCapFen: null } }));
    expect(figures).toMatchObject({ medfeeSumamt: 50_000, fulamtOwnpayAmt: 50_000, inscpScpAmt: 0, hifpPay: 0, psnCashPay: 50_000 });
    expect(cutFee(fee('NEW', 100), undefined)).toEqual({ fulamt: 100, overlmt: 0, preself: 0, inscp: 0 });
  });

  it('cuts a known item as the platform does: ceiling, then the 乙类 share rounded half up', () => {
    // ¥90 against a ¥80 ceiling: ¥10 over; 5% of ¥80 = ¥4; 4.52 × 0.05 = 0.226 -> 0.23 (the reference's sample).
    expect(cutFee(fee('X', 9000), terms('X', '02', 500, 8000)[1])).toEqual({ fulamt: 0, overlmt: 1000, preself: 400, inscp: 7600 });
    expect(cutFee(fee('Y', 452), terms('Y', '02', 500, null)[1]).preself).toBe(23);
    expect(cutFee(fee('Z', 452), terms('Z', '01', 0, null)[1])).toEqual({ fulamt: 0, overlmt: 0, preself: 0, inscp: 452 });
  });

  it('the chronic rules apply to a 门诊慢特病 visit (Hangzhou: no deductible, 85%)', () => {
    const known = new Map([terms('A', '01', 0, null)]);
    expect(estimateVisit(input([fee('A', 10_000)], known, { chronic: true })).hifpPay).toBe(8_500);
    expect(estimateVisit(input([fee('A', 10_000)], known)).hifpPay).toBe(0); // ordinary: ¥100 deductible first
  });

  it('a region without outpatient rules gives no policy (the visit cannot be estimated offline)', () => {
    const { outpatient: _o, ...bare } = hangzhou;
    expect(withOutpatient(bare)).toBeNull();
    expect(withOutpatient(undefined)).toBeNull();
  });

  it('whatever the items and balances, the figures add up in integer fen', () => {
    const lv = fc.constantFrom('01', '02', '03', 'unknown');
    fc.assert(
      fc.property(
        fc.array(fc.record({ lv, pric: fc.integer({ min: 0, max: 200_000 }), cnt: fc.integer({ min: 1, max: 5 }), share: fc.integer({ min: 0, max: 10_000 }), ceiling: fc.option(fc.integer({ min: 0, max: 200_000 })) }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 500_000 }), fc.boolean(), fc.constantFrom('310', '390'),
        (items, acct, used, chronic, insutype) => {
          const fees = items.map((it, i) => fee(`C${i}`, it.pric, it.cnt));
          const known = new Map(items.flatMap((it, i) => (it.lv === 'unknown' ? [] : [terms(`C${i}`, it.lv as '01', it.share, it.ceiling)])));
          const f = estimateVisit(input(fees, known, { chronic, insutype: insutype as '310', balances: { ownAcctFen: acct, mulaidFen: 0, walletFen: acct }, yearUsage: { inscpFen: used, fundPaidFen: used } }));
          const all = Object.values(f).filter((v): v is number => typeof v === 'number');
          expect(all.every((v) => Number.isSafeInteger(v))).toBe(true);
          expect(f.fulamtOwnpayAmt + f.overlmtSelfpay + f.preselfpayAmt + f.inscpScpAmt).toBe(f.medfeeSumamt);
          expect(f.fundPaySumamt + f.acctPay + f.walletPay + f.psnCashPay).toBe(f.medfeeSumamt);
          expect(f.hifpPay).toBeLessThanOrEqual(f.inscpScpAmt);
          expect(f.psnCashPay).toBeGreaterThanOrEqual(0);
          const unknownFen = items.reduce((s, it, i) => s + (it.lv === 'unknown' ? fees[i]!.amountFen : 0), 0);
          expect(f.fulamtOwnpayAmt).toBeGreaterThanOrEqual(unknownFen);
        },
      ),
    );
  });
});
