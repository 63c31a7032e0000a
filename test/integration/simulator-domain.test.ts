// Domain rules of the seeds that the simulator enforces: mutual aid only inside one pooled region
// (统筹区), across provinces only through the wallet; the wallet anywhere inside the holder's pooled
// region; out-of-province patients found by 1101 when insuplc_admdvs is sent; several funds in one
// settlement (setlinfo + setldetail fund by fund); the per-sale ceiling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, settleInput, SimClient, type Harness } from '../../simulator/testkit';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

const cart = (pric: string) => [{ med_list_codg: h.drug('01').med_list_codg, pric, cnt: 1 }];
const funds = (setldetail: { fund_pay_type: string; fund_payamt: number }[]) => Object.fromEntries(setldetail.map((r) => [r.fund_pay_type, r.fund_payamt]));

async function transfer(from: string, to: string, fen: number) {
  const res = await fetch(`${h.sim.url}/sim/wallet-transfer`, { method: 'POST', body: JSON.stringify({ from, to, fen }) });
  return { status: res.status, body: await res.json() };
}

describe('mutual aid and the wallet across regions', () => {
  it("a giver in another province cannot pay from his account; he can fill the receiver's wallet", async () => {
    const parent = h.persona('xp_parent');
    const info = await h.client.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: parent.certno } });
    expect(info.output.insuinfo[0]).toMatchObject({ mulaid_balc: 0, mulaid_gvr_list: [] });
    const direct = await h.client.call('2101', settleInput(parent, cart('100.00')));
    expect(direct.output.setlinfo).toMatchObject({ hifp_pay: 50, acct_pay: 0, acct_mulaid_pay: 0, wlt_pay: 0, psn_cash_pay: 50 });
    expect(await transfer('xp_son', 'xp_parent', 3000)).toMatchObject({ status: 200, body: { amount: '30.00' } });
    expect((await h.client.person('xp_son')).acct).toBe('2970.00');
    const viaWallet = await h.client.call('2102', settleInput(parent, cart('100.00')));
    expect(viaWallet.output.setlinfo).toMatchObject({ acct_mulaid_pay: 0, wlt_pay: 30, wlt_balc: 0, psn_cash_pay: 20 });
    expect((await h.client.person('xp_son')).acct).toBe('2970.00'); // untouched by the sale
  });

  it('a giver in the same pooled region pays directly and is listed in 1101', async () => {
    const info = await h.client.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('retiree').certno } });
    expect(info.output.insuinfo[0].mulaid_gvr_list).toEqual([{ gvr_psn_no: h.persona('daughter').psn_no, gvr_balc: 1500 }]);
  });

  it('a wallet transfer needs a binding', async () => {
    expect(await transfer('employee', 'resident', 100)).toMatchObject({ status: 409, body: { err_code: 'NOT_BOUND' } });
  });

  it('the wallet pays at a district counter (330106) of the insured city 330100', async () => {
    const district = new SimClient(h.sim.url, { fixmedins_code: 'P33010600001', fixmedins_name: '西湖区药房', mdtrtarea_admvs: '330106' });
    await district.signIn();
    const r = await district.call('2102', settleInput(h.persona('resident'), cart('100.00')));
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 40, wlt_pay: 60, psn_cash_pay: 0, clr_optins: '330100' });
    // cross_province is filed for 330100: a counter in its district is covered by the filing
    expect((await district.call('2101', settleInput(h.persona('cross_province'), cart('10.00')))).infcode).toBe(0);
  });
});

describe('1101 for a patient insured in another province', () => {
  const byId = (certno: string) => ({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: certno } });
  it('is found only when insuplc_admdvs names his pooled region (a district code counts)', async () => {
    const p = h.persona('cross_province'); // insured at 510100, counter at 330100
    const none = await h.client.call('1101', byId(p.certno), { insuplc_admdvs: '' });
    expect(none).toMatchObject({ infcode: -1, err_code: 'PERSON_NOT_FOUND' });
    expect(none.err_msg).toContain('insuplc_admdvs');
    expect((await h.client.call('1101', byId(p.certno), { insuplc_admdvs: '510100' })).output.baseinfo.psn_no).toBe(p.psn_no);
    expect((await h.client.call('1101', byId(p.certno), { insuplc_admdvs: '510104' })).infcode).toBe(0);
    expect((await h.client.call('1101', byId(p.certno), { insuplc_admdvs: '440100' })).err_code).toBe('INSUPLC_MISMATCH');
    // a local patient needs nothing
    expect((await h.client.call('1101', byId(h.persona('employee').certno), { insuplc_admdvs: '' })).infcode).toBe(0);
  });
});

describe('several funds in one settlement', () => {
  it('公务员医疗补助 after the base fund; 职工大额 once the annual cap is reached', async () => {
    const p = h.persona('civil_servant');
    const r = await h.client.call('2102', settleInput(p, cart('100.00')));
    // 310 at 330100: hifp 50% = 50; cvlserv 50% of the remaining 50 = 25; the account pays 25
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 50, cvlserv_pay: 25, hifob_pay: 0, fund_pay_sumamt: 75, acct_pay: 25, psn_part_amt: 25, cvlserv_flag: '1', act_pay_dedc: 0, pool_prop_selfpay: 0.5 });
    expect(funds(r.output.setldetail)).toEqual({ '310100': 50, '320100': 25, '310200': 25 });
    const year = 2025;
    h.sim.db.prepare('UPDATE ytd SET hifp = ? WHERE psn_no = ? AND year = ?').run(4_999_000, p.psn_no, year); // 10.00 of the cap left
    const capped = await h.client.call('2101', settleInput(p, cart('100.00')));
    // hifp 10 (cap); 大额 80% of the 40 the cap withheld = 32; cvlserv 50% of the 58 left = 29
    expect(funds(capped.output.setldetail)).toMatchObject({ '310100': 10, '330100': 32, '320100': 29 });
    expect(capped.output.setlinfo).toMatchObject({ fund_pay_sumamt: 71, psn_part_amt: 29 });
  });

  it('居民大病 above the year threshold, then 医疗救助, for an enrolled resident', async () => {
    const p = h.persona('serious_illness');
    const r = await h.client.call('2102', settleInput(p, cart('20000.00')));
    // 390: hifp 40% = 8000; 大病 60% of the 5000 above 15000 = 3000; 救助 50% of the 9000 left = 4500
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 8000, hifmi_pay: 3000, maf_pay: 4500, fund_pay_sumamt: 15500, psn_part_amt: 4500, psn_cash_pay: 4500 });
    expect(funds(r.output.setldetail)).toEqual({ '390100': 8000, '391100': 3000, '610100': 4500 });
    const s = r.output.setlinfo;
    expect(s.hifp_pay + s.cvlserv_pay + s.hifes_pay + s.hifmi_pay + s.hifob_pay + s.maf_pay + s.oth_pay).toBe(s.fund_pay_sumamt);
    expect(s.fund_pay_sumamt + s.psn_part_amt).toBe(s.medfee_sumamt);
  });

  it('refuses a sale above the fixture ceiling, writing nothing', async () => {
    const r = await h.client.call('2102', settleInput(h.persona('employee'), cart('50000.01')));
    expect(r).toMatchObject({ infcode: -1, err_code: 'AMOUNT_ABSURD', err_msg: 'input.druginfo.medfee_sumamt: above the per-sale ceiling of 50000.00' });
    expect((await h.client.person('employee')).acct).toBe('2000.00');
  });
});
