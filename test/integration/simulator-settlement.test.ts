// Payment rules of the simulator over real HTTP (port 0, temp SQLite).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, SimClient, settleInput, defaultFixture, type Harness } from '../../simulator/testkit';
import { idCheckChar } from '../../simulator/idcard';
import type { Fixture } from '../../simulator/fixture';

let h: Harness;
afterEach(async () => h?.close());

describe('payment split at the default counter (杭州 330100)', () => {
  beforeEach(async () => {
    h = await harness();
  });

  it('own account pays an employee', async () => {
    const p = h.persona('employee');
    const r = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]));
    expect(r.infcode).toBe(0);
    expect(r.output.setlinfo).toMatchObject({
      medfee_sumamt: 100, fund_pay_sumamt: 50, hifp_pay: 50, psn_part_amt: 50,
      acct_pay: 50, acct_mulaid_pay: 0, wlt_pay: 0, psn_cash_pay: 0, balc: 1950,
      psn_no: p.psn_no, insutype: '310',
    });
    expect(r.output.setlinfo.setl_id).toMatch(/^S/);
    expect((await h.client.person('employee')).acct).toBe('1950.00');
  });

  it('mutual aid pays when the own account is short, givers debited', async () => {
    const p = h.persona('retiree');
    const r = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]));
    expect(r.output.setlinfo).toMatchObject({
      fund_pay_sumamt: 50, psn_part_amt: 50, acct_pay: 50, acct_mulaid_pay: 20, balc: 0, psn_cash_pay: 0,
    });
    expect((await h.client.person('daughter')).acct).toBe('1480.00');
  });

  it('1101 reports mulaid_balc and the wallet', async () => {
    const r = await h.client.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('retiree').certno, card_sn: '', psn_cert_type: '01', certno: '', psn_name: '' } });
    expect(r.infcode).toBe(0);
    expect(r.output.insuinfo[0]).toMatchObject({ balc: 30, mulaid_balc: 1500, insutype: '310', psn_type: '1102' });
    expect(r.output.baseinfo).toMatchObject({ psn_name: '李秀英', gend: '2', brdy: '1952-03-08', age: 73 });
    expect(r.output.wltinfo).toEqual({ wlt_balc: 0, wlt_open_flag: '0' });
  });

  it('wallet pays for a resident, honouring wlt_pay_limit and wlt_used_flag', async () => {
    const p = h.persona('resident');
    const cart = [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }];
    const full = await h.client.call('2101', settleInput(p, cart));
    expect(full.output.setlinfo).toMatchObject({ fund_pay_sumamt: 40, acct_pay: 0, wlt_pay: 60, wlt_balc: 140, psn_cash_pay: 0, balc: 0 });
    const capped = await h.client.call('2101', settleInput(p, cart, { wlt_pay_limit: '10.00' }));
    expect(capped.output.setlinfo).toMatchObject({ wlt_pay: 10, psn_cash_pay: 50 });
    const off = await h.client.call('2101', settleInput(p, cart, { wlt_used_flag: '0' }));
    expect(off.output.setlinfo).toMatchObject({ wlt_pay: 0, psn_cash_pay: 60, wlt_balc: 200 });
    expect((await h.client.person('resident')).wallet.balance).toBe('200.00'); // 2101 charges nothing
  });

  it('no wallet for cross_province at 330100; policy of the insured place (成都)', async () => {
    const p = h.persona('cross_province');
    const r = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '300.00', cnt: 1 }]));
    expect(r.infcode).toBe(0);
    // 510100: deductible 100.00, ratio 55%: (300 - 100) * 0.55 = 110.00
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 110, psn_part_amt: 190, acct_pay: 190, wlt_pay: 0, wlt_balc: 300, balc: 610 });
  });

  it('乙类 pre-self-pay and 丙类 full self-pay', async () => {
    const p = h.persona('employee');
    const r = await h.client.call('2101', settleInput(p, [
      { med_list_codg: h.drug('02').med_list_codg, pric: '33.33', cnt: 3 }, // 99.99, 10% = 9.999 -> 9.99
      { med_list_codg: h.drug('03').med_list_codg, pric: '20.00', cnt: 1 },
    ]));
    expect(r.output.setlinfo).toMatchObject({
      medfee_sumamt: 119.99, fulamt_ownpay_amt: 20, preselfpay_amt: 9.99, inscp_scp_amt: 90, hifp_pay: 45,
      psn_part_amt: 74.99, acct_pay: 74.99, overlmt_selfpay: 0,
    });
  });

  it('acct_used_flag 0: all of the personal part is cash', async () => {
    const p = h.persona('employee');
    const r = await h.client.call('2102', settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }], { acct_used_flag: '0' }));
    expect(r.output.setlinfo).toMatchObject({ acct_pay: 0, psn_cash_pay: 50, balc: 2000 });
  });

  it('accepts yuan as JSON numbers with at most 2 decimals, refuses 3 decimals', async () => {
    const p = h.persona('employee');
    const inp = settleInput(p, [{ med_list_codg: h.drug('01').med_list_codg, pric: '12.30', cnt: 1 }]);
    const asNumbers = { ...inp, druginfo: { ...inp.druginfo, medfee_sumamt: 12.3 }, drugdetail: inp.drugdetail.map((l) => ({ ...l, pric: 12.3, det_item_fee_sumamt: 12.3 })) };
    expect((await h.client.call('2101', asNumbers)).output.setlinfo.medfee_sumamt).toBe(12.3);
    const bad = { ...inp, druginfo: { ...inp.druginfo, medfee_sumamt: '12.301' } };
    const r = await h.client.call('2101', bad);
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toBe('input.druginfo.medfee_sumamt: at most 2 decimals');
  });

  it('refuses suspended, terminated, no filing, wrong credential, wrong insutype, unknown drug', async () => {
    const cart = [{ med_list_codg: h.drug('01').med_list_codg, pric: '10.00', cnt: 1 }];
    const expectRefusal = async (input: unknown, code: string) => {
      const r = await h.client.call('2102', input);
      expect(r.infcode).toBe(-1);
      expect(r.err_code).toBe(code);
      expect(r.err_msg).toMatch(/[\u4e00-\u9fff]|^input\./); // Chinese text, or the field and its rule
    };
    await expectRefusal(settleInput(h.persona('suspended'), cart), 'INSURANCE_SUSPENDED');
    await expectRefusal(settleInput(h.persona('terminated'), cart), 'INSURANCE_TERMINATED');
    await expectRefusal(settleInput(h.persona('no_filing'), cart), 'NO_FILING');
    const emp = h.persona('employee');
    await expectRefusal(settleInput({ ...emp, certno: h.persona('retiree').certno }, cart), 'CREDENTIAL_MISMATCH');
    await expectRefusal(settleInput({ ...emp, insutype: '390' }, cart), 'INSUTYPE_MISMATCH');
    await expectRefusal(settleInput(emp, [{ med_list_codg: 'XZ99ZZD999A999999999999', pric: '1.00', cnt: 1 }]), 'CATALOG_NOT_FOUND');
  });

  it('1101 by card (03) checks card_sn; certno/psn_name must be the holder', async () => {
    const p = h.persona('employee');
    const card = p.cards[0]!;
    const q = (data: Record<string, string>) => h.client.call('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: card.card_no, card_sn: card.card_sn, ...data } });
    expect((await q({})).output.baseinfo.psn_no).toBe(p.psn_no);
    expect((await q({ card_sn: 'X'.repeat(32) })).err_code).toBe('CREDENTIAL_MISMATCH');
    expect((await q({ certno: h.persona('retiree').certno })).err_code).toBe('CREDENTIAL_MISMATCH');
    expect((await q({ psn_name: '李秀英' })).err_code).toBe('CREDENTIAL_MISMATCH');
    expect((await q({ certno: p.certno, psn_name: p.psn_name })).infcode).toBe(0);
  });
});

