// Fault injection and the 医保码 query.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';
import { CALL_PATH } from '../../simulator/server';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

async function setFaults(rules: unknown[]) {
  const res = await fetch(`${h.sim.url}/sim/faults`, { method: 'POST', body: JSON.stringify({ rules }) });
  expect(res.status).toBe(200);
}

describe('fault injection', () => {
  it('drop_after_commit: the client sees a socket error, yet the platform committed', async () => {
    await setFaults([{ infno: '2102', kind: 'drop_after_commit', rate: 1, count: 1 }]);
    const p = h.persona('employee');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]), { insuplc_admdvs: p.insuplc_admdvs });
    await expect(h.client.post(CALL_PATH, env)).rejects.toThrow();
    expect((await h.client.person('employee')).acct).toBe('1950.00');
    const stats = await (await fetch(`${h.sim.url}/sim/stats`)).json();
    expect(stats.calls['2102']).toBe(1);
    expect(stats.faults_fired['2102:drop_after_commit']).toBe(1);
    // in doubt -> resolved by 2601, which finds it committed
    const rev = await h.client.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2102' } });
    expect(rev).toMatchObject({ infcode: 0, output: {} });
    expect((await h.client.person('employee')).acct).toBe('2000.00');
  });

  it('tamper: the platform commits, then the answer is spoiled the way asked', async () => {
    const p = h.persona('employee');
    const sale = () => h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]));
    const honest = await sale();
    const spoiled: Record<string, Record<string, any>> = {};
    for (const how of ['psn_no', 'sum', 'split', 'control_chars', 'item_count', 'infcode_string', 'amounts_as_strings', 'negative_balance', 'absurd', 'medfee']) {
      await setFaults([{ infno: '2102', kind: 'tamper', rate: 1, count: 1, tamper: how }]);
      spoiled[how] = await sale();
    }
    const s = (how: string) => spoiled[how]!.output.setlinfo;
    expect(s('psn_no').psn_no).not.toBe(p.psn_no);
    expect(s('sum').hifp_pay).toBe(50.01);
    expect(s('split')).toMatchObject({ hifp_pay: 49, fund_pay_sumamt: 49, psn_part_amt: 51, psn_cash_pay: 1 });
    expect(s('control_chars').psn_name).toMatch(/\u001b/);
    expect(spoiled.item_count!.output.detlcutinfo).toEqual([]);
    expect(spoiled.infcode_string!.infcode).toBe('0');
    expect(s('amounts_as_strings').medfee_sumamt).toBe('100.00');
    expect(s('negative_balance').balc).toBe(-1);
    expect(s('absurd').medfee_sumamt).toBe(100000);
    expect(s('medfee').medfee_sumamt).toBe(101);
    expect(honest.output.setlinfo.medfee_sumamt).toBe(100);
    // every one of the eleven sales was committed: 11 x 50.00 from the account
    expect((await h.client.person('employee')).acct).toBe('1450.00');
    const bad = await fetch(`${h.sim.url}/sim/faults`, { method: 'POST', body: JSON.stringify({ rules: [{ infno: '2102', kind: 'tamper', rate: 1 }] }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^rules\[0\]\.tamper: required for kind tamper/);
  });

  it('http_500 and reset do no work; count limits the rule', async () => {
    await setFaults([{ infno: '2102', kind: 'http_500', rate: 1, count: 1 }, { infno: '1101', kind: 'reset', rate: 1, count: 1 }]);
    const p = h.persona('employee');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]), { insuplc_admdvs: p.insuplc_admdvs });
    const res = await fetch(h.sim.url + CALL_PATH, { method: 'POST', body: JSON.stringify(env) });
    expect(res.status).toBe(500);
    expect((await h.client.person('employee')).acct).toBe('2000.00');
    const q = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } };
    await expect(h.client.call('1101', q)).rejects.toThrow();
    expect((await h.client.call('1101', q)).infcode).toBe(0); // count exhausted
    expect((await h.client.post(CALL_PATH, env)).infcode).toBe(0);
    await fetch(`${h.sim.url}/sim/faults`, { method: 'DELETE' });
    expect((await (await fetch(`${h.sim.url}/sim/faults`)).json()).rules).toEqual([]);
  });

  it('latency delays the answer', async () => {
    await setFaults([{ infno: '9001', kind: 'latency', rate: 1, latency_ms: 120 }]);
    const t = Date.now();
    await h.client.signIn();
    expect(Date.now() - t).toBeGreaterThanOrEqual(100);
  });

  it('is deterministic from the seed', async () => {
    const pattern = async () => {
      const x = await harness({ seed: 42 });
      const res = await fetch(`${x.sim.url}/sim/faults`, { method: 'POST', body: JSON.stringify({ rules: [{ infno: '9001', kind: 'http_500', rate: 0.5 }] }) });
      expect(res.status).toBe(200);
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch(x.sim.url + CALL_PATH, { method: 'POST', body: JSON.stringify(x.client.envelope('9001', { signIn: { opter_no: '1', mac: '', ip: '' } })) });
        out.push(r.status);
      }
      await x.close();
      return out.join(',');
    };
    const a = await pattern();
    expect(a).toContain('500');
    expect(a).toContain('200');
    expect(await pattern()).toBe(a);
  });

  it('rejects a bad rule with 400', async () => {
    const res = await fetch(`${h.sim.url}/sim/faults`, { method: 'POST', body: JSON.stringify({ rules: [{ infno: '2102', kind: 'explode', rate: 1 }] }) });
    expect(res.status).toBe(400);
  });
});

