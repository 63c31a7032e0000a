// @vitest-environment happy-dom
// 拆零 at the cashier screen: * opens the quantity of the selected line; what the cashier types goes to
// setQuantity as text (part of a box) or whole boxes.
import { act as reactAct, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterState, SaleDto } from '../../main/api/contract';
import { ScreenKeys, type KeyHandler } from '../../renderer/src/screen-keys';
import { CashierView } from '../../renderer/src/screens/Cashier';

afterEach(cleanup);

const sale: SaleDto = {
  id: 7, state: 'draft', stateLabel: '录入中', createdAt: '2026-03-02T02:00:00Z',
  patient: {
    psnName: '王建国', maskedCertno: '3301**********0033', age: 44, gendText: '男', insutype: '310', insutypeText: '职工基本医疗保险',
    insuplcAdmdvs: '330100', insuplcText: '杭州市 (330100)', certTypeText: '社保卡', crossRegion: false, ownAcct: '2000.00', mulaid: '0.00',
    wallet: '0.00', walletUsable: false, walletWarning: null,
  },
  lines: [{ lineNo: 1, barcode: '6909990000035', name: '阿莫西林片', spec: '0.5g*12片', classText: '甲类', price: '15.38', cnt: 1, quantity: '1', amount: '15.38', traceCount: 0, traceMissing: 1, traceCodes: [] }],
  total: '15.38', boxes: 1, traceMissingTotal: 1, traceRequired: true,
  choices: { useAccount: true, useWallet: true, walletCap: null },
  preview: null, settlement: null, refund: null, receipt: null, lastError: null, offlineText: null, done: false,
  editable: true, canSettle: false, canCancel: false, inDoubt: false,
};

function renderWithKeys() {
  const calls: Array<[string, object]> = [];
  const act = async (method: string, args: object) => {
    calls.push([method, args]);
    return { sale, busy: null, notice: null } as CounterState;
  };
  const slot: { current: KeyHandler | null } = { current: null };
  render(<ScreenKeys.Provider value={slot}><CashierView state={{ sale, busy: null, notice: null }} loadError={null} typed="" act={act} /></ScreenKeys.Provider>);
  const press = (key: string) => reactAct(() => slot.current!(new KeyboardEvent('keydown', { key }), false));
  return { calls, press };
}

describe('typing a quantity', () => {
  it('* then 0.25 and Enter sets part of a box', () => {
    const { calls, press } = renderWithKeys();
    press('*');
    const input = screen.getByTestId('quantity-input') as HTMLInputElement;
    expect(input.value).toBe('1');
    fireEvent.change(input, { target: { value: '0.25' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(calls).toEqual([['setQuantity', { saleId: 7, lineNo: 1, cnt: '0.25' }]]);
    expect(screen.queryByTestId('quantity')).toBeNull();
  });

  it('whole boxes go as a number; Esc closes without a change', () => {
    const { calls, press } = renderWithKeys();
    press('*');
    fireEvent.change(screen.getByTestId('quantity-input'), { target: { value: '3' } });
    fireEvent.keyDown(screen.getByTestId('quantity-input'), { key: 'Enter' });
    press('*');
    fireEvent.keyDown(screen.getByTestId('quantity-input'), { key: 'Escape' });
    expect(calls).toEqual([['setQuantity', { saleId: 7, lineNo: 1, cnt: 3 }]]);
    expect(screen.getByTestId('keyhints').textContent).toContain('输入数量 (拆零)');
  });
});