describe('广州 440100: mutual aid first, no 丙类 from accounts', () => {
  const GZ = { fixmedins_code: 'P44010600001', fixmedins_name: '广州市越秀大药房', mdtrtarea_admvs: '440100' };
  let gz: SimClient;

  beforeEach(async () => {
    // The default fixture plus one 广州 employee with a small own account, aided by gz_family_giver.
    const f: Fixture = defaultFixture();
    const giver = f.persons.find((p) => p.label === 'gz_family_giver')!;
    const first17 = '44010319880101002';
    f.persons.push({
      ...giver, label: 'gz_aided', psn_no: '44010099999999999999', certno: first17 + idCheckChar(first17), psn_name: '梁芳',
      gend: '2', brdy: '1988-01-01', acct_balc: 1000, cards: [{ card_no: 'Z99999999', card_sn: '440100D15600000599999999999999AA' }], filings: [],
    });
    f.bindings.push({ giver: giver.psn_no, receiver: '44010099999999999999', relation: '兄弟姐妹' });
    h = await harness({ fixture: f });
    gz = new SimClient(h.sim.url, GZ);
    await gz.signIn();
  });

  it('order mulaid,own_acct: the giver pays before the own account', async () => {
    const aided = h.fixture.persons.find((p) => p.label === 'gz_aided')!;
    const r = await gz.call('2102', settleInput(aided, [{ med_list_codg: h.drug('01').med_list_codg, pric: '100.00', cnt: 1 }]));
    // 440100 310: deductible 200.00 not reached -> fund 0; all 100.00 from the giver, own 10.00 untouched
    expect(r.output.setlinfo).toMatchObject({ hifp_pay: 0, acct_pay: 100, acct_mulaid_pay: 100, balc: 10 });
    expect((await h.client.person('gz_family_giver')).acct).toBe('1100.00');
    expect((await h.client.person('gz_aided')).ytd.inscp).toBe('100.00'); // deductible progress
  });

  it('丙类 is not paid by accounts; the wallet pays it', async () => {
    const p = h.persona('gz_family_receiver');
    const r = await gz.call('2102', settleInput(p, [
      { med_list_codg: h.drug('01').med_list_codg, pric: '40.00', cnt: 1 },
      { med_list_codg: h.drug('03').med_list_codg, pric: '60.00', cnt: 1 },
    ]));
    expect(r.output.setlinfo).toMatchObject({
      fulamt_ownpay_amt: 60, hifp_pay: 0, psn_part_amt: 100, acct_pay: 40, acct_mulaid_pay: 40,
      wlt_pay: 50, wlt_balc: 0, psn_cash_pay: 10,
    });
  });
});
