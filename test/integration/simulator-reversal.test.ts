// msgid replay, 2103 cancel, 2601 reversal (reference §2.7, §2.8): every undo is exact to the fen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

/** Raw envelopes carry the insured place themselves (reference §1.1 #4: required with psn_no). */
const HZ = { insuplc_admdvs: '330100' };

/** Everything money-related the platform knows about a person. */
async function money(label: string) {
  const p = await h.client.person(label);
  return { acct: p.acct_balc_fen, wallet: p.wlt_balc_fen, ytd: p.ytd, givers: p.givers };
}

describe('msgid replay', () => {
  it('the same 2102 twice charges once and answers the first result', async () => {
    const env = h.client.envelope('2102', settleInput(h.persona('employee'), [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]), HZ);
    const a = await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    const b = await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    expect(b.output).toEqual(a.output);
    expect((await h.client.person('employee')).acct).toBe('1950.00');
  });
});

describe('2103 and 2601', () => {
  it('2103 gives everything back; cancelling twice is ALREADY_CANCELLED', async () => {
    const before = await money('retiree');
    const daughterBefore = await money('daughter');
    const p = h.persona('retiree');
    const s = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('02').med_list_codg, pric: '77.77', cnt: 1 }]));
    const { setl_id, mdtrt_id } = s.output.setlinfo;
    const c = await h.client.call('2103', { data: { setl_id, mdtrt_id, psn_no: p.psn_no } });
    expect(c.infcode).toBe(0);
    expect(c.output.setlinfo).toMatchObject({
      // negative amounts, as the real 2208 answer (reference §2.16, §2.7)
      setl_id, medfee_sumamt: -77.77, fund_pay_sumamt: -s.output.setlinfo.fund_pay_sumamt, acct_pay: -s.output.setlinfo.acct_pay,
      acct_mulaid_pay: -s.output.setlinfo.acct_mulaid_pay, psn_pay: -s.output.setlinfo.psn_part_amt, cash_payamt: 0 - s.output.setlinfo.psn_cash_pay || 0,
    });
    expect(c.output.setlinfo.medins_setl_id).not.toBe(s.output.setlinfo.medins_setl_id); // the 2103's own msgid
    expect(c.output.setldetail.map((r: { fund_payamt: number }) => r.fund_payamt).every((x: number) => x < 0)).toBe(true);
    expect(await money('retiree')).toEqual(before);
    expect(await money('daughter')).toEqual(daughterBefore);
    expect((await h.client.call('2103', { data: { setl_id, mdtrt_id, psn_no: p.psn_no } })).err_code).toBe('ALREADY_CANCELLED');
  });

  it('2601 of a 2103 puts the settlement back exactly', async () => {
    const p = h.persona('resident');
    const d = h.drug('01');
    const s = await h.client.call('2102', settleInput(p, [{ med_list_codg: d.med_list_codg, pric: '55.55', cnt: 1 }]));
    const afterSale = await money('resident');
    const cancelEnv = h.client.envelope('2103', { data: { setl_id: s.output.setlinfo.setl_id, mdtrt_id: s.output.setlinfo.mdtrt_id, psn_no: p.psn_no } }, HZ);
    await h.client.post('/fsi/api/rsfComIfsService/callService', cancelEnv);
    expect((await money('resident')).wallet).toBe(20000);
    const r = await h.client.call('2601', { data: { psn_no: p.psn_no, omsgid: cancelEnv.msgid, oinfno: '2103' } });
    expect(r).toMatchObject({ infcode: 0, output: {} }); // 2601 has no output (reference §2.8)
    expect(await money('resident')).toEqual(afterSale);
  });

  it('2601 of a 2102 restores every balance to the fen; a second 2601 is harmless', async () => {
    const before = { retiree: await money('retiree'), daughter: await money('daughter') };
    const p = h.persona('retiree');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '123.45', cnt: 1 }]), HZ);
    const s = await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    expect(s.output.setlinfo.acct_mulaid_pay).toBeGreaterThan(0);
    const rev = { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2102' } };
    expect(await h.client.call('2601', rev)).toMatchObject({ infcode: 0, output: {} });
    expect({ retiree: await money('retiree'), daughter: await money('daughter') }).toEqual(before);
    expect(await h.client.call('2601', rev)).toMatchObject({ infcode: 0, output: {} }); // a repeat is harmless
    expect({ retiree: await money('retiree'), daughter: await money('daughter') }).toEqual(before);
    // the original msgid cannot come back
    expect((await h.client.post('/fsi/api/rsfComIfsService/callService', env)).err_code).toBe('MSG_REVERSED');
    // the settlement cannot be cancelled any more either
    const { setl_id, mdtrt_id } = s.output.setlinfo;
    expect((await h.client.call('2103', { data: { setl_id, mdtrt_id, psn_no: p.psn_no } })).err_code).toBe('ALREADY_CANCELLED');
  });

  it('2601 of a 2102 restores the wallet and the year-to-date fund figures', async () => {
    const before = await money('resident');
    const p = h.persona('resident');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('02').med_list_codg, pric: '99.99', cnt: 1 }]), HZ);
    await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    expect((await money('resident')).ytd.hifp_fen).toBeGreaterThan(0);
    await h.client.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2102' } });
    expect(await money('resident')).toEqual(before);
  });

  it('unknown omsgid: refused as 原交易不存在, then the late 2102 is refused and charges nothing', async () => {
    const p = h.persona('employee');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }]), HZ);
    const rev = { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2102' } };
    // The reference records no text for this case; the terminal matches the prefix 原交易不存在 (sim-changes.md).
    for (let i = 0; i < 2; i++) {
      const r = await h.client.call('2601', rev);
      expect(r).toMatchObject({ infcode: -1, err_code: 'ORIGINAL_NOT_FOUND' });
      expect(r.err_msg).toBe(`原交易不存在: 报文ID ${env.msgid} 未被接收`);
    }
    const late = await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    expect(late.infcode).toBe(-1);
    expect(late.err_code).toBe('MSG_REVERSED');
    expect((await h.client.person('employee')).acct).toBe('2000.00');
  });

  it('2601 naming the wrong oinfno or person is refused', async () => {
    const p = h.persona('employee');
    const env = h.client.envelope('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }]), HZ);
    await h.client.post('/fsi/api/rsfComIfsService/callService', env);
    expect((await h.client.call('2601', { data: { psn_no: p.psn_no, omsgid: env.msgid, oinfno: '2103' } })).err_code).toBe('REVERSAL_CONFLICT');
    expect((await h.client.call('2601', { data: { psn_no: 'X1234567', omsgid: env.msgid, oinfno: '2102' } }, HZ)).err_code).toBe('REVERSAL_CONFLICT');
  });
});
