import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettlementInputError } from '../../main/settlement/fund';
import type { PaymentSource } from '../../main/settlement/policy';
import { splitSelfPay, type SplitInput, type SplitResult } from '../../main/settlement/split';

const DEFAULT_ORDER: PaymentSource[] = ['own_acct', 'mulaid', 'wallet'];
const GUANGZHOU_ORDER: PaymentSource[] = ['mulaid', 'own_acct', 'wallet'];

/** An employee at a counter of his insured place, everything allowed; tests override what matters. */
function input(overrides: Partial<SplitInput> = {}): SplitInput {
  return {
    selfPayFen: 10000,
    acctEligibleFen: 10000,
    balances: { ownAcctFen: 0, mulaidFen: 0, walletFen: 0 },
    insutype: '310',
    policy: { paymentOrder: DEFAULT_ORDER, walletEnabled: true },
    place: { mdtrtareaAdmvs: '440100', insuplcAdmdvs: '440100' },
    walletOpen: true,
    choices: { useAccount: true, useWallet: true },
    ...overrides,
  };
}

describe('domain cases', () => {
  it('an employee pays from his own account', () => {
    const r = splitSelfPay(input({ selfPayFen: 3580, acctEligibleFen: 3580, balances: { ownAcctFen: 120000, mulaidFen: 50000, walletFen: 9000 } }));
    expect(r).toEqual({ ownAcct: 3580, mulaid: 0, wallet: 0, cash: 0, walletUnavailableReason: null });
  });

  it('a retiree whose account is short gets the rest from mutual aid', () => {
    const r = splitSelfPay(input({ selfPayFen: 8650, acctEligibleFen: 8650, balances: { ownAcctFen: 2000, mulaidFen: 50000, walletFen: 0 } }));
    expect(r).toMatchObject({ ownAcct: 2000, mulaid: 6650, wallet: 0, cash: 0 });
  });

  it('mutual aid that is also short leaves the rest to the wallet, then cash', () => {
    const r = splitSelfPay(input({ selfPayFen: 10000, balances: { ownAcctFen: 2000, mulaidFen: 3000, walletFen: 1000 } }));
    expect(r).toMatchObject({ ownAcct: 2000, mulaid: 3000, wallet: 1000, cash: 4000 });
  });

  it('a resident spends her wallet (no own account even if a balance is passed)', () => {
    const r = splitSelfPay(
      input({ insutype: '390', selfPayFen: 6003, acctEligibleFen: 3503, balances: { ownAcctFen: 99999, mulaidFen: 0, walletFen: 20000 } }),
    );
    expect(r).toEqual({ ownAcct: 0, mulaid: 0, wallet: 6003, cash: 0, walletUnavailableReason: null });
  });

  it('a resident bound to a giver may still be paid by mutual aid', () => {
    const r = splitSelfPay(input({ insutype: '390', selfPayFen: 5000, balances: { ownAcctFen: 0, mulaidFen: 3000, walletFen: 0 } }));
    expect(r).toMatchObject({ ownAcct: 0, mulaid: 3000, wallet: 0, cash: 2000 });
  });

  it('a patient from another province gets no wallet', () => {
    const r = splitSelfPay(
      input({
        selfPayFen: 5000,
        balances: { ownAcctFen: 1000, mulaidFen: 0, walletFen: 50000 },
        place: { mdtrtareaAdmvs: '440100', insuplcAdmdvs: '110100' },
      }),
    );
    expect(r).toEqual({ ownAcct: 1000, mulaid: 0, wallet: 0, cash: 4000, walletUnavailableReason: 'not_insured_place' });
  });

  it('a patient declines account use: own and mutual aid pay nothing, the wallet still may', () => {
    const r = splitSelfPay(
      input({
        selfPayFen: 5000,
        balances: { ownAcctFen: 100000, mulaidFen: 100000, walletFen: 1500 },
        choices: { useAccount: false, useWallet: true },
      }),
    );
    expect(r).toEqual({ ownAcct: 0, mulaid: 0, wallet: 1500, cash: 3500, walletUnavailableReason: null });
  });

  it('广州-style order: mutual aid pays before the patient\'s own account', () => {
    const r = splitSelfPay(
      input({
        selfPayFen: 8650,
        acctEligibleFen: 8650,
        balances: { ownAcctFen: 5000, mulaidFen: 6000, walletFen: 0 },
        policy: { paymentOrder: GUANGZHOU_ORDER, walletEnabled: true },
      }),
    );
    expect(r).toMatchObject({ mulaid: 6000, ownAcct: 2650, wallet: 0, cash: 0 });
  });

  it('accounts pay no more than acctEligible (e.g. 丙类 items excluded); the rest goes on', () => {
    const r = splitSelfPay(input({ selfPayFen: 10890, acctEligibleFen: 7890, balances: { ownAcctFen: 50000, mulaidFen: 50000, walletFen: 1000 } }));
    expect(r).toMatchObject({ ownAcct: 7890, mulaid: 0, wallet: 1000, cash: 2000 });
  });

  it('the patient caps the wallet', () => {
    const r = splitSelfPay(
      input({ selfPayFen: 9000, balances: { ownAcctFen: 0, mulaidFen: 0, walletFen: 20000 }, choices: { useAccount: true, useWallet: true, walletCapFen: 5000 } }),
    );
    expect(r).toMatchObject({ wallet: 5000, cash: 4000, walletUnavailableReason: null });
  });

  it.each([
    ['region_disabled', { policy: { paymentOrder: DEFAULT_ORDER, walletEnabled: false } }],
    ['not_open', { walletOpen: false }],
    ['declined', { choices: { useAccount: true, useWallet: false } }],
  ] as const)('says why the wallet is unavailable: %s', (reason, overrides) => {
    const r = splitSelfPay(input({ selfPayFen: 100, balances: { ownAcctFen: 0, mulaidFen: 0, walletFen: 1000 }, ...overrides }));
    expect(r).toMatchObject({ wallet: 0, cash: 100, walletUnavailableReason: reason });
  });

  it('zero self-pay splits to zeros', () => {
    const r = splitSelfPay(input({ selfPayFen: 0, acctEligibleFen: 0, balances: { ownAcctFen: 1, mulaidFen: 1, walletFen: 1 } }));
    expect(r).toMatchObject({ ownAcct: 0, mulaid: 0, wallet: 0, cash: 0 });
  });
});

