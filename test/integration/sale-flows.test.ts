/**
 * The counter's main flows against the simulator over real HTTP, with real SQLite files.
 * Every money assertion is checked on both sides: what the terminal shows and what the platform booked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';
import { receiptPreview } from '../../devices/printer';
import { receiptFor } from '../../main/sales/receipt';
import { MutualAidRepo } from '../../db/mutual-aid-repo';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);
const classB = drug((d) => d.chrgitm_lv === '02' && d.pric_fen > 2000);
const classC = drug((d) => d.chrgitm_lv === '03');

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

async function sellByQr(label: string, boxes: Array<[typeof classA, number]>, choices = {}) {
  const { sales } = counter.terminal;
  const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr(label) });
  let box = 1;
  for (const [d, n] of boxes) {
    scanBoxes(counter.terminal, sale.id, d, n, box);
    box += n;
  }
  await sales.presettle(sale.id, choices);
  return sales.settle(sale.id);
}

describe('settling at the counter', () => {
  it('an employee pays his self-pay portion from his own personal account', async () => {
    const before = await counter.balances('employee');
    const sale = await sellByQr('employee', [[classA, 2], [classB, 1]]);
    const s = sale.settlement!;

    expect(sale.state).toBe('settled');
    expect(s.medfeeSumamt).toBe(classA.priceFen * 2 + classB.priceFen);
    expect(s.fundPaySumamt).toBeGreaterThan(0);
    expect(s.acctPay).toBe(s.psnPartAmt);
    expect(s.acctMulaidPay).toBe(0);
    expect(s.psnCashPay).toBe(0);
    expect((await counter.balances('employee')).acct).toBe(before.acct - s.acctPay);
    expect(s.balcAfter).toBe(before.acct - s.acctPay);
  });

  it("identifying a retiree online keeps his givers and their balances for selling offline", async () => {
    const daughter = await counter.balances('daughter');
    const retiree = await counter.balances('retiree');
    const givers = new MutualAidRepo(counter.terminal.db);
    expect(givers.givers(retiree.psnNo)).toEqual([]);

    await counter.terminal.sales.beginSale({ kind: 'qr', payload: await counter.qr('retiree') });

    expect(givers.givers(retiree.psnNo)).toEqual([{ psnNo: daughter.psnNo, balanceFen: daughter.acct }]);
  });

  it("a retiree whose account is short gets the rest from his daughter's account (家庭共济)", async () => {
    const retiree = await counter.balances('retiree');
    const daughter = await counter.balances('daughter');
    expect(retiree.givers.map((g) => g.psn_no)).toContain(daughter.psnNo);

    const sale = await sellByQr('retiree', [[classA, 3]]);
    const s = sale.settlement!;

    expect(s.psnPartAmt).toBeGreaterThan(retiree.acct);
    expect(s.acctPay - s.acctMulaidPay).toBe(retiree.acct); // his own account is emptied first
    expect(s.acctMulaidPay).toBe(Math.min(s.psnPartAmt - retiree.acct, daughter.acct));
    expect(s.psnCashPay).toBe(s.psnPartAmt - s.acctPay - s.walletPay);
    expect((await counter.balances('retiree')).acct).toBe(0);
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct - s.acctMulaidPay);
  });

  it('a resident (390, no personal account) spends her 医保钱包', async () => {
    const before = await counter.balances('resident');
    const sale = await sellByQr('resident', [[classB, 2]]);
    const s = sale.settlement!;

    expect(s.acctPay).toBe(0);
    expect(s.walletPay).toBe(Math.min(s.psnPartAmt, before.wallet));
    expect(s.walletPay).toBeGreaterThan(0);
    expect((await counter.balances('resident')).wallet).toBe(before.wallet - s.walletPay);
    expect(s.walletBalcAfter).toBe(before.wallet - s.walletPay);
  });

  it('a patient insured in another province gets no wallet here, even with money in it', async () => {
    const before = await counter.balances('cross_province');
    expect(before.wallet).toBeGreaterThan(0);
    const sale = await sellByQr('cross_province', [[classA, 1]], { useAccount: false });
    const s = sale.settlement!;

    expect(s.walletPay).toBe(0);
    expect(s.acctPay).toBe(0);
    expect(s.psnCashPay).toBe(s.psnPartAmt);
    expect((await counter.balances('cross_province')).wallet).toBe(before.wallet);
  });

  it('a patient who declines account use (不使用个人账户) pays the self-pay portion in cash', async () => {
    const before = await counter.balances('employee');
    const sale = await sellByQr('employee', [[classA, 1], [classC, 1]], { useAccount: false });
    const s = sale.settlement!;

    expect(sale.choices.useAccount).toBe(false);
    expect(s.acctPay).toBe(0);
    expect(s.psnCashPay).toBe(s.psnPartAmt);
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });

  it('a 社保卡 read identifies its holder; someone else\'s card is refused', async () => {
    const persona = (await (await fetch(`${counter.sim.url}/sim/persons/employee`)).json()) as {
      psn_name: string; certno: string; cards: Array<{ card_no: string; card_sn: string }>;
    };
    const card = persona.cards[0]!;
    const sale = await counter.terminal.sales.beginSale({
      kind: 'card',
      record: { cardNo: card.card_no, cardSn: card.card_sn, certno: persona.certno, name: persona.psn_name },
    });
    expect(sale.patient.psnName).toBe(persona.psn_name);
    expect(sale.patient.maskedCertno).not.toContain(persona.certno.slice(6, 14));

    const other = (await (await fetch(`${counter.sim.url}/sim/persons/resident`)).json()) as { certno: string; psn_name: string };
    await expect(
      counter.terminal.sales.beginSale({
        kind: 'card',
        record: { cardNo: card.card_no, cardSn: card.card_sn, certno: other.certno, name: other.psn_name },
      }),
    ).rejects.toThrow(/不符|本人/);
  });

  it('cancelling a settled sale (2103) gives every fen back and frees the boxes', async () => {
    const retiree = await counter.balances('retiree');
    const daughter = await counter.balances('daughter');
    const sale = await sellByQr('retiree', [[classA, 3]]);
    const cancelled = await counter.terminal.sales.cancel(sale.id);

    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.cancellation!.acctPay).toBe(sale.settlement!.acctPay);
    expect((await counter.balances('retiree')).acct).toBe(retiree.acct);
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct);
    // The same boxes can be sold again.
    const again = await sellByQr('employee', [[classA, 3]]);
    expect(again.state).toBe('settled');
  });

  it('the receipt masks the name and ID number', async () => {
    const sale = await sellByQr('employee', [[classA, 1]]);
    const text = receiptPreview(receiptFor(sale, counter.terminal.platform.counter));
    const person = (await (await fetch(`${counter.sim.url}/sim/persons/employee`)).json()) as { certno: string; psn_name: string };
    expect(text).not.toContain(person.certno);
    expect(text).not.toContain(person.psn_name);
    expect(text).toContain(person.certno.slice(-4));
    expect(text).toContain(sale.settlement!.setlId);
  });
});

describe('bad scans change nothing', () => {
  it('refuses an unknown barcode, a repeated trace code and garbage, with reasons', async () => {
    const { sales } = counter.terminal;
    const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr('employee') });
    scanBoxes(counter.terminal, sale.id, classA, 1);
    const before = sales.get(sale.id);

    expect(() => sales.scan(sale.id, '6900000000007')).toThrow(/不在本店药品目录/);
    expect(() => sales.scan(sale.id, '6900000000002')).toThrow(/校验位/);
    expect(() => sales.scan(sale.id, classA.trace(1))).toThrow(/已扫过/);
    expect(() => sales.scan(sale.id, '12345')).toThrow(/位/);
    expect(() => sales.scan(sale.id, classB.trace(1))).toThrow(/不符/);
    expect(() => sales.scan(sale.id, classA.trace(2))).toThrow(/已齐/);
    expect(sales.get(sale.id).lines).toEqual(before.lines);
  });

  it('a box sold in one sale cannot be scanned into another', async () => {
    await sellByQr('employee', [[classA, 1]]);
    const { sales } = counter.terminal;
    const next = await sales.beginSale({ kind: 'qr', payload: await counter.qr('resident') });
    sales.scan(next.id, classA.barcode);
    expect(() => sales.scan(next.id, classA.trace(1))).toThrow(/已售出/);
  });

  it('will not settle while boxes lack their trace codes', async () => {
    const { sales } = counter.terminal;
    const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr('employee') });
    sales.addItem(sale.id, classA.barcode, 2);
    sales.scan(sale.id, classA.trace(1));
    await sales.presettle(sale.id);
    await expect(sales.settle(sale.id)).rejects.toThrow(/缺 1 个/);
    expect(sales.get(sale.id).state).toBe('presettled');
  });
});
