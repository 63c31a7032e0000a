import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMsgid, nextMsgidClock, type MsgidClock } from '../../main/platform/msgid';
import { invertNames, personOutputSchema, presettleOutputSchema, renameFields } from '../../main/platform/fields';
import { compactTime, infTime } from '../../main/platform/time';

const setlinfo = {
  medfee_sumamt: '100.00', fulamt_ownpay_amt: '0.00', overlmt_selfpay: '0.00', preselfpay_amt: '0.00',
  inscp_scp_amt: '100.00', hifp_pay: '50.00', fund_pay_sumamt: '50.00', psn_part_amt: '50.00',
  acct_pay: '30.00', acct_mulaid_pay: '10.00', psn_cash_pay: '15.00', balc: '0.00', wlt_pay: '5.00', wlt_balc: '1.00',
};

describe('reading the platform\'s settlement figures', () => {
  it('converts yuan strings (and numbers) to fen', () => {
    const f = presettleOutputSchema.parse({ setlinfo: { ...setlinfo, acct_pay: 30 } });
    expect(f).toMatchObject({ medfeeSumamt: 10000, fundPaySumamt: 5000, acctPay: 3000, acctMulaidPay: 1000, walletPay: 500, psnCashPay: 1500 });
  });

  it('refuses figures that do not add up, or negative, or with 3 decimals', () => {
    expect(presettleOutputSchema.safeParse({ setlinfo: { ...setlinfo, psn_cash_pay: '15.01' } }).success).toBe(false);
    expect(presettleOutputSchema.safeParse({ setlinfo: { ...setlinfo, acct_mulaid_pay: '31.00' } }).success).toBe(false);
    expect(presettleOutputSchema.safeParse({ setlinfo: { ...setlinfo, hifp_pay: '50.001' } }).success).toBe(false);
    expect(presettleOutputSchema.safeParse({ setlinfo: { ...setlinfo, medfee_sumamt: 'abc' } }).success).toBe(false);
  });

  it('a resident\'s balc is never taken as an own-account balance', () => {
    const person = personOutputSchema.parse({
      baseinfo: { psn_no: 'P1', certno: '330102198001010011', psn_name: '陈', gend: '1', brdy: '1980-01-01', age: 45 },
      insuinfo: [{ balc: '12.00', insutype: '390', insuplc_admdvs: '330100', mulaid_balc: '3.00' }],
      wltinfo: { wlt_balc: '7.00', wlt_open_flag: '1' },
    });
    expect(person).toMatchObject({ insutype: '390', ownAcctFen: 0, mulaidFen: 300, walletFen: 700, walletOpen: true });
  });
});

describe('a province\'s own names for the extension fields', () => {
  it('renames outgoing and back, deep, leaving national names alone', () => {
    const names = { wlt_pay: 'wallet_pay_amt', wlt_used_flag: 'use_wallet' };
    const wire = renameFields({ input: { data: { wlt_used_flag: '1', psn_no: 'X' } }, list: [{ wlt_pay: '1.00' }] }, names);
    expect(wire).toEqual({ input: { data: { use_wallet: '1', psn_no: 'X' } }, list: [{ wallet_pay_amt: '1.00' }] });
    expect(renameFields(wire, invertNames(names))).toEqual({ input: { data: { wlt_used_flag: '1', psn_no: 'X' } }, list: [{ wlt_pay: '1.00' }] });
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
