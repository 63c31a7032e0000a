/**
 * A settlement whose answer never came back. The platform committed it (fault "drop_after_commit"),
 * the terminal cannot know: the sale is in doubt, resolved by 2601 of the stored msgid, never by
 * sending 2102 again. Balances are checked at the platform to the fen.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';
import { drug, scanBoxes, startCounter, type Counter } from '../helpers/counter';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

async function presettledSale(label: string, boxes = 3) {
  const { sales } = counter.terminal;
  const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr(label) });
  scanBoxes(counter.terminal, sale.id, classA, boxes);
  return sales.presettle(sale.id);
}

async function platformCalls(): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${counter.sim.url}/sim/stats`)).json()) as { calls: Record<string, number> };
  return stats.calls;
}

describe('an outcome not seen', () => {
  it('commit-then-drop on 2102: in doubt, reversed by 2601, balances back to the fen, nothing charged twice', async () => {
    const retiree = await counter.balances('retiree');
    const daughter = await counter.balances('daughter');
    const sale = await presettledSale('retiree');
    await counter.setFaults([{ infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 }]);

    const after = await counter.terminal.sales.settle(sale.id);

    // The terminal reversed the unseen settlement at once, by the msgid it had stored before sending.
    expect(after.state).toBe('reversed');
    const messages = counter.terminal.sales.messagesOf(sale.id);
    const settle = messages.filter((m) => m.infno === '2102');
    expect(settle).toHaveLength(1);
    expect(settle[0]!.status).toBe('reversed');
    expect(messages.filter((m) => m.infno === '2601').map((m) => m.status)).toEqual(['ok']);
    expect((await platformCalls())['2102']).toBe(1);

    expect((await counter.balances('retiree')).acct).toBe(retiree.acct);
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct);

    // The cashier settles again: a new msgid, charged exactly once.
    await counter.terminal.sales.presettle(sale.id);
    const settled = await counter.terminal.sales.settle(sale.id);
    expect(settled.state).toBe('settled');
    const charged = settled.settlement!;
    expect((await counter.balances('retiree')).acct).toBe(retiree.acct - (charged.acctPay - charged.acctMulaidPay));
    expect((await counter.balances('daughter')).acct).toBe(daughter.acct - charged.acctMulaidPay);
    const msgids = counter.terminal.sales.messagesOf(sale.id).filter((m) => m.infno === '2102').map((m) => m.msgid);
    expect(new Set(msgids).size).toBe(2);
  });

  it('when the reversal cannot be sent either, the sale stays in doubt until a technician resolves it', async () => {
    const before = await counter.balances('employee');
    const sale = await presettledSale('employee');
    await counter.setFaults([
      { infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 },
      { infno: '2601', kind: 'http_500', rate: 1, count: 1 },
    ]);

    const after = await counter.terminal.sales.settle(sale.id);
    expect(after.state).toBe('in_doubt');
    await expect(counter.terminal.sales.presettle(sale.id)).rejects.toThrow();
    expect((await counter.balances('employee')).acct).toBeLessThan(before.acct); // the platform did commit

    const resolved = await counter.terminal.sales.resolve(sale.id);
    expect(resolved.state).toBe('reversed');
    expect((await counter.balances('employee')).acct).toBe(before.acct);
    // A second resolve is refused locally; a second 2601 at the platform would be harmless anyway.
    await expect(counter.terminal.sales.resolve(sale.id)).rejects.toThrow(/无需冲正/);
  });

  it('a 2102 that never reached the platform: the 2601 says nothing was committed, and the late original is refused', async () => {
    const before = await counter.balances('employee');
    const sale = await presettledSale('employee');
    await counter.setFaults([{ infno: '2102', kind: 'reset', rate: 1, count: 1 }]);

    const after = await counter.terminal.sales.settle(sale.id);
    expect(['failed', 'reversed']).toContain(after.state);
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });

  it('commit-then-drop on 2103 (cancel): reversed, the settlement stands, and can be cancelled again', async () => {
    const sale = await presettledSale('employee');
    const settled = await counter.terminal.sales.settle(sale.id);
    const afterSale = await counter.balances('employee');
    await counter.setFaults([{ infno: '2103', kind: 'drop_after_commit', rate: 1, count: 1 }]);

    const cancelTry = await counter.terminal.sales.cancel(sale.id);
    expect(cancelTry.state).toBe('settled');
    expect((await counter.balances('employee')).acct).toBe(afterSale.acct);

    const cancelled = await counter.terminal.sales.cancel(sale.id);
    expect(cancelled.state).toBe('cancelled');
    expect((await counter.balances('employee')).acct).toBe(afterSale.acct + settled.settlement!.acctPay);
  });

  it('a crash while sending leaves the sale in doubt at the next start, and 2601 resolves it', async () => {
    const before = await counter.balances('employee');
    const sale = await presettledSale('employee');
    // What the ledger holds when the process dies right after storing the msgid, before the answer:
    const msgid = counter.terminal.platform.newMsgid();
    await counter.terminal.close();
    const db = new Database(join(counter.dataDir, 'ledger.sqlite'));
    const at = new Date().toISOString();
    db.prepare(`INSERT INTO platform_messages (msgid, infno, sale_id, status, created_at, updated_at) VALUES (?, '2102', ?, 'sending', ?, ?)`).run(msgid, sale.id, at, at);
    db.prepare(`UPDATE sales SET state = 'sending', settle_msgid = ? WHERE id = ?`).run(msgid, sale.id);
    db.close();

    const restarted = await openTerminal({ dataDir: counter.dataDir, platformUrl: counter.sim.url });
    counter.terminal = restarted;
    expect(restarted.sales.get(sale.id).state).toBe('in_doubt');
    const resolved = await restarted.sales.resolve(sale.id);
    expect(resolved.state).toBe('failed'); // the platform never saw that msgid
    expect(resolved.lastError).toMatch(/未扣款/);
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });
});

describe('msgid', () => {
  it('is 30 characters, unique and increasing across restarts, even when the clock steps back', async () => {
    const { dataDir, sim } = counter;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(counter.terminal.platform.newMsgid());
    await counter.terminal.close();
    const past = new Date(Date.now() - 3_600_000);
    const restarted = await openTerminal({ dataDir, platformUrl: sim.url, now: () => past });
    counter.terminal = restarted;
    for (let i = 0; i < 5; i++) ids.push(restarted.platform.newMsgid());

    expect(ids.every((id) => id.length === 30 && id.startsWith('P33010500123'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
