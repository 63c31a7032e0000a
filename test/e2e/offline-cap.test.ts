// An offline sale past a cap, at the counter in Chromium: the preview is shown as refused before Enter,
// with what to do (全自费, or wait for the line), and Enter is not offered to settle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choices, openCounter, previewPanel, scanBoxes, type Counter } from './harness';

const SYRUP = '6945210000010'; // 27.10, above the 10.00 cap below
let c: Counter;

beforeAll(async () => {
  c = await openCounter({ mode: 'demo', offline: { maxSaleFen: 1000, probeIntervalMs: 300, backoffBaseMs: 100, backoffMaxMs: 1000 } });
}, 240_000);
afterAll(async () => {
  await c?.close();
});

describe('offline past a cap', () => {
  it('is shown as refused at F4, with the next step, and Enter is not offered', async () => {
    const { page } = c;
    // Online first: the card read caches what selling offline needs.
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();

    await c.api('simOutage', { on: true });
    try {
      await c.api('virtualCard', { persona: 'employee' });
      await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
      await scanBoxes(c, SYRUP, 1);
      await page.getByTestId('line-trace').getByText('1/1 ✓', { exact: true }).waitFor();
      await page.keyboard.press('F4');
      await previewPanel(page, choices()).getByTestId('blocked-hint').getByText('不能医保结算: 请改为全自费收款, 或等联网后再结算', { exact: true }).waitFor();
      const notice = (await page.getByTestId('notice').textContent()) ?? '';
      expect(notice).toMatch(/^离线不能医保结算: .+\. 请改为全自费收款, 或等联网后再结算$/);
      expect(await page.getByTestId('confirm-hint').count()).toBe(0);
      expect(await page.getByTestId('keyhints').textContent()).not.toContain('确认结算');
      await c.shot('messages-02-offline-cap');
    } finally {
      await c.api('simOutage', { on: false });
    }
  });
});
