/**
 * An item's state as the ledger records it, in `pos outpatient show` (text and --json) and in the API the
 * desk screen reads: 已上传 while at the platform, 待撤销 after 2208 until the bill's 2205 went through,
 * 已撤销 once it did (after a cancelled settlement or at 退号), 未上传 when taken as 全自费 without the platform.
 * Real simulator, real ledger, the real CLI.
 */
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../helpers/cli-env';
import { EXAMPLE_FILE } from '../helpers/outpatient';

const cli = cliEnv('yibao-desk-status-');
const { pos } = cli;

/** The 状态 column of the item table, one entry per item, as a clerk reads it. */
async function itemStates(id: string): Promise<string[]> {
  const shown = JSON.parse((await pos('--json', 'outpatient', 'show', id)).out) as { fees: Array<{ statusText: string }> };
  const text = (await pos('outpatient', 'show', id)).out;
  const rows = text.split('\n').filter((l) => /^F\d+\s/.test(l.trim()));
  expect(rows).toHaveLength(shown.fees.length);
  // The text table's last column says the same as --json.
  expect(rows.map((l) => l.trim().split(/\s+/).at(-1))).toEqual(shown.fees.map((f) => f.statusText));
  return shown.fees.map((f) => f.statusText);
}

async function settledVisitId(): Promise<string> {
  const r = await pos('--json', 'outpatient', 'settle', '--persona', 'employee', '--fees', EXAMPLE_FILE);
  expect(r.code).toBe(0);
  return String((JSON.parse(r.out) as { id: number }).id);
}

async function faultOnce(infno: string): Promise<void> {
  const response = await fetch(`${cli.sim.url}/sim/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: [{ infno, kind: 'reset', rate: 1, count: 1 }] }),
  });
  expect(response.ok).toBe(true);
}

describe('the items of a visit show where they stand', () => {
  it('settled: 已上传; cancelled (2208, 2205, 2202): 已撤销, never 已上传', async () => {
    const id = await settledVisitId();
    expect(await itemStates(id)).toEqual(Array(5).fill('已上传'));
    expect((await pos('outpatient', 'cancel', id)).code).toBe(0);
    expect(await itemStates(id)).toEqual(Array(5).fill('已撤销'));
  });

  it('2208 through but the 2205 lost: 待撤销 until the second cancel withdraws the bill', async () => {
    const id = await settledVisitId();
    await faultOnce('2205');
    await pos('outpatient', 'cancel', id);
    const half = JSON.parse((await pos('--json', 'outpatient', 'show', id)).out) as { state: string; feesRemoved: boolean };
    expect(half).toMatchObject({ state: 'cancelled', feesRemoved: false });
    expect(await itemStates(id)).toEqual(Array(5).fill('待撤销'));
    expect((await pos('outpatient', 'cancel', id)).code).toBe(0);
    expect(await itemStates(id)).toEqual(Array(5).fill('已撤销'));
  });

  it('全自费 (--self-pay, nothing sent): 未上传, not 待上传', async () => {
    const r = await pos('--json', 'outpatient', 'settle', '--self-pay', '--fees', EXAMPLE_FILE);
    expect(r.code).toBe(0);
    expect(await itemStates(String((JSON.parse(r.out) as { id: number }).id))).toEqual(Array(5).fill('未上传'));
  });

  it('退号 before settlement (2205, 2202): 已撤销', async () => {
    const r = await pos('--json', 'outpatient', 'settle', '--persona', 'retiree', '--fees', EXAMPLE_FILE, '--presettle-only');
    expect(r.code).toBe(0);
    const id = String((JSON.parse(r.out) as { id: number }).id);
    expect(await itemStates(id)).toEqual(Array(5).fill('已上传'));
    expect((await pos('outpatient', 'unregister', id)).code).toBe(0);
    expect(await itemStates(id)).toEqual(Array(5).fill('已撤销'));
  });
});
