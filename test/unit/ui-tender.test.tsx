// @vitest-environment happy-dom
// The 收款 dialog and the 全自费 keys on the cashier screen: what the cashier types goes to the server as
// typed (the change is the server's), Tab switches the tender, a wedge scan fills the payment reference,
// F11 starts or turns a sale self-pay, a walk-in sale's Enter collects it self-pay.
import { act as reactAct, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterState, SaleDto } from '../../main/api/contract';
import { scanCapture } from '../../renderer/src/scan-capture';
import { ScreenKeys, type KeyHandler } from '../../renderer/src/screen-keys';
import { CashierView } from '../../renderer/src/screens/Cashier';

afterEach(cleanup);

const base: SaleDto = {
  id: 9, state: 'settled', stateLabel: '已结算', createdAt: '2026-03-02T02:00:00Z',
  patient: {
    psnName: '王建国', maskedCertno: '3301**********0033', age: 44, gendText: '男', insutype: '310', insutypeText: '职工基本医疗保险',
    insuplcAdmdvs: '330100', insuplcText: '杭州市 (330100)', certTypeText: '社保卡', crossRegion: false, ownAcct: '2000.00', mulaid: '0.00',
    wallet: '0.00', walletUsable: false, walletWarning: null,
  },
  lines: [{ lineNo: 1, barcode: '6909990000035', name: '阿莫西林片', spec: '0.5g*12片', classText: '甲类', price: '153.80', cnt: 1, quantity: '1', amount: '153.80', traceCount: 1, traceMissing: 0, traceCodes: ['85400010000000000001'] }],
  total: '153.80', boxes: 1, traceMissingTotal: 0, traceRequired: true,
  choices: { useAccount: false, useWallet: true, walletCap: null },
  preview: null, settlement: null, refund: null, receipt: null, lastError: null, offlineText: null, done: true,
  editable: false, canSettle: false, canCancel: true, inDoubt: false,
  tender: { due: '76.90', remaining: '76.90', received: '0.00', change: '0.00', complete: false, lines: [], handBack: null },
};

function renderCashier(sale: SaleDto | null, paymentScan: CounterState['paymentScan'] = null) {
  const calls: Array<[string, object]> = [];
  const act = async (method: string, args: object) => {
    calls.push([method, args]);
    return { sale, busy: null, notice: null } as CounterState;
  };
  const slot: { current: KeyHandler | null } = { current: null };
  const view = (scan: CounterState['paymentScan']) => (
    <ScreenKeys.Provider value={slot}>
      <CashierView state={{ sale, busy: null, notice: null, paymentScan: scan }} loadError={null} typed="" act={act} />
    </ScreenKeys.Provider>
  );
  const { rerender } = render(view(paymentScan));
  const press = (key: string) => reactAct(() => slot.current!(new KeyboardEvent('keydown', { key }), false));
  return { calls, press, scanned: (scan: CounterState['paymentScan']) => rerender(view(scan)) };
}