describe('医保码', () => {
  it('decodes to an ecToken usable by 1101 and 2102 until the TTL', async () => {
    const p = h.persona('resident');
    const qr = await h.client.qrFor('resident');
    expect(qr).toMatch(/^EC01[0-9A-Z]{12}\d{10}[0-9A-F]{8}$/);
    h.clock.ms += 299_000;
    const q = await h.client.ecQuery(qr);
    expect(q).toMatchObject({ code: 0, message: '成功', data: { idNo: p.certno, userName: p.psn_name, insuOrg: '330100' } });
    const info = await h.client.call('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: q.data.ecToken } }, { insuplc_admdvs: q.data.insuOrg });
    expect(info.output.baseinfo.psn_no).toBe(p.psn_no);
    const s = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }], { mdtrt_cert_type: '01', mdtrt_cert_no: q.data.ecToken }));
    expect(s.infcode).toBe(0);
    // someone else's token for this patient is a mismatch
    const other = await h.client.ecQuery(await h.client.qrFor('employee'));
    const bad = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }], { mdtrt_cert_type: '01', mdtrt_cert_no: other.data.ecToken }));
    expect(bad.err_code).toBe('CREDENTIAL_MISMATCH');
  });

  it('expires after the configured TTL; tampered and garbage payloads are refused', async () => {
    const qr = await h.client.qrFor('employee');
    h.clock.ms += 301_000;
    const q = await h.client.ecQuery(qr);
    expect(q.code).not.toBe(0);
    expect(q.message).toContain('过期');
    const fresh = await h.client.qrFor('employee');
    const tampered = fresh.slice(0, -1) + (fresh.endsWith('A') ? 'B' : 'A');
    expect((await h.client.ecQuery(tampered)).message).toBe('二维码无效');
    expect((await h.client.ecQuery('hello')).message).toBe('二维码格式错误');
    expect((await h.client.post('/localcfc/api/hsecfc/localQrCodeQuery', { businessType: '01101', data: {} })).message).toBe('orgId: required');
  });

  it('honours qrTtlSeconds', async () => {
    const x = await harness({ qrTtlSeconds: 10 });
    const qr = await x.client.qrFor('employee');
    x.clock.ms += 11_000;
    expect((await x.client.ecQuery(qr)).code).not.toBe(0);
    await x.close();
  });
});
