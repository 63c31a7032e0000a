// An outage at the counter: the offline banner, card sales queued offline with the count rising, the
// line back and the queue draining; a difference found by the platform becomes an exception, resolved
// on the technician screen.
// The two tests are one story and run in order: the second resolves the exception the first one's drain
// produced (setting one up alone would need the whole outage again). Every other wait names the exact
// state it needs (counts compared whole, a new sale only after the waiting screen is back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClient, settleInput } from '../../simulator/testkit';
import { choices, openCounter, previewPanel, scanBoxes, type Counter } from './harness';

const SYRUP = '6945210000010';
let c: Counter;

beforeAll(async () => {
  c = await openCounter({ mode: 'demo', offline: { probeIntervalMs: 300, backoffBaseMs: 100, backoffMaxMs: 1000 } });
}, 240_000);
afterAll(async () => {
  await c?.close();
});

async function count(testId: string): Promise<number> {
  return Number(((await c.page.getByTestId(testId).textContent()) ?? '').replace(/\D/g, ''));
}
/** Waits until a status-bar count (待上传 / 异常) is exactly n: 1 is not 10, and the old count is not the new. */
async function countShown(testId: string, n: number): Promise<void> {
  await c.page.getByTestId(testId).locator('b').getByText(String(n), { exact: true }).waitFor();
}

async function sellOffline(): Promise<void> {
  const { page } = c;
  await c.api('virtualCard', { persona: 'employee' });
  await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
  await scanBoxes(c, SYRUP, 1);
  await page.getByTestId('line-trace').getByText('1/1 ✓', { exact: true }).waitFor();
  await page.keyboard.press('F4');
  await previewPanel(page, choices()).getByTestId('confirm-hint').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('receipt').waitFor();
  expect(await page.getByTestId('receipt').textContent()).toContain('离线待上传');
}

describe('outage at the counter', () => {
  it('sells offline during an outage, then drains the queue when the line is back', async () => {
    const { page } = c;
    // Online first: the card read caches the person's identity and balances (what offline selling needs).
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();

    // Meanwhile the account is spent at another pharmacy: the terminal's cached balance is now too high.
    const sim = new SimClient(c.mode.terminal.embeddedSimulatorUrl!);
    await sim.signIn();
    const person = (await sim.person('employee')) as { psn_no: string; certno: string };
    const spent = await sim.call('2102', settleInput({ ...person, insutype: '310' }, [{ med_list_codg: 'XA11HAD300A374020119029', pric: '1995.00', cnt: 1 }]));
    expect(spent.infcode).toBe(0);

    await c.api('simOutage', { on: true });
    await sellOffline();
    await page.getByTestId('offline-banner').waitFor();
    await countShown('status-queued', 1);
    await c.shot('11-offline-receipt');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor(); // else the old sale's patient and trace satisfy the next waits
    await sellOffline();
    await countShown('status-queued', 2);
    await c.shot('12-offline-queued');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();

    await c.api('simOutage', { on: false });
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('status-queued').locator('b').getByText('0', { exact: true }).waitFor({ timeout: 20_000 });
    // The spent account leaves the platform short for one sale: an exception, counted in the status bar.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="status-exceptions"] b')?.textContent) > 0);
    await c.shot('13-drained-exception-badge');
  });

  it('resolves the exception on the technician screen', async () => {
    const { page } = c;
    await page.keyboard.press('F8');
    await page.getByTestId('tech').waitFor();
    const exception = page.getByTestId('exception').first();
    await exception.waitFor();
    expect(await exception.textContent()).toContain('患者需补缴');
    await c.shot('14-technician');
    const open = await count('status-exceptions');
    await exception.getByTestId('exception-note').fill('已向患者补收现金');
    await exception.getByTestId('exception-resolve').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="status-exceptions"] b')?.textContent) === n - 1, open, { timeout: 10_000 });
    await page.getByTestId('tech-msg').getByText('已处理').waitFor();
    await c.shot('15-exception-resolved');
  });
});