describe('input validation', () => {
  it.each([
    ['selfPayFen', { selfPayFen: -1 }],
    ['selfPayFen', { selfPayFen: 1.5 }],
    ['selfPayFen', { selfPayFen: 10_000_000_001, acctEligibleFen: 0 }],
    ['acctEligibleFen', { acctEligibleFen: -1 }],
    ['balances.ownAcctFen', { balances: { ownAcctFen: -5, mulaidFen: 0, walletFen: 0 } }],
    ['balances.mulaidFen', { balances: { ownAcctFen: 0, mulaidFen: NaN, walletFen: 0 } }],
    ['balances.walletFen', { balances: { ownAcctFen: 0, mulaidFen: 0, walletFen: '5' as unknown as number } }],
    ['insutype', { insutype: '320' as unknown as '310' }],
    ['policy.paymentOrder', { policy: { paymentOrder: ['own_acct', 'own_acct', 'wallet'] as PaymentSource[], walletEnabled: true } }],
    ['policy.paymentOrder', { policy: { paymentOrder: ['own_acct', 'mulaid'] as PaymentSource[], walletEnabled: true } }],
    ['place.insuplcAdmdvs', { place: { mdtrtareaAdmvs: '440100', insuplcAdmdvs: '' } }],
    ['walletOpen', { walletOpen: 1 as unknown as boolean }],
    ['choices.walletCapFen', { choices: { useAccount: true, useWallet: true, walletCapFen: -1 } }],
    ['balances', { balances: undefined as unknown as SplitInput['balances'] }],
  ])('names the bad field %s', (field, overrides) => {
    const run = () => splitSelfPay(input(overrides as Partial<SplitInput>));
    expect(run).toThrow(SettlementInputError);
    expect(run).toThrow(new RegExp(`^${field.replace('.', '\\.')}: `));
  });
});

// ---- properties ----------------------------------------------------------------------------------

