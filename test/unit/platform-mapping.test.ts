import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMsgid, nextMsgidClock, type MsgidClock } from '../../main/platform/msgid';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDrugSettleAnswer } from '../../main/platform/answer-check';
import { FUND_PAY_TYPE, INSUTYPE, codeName, describeCode } from '../../main/platform/codes';
import type { SettleRequest } from '../../main/platform/domain';
import { buildEnvelope } from '../../main/platform/envelope';
import { extensionRenamer } from '../../main/platform/extension';
import { yuanToFen } from '../../main/platform/money';
import { DEFAULT_PROFILE_FILE, loadProfile, profileSchema } from '../../main/platform/profile';
import { drugSettleInput, scaledText, settleOutputSchema } from '../../main/platform/tx/drug-settle';
import { unzipText, zipText } from '../../main/platform/tx/files';
import { personOutputSchema } from '../../main/platform/tx/person';
import { detailFileRows, detailFileText, fileTotals, parseResultFile } from '../../main/platform/tx/reconcile';
import { readReversalRefusal } from '../../main/platform/tx/reversal';
import { cleanText } from '../../main/platform/wire';
import { cancelOutputSchema, cancelProblems } from '../../main/platform/tx/cancel';
import { compactTime, infTime } from '../../main/platform/time';

const PROFILES = join(DEFAULT_PROFILE_FILE, '..');
const profile = loadProfile(null);
const noWallet = profileSchema.parse(JSON.parse(readFileSync(join(PROFILES, 'no-wallet.json'), 'utf8')));

// A real-shaped 2102 answer (reference §2.15 sample, amounts as JSON numbers, nulls for optional fields).
const setlinfo = {
  psn_no: 'P1', mdtrt_id: 'M1', setl_id: 'S1', setl_time: '2026-11-23 10:00:00', psn_name: '王五', certno: null,
  medfee_sumamt: 100, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 0, inscp_scp_amt: 100,
  act_pay_dedc: null, hifp_pay: 40, pool_prop_selfpay: 0.8, cvlserv_pay: 5, hifes_pay: 0, hifmi_pay: 0, hifob_pay: 0,
  maf_pay: 5, oth_pay: null, fund_pay_sumamt: 50, psn_part_amt: '50.00', acct_pay: '30.00', acct_mulaid_pay: 10,
  psn_cash_pay: 15, balc: 0, wlt_pay: '5.00', wlt_balc: '1.00', medins_setl_id: 'MSG1', clr_optins: '330100', clr_way: '1', clr_type: '41',
};
const setldetail = [
  { fund_pay_type: '310100', fund_payamt: 40, inscp_scp_amt: 100, crt_payb_lmt_amt: null, fund_pay_type_name: null, setl_proc_info: null },
  { fund_pay_type: '320100', fund_payamt: 5, inscp_scp_amt: 0, crt_payb_lmt_amt: null },
  { fund_pay_type: '610100', fund_payamt: 5, inscp_scp_amt: 0, fund_pay_type_name: '医疗救助\u0007基金' },
  { fund_pay_type: '310200', fund_payamt: 30, inscp_scp_amt: 0, fund_pay_type_name: '职工基本医疗保险个人账户基金' },
];
const request: SettleRequest = {
  psnNo: 'P1', credential: { mdtrtCertType: '03', mdtrtCertNo: 'C1', cardSn: 'SN' }, insutype: '310', insuplcAdmdvs: '330100',
  mdtrtareaAdmvs: '330100', useAccount: true, useWallet: true, walletCapFen: null, begntime: '2026-11-23 09:59:00',
  lines: [{ feedetlSn: '1', medListCodg: 'X1', medinsListCodg: 'P1', pricFen: 5000, cnt: 2, traceCodes: ['1'.repeat(20)], feeOcurTime: '2026-11-23 09:59:00' }],
};

