// 3201 totals (reference §2.17) and 3202 detail through 9101/9102 (§2.18-§2.20), at the simulator level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, settleInput, type Harness } from '../../simulator/testkit';
import { unzip, zipOne } from '../../simulator/zip';

let h: Harness;
const setl: Record<string, any>[] = [];
let cancelMsgid = '';

beforeAll(async () => {
  h = await harness();
  const cart = (pric: string) => [{ med_list_codg: h.drug('01').med_list_codg, pric, cnt: 1 }];
  for (const [label, pric] of [['employee', '100.00'], ['daughter', '20.00'], ['employee', '30.00'], ['resident', '50.00']] as const) {
    const r = await h.client.call('2102', settleInput(h.persona(label), cart(pric)));
    expect(r.infcode).toBe(0);
    setl.push(r.output.setlinfo);
  }
  const c = setl[2]!; // cancelled the same day: a refund row of -30.00
  const env = h.client.envelope('2103', { data: { setl_id: c.setl_id, mdtrt_id: c.mdtrt_id, psn_no: c.psn_no } }, { insuplc_admdvs: '330100' });
  cancelMsgid = String(env.msgid);
  expect((await h.client.post('/fsi/api/rsfComIfsService/callService', env)).infcode).toBe(0);
});
afterAll(async () => h.close());

const range = { setl_optins: '330100', stmt_begndate: '2025-06-15', stmt_enddate: '2025-06-15' };

describe('3201', () => {
  it('balanced when the figures agree, refunds included by default; output node stmtinfo', async () => {
    // 310: 100 + 20 + 30 - 30 (refund row) = 120; fund 50 + 10 + 15 - 15; 4 rows
    const r = await h.client.call('3201', { data: { insutype: '310', clr_type: '41', ...range, medfee_sumamt: 120, fund_pay_sumamt: 60, acct_pay: 60, fixmedins_setl_cnt: 4 } });
    expect(r.output).toEqual({ stmtinfo: { setl_optins: '330100', stmt_rslt: '0', stmt_rslt_dscr: '对账平衡' } });
    // refd_setl_flag 0 leaves the refund rows out (NW note quoted in §2.17)
    const without = await h.client.call('3201', { data: { insutype: '310', clr_type: '41', ...range, medfee_sumamt: '150.00', fund_pay_sumamt: '75.00', acct_pay: '75.00', fixmedins_setl_cnt: '3', refd_setl_flag: '0' } });
    expect(without.output.stmtinfo.stmt_rslt).toBe('0');
  });

  it('not balanced: says which figure differs; stmt_rslt per §3 (2 = the institution has more)', async () => {
    const r = await h.client.call('3201', { data: { insutype: '310', clr_type: '41', ...range, medfee_sumamt: '150.00', fund_pay_sumamt: '75.00', acct_pay: '75.00', fixmedins_setl_cnt: 5 } });
    expect(r.output.stmtinfo.stmt_rslt).toBe('2');
    expect(r.output.stmtinfo.stmt_rslt_dscr).toContain('结算笔数 中心4 机构5');
  });

  it('outside the date range counts nothing; a reversed end date is refused', async () => {
    const r = await h.client.call('3201', { data: { insutype: '390', clr_type: '41', ...range, stmt_begndate: '2025-06-16', stmt_enddate: '2025-06-30', medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0, fixmedins_setl_cnt: 0 } });
    expect(r.output.stmtinfo.stmt_rslt).toBe('0');
    const bad = await h.client.call('3201', { data: { insutype: '390', clr_type: '41', ...range, stmt_begndate: '2025-06-16', stmt_enddate: '2025-06-01', medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0, fixmedins_setl_cnt: 0 } });
    expect(bad.err_msg).toBe('input.data.stmt_enddate: must not be before stmt_begndate');
  });
});