describe('收款 dialog', () => {
  it('实收 opens prefilled with what is due and 找零 0.00 shown, selected so a typed amount replaces it', () => {
    const { calls } = renderCashier(base);
    const amount = screen.getByTestId('tender-amount') as HTMLInputElement;
    expect(amount.value).toBe('76.90');
    expect(document.activeElement).toBe(amount);
    expect([amount.selectionStart, amount.selectionEnd]).toEqual([0, 5]);
    expect(screen.getByTestId('tender-change-preview').textContent).toBe('¥0.00');
    expect(screen.getByTestId('tender').textContent).toContain('Enter 现金收讫 76.90 元 (无找零)');
    // Another amount typed: no 找零 shown until the server computed it.
    fireEvent.change(amount, { target: { value: '100' } });
    expect(screen.queryByTestId('tender-change-preview')).toBeNull();
    // The prefilled amount, Enter: exact cash (the server's 应收, not the screen's text) and the next patient.
    fireEvent.change(amount, { target: { value: '76.90' } });
    fireEvent.keyDown(amount, { key: 'Enter' });
    expect(calls).toEqual([['tender', { saleId: 9, kind: 'cash', amount: null, thenNext: true }]]);
  });

  it('实收 typed then Enter goes as typed; Enter on an emptied field is exact cash and the next patient', () => {
    const { calls } = renderCashier(base);
    expect(screen.getByTestId('tender-due').textContent).toBe('¥76.90');
    const amount = screen.getByTestId('tender-amount') as HTMLInputElement;
    fireEvent.change(amount, { target: { value: '100' } });
    fireEvent.keyDown(amount, { key: 'Enter' });
    fireEvent.change(amount, { target: { value: '' } });
    fireEvent.keyDown(amount, { key: 'Enter' });
    expect(calls).toEqual([
      ['tender', { saleId: 9, kind: 'cash', amount: '100', thenNext: false }],
      ['tender', { saleId: 9, kind: 'cash', amount: null, thenNext: true }],
    ]);
  });

  it('Tab switches to 微信: amount, Enter, then a scanned 付款码 fills the reference, Enter sends both', () => {
    const { calls } = renderCashier(base);
    const amount = screen.getByTestId('tender-amount') as HTMLInputElement;
    fireEvent.keyDown(amount, { key: 'Tab' });
    expect(screen.getByTestId('tender-kind').dataset.kind).toBe('wechat');
    expect(amount.value).toBe(''); // empty = the rest, as its placeholder says
    expect(screen.queryByTestId('tender-change-preview')).toBeNull();
    fireEvent.change(amount, { target: { value: '5' } });
    fireEvent.keyDown(amount, { key: 'Enter' });
    const reference = screen.getByTestId('tender-reference') as HTMLInputElement;
    reactAct(() => {
      expect(scanCapture.current?.('134567890123456789')).toBe(true);
    });
    expect(reference.value).toBe('134567890123456789');
    fireEvent.keyDown(reference, { key: 'Enter' });
    expect(calls).toEqual([['tender', { saleId: 9, kind: 'wechat', amount: '5', reference: '134567890123456789' }]]);
  });

  it('a 付款码 the main process took from a device scanner switches to its tender and fills the reference; Enter sends it', () => {
    const { calls, scanned } = renderCashier(base);
    scanned({ kind: 'alipay', code: '284567890123456789', seq: 1 });
    expect(screen.getByTestId('tender-kind').dataset.kind).toBe('alipay');
    const reference = screen.getByTestId('tender-reference') as HTMLInputElement;
    expect(reference.value).toBe('284567890123456789');
    expect((screen.getByTestId('tender-amount') as HTMLInputElement).value).toBe(''); // empty = the rest
    // A later scan (the customer switched to 微信) replaces it.
    scanned({ kind: 'wechat', code: '134567890123456789', seq: 2 });
    expect(screen.getByTestId('tender-kind').dataset.kind).toBe('wechat');
    expect((screen.getByTestId('tender-reference') as HTMLInputElement).value).toBe('134567890123456789');
    fireEvent.keyDown(screen.getByTestId('tender-reference'), { key: 'Enter' });
    expect(calls).toEqual([['tender', { saleId: 9, kind: 'wechat', amount: null, reference: '134567890123456789' }]]);
  });

  it('once collected shows 找零 large and Enter goes on to the next patient', () => {
    const done = { ...base, tender: { ...base.tender!, remaining: '0.00', received: '100.00', change: '23.10', complete: true, lines: [{ kind: 'cash' as const, kindText: '现金', amount: '76.90', tendered: '100.00', change: '23.10', reference: null }] } };
    const { calls } = renderCashier(done);
    expect(screen.getByTestId('tender-change').textContent).toBe('¥23.10');
    fireEvent.keyDown(screen.getByTestId('tender-next'), { key: 'Enter' });
    expect(calls).toEqual([['nextPatient', {}]]);
  });

  it('nothing to collect (no cash part): no dialog', () => {
    renderCashier({ ...base, tender: { ...base.tender!, due: '0.00', remaining: '0.00', complete: true } });
    expect(screen.queryByTestId('tender')).toBeNull();
  });
});

describe('全自费 keys', () => {
  it('F11 with no sale starts a walk-in sale; F11 on an open sale turns it self-pay; Enter on a walk-in sale collects it', () => {
    const waiting = renderCashier(null);
    waiting.press('F11');
    expect(waiting.calls).toEqual([['beginSelfPay', {}]]);
    cleanup();
    const open = { ...base, state: 'draft', done: false, editable: true, tender: null };
    const turning = renderCashier(open);
    turning.press('F11');
    expect(turning.calls).toEqual([['selfPay', { saleId: 9 }]]);
    cleanup();
    const walkIn = renderCashier({ ...open, walkIn: true });
    walkIn.press('Enter');
    expect(walkIn.calls).toEqual([['selfPay', { saleId: 9 }]]);
  });
});
