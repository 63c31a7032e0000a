// Envelope and input validation: infcode -1 with an err_msg naming the field; sign_no rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, SimClient, type Harness } from '../../simulator/testkit';
import { CALL_PATH } from '../../simulator/server';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const post = (body: unknown) => h.client.post(CALL_PATH, body);

describe('envelope validation', () => {
  it('malformed JSON', async () => {
    const r = await post('{"infno": ');
    expect(r).toMatchObject({ infcode: -1, err_msg: 'request: malformed JSON', output: {} });
    expect(r.inf_refmsgid).toHaveLength(30);
    expect(r.respond_time).toMatch(/^\d{17}$/);
  });

  it.each([
    [{ msgid: undefined }, 'msgid: required'],
    [{ infno: 1101 }, 'infno: must be a string'],
    [{ infno: '11' }, 'infno: must be a transaction code like "2102" or "3505A"'],
    [{ msgid: 'X'.repeat(30) }, 'msgid: must start with fixmedins_code'],
    [{ fixmedins_code: 'P330105' }, 'msgid: must be fixmedins_code + yyyyMMddHHmmss + 4 digits'],
    [{ opter_type: '9' }, 'opter_type: must be "1", "2" or "3" (经办人/自助终端/移动终端)'],
    [{ msgid: 'P33010500123202502301000000001' }, 'msgid: time 20250230100000 is not a real date and time'],
    [{ msgid: 'P33010500123202506152400000001' }, 'msgid: time 20250615240000 is not a real date and time'],
    [{ recer_sys_code: '' }, 'recer_sys_code: must not be empty'],
    [{ infver: undefined }, 'infver: required'],
    [{ inf_time: '2025/06/15 10:00' }, 'inf_time: must be yyyy-MM-dd HH:mm:ss'],
    [{ mdtrtarea_admvs: '3301' }, 'mdtrtarea_admvs: must be a 6-digit region code'],
    [{ input: 'x' }, 'input: must be a JSON object (encrypted input is not supported here)'],
  ])('%j -> %s', async (over, msg) => {
    const env = h.client.envelope('1101', {}, over);
    const r = await post(env);
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toBe(msg);
    expect(r.err_code).toBe('INVALID_FIELD');
  });

  it('unknown infno', async () => {
    expect((await h.client.call('9999', {})).err_code).toBe('UNKNOWN_INFNO');
  });
});

describe('sign_no', () => {
  it('is optional (reference §1.1 #17): absent, null or "" is accepted', async () => {
    const data = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno } };
    for (const sign_no of ['', null, undefined]) expect((await h.client.call('1101', data, { sign_no })).infcode).toBe(0);
  });

  it('9002 signs out: the sign_no is refused afterwards', async () => {
    const c = new SimClient(h.sim.url);
    const signNo = await c.signIn();
    const out = await c.call('9002', { signOut: { sign_no: signNo, opter_no: '0001' } });
    expect(out.output.signoutoutb.sign_time).toBe('2025-06-15 10:00:00');
    const data = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno } };
    expect(await c.call('1101', data)).toMatchObject({ infcode: -1, err_code: 'SIGN_NO_INVALID', err_msg: '签到编号已签退，请重新签到' });
    expect((await c.call('9002', { signOut: { sign_no: signNo, opter_no: '0001' } }, { sign_no: '' })).err_msg).toBe(`签到编号${signNo}已签退`);
  });

  it('must have been issued by 9001 to the same fixmedins_code', async () => {
    const data = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno } };
    expect((await h.client.call('1101', data, { sign_no: '12345' })).err_code).toBe('SIGN_NO_INVALID');
    const other = new SimClient(h.sim.url, { fixmedins_code: 'H33010600001', fixmedins_name: '另一家', mdtrtarea_admvs: '330100' });
    const otherSign = await other.signIn();
    expect(otherSign).toMatch(/^\d{20}$/);
    expect((await h.client.call('1101', data, { sign_no: otherSign })).err_code).toBe('SIGN_NO_INVALID');
    expect((await h.client.call('1101', data)).infcode).toBe(0);
  });
});
