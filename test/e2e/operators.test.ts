// Operators on the screen, in Debian's Chromium at 1024x768: the demo sign-in screen (演示 operators),
// a cashier's F8 asking for a technician, the technician screen only after a technician's PIN, and the
// lock (Ctrl+L) keeping the open sale until the cashier's PIN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineShown, openCounter, type Counter } from './harness';

let c: Counter;
beforeAll(async () => {
  c = await openCounter(undefined, { signIn: false });
  await c.page.setViewportSize({ width: 1024, height: 768 });
}, 240_000);
afterAll(async () => {
  await c?.close();
});

describe('operators on the screen', () => {
  it('shows the sign-in screen with the demo operators marked 演示; a wrong PIN says what to do', async () => {
    const { page } = c;
    await page.getByTestId('signin-screen').waitFor();
    const demo = page.getByTestId('demo-operators');
    expect(await demo.textContent()).toContain('演示');
    expect(await demo.textContent()).toContain('收银员 演示收银员: 工号 1001, PIN 1234');
    await page.getByTestId('signin-code').fill('1001');
    await page.getByTestId('signin-pin').fill('4321');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').getByText('PIN 错误: 请重新输入 (再错 4 次将锁定); 忘记 PIN 请找管理员重置').waitFor();
    await c.shot('operators-01-signin');
  });

  it('the demo cashier signs in (a click on him fills the form) and the counter waits for a patient, his name shown', async () => {
    const { page } = c;
    await page.getByTestId('demo-operators').getByText('收银员 演示收银员: 工号 1001, PIN 1234').click();
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('who').getByText('收银员 演示收银员', { exact: false }).waitFor();
    await onlineShown(page);
  });

  it('F8 for a cashier asks for a technician: the cashier\'s own PIN is refused, the technician\'s opens the screen', async () => {
    const { page } = c;
    await page.keyboard.press('F8');
    await page.getByTestId('tech-prompt').waitFor();
    expect(await page.getByTestId('tech').count()).toBe(0);
    await page.getByTestId('tech-signin-code').fill('1001');
    await page.getByTestId('tech-signin-pin').fill('1234');
    await page.getByTestId('tech-signin-pin').press('Enter');
    await page.getByTestId('tech-signin-error').getByText('演示收银员 是收银员, 此操作需要运维: 请由运维输入工号和 PIN').waitFor();
    expect(await page.getByTestId('tech').count()).toBe(0);
    await c.shot('operators-02-technician-prompt');
    await page.getByTestId('tech-signin-code').fill('9001');
    await page.getByTestId('tech-signin-pin').fill('9999');
    await page.getByTestId('tech-signin-pin').press('Enter');
    await page.getByTestId('tech').waitFor();
    // The technician leaves: his session ends and the technician screen with it.
    await page.getByTestId('tech-signout').click();
    await page.getByTestId('tech').waitFor({ state: 'detached' });
    await page.getByTestId('waiting').waitFor();
  });

  it('Ctrl+L locks the screen and keeps the open sale; a wrong PIN is refused, the cashier\'s unlocks', async () => {
    const { page } = c;
    await c.api('virtualCard', { persona: 'employee' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    const sale = (await c.api('getState', {})).sale!;
    await page.keyboard.press('Control+l');
    await page.getByTestId('lock-screen').waitFor();
    await c.shot('operators-03-locked');
    await page.getByTestId('unlock-pin').fill('9999');
    await page.getByTestId('unlock-pin').press('Enter');
    await page.getByTestId('unlock-error').getByText('PIN 错误', { exact: false }).waitFor();
    await page.getByTestId('unlock-pin').fill('1234');
    await page.getByTestId('unlock-pin').press('Enter');
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await page.getByTestId('patient-name').getByText('王建国', { exact: true }).waitFor();
    expect((await c.api('getState', {})).sale?.id).toBe(sale.id);
  });
});