describe('reading the platform\'s settlement figures', () => {
  it('reads numbers or strings, nulls for optional fields, and every fund of setldetail', () => {
    const a = settleOutputSchema.parse({ setlinfo, setldetail, detlcutinfo: null });
    expect(a.record).toMatchObject({ medfeeSumamt: 10000, fundPaySumamt: 5000, acctPay: 3000, acctMulaidPay: 1000, walletPay: 500, psnCashPay: 1500, setlId: 'S1' });
    expect(a.record.extra?.funds.map((f) => [f.fundPayType, f.name, f.amountFen])).toEqual([
      ['310100', '职工基本医疗保险统筹基金', 4000],
      ['320100', '公务员医疗补助基金', 500],
      ['610100', '医疗救助 基金', 500],
      ['310200', '职工基本医疗保险个人账户基金', 3000],
    ]);
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', a, profile)).not.toThrow();
  });

  it('refuses malformed amounts (3 decimals, text)', () => {
    expect(settleOutputSchema.safeParse({ setlinfo: { ...setlinfo, hifp_pay: '40.001' }, setldetail }).success).toBe(false);
    expect(settleOutputSchema.safeParse({ setlinfo: { ...setlinfo, medfee_sumamt: 'abc' }, setldetail }).success).toBe(false);
  });

  it('an unknown fund code is shown as its code and 未知', () => {
    expect(codeName(FUND_PAY_TYPE, '777777')).toBe('777777 未知');
    expect(describeCode(INSUTYPE, '392')).toBe('392 城乡居民大病医疗保险');
  });

  it('a resident\'s balc is never taken as an own-account balance; age may have a decimal', () => {
    const person = personOutputSchema.parse({
      baseinfo: { psn_no: 'P1', certno: '330102198001010011', psn_name: '陈', gend: '1', brdy: '1980-01-01', age: 45.7, exp_content: null },
      insuinfo: [{ balc: 12, insutype: '390', psn_type: '1560', psn_insu_stas: '1', insuplc_admdvs: '330100', paus_insu_date: null, mulaid_balc: '3.00' }],
      idetinfo: [],
      wltinfo: { wlt_balc: '7.00', wlt_open_flag: '1' },
    });
    expect(person).toMatchObject({ insutype: '390', ownAcctFen: 0, mulaidFen: 300, walletFen: 700, walletOpen: true, age: 45 });
  });

  it('strips control characters from platform text', () => {
    expect(cleanText('张\u0000三\u202e\r\n')).toBe('张 三');
  });
});

