/**
 * Every fund that paid is shown, not only 统筹 (issue 8): a civil servant's sale paid by the pool, the
 * 公务员医疗补助 and the 大额 fund; a resident's by the pool, 大病 and 医疗救助. The sale record keeps the
 * platform's setldetail, the receipt prints each fund on its line, and the lines add up to the total.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiptPreview } from '../../devices/printer';
import { receiptFor } from '../../main/sales/receipt';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

async function settledSale(label: string, boxes: number) {
  const { sales } = counter.terminal;
  const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr(label) });
  scanBoxes(counter.terminal, sale.id, classA, boxes);
  await sales.presettle(sale.id);
  return sales.settle(sale.id);
}

describe('each fund that paid', () => {
  // 居民大病 pays only above the year's threshold (15000.00 in the default fixture): a big sale.
  for (const [label, boxes, expected] of [
    ['civil_servant', 20, ['320100']],
    ['serious_illness', 120, ['391100', '610100']],
  ] as const) {
    it(`${label}: recorded from setldetail and printed fund by fund`, async () => {
      const sale = await settledSale(label, boxes);
      expect(sale.state).toBe('settled');
      const funds = sale.settlement?.extra?.funds ?? [];
      for (const code of expected) expect(funds.find((f) => f.fundPayType === code)?.amountFen).toBeGreaterThan(0);

      const receipt = receiptFor(sale, counter.terminal.platform.counter);
      const others = receipt.split.otherFunds ?? [];
      for (const code of expected) expect(others.map((f) => f.name)).toContain(funds.find((f) => f.fundPayType === code)?.name);
      const printed = receipt.split.fundFen + others.reduce((s, f) => s + f.amountFen, 0) + receipt.split.acctFen + receipt.split.walletFen + receipt.split.cashFen;
      expect(printed).toBe(sale.medfeeFen);
      const text = receiptPreview(receipt);
      for (const f of others) expect(text).toContain(f.name);
    });
  }
});
