/**
 * The card is not shared (domain.md rule 1; seeds: "必须使用患者本人的医保卡"): identifying or settling by a
 * bare ID number (mdtrt_cert_type 02) is refused unless the province profile allows it, and then only with
 * the cashier's explicit confirmation that the patient's own ID document was checked, recorded in the
 * audit trail. Through the sale service, the API the screen uses, and the command line. Real simulator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { posProcess } from '../helpers/cli-env';
import { AuditRepo } from '../../db/audit-repo';
import type { CounterState } from '../../main/api/contract';
import { createPosApi, invoke } from '../../main/api/service';
import { startCounter, type Counter } from '../helpers/counter';

let counter: Counter;
let certno: string;
beforeEach(async () => {
  counter = await startCounter();
  certno = ((await (await fetch(`${counter.sim.url}/sim/persons/employee`)).json()) as { certno: string }).certno;
});
afterEach(async () => {
  await counter.close();
});

const calls1101 = () => counter.sim.stats()['1101'] ?? 0;
const auditEvents = () => new AuditRepo(counter.terminal.db).recent(10).reverse().map((r) => [r.event, r.detail]);

describe('a bare ID number at the counter', () => {
  it('without the confirmation that the ID document was checked: refused, the platform not asked, nothing recorded', async () => {
    await expect(counter.terminal.sales.beginSale({ kind: 'idno', certno })).rejects.toMatchObject({
      code: 'ID_NOT_CHECKED',
      message: expect.stringContaining('核验患者本人的身份证件'),
    });
    expect(calls1101()).toBe(0);
    expect(auditEvents()).toEqual([]);
  });

  it('with it: identified, and the confirmation is in the audit trail (number masked) before the sale begins', async () => {
    const sale = await counter.terminal.sales.beginSale({ kind: 'idno', certno, idDocumentChecked: true });
    expect(sale.patient.psnName).toBe('王建国');
    const masked = `${certno.slice(0, 4)}**********${certno.slice(-4)}`;
    const events = auditEvents();
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual(['identity.id_checked', `cert 02 ${masked}: 收银员确认已核验本人身份证件`]);
    expect(events[1]![0]).toBe('sale.begin');
    expect(events[1]![1]).toMatch(/ cert 02$/);
    expect(JSON.stringify(auditEvents())).not.toContain(certno);
    expect(new AuditRepo(counter.terminal.db).verify()).toMatchObject({ ok: true });
  });

  it('through the API the screen calls: refused unconfirmed with a notice saying what to do, identified when confirmed', async () => {
    const api = await createPosApi(counter.terminal, { log: () => undefined });
    try {
      // The counter sells for a signed-in operator (issue 9).
      await counter.terminal.operators.add({ code: '5001', name: '测试收银', role: 'cashier', pin: '5001' });
      await invoke(api.handlers, 'operatorSignIn', { code: '5001', pin: '5001' });
      const refused = (await invoke(api.handlers, 'identifyByIdNumber', { certno, idDocumentChecked: false })) as CounterState;
      expect(refused.sale).toBeNull();
      expect(refused.notice).toMatchObject({ level: 'error', text: expect.stringContaining('须核验患者本人的身份证件') });
      await expect(invoke(api.handlers, 'identifyByIdNumber', { certno: '1234' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      const state = (await invoke(api.handlers, 'identifyByIdNumber', { certno, idDocumentChecked: true })) as CounterState;
      expect(state.sale?.patient.psnName).toBe('王建国');
      expect(state.sale?.patient.maskedCertno).not.toBe(certno);
    } finally {
      await api.close();
    }
  });
});

describe('the command line', () => {
  const pos = (args: string[]) => posProcess(['--data', counter.dataDir, '--platform', counter.sim.url, ...args]);

  it('identify --idno needs --id-checked; with it the patient is identified', async () => {
    const refused = await pos(['identify', '--idno', certno]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('须核验患者本人的身份证件');
    const done = await pos(['identify', '--idno', certno, '--id-checked']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('王');
    const stray = await pos(['identify', '--qr', 'x', '--id-checked']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--id-checked: only with --idno');
  }, 90_000);
});