describe('what goes on the wire', () => {
  it('2101/2102 input is druginfo + drugdetail, no admdvs inside, wallet only for a gateway that knows it', () => {
    const dispenser = { code: 'op1', name: '药师' };
    const national = drugSettleInput(request, '2102', profile, dispenser);
    expect(Object.keys(national).sort()).toEqual(['drugdetail', 'druginfo']);
    expect(national.druginfo).toMatchObject({ psn_no: 'P1', med_type: '41', medfee_sumamt: '100.00', acct_used_flag: '1', wlt_used_flag: '1' });
    expect(national.druginfo).not.toHaveProperty('insuplc_admdvs');
    expect(national.drugdetail[0]).toMatchObject({ feedetl_sn: '1', det_item_fee_sumamt: '100.00', cnt: 2, pric: '50.00', bilg_dr_codg: 'op1' });
    const bare = drugSettleInput(request, '2102', noWallet, dispenser);
    expect(bare.druginfo).not.toHaveProperty('wlt_used_flag');
    expect(bare.drugdetail[0]).not.toHaveProperty('rxno');
  });

  it('the envelope carries the profile\'s recer_sys_code and infver, and only the optional fields it lists', () => {
    const counter = { fixmedinsCode: 'P33010500123', fixmedinsName: '店', mdtrtareaAdmvs: '330100', opter: 'o', opterName: 'n', devNo: 'D', mac: 'm', ip: 'i' };
    const header = { infno: '1101', msgid: 'X', insuplcAdmdvs: '', signNo: '1', infTime: '2026-11-23 10:00:00' };
    const full = buildEnvelope(header, counter, { ...profile, recerSysCode: 'LXXT', infver: 'V1.1' }, {});
    expect(full).toMatchObject({ recer_sys_code: 'LXXT', infver: 'V1.1', dev_no: 'D', cainfo: '', sign_no: '1' });
    const lean = buildEnvelope(header, counter, noWallet, {});
    expect(Object.keys(lean)).not.toContain('cainfo');
    expect(Object.keys(lean)).not.toContain('dev_no');
  });

  it('the extension renamed both ways, or dropped for a gateway without it', () => {
    const names = extensionRenamer({ ...profile.extensionFields!, wlt_pay: 'wallet_pay_amt', wlt_used_flag: 'use_wallet' });
    expect(names.outgoing({ druginfo: { wlt_used_flag: '1', psn_no: 'X' } })).toEqual({ druginfo: { use_wallet: '1', psn_no: 'X' } });
    expect(names.incoming({ list: [{ wallet_pay_amt: '1.00' }] })).toEqual({ list: [{ wlt_pay: '1.00' }] });
    const none = extensionRenamer(null);
    expect(none.incoming({ setlinfo: { wlt_pay: '9.00', acct_pay: '1.00' } })).toEqual({ setlinfo: { acct_pay: '1.00' } });
  });

  it('any message comes out as a full renaming copy would make it (one with nothing to rename is not copied)', () => {
    const key = fc.constantFrom('wlt_pay', 'wlt_used_flag', 'psn_no', 'setlinfo', 'acct_pay', 'list');
    const message = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), tie('object'), fc.array(tie('node'), { maxLength: 3 })),
      object: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    })).object;
    const copied = (v: unknown, names: Record<string, string>, drop: Set<string>): unknown =>
      Array.isArray(v) ? v.map((x) => copied(x, names, drop))
      : v === null || typeof v !== 'object' ? v
      : Object.fromEntries(Object.entries(v).filter(([k]) => !drop.has(k)).map(([k, x]) => [names[k] ?? k, copied(x, names, drop)]));
    const withExtension = extensionRenamer({ ...profile.extensionFields!, wlt_pay: 'wallet_pay_amt' });
    const without = extensionRenamer(null);
    fc.assert(
      fc.property(message, (m) => {
        const snapshot = structuredClone(m);
        expect(withExtension.outgoing(m)).toEqual(copied(m, { wlt_pay: 'wallet_pay_amt' }, new Set()));
        expect(without.incoming(m)).toEqual(copied(m, {}, new Set(['wlt_pay', 'wlt_used_flag'])));
        expect(m).toEqual(snapshot); // the message itself is never changed
      }),
    );
    const plain = { setlinfo: { acct_pay: '1.00', list: [{ psn_no: 'X' }] } };
    expect(without.incoming(plain)).toBe(plain);
  });

  it('a profile with an unknown key is refused, naming it', () => {
    expect(() => profileSchema.parse({ ...profile, wallet: true })).toThrow(/wallet/);
  });
});

describe('2601 read by its err_msg', () => {
  it('tells never-received and already-reversed apart from any other refusal', () => {
    expect(readReversalRefusal('原交易不存在: 报文ID H1', profile)).toBe('never_committed');
    expect(readReversalRefusal('原交易已冲正', profile)).toBe('already_reversed');
    expect(readReversalRefusal('系统繁忙', profile)).toBeNull();
  });
});

describe('3202 files', () => {
  it('the detail file is 7 TAB columns, a cancelled settlement followed by its negative refund row (flag 1), and round-trips a zip', () => {
    const rows = detailFileRows([
      { setlId: 'S1', mdtrtId: 'M1', psnNo: 'P1', medfeeSumamt: 452, fundPaySumamt: 0, acctPay: 452, cancelled: false },
      { setlId: 'S2', mdtrtId: 'M2', psnNo: 'P2', medfeeSumamt: 100, fundPaySumamt: 50, acctPay: 0, cancelled: true },
    ]);
    const text = detailFileText(rows);
    expect(text).toBe('S1\tM1\tP1\t4.52\t0.00\t4.52\t0\nS2\tM2\tP2\t1.00\t0.50\t0.00\t0\nS2\tM2\tP2\t-1.00\t-0.50\t0.00\t1\n');
    expect(fileTotals(rows)).toEqual({ medfeeFen: 452, fundFen: 0, acctFen: 452, count: 3 });
    expect(unzipText(zipText('d.txt', text))).toBe(text);
  });

  it('reads result rows with null cells, and names the line of a bad one', () => {
    const rows = parseResultFile('P1\tM1\tS1\tH1\t1\t0\tnull\t4.52\t0\t4.52\n', yuanToFen);
    expect(rows[0]).toMatchObject({ msgid: 'H1', setlId: 'S1', result: 'platform_only', medfeeSumamt: 452, acctPay: 452, memo: '' });
    expect(() => parseResultFile('P1\tM1\tS1\tH1\t7\t0\t\t1\t0\t1\n', yuanToFen)).toThrow(/第 1 行 stmt_rslt/);
  });
});

