// A terminal that is both a pharmacy counter and a billing desk (counter.kind 'both'), in Debian's
// Chromium at 1024x768: F5 switches between the two home screens and back; F6 (查询) then F5 comes home to
// the counter; F11 stays the counter's 全自费 (it is not the desk's key), and the walk-in sale it opens
// stays on the counter while the cashier looks at the desk and comes back. Screenshots of both screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHospitalCounter, type Counter } from './harness';

let c: Counter;
beforeAll(async () => {
  c = await openHospitalCounter('both');
}, 240_000);
afterAll(async () => {
  await c?.close();
});

const counterShown = async () => {
  await c.page.getByTestId('waiting').or(c.page.getByTestId('patient-name')).first().waitFor();
  await c.page.getByTestId('desk-open').waitFor({ state: 'detached' });
};
const deskShown = async () => {
  await c.page.getByTestId('desk-open').waitFor();
  expect(await c.page.getByTestId('waiting').count()).toBe(0);
};

describe('counter.kind both: F5 switches counter and desk', () => {
  it('F5 to the desk and back; F6 then F5 comes home to the counter', async () => {
    const { page } = c;
    await page.getByTestId('waiting').waitFor();
    await c.shot('both-01-counter-1024x768');
    await page.keyboard.press('F5');
    await deskShown();
    await c.shot('both-02-desk-1024x768');
    await page.keyboard.press('F5');
    await counterShown();
    await page.keyboard.press('F6');
    await page.getByTestId('find-query').waitFor();
    await page.keyboard.press('F5');
    await counterShown();
    await page.getByTestId('find-query').waitFor({ state: 'detached' });
  });

  it('F11 on the counter opens a 全自费 walk-in sale, kept on the counter across a look at the desk', async () => {
    const { page } = c;
    await page.keyboard.press('F11');
    await page.getByTestId('patient-name').getByText('自费顾客', { exact: true }).waitFor();
    await page.keyboard.press('F5');
    await deskShown();
    await page.keyboard.press('F5');
    await page.getByTestId('patient-name').getByText('自费顾客', { exact: true }).waitFor();
    expect((await c.api('getState', {})).sale?.walkIn).toBe(true);
  });
});
