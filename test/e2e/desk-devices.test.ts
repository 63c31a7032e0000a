// A terminal that is both counter and billing desk, in Debian's Chromium at 1024x768, with the devices of the
// demo (the 模拟设备 panel's virtual card reader, through the same device hub as a serial one): on the counter
// a card read begins a sale; after F5 the desk tells the main process that its open form waits, and the same
// read opens the card holder's visit on the desk's screen, F6 prints the 门诊收费票据
// (no printer here: said so in Chinese), the cancelled visit's items show 已撤销, and F6 on the empty desk
// is 门诊查询 (the visits, this one cancelled), where a card read is refused with the reason said; F5 there
// comes back to the desk. Every wait names the state it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseAndBill, openHospitalCounter, type Counter } from './harness';

let c: Counter;
beforeAll(async () => {
  c = await openHospitalCounter('both');
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const state = (text: string) => c.page.getByTestId('desk-state').getByText(text, { exact: true }).waitFor();

/** Nothing of the desk outside the 1024x768 window, and the page does not scroll. */
async function fits(ids: string[]): Promise<void> {
  const out = await c.page.evaluate((list) => {
    const bad: string[] = [];
    for (const id of list) {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      if (!r || r.width === 0) bad.push(`${id} not shown`);
      else if (r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5) bad.push(`${id} outside the window`);
    }
    const e = document.scrollingElement!;
    if (e.scrollWidth > window.innerWidth || e.scrollHeight > window.innerHeight) bad.push('the page scrolls');
    return bad;
  }, ids);
  expect(out).toEqual([]);
}

describe('billing desk with the devices', () => {
  it('counter first, then F5: a card read opens the visit; F6 prints (no printer: said); cancelled items 已撤销; F6 on the empty desk is 门诊查询', async () => {
    const { page } = c;
    const employee = (await c.sim('/sim/persons/employee')) as { psn_name: string };
    const retiree = (await c.sim('/sim/persons/retiree')) as { psn_name: string };
    // The counter is the station in use: the card begins a sale there.
    await c.api('virtualCard', { persona: 'retiree' });
    await page.getByTestId('patient-name').getByText(retiree.psn_name, { exact: true }).waitFor();
    await c.api('nextPatient', {});

    await page.keyboard.press('F5');
    await page.getByTestId('desk-open').waitFor();
    // The main process confirmed the card reader now reads for this form.
    await page.getByTestId('desk-devices-ready').waitFor();
    await c.api('virtualCard', { persona: 'employee' });
    await state('已挂号');
    expect(await page.getByTestId('desk-patient-name').textContent()).toBe(employee.psn_name);

    await diagnoseAndBill(page);
    expect(await page.getByTestId('desk-keys').textContent()).not.toContain('打印');
    await page.keyboard.press('F4');
    await state('已预结算');
    await page.keyboard.press('Enter');
    await state('已结算');

    expect(await page.getByTestId('desk-keys').textContent()).toContain('F6 打印');
    await page.keyboard.press('F6');
    await page.getByTestId('desk-print').getByText('未配置打印机: 仅显示票据预览').waitFor();
    expect(await page.getByTestId('desk-fee-status').allTextContents()).toEqual(Array(5).fill('已上传'));
    await fits(['desk-head', 'desk-keys', 'desk-print', 'desk-fees', 'receipt']);
    await c.shot('desk-07-printed');

    await page.keyboard.press('F9');
    await page.getByTestId('desk-cancel-confirm').waitFor();
    await page.keyboard.press('Enter');
    await state('已撤销结算');
    await page.getByTestId('receipt').getByText('*** 已撤销 (退费) ***').waitFor();
    expect(await page.getByTestId('desk-fee-status').allTextContents()).toEqual(Array(5).fill('已撤销'));
    await page.keyboard.press('F6');
    await page.getByTestId('desk-print').getByText('未配置打印机: 仅显示票据预览').waitFor();
    await fits(['desk-head', 'desk-keys', 'desk-print', 'desk-fees']);
    await c.shot('desk-08-cancelled-items');

    await page.keyboard.press('Enter');
    await page.getByTestId('desk-open').waitFor();
    expect(await page.getByTestId('desk-print').count()).toBe(0);
    await page.keyboard.press('F6');
    await page.getByTestId('visits-row').getByTestId('visits-state').getByText('已撤销结算', { exact: true }).waitFor();
    // A card read while 门诊查询 covers the desk registers nobody, and the clerk is told why.
    await c.api('virtualCard', { persona: 'retiree' });
    await page.getByTestId('covered-read').getByText('读卡/扫码未用于挂号: 门诊收费处的挂号界面不在屏幕上. 按 F5 回到门诊收费, 再读卡/扫码').waitFor();
    expect((await c.api('deskListVisits', {})).visits).toHaveLength(1);
    await page.keyboard.press('F5');
    await page.getByTestId('desk-open').waitFor();
    await page.getByTestId('covered-read').waitFor({ state: 'detached' });
  });
});
