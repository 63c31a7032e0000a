/**
 * A 2201 (门诊挂号) whose answer never came back, though the platform registered (fault "drop_after_commit"):
 * 2601 cannot undo a 2201 (reference §2.8), so the desk finds the registration by sending 2201 again under its
 * own stored msgid and cancels it by 2202. No registration is left behind at the platform; when the lookup
 * or the 2202 fails, the visit waits on the technician's list and `resolve` finishes the job later. A 2201
 * left sending by a process that is gone is taken over at start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessagesRepo } from '../../db/messages-repo';
import { VisitsRepo } from '../../db/visits-repo';
import { openTerminal } from '../../main/terminal';
import { startCounter, type Counter } from '../helpers/counter';
import { exampleExport, platformCalls, platformVisit } from '../helpers/outpatient';

let counter: Counter;
beforeEach(async () => {
  counter = await startCounter();
});
afterEach(async () => {
  await counter.close();
});

const desk = () => counter.terminal.outpatient;
const open = async (label: string) => desk().openFromHis({ kind: 'qr', payload: await counter.qr(label) }, exampleExport(), 'his.json');
const repo = () => new VisitsRepo(counter.terminal.db);
const newest = () => repo().list({ limit: 1 })[0]!;

describe('a 2201 whose outcome was not seen', () => {
  it('commit-then-drop on 2201: the registration is found by its stored msgid and cancelled by 2202, none is left', async () => {
    const before = await platformCalls(counter);
    await counter.setFaults([{ infno: '2201', kind: 'drop_after_commit', rate: 1, count: 1 }]);

    await expect(open('employee')).rejects.toThrow(/平台上的该挂号已撤销 \(2202\).*请重新挂号/);
    const visit = newest();
    expect(visit).toMatchObject({ state: 'unregistered', unregistered: 1 });
    // The msgid was journaled before the 2201 left; the lookup under it was answered.
    expect(visit.register_msgid).toMatch(/^P33010500123\d{18}$/);
    expect(new MessagesRepo(counter.terminal.db).get(visit.register_msgid!)).toMatchObject({ infno: '2201', status: 'ok' });
    // The platform holds the registration it made, cancelled: no orphan.
    expect(visit.mdtrt_id).not.toBe('');
    expect((await platformVisit(counter, visit.mdtrt_id)).status).toBe('cancelled');
    const after = await platformCalls(counter);
    expect((after['2201'] ?? 0) - (before['2201'] ?? 0)).toBe(2);
    expect((after['2202'] ?? 0) - (before['2202'] ?? 0)).toBe(1);
    expect((after['2203'] ?? 0) - (before['2203'] ?? 0)).toBe(0);
    expect(desk().inDoubt()).toEqual([]);

    // The clerk registers again: a whole visit goes through.
    const again = await open('employee');
    expect(await desk().settle(again.id)).toMatchObject({ state: 'settled' });
  });

  it('when the lookup is lost too, the visit waits on the technician\'s list; resolve later cancels the registration', async () => {
    await counter.setFaults([{ infno: '2201', kind: 'drop_after_commit', rate: 1, count: 2 }]);
    await expect(open('employee')).rejects.toThrow(/挂号结果未知, 已列入运维待处理/);
    const visit = newest();
    expect(visit.state).toBe('register_in_doubt');
    expect(visit.last_error).toMatch(/未能向平台核实门诊号 .* 的挂号/);
    expect(desk().inDoubt().map((v) => [v.id, v.stateText])).toEqual([[visit.id, '挂号结果未知']]);

    const resolved = await desk().resolve(visit.id);
    expect(resolved).toMatchObject({ state: 'unregistered', inDoubt: false });
    expect((await platformVisit(counter, resolved.mdtrtId)).status).toBe('cancelled');
    await expect(desk().resolve(visit.id)).rejects.toThrow(/已退号, 无需/);
  });

  it('found but the 2202 failed: the 就诊ID is kept and the next resolve only cancels', async () => {
    await counter.setFaults([
      { infno: '2201', kind: 'drop_after_commit', rate: 1, count: 1 },
      { infno: '2202', kind: 'http_500', rate: 1, count: 1 },
    ]);
    await expect(open('employee')).rejects.toThrow(/已列入运维待处理/);
    const visit = newest();
    expect(visit.state).toBe('register_in_doubt');
    expect(visit.mdtrt_id).not.toBe('');
    expect((await platformVisit(counter, visit.mdtrt_id)).status).toBe('registered');
    const calls = await platformCalls(counter);

    expect((await desk().resolve(visit.id)).state).toBe('unregistered');
    expect((await platformVisit(counter, visit.mdtrt_id)).status).toBe('cancelled');
    expect((await platformCalls(counter))['2201']).toBe(calls['2201']); // no second lookup
  });

  it('a 2201 left sending by a process that is gone is taken over at start, then found and cancelled', async () => {
    const template = repo().get((await open('employee')).id)!;
    const msgid = counter.terminal.platform.newMsgid();
    const at = new Date().toISOString();
    const id = repo().transaction(() => {
      new MessagesRepo(counter.terminal.db).insertSending(msgid, '2201', null, at);
      const created = repo().create({
        created_at: at, state: 'registering', psn_no: template.psn_no, psn_name: template.psn_name, certno: template.certno, insutype: template.insutype,
        insuplc_admdvs: template.insuplc_admdvs, mdtrt_cert_type: template.mdtrt_cert_type, mdtrt_cert_no: template.mdtrt_cert_no, card_sn: template.card_sn,
        ipt_otp_no: `MZGONE${Date.now() % 1e9}`, mdtrt_id: '', registered_here: 1, dept_code: template.dept_code, dept_name: template.dept_name,
        caty: template.caty, doctor_code: template.doctor_code, doctor_name: template.doctor_name, begntime: template.begntime,
        opter: null, opter_name: null, register_msgid: msgid,
      });
      repo().transition(created, 'registering', 'registering', at, { owner: 'gone-host|1|x', lease_until: '2000-01-01T00:00:00.000Z' });
      return created;
    });
    const { dataDir } = counter;
    await counter.terminal.close();
    counter.terminal = await openTerminal({ dataDir, platformUrl: counter.sim.url, configFile: null });
    expect(desk().get(id).state).toBe('register_in_doubt');
    expect(new MessagesRepo(counter.terminal.db).get(msgid)?.status).toBe('unknown');

    // The platform never got that 2201: the lookup registers it now, and 2202 cancels it at once.
    const resolved = await desk().resolve(id);
    expect(resolved.state).toBe('unregistered');
    expect((await platformVisit(counter, resolved.mdtrtId)).status).toBe('cancelled');
  });

  it('a refused 2201 leaves nothing: no visit row, nothing in doubt', async () => {
    const first = await open('employee');
    const ipt = repo().get(first.id)!.ipt_otp_no;
    const count = repo().list({ limit: 100 }).length;
    // The same 门诊号 again: the platform refuses (VISIT_DUPLICATE), so nothing exists there.
    const raw = exampleExport({ iptOtpNo: ipt });
    await expect(desk().openFromHis({ kind: 'qr', payload: await counter.qr('employee') }, raw, 'his.json')).rejects.toThrow(/已挂号/);
    expect(repo().list({ limit: 100 })).toHaveLength(count);
    expect(desk().inDoubt()).toEqual([]);
  });
});