/** Upload a detail file through 9101; its file_qury_no. */
async function upload(lines: string[], filename = 'detail.txt'): Promise<string> {
  const zip = zipOne(filename, Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'));
  const r = await h.client.call('9101', { fsUploadIn: { in: zip.toString('base64'), filename: 'detail.zip', fixmedins_code: h.client.counter.fixmedins_code } });
  expect(r.infcode).toBe(0);
  expect(r.output).toMatchObject({ filename: 'detail.zip', fixmedins_code: h.client.counter.fixmedins_code });
  expect(r.output.dld_endtime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  return String(r.output.file_qury_no);
}

const tsv = (s: Record<string, any>, over: Partial<Record<'medfee' | 'fund' | 'acct' | 'flag', string>> = {}) =>
  [s.setl_id, s.mdtrt_id, s.psn_no, over.medfee ?? s.medfee_sumamt.toFixed(2), over.fund ?? s.fund_pay_sumamt.toFixed(2), over.acct ?? s.acct_pay.toFixed(2), over.flag ?? '0'].join('\t');

describe('3202 through 9101 / 9102', () => {
  it('finds a sale only the platform has, one only the institution has, and one that differs', async () => {
    const [a, b, c, d] = setl as Record<string, any>[];
    const lines = [
      tsv(a!), // agrees
      tsv(b!, { acct: '9.99' }), // acct differs -> 3
      tsv(c!), tsv(c!, { medfee: '-30.00', fund: '-15.00', acct: '-15.00', flag: '1' }), // sale and its refund both agree
      `S-UNKNOWN\tM-UNKNOWN\t${a!.psn_no}\t5.00\t2.50\t2.50\t0`, // only the institution has it -> 2
    ]; // d (resident) is missing -> 1
    const fileNo = await upload(lines);
    const r = await h.client.call('3202', { data: { ...range, file_qury_no: fileNo, medfee_sumamt: '125.00', fund_pay_sumamt: 62.5, cash_payamt: 0, fixmedins_setl_cnt: 5, clr_type: '41', refd_setl_flag: '1' } });
    expect(r.infcode).toBe(0);
    const info = r.output.fileinfo;
    expect(Object.keys(info).sort()).toEqual(['dld_endtime', 'file_qury_no', 'filename']);
    const dl = await h.client.download({ fsDownloadIn: { file_qury_no: info.file_qury_no, filename: info.filename, fixmedins_code: h.client.counter.fixmedins_code } });
    expect(dl.status).toBe(200);
    expect(dl.type).toBe('application/octet-stream');
    const z = unzip(dl.bytes);
    if ('problem' in z) throw new Error(z.problem);
    expect(z.files).toHaveLength(1);
    // columns (§2.18): psn_no mdtrt_id setl_id msgid stmt_rslt refd_setl_flag memo medfee fund acct
    const rows = z.files[0]!.content.toString('utf8').trimEnd().split('\n').map((l) => l.split('\t'));
    const find = (setlId: string, flag = '0') => rows.find((x) => x[2] === setlId && x[5] === flag);
    expect(find(a!.setl_id)).toEqual([a!.psn_no, a!.mdtrt_id, a!.setl_id, a!.medins_setl_id, '0', '0', '', '100.00', '50.00', '50.00']);
    expect(find(b!.setl_id)?.slice(4, 7)).toEqual(['3', '0', '个人账户支付 中心10.00 机构9.99']);
    expect(find(c!.setl_id)?.[4]).toBe('0');
    expect(find(c!.setl_id, '1')).toEqual([c!.psn_no, c!.mdtrt_id, c!.setl_id, cancelMsgid, '0', '1', '', '-30.00', '-15.00', '-15.00']);
    expect(find('S-UNKNOWN')?.slice(3, 5)).toEqual(['', '2']);
    expect(find(d!.setl_id)?.slice(3, 6)).toEqual([d!.medins_setl_id, '1', '0']);
    expect(rows).toHaveLength(6);
  });

  it('refuses totals that disagree with the file, a bad cell, and an unknown file; 9102 of an unknown file', async () => {
    const fileNo = await upload([tsv(setl[0]!)]);
    const call = (data: Record<string, unknown>) => h.client.call('3202', { data: { ...range, file_qury_no: fileNo, medfee_sumamt: 100, fund_pay_sumamt: 50, cash_payamt: 0, fixmedins_setl_cnt: 1, ...data } });
    expect((await call({ fixmedins_setl_cnt: 2 })).err_msg).toBe("input.data.fixmedins_setl_cnt: must equal the file's 1 rows");
    expect((await call({ medfee_sumamt: '99.00' })).err_msg).toBe("input.data.medfee_sumamt: must equal the file's total 100.00");
    expect((await call({ file_qury_no: 'F0' })).err_code).toBe('FILE_NOT_FOUND');
    const bad = await upload([tsv(setl[0]!, { medfee: '100.001' })]);
    expect((await call({ file_qury_no: bad })).err_msg).toBe('file detail.txt line 1 medfee_sumamt: at most 2 decimals');
    const negative = await upload([tsv(setl[0]!, { medfee: '-100.00' })]);
    expect((await call({ file_qury_no: negative })).err_msg).toBe('file detail.txt line 1 medfee_sumamt: must not be negative');
    const dl = await h.client.download({ fsDownloadIn: { file_qury_no: 'F-NONE', filename: 'x.zip', fixmedins_code: h.client.counter.fixmedins_code } });
    expect(dl.type).toMatch(/^application\/json/); // a refusal stays an envelope
    expect(JSON.parse(dl.bytes.toString('utf8'))).toMatchObject({ infcode: -1, err_code: 'FILE_NOT_FOUND' });
  });

  it('9101 refuses what is not Base64 and another institution\'s code', async () => {
    const r = await h.client.call('9101', { fsUploadIn: { in: 'not base64!', filename: 'a.zip', fixmedins_code: h.client.counter.fixmedins_code } });
    expect(r.err_msg).toBe('input.fsUploadIn.in: must be Base64');
    const other = await h.client.call('9101', { fsUploadIn: { in: 'AAAA', filename: 'a.zip', fixmedins_code: 'H00000000000' } });
    expect(other.err_msg).toBe('input.fsUploadIn.fixmedins_code: must equal the envelope fixmedins_code');
  });
});
