/**
 * Tender, 全自费 and the shift, against the simulator over real HTTP with real SQLite files: what the
 * cashier collects is recorded per tender, the receipt says it, a self-pay sale makes no settlement call but
 * still reports its boxes (3505, 自费), and the shift report adds up to the sales made.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiptPreview } from '../../devices/printer';
import { reportCsv, reportLines, type ShiftReport } from '../../main/counter';
import { receiptFor } from '../../main/sales/receipt';
import { SaleError } from '../../main/settlement/sale-error';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);
const classC = drug((d) => d.chrgitm_lv === '03');

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

/** An employee who declines his account: the whole self-pay portion is his cash part. */
async function sellForCash(firstBox: number, boxes = 1) {
  const { sales } = counter.terminal;
  const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr('employee') });
  scanBoxes(counter.terminal, sale.id, classA, boxes, firstBox);
  scanBoxes(counter.terminal, sale.id, classC, 1, firstBox + 100);
  await sales.presettle(sale.id, { useAccount: false, useWallet: false });
  const settled = await sales.settle(sale.id);
  expect(settled.state).toBe('settled');
  expect(settled.settlement!.psnCashPay).toBeGreaterThan(0);
  return settled;
}

function refusal(work: () => unknown): SaleError {
  try {
    work();
  } catch (error) {
    if (error instanceof SaleError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('tender at the counter', () => {
  it('cash: below the due amount is refused with the shortfall and nothing recorded; above it, the change; the receipt shows it', async () => {
    const { desks, sales, platform } = counter.terminal;
    const sale = await sellForCash(1);
    const due = sale.settlement!.psnCashPay;

    const short = refusal(() => desks.tenders.collect(sale.id, { kind: 'cash', tenderedFen: due - 1 }));
    expect(short.code).toBe('CASH_SHORT');
    expect(short.message).toContain('差 0.01 元');
    expect(desks.tenders.tendersOf(sale.id)).toEqual([]);

    const tendered = (Math.floor(due / 10_000) + 1) * 10_000; // the next 100-yuan note
    const { collection } = desks.tenders.collect(sale.id, { kind: 'cash', tenderedFen: tendered });
    expect(collection).toEqual({ dueFen: due, paidFen: due, remainingFen: 0, receivedFen: tendered, changeFen: tendered - due, complete: true });
    expect(refusal(() => desks.tenders.collect(sale.id, { kind: 'cash', tenderedFen: 100 })).code).toBe('TENDER_COMPLETE');

    const text = receiptPreview(receiptFor(sales.get(sale.id), platform.counter));
    expect(text).toContain('险种: 职工基本医疗保险');
    expect(text).toMatch(new RegExp(`应收 +${(due / 100).toFixed(2)}`));
    expect(text).toMatch(new RegExp(`实收 +${(tendered / 100).toFixed(2)}`));
    expect(text).toMatch(new RegExp(`找零 +${((tendered - due) / 100).toFixed(2)}`));
    expect(text).toMatch(new RegExp(`其中全自费 +${(sale.settlement!.fulamtOwnpayAmt / 100).toFixed(2)}`));
  });

  it('a mix: a WeChat part with a wrong reference is named and refused, a good one recorded, cash pays the rest', async () => {
    const { desks } = counter.terminal;
    const sale = await sellForCash(1);
    const due = sale.settlement!.psnCashPay;
    const part = Math.floor(due / 2);

    const bad = refusal(() => desks.tenders.collect(sale.id, { kind: 'wechat', amountFen: part, reference: '6945210000010' }));
    expect(bad.message).toContain('微信单号 "6945210000010" 格式不对');
    expect(desks.tenders.collect(sale.id, { kind: 'wechat', amountFen: part, reference: '134567890123456789' }).collection.remainingFen).toBe(due - part);
    expect(desks.tenders.collect(sale.id, { kind: 'cash', tenderedFen: null }).collection).toMatchObject({ complete: true, changeFen: 0, paidFen: due });
    expect(desks.tenders.tendersOf(sale.id).map((t) => [t.kind, t.amountFen, t.reference])).toEqual([
      ['wechat', part, '134567890123456789'],
      ['cash', due - part, null],
    ]);
  });
});

describe('全自费', () => {
  it('a walk-in buys without a card: no settlement call, the boxes are still recorded and reported by 3505 as 自费', async () => {
    const { desks, sales, offline } = counter.terminal;
    const id = desks.selfPay.begin();
    scanBoxes(counter.terminal, id, classA, 2, 1);
    desks.selfPay.turn(id);
    const view = sales.get(id);
    expect(view.state).toBe('self_paid');
    expect(view.presettle!.psnCashPay).toBe(classA.priceFen * 2);
    expect(sales.messagesOf(id)).toEqual([]);

    const { collection } = desks.tenders.collect(id, { kind: 'alipay', amountFen: null, reference: '2812345678901234' });
    expect(collection.complete).toBe(true);
    expect(receiptPreview(receiptFor(sales.get(id), counter.terminal.platform.counter))).toContain('全自费收款凭证');

    expect((await offline.sendTraceReports()).sent).toBe(1);
    const reports = offline.traceReports().filter((r) => r.sale_id === id);
    expect(reports.map((r) => [r.infno, r.status])).toEqual([['3505', 'sent']]);
  });

  it('turns an identified sale into self-pay before it is settled; a sale with boxes missing their codes is refused', async () => {
    const { desks, sales } = counter.terminal;
    const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr('employee') });
    sales.scan(sale.id, classA.barcode);
    expect(refusal(() => desks.selfPay.turn(sale.id)).code).toBe('TRACE_MISSING');
    sales.scan(sale.id, classA.trace(1));
    await sales.presettle(sale.id);
    desks.selfPay.turn(sale.id);
    expect(sales.get(sale.id).state).toBe('self_paid');
    expect(sales.messagesOf(sale.id).map((m) => m.infno)).not.toContain('2102');
  });
});

describe('the shift', () => {
  it('refuses to close over an open sale, naming it; then reports totals by fund and by tender that add up to the sales', async () => {
    const { desks, sales } = counter.terminal;
    const cashSale = await sellForCash(1);
    desks.tenders.collect(cashSale.id, { kind: 'cash', tenderedFen: cashSale.settlement!.psnCashPay + 1000 });
    const mixSale = await sellForCash(10, 2);
    desks.tenders.collect(mixSale.id, { kind: 'card', amountFen: 500, reference: '123456789012' });
    desks.tenders.collect(mixSale.id, { kind: 'cash', tenderedFen: null });
    const walkIn = desks.selfPay.begin();
    scanBoxes(counter.terminal, walkIn, classC, 1, 50);
    desks.selfPay.turn(walkIn);
    desks.tenders.collect(walkIn, { kind: 'wechat', amountFen: null, reference: '4200001234202611231234567890' });

    const open = await sales.beginSale({ kind: 'qr', payload: await counter.qr('resident') });
    scanBoxes(counter.terminal, open.id, classA, 1, 70);
    const refused = refusal(() => desks.shifts.close());
    expect(refused.code).toBe('SALE_OPEN');
    expect(refused.message).toContain(`销售 #${open.id}`);
    sales.discard(open.id);

    const report: ShiftReport = desks.shifts.close();
    const sold = [cashSale, mixSale].map((s) => s.settlement!);
    const walkInFee = classC.priceFen;
    expect(report.sales).toEqual({ count: 3, fen: sold.reduce((n, s) => n + s.medfeeSumamt, 0) + walkInFee });
    expect(report.funds.pool + report.funds.otherFunds).toBe(sold.reduce((n, s) => n + s.fundPaySumamt, 0));
    expect(report.funds.cashPart).toBe(sold.reduce((n, s) => n + s.psnCashPay, 0) + walkInFee);
    expect(report.tenders.card).toEqual({ count: 1, fen: 500 });
    expect(report.tenders.wechat).toEqual({ count: 1, fen: walkInFee });
    expect(report.tenders.cash).toEqual({ count: 2, fen: sold.reduce((n, s) => n + s.psnCashPay, 0) - 500 });
    expect(report.tenders.unrecorded).toEqual({ count: 0, fen: 0 });
    expect(report.drawer.changeFen).toBe(1000);
    expect(report.selfPay).toEqual({ count: 1, fen: walkInFee });
    expect(report.exceptions).toEqual([]);

    // Kept as it closed; the next shift starts empty.
    expect(desks.shifts.report(report.shiftId)).toEqual(report);
    const next = desks.shifts.preview();
    expect(next.shiftId).toBe(report.shiftId + 1);
    expect(next.sales).toEqual({ count: 0, fen: 0 });

    expect(reportLines(report).every((l) => l.length <= 32)).toBe(true);
    const csv = reportCsv(report);
    expect(csv.startsWith('\uFEFF班次,')).toBe(true);
    expect(csv).toContain(`收款,银行卡,1,5.00`);
  });
});