const amount = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: 10_000_000_000 }),
);
const balance = fc.oneof(amount, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
const region = fc.constantFrom('440100', '330100');

const splitInput: fc.Arbitrary<SplitInput> = fc
  .record({
    a: amount,
    b: amount,
    balances: fc.record({ ownAcctFen: balance, mulaidFen: balance, walletFen: balance }),
    insutype: fc.constantFrom('310' as const, '390' as const),
    policy: fc.record({
      paymentOrder: fc.shuffledSubarray(DEFAULT_ORDER, { minLength: 3, maxLength: 3 }),
      walletEnabled: fc.boolean(),
    }),
    place: fc.record({ mdtrtareaAdmvs: region, insuplcAdmdvs: region }),
    walletOpen: fc.boolean(),
    choices: fc.record(
      { useAccount: fc.boolean(), useWallet: fc.boolean(), walletCapFen: amount },
      { requiredKeys: ['useAccount', 'useWallet'] },
    ),
  })
  // acctEligible is a cap, usually at most selfPay; sometimes above it (it must then change nothing).
  .map(({ a, b, ...rest }) => ({ selfPayFen: Math.max(a, b), acctEligibleFen: Math.min(a, b), ...rest }))
  .chain((i) => fc.oneof(fc.constant(i), amount.map((extra) => ({ ...i, acctEligibleFen: i.selfPayFen + extra }))));

const PART: Record<PaymentSource, keyof SplitResult> = { own_acct: 'ownAcct', mulaid: 'mulaid', wallet: 'wallet' };

/** True when source could not have paid more: unusable, out of money, or at its cap. */
function couldNotPayMore(source: PaymentSource, i: SplitInput, r: SplitResult): boolean {
  if (source === 'wallet') {
    return (
      r.walletUnavailableReason !== null ||
      r.wallet === i.balances.walletFen ||
      r.wallet === i.choices.walletCapFen
    );
  }
  const accountRoomUsed = r.ownAcct + r.mulaid === (i.choices.useAccount ? i.acctEligibleFen : 0);
  if (source === 'own_acct') {
    const usable = i.choices.useAccount && i.insutype === '310';
    return !usable || r.ownAcct === i.balances.ownAcctFen || accountRoomUsed;
  }
  return !i.choices.useAccount || r.mulaid === i.balances.mulaidFen || accountRoomUsed;
}

describe('split properties', () => {
  it('parts are non-negative integers summing exactly to selfPay', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        const r = splitSelfPay(i);
        for (const part of [r.ownAcct, r.mulaid, r.wallet, r.cash]) {
          expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
        }
        expect(r.ownAcct + r.mulaid + r.wallet + r.cash).toBe(i.selfPayFen);
      }),
    );
  });

  it('nothing exceeds its balance, the wallet cap, or acctEligible', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        const r = splitSelfPay(i);
        expect(r.ownAcct).toBeLessThanOrEqual(i.balances.ownAcctFen);
        expect(r.mulaid).toBeLessThanOrEqual(i.balances.mulaidFen);
        expect(r.wallet).toBeLessThanOrEqual(i.balances.walletFen);
        if (i.choices.walletCapFen !== undefined) expect(r.wallet).toBeLessThanOrEqual(i.choices.walletCapFen);
        expect(r.ownAcct + r.mulaid).toBeLessThanOrEqual(i.acctEligibleFen);
      }),
    );
  });

  it('a zero balance pays nothing', () => {
    const withZeros = splitInput.chain((i) =>
      fc
        .record({ own: fc.boolean(), mulaid: fc.boolean(), wallet: fc.boolean() })
        .map((z) => ({
          ...i,
          balances: {
            ownAcctFen: z.own ? 0 : i.balances.ownAcctFen,
            mulaidFen: z.mulaid ? 0 : i.balances.mulaidFen,
            walletFen: z.wallet ? 0 : i.balances.walletFen,
          },
        })),
    );
    fc.assert(
      fc.property(withZeros, (i) => {
        const r = splitSelfPay(i);
        if (i.balances.ownAcctFen === 0) expect(r.ownAcct).toBe(0);
        if (i.balances.mulaidFen === 0) expect(r.mulaid).toBe(0);
        if (i.balances.walletFen === 0) expect(r.wallet).toBe(0);
      }),
    );
  });

  it('keeps the policy order: a later source pays only if every earlier one could not pay more', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        const r = splitSelfPay(i);
        const order = i.policy.paymentOrder;
        order.forEach((later, j) => {
          if (r[PART[later]] === 0) return;
          for (const earlier of order.slice(0, j)) expect(couldNotPayMore(earlier, i, r)).toBe(true);
        });
        // Cash is the last resort.
        if (r.cash > 0) for (const source of order) expect(couldNotPayMore(source, i, r)).toBe(true);
      }),
    );
  });

  it('a 390 person has no own-account part', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        expect(splitSelfPay({ ...i, insutype: '390' }).ownAcct).toBe(0);
      }),
    );
  });

  it('no wallet away from the insured place', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        const r = splitSelfPay({ ...i, place: { mdtrtareaAdmvs: '440100', insuplcAdmdvs: '310000' } });
        expect(r.wallet).toBe(0);
        expect(r.walletUnavailableReason).toBe('not_insured_place');
      }),
    );
  });

  it('no wallet when disabled, not open or declined', () => {
    fc.assert(
      fc.property(splitInput, fc.constantFrom('disabled', 'closed', 'declined'), (i, why) => {
        const changed: SplitInput =
          why === 'disabled'
            ? { ...i, policy: { ...i.policy, walletEnabled: false } }
            : why === 'closed'
              ? { ...i, walletOpen: false }
              : { ...i, choices: { ...i.choices, useWallet: false } };
        const r = splitSelfPay(changed);
        expect(r.wallet).toBe(0);
        expect(r.walletUnavailableReason).not.toBeNull();
      }),
    );
  });

  it('declining the account moves nothing but to wallet or cash', () => {
    fc.assert(
      fc.property(splitInput, (i) => {
        const using = splitSelfPay({ ...i, choices: { ...i.choices, useAccount: true } });
        const declined = splitSelfPay({ ...i, choices: { ...i.choices, useAccount: false } });
        expect(declined.ownAcct).toBe(0);
        expect(declined.mulaid).toBe(0);
        expect(declined.wallet).toBeGreaterThanOrEqual(using.wallet);
        expect(declined.cash).toBeGreaterThanOrEqual(using.cash);
        expect(declined.walletUnavailableReason).toBe(using.walletUnavailableReason);
      }),
    );
  });
});
