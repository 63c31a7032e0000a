import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatQuote, QuoteError, runQuote } from '../../main/settlement/quote';

const EXAMPLES = join(import.meta.dirname, '../../docs/examples');

function example(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Record<string, any>;
}

describe('example scenarios in docs/examples', () => {
  const files = readdirSync(EXAMPLES).filter((f) => /^quote-.*\.json$/.test(f));

  it('there are at least 3', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s is valid and adds up', (file) => {
    const r = runQuote(example(file));
    const { ownAcct, mulaid, wallet, cash } = r.split;
    expect(ownAcct + mulaid + wallet + cash).toBe(r.selfPayFen);
    if (r.fund) expect(r.fund.fundPaySumamt + r.selfPayFen).toBe(r.fund.medfeeSumamt);
    expect(formatQuote(r)).toContain('合计');
  });

  it('employee with lines: fund estimate, then his own account; 丙类 stays cash', () => {
    const r = runQuote(example('quote-employee-lines.json'));
    expect(r.fund).toMatchObject({ medfeeSumamt: 17580, hifpPay: 6690, psnPartAmt: 10890, acctEligible: 7890 });
    expect(r.split).toMatchObject({ ownAcct: 7890, mulaid: 0, wallet: 0, cash: 3000 });
  });

  it('广州: mutual aid first, then own account', () => {
    const r = runQuote(example('quote-guangzhou-mulaid-first.json'));
    expect(r.fund).toBeNull();
    expect(r.split).toEqual({ ownAcct: 2650, mulaid: 6000, wallet: 0, cash: 0, walletUnavailableReason: 'not_open' });
  });

  it('resident: wallet capped by her choice, rest cash', () => {
    const r = runQuote(example('quote-resident-wallet.json'));
    expect(r.split).toMatchObject({ ownAcct: 0, mulaid: 0, wallet: 5000, cash: 1003, walletUnavailableReason: null });
  });
});

describe('formatQuote', () => {
  it('shows Chinese labels and yuan amounts', () => {
    const text = formatQuote(runQuote(example('quote-employee-lines.json')));
    for (const label of ['统筹基金', '个人账户', '其中家庭共济', '医保钱包', '现金', '合计', '阿莫西林胶囊', '丙类']) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/统筹基金\s+hifp_pay\s+66\.90/);
    expect(text).toMatch(/个人账户\s+acct_pay\s+78\.90/);
    expect(text).toMatch(/现金\s+psn_cash_pay\s+30\.00/);
    expect(text).toMatch(/合计\s+\S+\s+175\.80/);
  });

  it('says why the wallet did not pay', () => {
    const s = example('quote-resident-wallet.json');
    s.place.mdtrtareaAdmvs = '110100';
    expect(formatQuote(runQuote(s))).toContain('非参保地就医');
  });

  it('account room and mutual aid in direct mode', () => {
    const text = formatQuote(runQuote(example('quote-guangzhou-mulaid-first.json')));
    expect(text).toMatch(/其中家庭共济\s+acct_mulaid_pay\s+60\.00/);
    expect(text).not.toContain('统筹基金');
  });
});

describe('validation errors name the field path', () => {
  const base = () => example('quote-guangzhou-mulaid-first.json');
  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['negative balance', (s) => { s.balances.ownAcctFen = -1; }, 'balances.ownAcctFen: expected a non-negative integer (fen)'],
    ['fractional fen', (s) => { s.balances.walletFen = 12.5; }, 'balances.walletFen: expected a non-negative integer (fen)'],
    ['yuan string instead of fen', (s) => { s.selfPayFen = '86.50'; }, 'selfPayFen: expected a non-negative integer (fen)'],
    ['missing field', (s) => { delete s.balances.mulaidFen; }, 'balances.mulaidFen: required'],
    ['unknown field', (s) => { s.choices.useAcct = true; }, 'choices.useAcct: unknown field'],
    ['bad order', (s) => { s.policy.payment_order = ['own_acct', 'own_acct', 'wallet']; }, 'policy.payment_order: expected each of "own_acct", "mulaid", "wallet" exactly once'],
    ['bad line', (s) => { delete s.selfPayFen; s.lines = [{ amountFen: 100, chrgitmLv: '01' }, { amountFen: 1, chrgitmLv: '9' }]; }, 'lines[1].chrgitmLv: expected "01" (甲类), "02" (乙类) or "03" (丙类)'],
    ['both modes', (s) => { s.lines = [{ amountFen: 100, chrgitmLv: '01' }]; }, 'selfPayFen: give exactly one of selfPayFen or lines'],
    ['no mode', (s) => { delete s.selfPayFen; }, 'selfPayFen: give exactly one of selfPayFen or lines'],
    ['acctEligible with lines', (s) => { delete s.selfPayFen; s.lines = [{ amountFen: 100, chrgitmLv: '01' }]; s.acctEligibleFen = 5; }, 'acctEligibleFen: only allowed with selfPayFen (with lines it is computed from the policy)'],
    ['year totals without lines', (s) => { s.fundPaidThisYearFen = 5; }, 'fundPaidThisYearFen: only allowed with lines'],
    ['bad region code', (s) => { s.place.insuplcAdmdvs = '4401'; }, 'place.insuplcAdmdvs: expected a 6-digit region code'],
    ['bad ratio', (s) => { s.policy.fund['310'].ratio_bp = 12000; }, 'policy.fund.310.ratio_bp: expected an integer from 0 to 10000 (basis points)'],
    ['huge self-pay', (s) => { s.selfPayFen = 10 ** 11; }, 'selfPayFen: must not exceed 10000000000 fen'],
    ['huge lines total', (s) => { delete s.selfPayFen; s.lines = [{ amountFen: 10 ** 11, chrgitmLv: '03' }]; }, 'lines: self-pay portion must not exceed 10000000000 fen'],
  ])('%s', (_name, mutate, message) => {
    const s = base();
    mutate(s);
    expect(() => runQuote(s)).toThrow(QuoteError);
    expect(() => runQuote(s)).toThrow(message);
  });

  it.each([null, 42, 'x', []])('rejects a non-object scenario %j', (value) => {
    expect(() => runQuote(value)).toThrow('scenario: expected a JSON object');
  });

  it('messages are one line', () => {
    const message = (() => {
      try {
        runQuote({});
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/^[\w.[\]]+: [^\n]+$/);
  });
});

describe('quote properties', () => {
  it('with lines, fund + accounts + wallet + cash = medfee', () => {
    const base = example('quote-employee-lines.json');
    const lines = fc.array(
      fc.record({ amountFen: fc.integer({ min: 0, max: 10 ** 7 }), chrgitmLv: fc.constantFrom('01', '02', '03') }),
      { minLength: 1, maxLength: 10 },
    );
    const balance = fc.integer({ min: 0, max: 10 ** 7 });
    fc.assert(
      fc.property(lines, balance, balance, balance, fc.boolean(), (ls, own, mulaid, wallet, useAccount) => {
        const r = runQuote({
          ...base,
          lines: ls,
          balances: { ownAcctFen: own, mulaidFen: mulaid, walletFen: wallet },
          choices: { useAccount, useWallet: true },
        });
        const s = r.split;
        expect((r.fund?.fundPaySumamt ?? NaN) + s.ownAcct + s.mulaid + s.wallet + s.cash).toBe(r.fund?.medfeeSumamt);
      }),
    );
  });
});
