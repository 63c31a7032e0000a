// 3201 totals and 3202 detail reconciliation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';

let h: Harness;
const setl: Record<string, any>[] = [];

beforeAll(async () => {
  h = await harness();
  const cart = (pric: string) => [{ med_list_codg: h.drug('01').med_list_codg, pric, cnt: 1 }];
  for (const [label, pric] of [['employee', '100.00'], ['daughter', '20.00'], ['employee', '30.00'], ['resident', '50.00']] as const) {
    const r = await h.client.call('2102', settleInput(h.persona(label), cart(pric)));
    expect(r.infcode).toBe(0);
    setl.push(r.output.setlinfo);
  }
  // cancel the third
  const c = setl[2]!;
  await h.client.call('2103', { data: { setl_id: c.setl_id, mdtrt_id: c.mdtrt_id, psn_no: c.psn_no } });
});
afterAll(async () => h.close());

const range = { setl_optins: '330100', stmt_begndate: '2025-06-15', stmt_enddate: '2025-06-15' };

describe('3201', () => {
  it('balanced when the figures agree (live 310 settlements only)', async () => {
    // 310 live: employee 100.00 (fund 50, acct 50) + daughter 20.00 (fund 10, acct 10)
    const r = await h.client.call('3201', { data: { insutype: '310', clr_type: '41', ...range, medfee_sumamt: '120.00', fund_pay_sumamt: '60.00', acct_pay: '60.00', fixmedins_setl_cnt: 2 } });
    expect(r.output.stmt_totlrslt).toMatchObject({ setl_optins: '330100', stmt_rslt: '0', medfee_sumamt: '120.00', fixmedins_setl_cnt: 2 });
  });

  it('not balanced: says which figure differs', async () => {
    const r = await h.client.call('3201', { data: { insutype: '310', clr_type: '41', ...range, medfee_sumamt: '150.00', fund_pay_sumamt: '75.00', acct_pay: '75.00', fixmedins_setl_cnt: 3 } });
    expect(r.output.stmt_totlrslt.stmt_rslt).toBe('1');
    expect(r.output.stmt_totlrslt.stmt_rslt_dscr).toContain('结算笔数 平台2 机构3');
  });

  it('outside the date range counts nothing', async () => {
    const r = await h.client.call('3201', { data: { insutype: '390', clr_type: '41', ...range, stmt_begndate: '2025-06-16', stmt_enddate: '2025-06-30', medfee_sumamt: '0', fund_pay_sumamt: '0', acct_pay: '0', fixmedins_setl_cnt: 0 } });
    expect(r.output.stmt_totlrslt).toMatchObject({ stmt_rslt: '0', fixmedins_setl_cnt: 0 });
  });
});

describe('3202', () => {
  it('0 agree, 1 platform only, 2 terminal only, 3 amounts differ', async () => {
    const row = (s: Record<string, any>, over: Record<string, string> = {}) => ({
      setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, psn_no: s.psn_no, medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: s.acct_pay, refd_setl_flag: '0', ...over,
    });
    const [a, b, c] = setl as [Record<string, any>, Record<string, any>, Record<string, any>];
    const r = await h.client.call('3202', {
      data: { ...range, medfee_sumamt: '0.00', fund_pay_sumamt: '0.00', cash_payamt: '0.00', fixmedins_setl_cnt: 3 },
      detail: [row(a), row(b, { acct_pay: '9.99' }), row(c), { ...row(a), setl_id: 'S-UNKNOWN' }],
    });
    expect(r.infcode).toBe(0);
    const bySetl = new Map<string, any>(r.output.result.map((x: any) => [x.setl_id, x]));
    expect(bySetl.get(a.setl_id)).toMatchObject({ stmt_rslt: '0', medfee_sumamt: '100.00', setl_time: '2025-06-15 10:00:00' });
    expect(bySetl.get(a.setl_id).msgid).toHaveLength(30);
    expect(bySetl.get(b.setl_id)).toMatchObject({ stmt_rslt: '3', acct_pay: '10.00' });
    expect(bySetl.get(c.setl_id)).toMatchObject({ stmt_rslt: '2' }); // cancelled on the platform
    expect(bySetl.get('S-UNKNOWN')).toMatchObject({ stmt_rslt: '2', msgid: '' });
    const onlyPlatform = r.output.result.filter((x: any) => x.stmt_rslt === '1');
    expect(onlyPlatform.map((x: any) => x.setl_id)).toEqual([setl[3]!.setl_id]);
    expect(onlyPlatform[0].msgid).toHaveLength(30);
  });

  it('a cancelled sale sent with refd_setl_flag 1 agrees', async () => {
    const c = setl[2]!;
    const r = await h.client.call('3202', {
      data: { ...range, medfee_sumamt: '0.00', fund_pay_sumamt: '0.00', cash_payamt: '0.00', fixmedins_setl_cnt: 1 },
      detail: [{ setl_id: c.setl_id, mdtrt_id: c.mdtrt_id, psn_no: c.psn_no, medfee_sumamt: '30.00', fund_pay_sumamt: '15.00', acct_pay: '15.00', refd_setl_flag: '1' }],
    });
    expect(r.output.result.find((x: any) => x.setl_id === c.setl_id).stmt_rslt).toBe('0');
  });
});
