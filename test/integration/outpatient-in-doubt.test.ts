/**
 * A 2207 whose answer never came back, though the platform committed it (fault "drop_after_commit"): the
 * visit is in doubt, reversed by 2601 of the stored msgid, never sent again; settled again under a new msgid,
 * it is charged once. Same for a 2208. A process that died while sending leaves the visit for 2601 at start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTerminal } from '../../main/terminal';
import { startCounter, type Counter } from '../helpers/counter';
import { exampleExport, platformCalls } from '../helpers/outpatient';
import { AuditRepo } from '../../db/audit-repo';
import { MessagesRepo } from '../../db/messages-repo';

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

const desk = () => counter.terminal.outpatient;
const open = async (label: string) => desk().openFromHis({ kind: 'qr', payload: await counter.qr(label) }, exampleExport(), 'his.json');

describe('an outpatient settlement whose outcome was not seen', () => {
  it('commit-then-drop on 2207: in doubt, reversed by 2601, nothing charged twice', async () => {
    const before = await counter.balances('employee');
    const visit = await open('employee');
    await counter.setFaults([{ infno: '2207', kind: 'drop_after_commit', rate: 1, count: 1 }]);

    const after = await desk().settle(visit.id);
    // Reversed at once by the msgid stored before sending: the visit is billable again, nothing was taken.
    expect(after.state).toBe('registered');
    expect(after.lastError).toMatch(/已冲正|未收到/);
    // The msgid was journaled before it left; the 2601 named it, and the journal says so.
    const reversal = new AuditRepo(counter.terminal.db).recent(20).find((a) => a.event === 'visit.reversed');
    const omsgid = /2207 (\S+) -> reversed/.exec(reversal?.detail ?? '')?.[1];
    expect(omsgid).toMatch(/^P33010500123\d{18}$/);
    expect(new MessagesRepo(counter.terminal.db).get(omsgid!)).toMatchObject({ infno: '2207', status: 'reversed' });
    const calls = await platformCalls(counter);
    expect([calls['2207'], calls['2601']]).toEqual([1, 1]);
    expect((await counter.balances('employee')).acct).toBe(before.acct);

    await desk().presettle(visit.id);
    const settled = await desk().settle(visit.id);
    expect(settled.state).toBe('settled');
    expect((await platformCalls(counter))['2207']).toBe(2);
    expect((await counter.balances('employee')).acct).toBe(before.acct - settled.settlement!.acctPay);
  });

  it('an unseen 2207 whose 2601 cannot be sent stays in doubt, listed for the technician, until resolved', async () => {
    const before = await counter.balances('employee');
    const visit = await open('employee');
    await counter.setFaults([
      { infno: '2207', kind: 'drop_after_commit', rate: 1, count: 1 },
      { infno: '2601', kind: 'http_500', rate: 1, count: 1 },
    ]);
    const doubtful = await desk().settle(visit.id);
    expect(doubtful.state).toBe('in_doubt');
    expect(doubtful.settleMsgid).toMatch(/^P33010500123\d{18}$/);
    expect(desk().inDoubt().map((v) => v.id)).toEqual([visit.id]);
    await expect(desk().presettle(visit.id)).rejects.toThrow(/不能预结算/);

    const resolved = await desk().resolve(visit.id);
    expect(resolved.state).toBe('registered');
    expect(desk().inDoubt()).toEqual([]);
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });

  it('commit-then-drop on 2208: the cancellation is reversed, the settlement stands and may be cancelled again', async () => {
    const before = await counter.balances('employee');
    const settled = await desk().settle((await open('employee')).id);
    await counter.setFaults([{ infno: '2208', kind: 'drop_after_commit', rate: 1, count: 1 }]);
    const after = await desk().cancel(settled.id);
    expect(after.state).toBe('settled');
    expect((await counter.balances('employee')).acct).toBe(before.acct - settled.settlement!.acctPay);
    const cancelled = await desk().cancel(settled.id);
    expect(cancelled.state).toBe('cancelled');
    expect((await counter.balances('employee')).acct).toBe(before.acct);
  });

  it('a visit left sending by a process that is gone is taken over at start and resolved by 2601', async () => {
    const visit = await open('employee');
    const { dataDir } = counter;
    // The sender died between storing its msgid and sending: its claim is a process that no longer exists.
    const { VisitsRepo } = await import('../../db/visits-repo');
    const repo = new VisitsRepo(counter.terminal.db);
    const msgid = counter.terminal.platform.newMsgid();
    new MessagesRepo(counter.terminal.db).insertSending(msgid, '2207', null, new Date().toISOString());
    repo.transition(visit.id, 'presettled', 'sending', new Date().toISOString(), { settle_msgid: msgid, owner: 'gone-host|1|x', lease_until: '2000-01-01T00:00:00.000Z' });
    await counter.terminal.close();
    counter.terminal = await openTerminal({ dataDir, platformUrl: counter.sim.url, configFile: null });
    expect(counter.terminal.outpatient.get(visit.id).state).toBe('in_doubt');
    const resolved = await counter.terminal.outpatient.resolve(visit.id);
    expect(resolved.state).toBe('registered');
  });
});