describe('msgid clock', () => {
  it('formats China time whatever the machine zone', () => {
    const t = new Date('2026-01-31T16:30:05Z');
    expect(compactTime(t)).toBe('20260201003005');
    expect(infTime(t)).toBe('2026-02-01 00:30:05');
  });

  it('never repeats and never goes back, for any sequence of clock readings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 300 }), (steps) => {
        let now = Date.parse('2026-11-22T08:00:00Z');
        let clock: MsgidClock | null = null;
        const ids: string[] = [];
        for (const step of steps) {
          now += step;
          clock = nextMsgidClock(clock, new Date(now));
          ids.push(formatMsgid('P33010500123', clock));
        }
        expect(ids.every((id) => id.length === 30)).toBe(true);
        for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      }),
    );
  });

  it('borrows the next second after 9999 messages in one', () => {
    const next = nextMsgidClock({ second: '20261122235959', seq: 9999 }, new Date('2026-11-22T15:59:59Z'));
    expect(next).toEqual({ second: '20261123000000', seq: 1 });
  });
});

describe('answer checks by the province profile', () => {
  const answerFor = (over: Record<string, unknown> = {}) =>
    settleOutputSchema.parse({ setlinfo: { ...setlinfo, ...over }, setldetail, detlcutinfo: [{ feedetl_sn: '1', det_item_fee_sumamt: 100 }] });

  it('a province whose fund_pay_sumamt includes the account reads the same answer as adding up', () => {
    const gd = { ...profile, fundPaySumamtIncludesAcct: true };
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', answerFor({ fund_pay_sumamt: 80 }), gd)).not.toThrow();
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', answerFor({ fund_pay_sumamt: 80 }), profile)).toThrow(/≠ 医疗费总额/);
  });

  it('the ceiling and the tolerance come from the profile', () => {
    const low = { ...profile, answerChecks: { maxAmountFen: 9_999, settleToleranceFen: 0 } };
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', answerFor(), low)).toThrow(/medfee_sumamt 100.00 超过单笔上限 99.99/);
    const agreed = { ...answerFor().figures, fundPaySumamt: 4_999, psnCashPay: 1_501 };
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', answerFor(), profile, agreed)).toThrow(/统筹 预结算 49.99, 结算 50.00; 现金 预结算 15.01, 结算 15.00/);
    const lenient = { ...profile, answerChecks: { maxAmountFen: 5_000_000, settleToleranceFen: 1 } };
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG1', answerFor(), lenient, agreed)).not.toThrow();
  });

  it('an answer for another message is refused', () => {
    expect(() => checkDrugSettleAnswer('2102', request, 'MSG2', answerFor(), profile)).toThrow(/medins_setl_id 应为本报文 MSG2/);
  });

  it('a 2103 refund is read in either sign and checked against the settlement it cancels', () => {
    const refund = cancelOutputSchema.parse({
      setlinfo: { setl_id: 'S1', mdtrt_id: 'M1', medfee_sumamt: -100, fund_pay_sumamt: -50, acct_pay: -35, wlt_pay: '-5.00', psn_pay: -50, cash_payamt: -10 },
    });
    expect(refund).toMatchObject({ medfeeSumamt: 10000, fundPaySumamt: 5000, acctPay: 3500, walletPay: 500, cashPayamt: 1000 });
    expect(cancelProblems(refund, { setlId: 'S1', medfeeSumamt: 10000 })).toEqual([]);
    expect(cancelProblems(refund, { setlId: 'S9', medfeeSumamt: 9000 })).toHaveLength(2);
  });
});

describe('scaled decimals on the wire (拆零 cnt N(16,4), pric N(16,6))', () => {
  it('writes any integer count of units as the decimal it stands for, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(2, 4, 6), (units, places) => {
        const text = scaledText(units, places);
        expect(text).toMatch(new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`));
        const [whole = '', frac = ''] = text.replace('-', '').split('.');
        const back = BigInt(whole) * 10n ** BigInt(places) + BigInt(frac.padEnd(places, '0') || '0');
        expect(back).toBe(BigInt(Math.abs(units)));
        expect(text.startsWith('-')).toBe(units < 0);
      }),
    );
  });
});
