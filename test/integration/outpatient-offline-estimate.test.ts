/**
 * The groundwork of offline outpatient settlement (docs/outpatient.md, "Offline outpatient settlement"):
 * every 2204 answer teaches the desk its item's class, 乙类 share and price ceiling for the patient's insured
 * region (desk_item_terms, migration 018), and from those and the terminal's OWN outpatient rules (regions
 * file, `outpatient`) the desk foresees the platform's split to the fen. Checked against the simulator's
 * 2206 over real HTTP, for an employee (account) and a resident (wallet at the insured place), with an item
 * over its price ceiling, a 乙类 item with its own share and a 丙类 item.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ItemTermsRepo } from '../../db/item-terms-repo';
import { PersonsRepo } from '../../db/persons-repo';
import { VisitsRepo } from '../../db/visits-repo';
import { DEFAULT_REGIONS_FILE } from '../../main/config/config';
import { loadRegions } from '../../main/offline/regions';
import { estimateVisit, withOutpatient } from '../../main/outpatient/offline-estimate';
import type { SettlementFigures } from '../../main/platform/domain';
import type { Insutype } from '../../main/settlement/policy';
import { UNTOUCHED_YEAR } from '../../main/settlement/year-usage';
import { startCounter, type Counter } from '../helpers/counter';
import { exampleExport } from '../helpers/outpatient';

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

/** The example export plus an examination over its ceiling (¥90 > ¥80), a 乙类 item with its own share over its ceiling, a 丙类 item. */
function richerExport() {
  const raw = exampleExport();
  const exam = raw.documents[2];
  exam.items[1] = { code: 'XM000007', name: '胸部X线摄影(DR)', quantity: '1', unitPrice: '90.00', amount: '90.00' };
  exam.items.push({ code: 'XM000010', name: 'x', quantity: '1', unitPrice: '520.00', amount: '520.00' });
  exam.items.push({ code: 'XM000017', name: 'x', quantity: '2', unitPrice: '200.00', amount: '400.00' });
  return raw;
}

const COMPARED: Array<keyof SettlementFigures> = [
  'medfeeSumamt', 'fulamtOwnpayAmt', 'overlmtSelfpay', 'preselfpayAmt', 'inscpScpAmt', 'hifpPay', 'fundPaySumamt',
  'psnPartAmt', 'acctPay', 'acctMulaidPay', 'walletPay', 'psnCashPay',
];
const pick = (f: SettlementFigures) => Object.fromEntries(COMPARED.map((k) => [k, f[k]]));

/** What the desk would estimate for this visit from what it learned, as if the platform were away. */
function offlineEstimateOf(visitId: number): SettlementFigures {
  const { db, config } = counter.terminal;
  const visits = new VisitsRepo(db);
  const visit = visits.get(visitId)!;
  const person = new PersonsRepo(db).get(visit.psn_no)!;
  const fees = visits.fees(visitId).filter((f) => f.status === 'uploaded');
  const terms = new ItemTermsRepo(db).forRegion(visit.insuplc_admdvs, fees.map((f) => f.med_list_codg));
  const policy = withOutpatient(loadRegions(DEFAULT_REGIONS_FILE).get(visit.insuplc_admdvs))!;
  return estimateVisit({
    fees: fees.map((f) => ({ medListCodg: f.med_list_codg, amountFen: f.amount_fen, pricMicros: f.pric_micros, cntE4: f.cnt_e4 })),
    terms, policy, chronic: false, insutype: person.insutype as Insutype, yearUsage: UNTOUCHED_YEAR,
    balances: { ownAcctFen: person.own_acct_fen, mulaidFen: 0, walletFen: person.wallet_fen },
    walletOpen: person.wallet_open === 1,
    place: { mdtrtareaAdmvs: config.counter.mdtrtareaAdmvs, insuplcAdmdvs: visit.insuplc_admdvs },
    choices: { useAccount: visit.use_account === 1, useWallet: visit.use_wallet === 1, walletCapFen: visit.wallet_cap_fen },
  });
}

describe('the offline visit estimate, learned from 2204 answers', () => {
  for (const label of ['employee', 'resident']) {
    it(`equals the platform's 2206 split to the fen (${label}, year untouched)`, async () => {
      const desk = counter.terminal.outpatient;
      const visit = await desk.openFromHis({ kind: 'qr', payload: await counter.qr(label) }, richerExport(), 'his.json');
      expect(visit.state).toBe('presettled');
      const platform = JSON.parse(new VisitsRepo(counter.terminal.db).get(visit.id)!.presettle_json!) as SettlementFigures;
      // The visit exercises what the estimate must know: a ceiling cut, a 乙类 share, a 丙类 item, the fund.
      expect(platform.overlmtSelfpay).toBeGreaterThan(0);
      expect(platform.preselfpayAmt).toBeGreaterThan(0);
      expect(platform.fulamtOwnpayAmt).toBe(40000);
      expect(platform.hifpPay).toBeGreaterThan(0);
      expect(platform.acctPay + platform.walletPay).toBeGreaterThan(0);
      expect(pick(offlineEstimateOf(visit.id))).toEqual(pick(platform));
    });
  }

  it("keeps each item's terms per insured region; an item never answered is not known", async () => {
    const desk = counter.terminal.outpatient;
    const visit = await desk.openFromHis({ kind: 'qr', payload: await counter.qr('employee') }, richerExport(), 'his.json');
    const terms = new ItemTermsRepo(counter.terminal.db);
    const national = (code: string) => desk.catalog.item(code)!.med_list_codg;
    const known = terms.forRegion(visit.patient.insuplcAdmdvs, ['XM000007', 'XM000010', 'XM000017', 'XM000001'].map(national));
    expect(known.get(national('XM000007'))).toEqual({ medListCodg: national('XM000007'), insuplcAdmdvs: visit.patient.insuplcAdmdvs, chrgitmLv: '02', selfpayPropE4: expect.any(Number), pricUplmtMicros: 80_000_000 });
    expect(known.get(national('XM000010'))).toMatchObject({ chrgitmLv: '02', selfpayPropE4: 3000, pricUplmtMicros: 500_000_000 });
    expect(known.get(national('XM000017'))).toMatchObject({ chrgitmLv: '03', selfpayPropE4: 10000 });
    expect(known.has(national('XM000001'))).toBe(false); // never uploaded here
    expect(terms.forRegion('440100', [national('XM000007')]).size).toBe(0); // another region's share may differ
  });
});
