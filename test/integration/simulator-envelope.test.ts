// Envelope and input validation: infcode -1 with an err_msg naming the field; sign_no rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, settleInput, SimClient, type Harness } from '../../simulator/testkit';
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
    [{ infno: '11' }, 'infno: must be 4 digits'],
    [{ msgid: 'X'.repeat(30) }, 'msgid: must start with fixmedins_code'],
    [{ fixmedins_code: 'P330105' }, 'fixmedins_code: must be 12 characters'],
    [{ opter_type: '9' }, 'opter_type: must be "1", "2" or "3"'],
    [{ inf_time: '2025/06/15 10:00' }, 'inf_time: must be yyyy-MM-dd HH:mm:ss'],
    [{ mdtrtarea_admvs: '3301' }, 'mdtrtarea_admvs: must be a 6-digit region code'],
    [{ input: 'x' }, 'input: must be an object'],
    [{ cainfo: undefined }, 'cainfo: required'],
  ])('%j -> %s', async (over, msg) => {
    const env = h.client.envelope('1101', {}, over);
    const r = await post(env);
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toBe(msg);
    expect(r.err_code).toBe('INVALID_FIELD');
  });

  it('input fields are named with their path', async () => {
    const p = h.persona('employee');
    const cart = [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 2 }];
    const base = settleInput(p, cart);
    const cases: [unknown, string][] = [
      [{ ...base, data: { ...base.data, psn_no: undefined } }, 'input.data.psn_no: required'],
      [{ ...base, data: { ...base.data, acct_used_flag: 1 } }, 'input.data.acct_used_flag: must be "0" or "1"'],
      [{ ...base, data: { ...base.data, medfee_sumamt: '30.00' } }, 'input.data.medfee_sumamt: must equal the sum of det_item_fee_sumamt'],
      [{ ...base, drugdetail: [{ ...base.drugdetail[0], det_item_fee_sumamt: '10.00' }] }, 'input.drugdetail[0].det_item_fee_sumamt: must equal pric * cnt'],
      [{ ...base, drugdetail: [{ ...base.drugdetail[0], cnt: 1.5 }] }, 'input.drugdetail[0].cnt: must be a positive integer (boxes)'],
      [{ ...base, drugdetail: [] }, 'input.drugdetail: must have at least one line'],
      [{ data: base.data }, 'input.drugdetail: required'],
    ];
    for (const [input, msg] of cases) {
      const r = await h.client.call('2101', input);
      expect(r.err_msg).toBe(msg);
    }
    const q = await h.client.call('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'A1' } });
    expect(q.err_msg).toBe('input.data.card_sn: required for mdtrt_cert_type 03');
  });

  it('unknown infno', async () => {
    expect((await h.client.call('9999', {})).err_code).toBe('UNKNOWN_INFNO');
  });
});

describe('sign_no', () => {
  it('is required for everything but 9001', async () => {
    const r = await h.client.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno } }, { sign_no: '' });
    expect(r).toMatchObject({ infcode: -1, err_msg: 'sign_no: required', err_code: 'SIGN_NO_REQUIRED' });
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
