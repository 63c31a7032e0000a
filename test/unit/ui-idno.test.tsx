// @vitest-environment happy-dom
// F9 at the cashier screen: a bare ID number, then the explicit confirmation that the patient's own ID
// document was checked. Only the confirmation sends it (identifyByIdNumber with idDocumentChecked: true).
import { act as reactAct, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterState } from '../../main/api/contract';
import { ScreenKeys, type KeyHandler } from '../../renderer/src/screen-keys';
import { CashierView } from '../../renderer/src/screens/Cashier';

afterEach(cleanup);

function waitingCounter() {
  const calls: Array<[string, object]> = [];
  const act = async (method: string, args: object) => {
    calls.push([method, args]);
    return { sale: null, busy: null, notice: null } as CounterState;
  };
  const slot: { current: KeyHandler | null } = { current: null };
  render(<ScreenKeys.Provider value={slot}><CashierView state={{ sale: null, busy: null, notice: null }} loadError={null} typed="" act={act} /></ScreenKeys.Provider>);
  const press = (key: string) => reactAct(() => slot.current!(new KeyboardEvent('keydown', { key }), false));
  const type = (text: string) => {
    fireEvent.change(screen.getByTestId('idno-input'), { target: { value: text } });
    fireEvent.keyDown(screen.getByTestId('idno-input'), { key: 'Enter' });
  };
  return { calls, press, type };
}

describe('identifying by a bare ID number', () => {
  it('the waiting screen says how, and F9 asks for the number, then for the ID document check', () => {
    const { calls, press, type } = waitingCounter();
    expect(screen.getByTestId('waiting').textContent).toContain('F9 输入身份证号');
    press('F9');
    type('33010219820514003x');
    expect(calls).toEqual([]);
    expect(screen.getByTestId('idno-check').textContent).toContain('请核验患者本人的身份证件');
    expect(screen.getByTestId('idno-number').textContent).toBe('33010219820514003X');
    fireEvent.click(screen.getByTestId('idno-confirm'));
    expect(calls).toEqual([['identifyByIdNumber', { certno: '33010219820514003X', idDocumentChecked: true }]]);
    expect(screen.queryByTestId('idno-dialog')).toBeNull();
  });

  it('a malformed number is said and goes nowhere; Esc at the check cancels without sending', () => {
    const { calls, press, type } = waitingCounter();
    press('F9');
    type('3301021982');
    expect(screen.getByTestId('idno-error').textContent).toContain('18 位');
    type('330102198205140033');
    fireEvent.keyDown(screen.getByTestId('idno-dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('idno-dialog')).toBeNull();
    expect(calls).toEqual([]);
  });
});
