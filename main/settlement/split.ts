// Split of the patient's self-pay portion (psn_part_amt) over personal account, mutual aid, wallet and
// cash (docs/interface.md "Regional policy" step 4; domain rules 3-7). Pure: no I/O, integer fen only.
import { assertFen, SettlementInputError } from './fund';
import { PAYMENT_SOURCES, type Insutype, type PaymentSource, type RegionPolicy } from './policy';

/** The largest self-pay this terminal will split: 100 million yuan, far above any counter sale. */
export const MAX_SELF_PAY_FEN = 10_000_000_000;

export interface SplitInput {
  /** psn_part_amt: what the fund does not pay. */
  selfPayFen: number;
  /**
   * The most the personal accounts (own + mutual aid together) may pay. A cap: a value above
   * selfPayFen changes nothing.
   */
  acctEligibleFen: number;
  balances: {
    /** The patient's own personal-account balance (ignored for a 390 person, who has none). */
    ownAcctFen: number;
    /** What bound givers' accounts can pay for this patient now (mulaid_balc). */
    mulaidFen: number;
    walletFen: number;
  };
  insutype: Insutype;
  policy: { paymentOrder: readonly PaymentSource[]; walletEnabled: boolean };
  place: { mdtrtareaAdmvs: string; insuplcAdmdvs: string };
  walletOpen: boolean;
  choices: {
    /** acct_used_flag: false means neither own account nor mutual aid pays. */
    useAccount: boolean;
    /** wlt_used_flag. */
    useWallet: boolean;
    /** wlt_pay_limit: the most the wallet may pay; absent = no limit. */
    walletCapFen?: number;
  };
}

/** Why the wallet pays nothing by rule (not merely for lack of money). */
export type WalletUnavailableReason = 'not_insured_place' | 'region_disabled' | 'not_open' | 'declined';

export interface SplitResult {
  /** The patient's own personal account (acct_pay - acct_mulaid_pay). */
  ownAcct: number;
  /** Mutual-aid money from bound relatives (acct_mulaid_pay). */
  mulaid: number;
  wallet: number;
  cash: number;
  walletUnavailableReason: WalletUnavailableReason | null;
}

function assertBoolean(value: unknown, field: string): void {
  if (typeof value !== 'boolean') throw new SettlementInputError(field, 'expected true or false');
}

function assertAdmdvs(value: unknown, field: string): void {
  if (typeof value !== 'string' || !/^\d{6}$/.test(value)) {
    throw new SettlementInputError(field, 'expected a 6-digit region code');
  }
}

function assertObject(value: unknown, field: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new SettlementInputError(field, 'expected an object');
  }
}

function validate(input: SplitInput): void {
  assertObject(input, 'input');
  for (const field of ['balances', 'policy', 'place', 'choices'] as const) {
    assertObject(input[field], field);
  }
  assertFen(input.selfPayFen, 'selfPayFen', MAX_SELF_PAY_FEN);
  assertFen(input.acctEligibleFen, 'acctEligibleFen');
  assertFen(input.balances.ownAcctFen, 'balances.ownAcctFen');
  assertFen(input.balances.mulaidFen, 'balances.mulaidFen');
  assertFen(input.balances.walletFen, 'balances.walletFen');
  if (input.insutype !== '310' && input.insutype !== '390') {
    throw new SettlementInputError('insutype', 'expected "310" or "390"');
  }
  const order = input.policy.paymentOrder;
  const isPermutation =
    Array.isArray(order) &&
    order.length === PAYMENT_SOURCES.length &&
    PAYMENT_SOURCES.every((source) => order.includes(source));
  if (!isPermutation) {
    throw new SettlementInputError(
      'policy.paymentOrder',
      'expected each of "own_acct", "mulaid", "wallet" exactly once',
    );
  }
  assertBoolean(input.policy.walletEnabled, 'policy.walletEnabled');
  assertAdmdvs(input.place.mdtrtareaAdmvs, 'place.mdtrtareaAdmvs');
  assertAdmdvs(input.place.insuplcAdmdvs, 'place.insuplcAdmdvs');
  assertBoolean(input.walletOpen, 'walletOpen');
  assertBoolean(input.choices.useAccount, 'choices.useAccount');
  assertBoolean(input.choices.useWallet, 'choices.useWallet');
  if (input.choices.walletCapFen !== undefined) {
    assertFen(input.choices.walletCapFen, 'choices.walletCapFen');
  }
}

/**
 * Why the wallet may not pay, or null if it may (rule 4, rule 6). Checked from the most fundamental
 * reason to the patient's choice, so the UI explains the reason the patient cannot change first.
 */
export function walletUnavailableReason(input: {
  policy: Pick<SplitInput['policy'], 'walletEnabled'>;
  place: SplitInput['place'];
  walletOpen: boolean;
  choices: Pick<SplitInput['choices'], 'useWallet'>;
}): WalletUnavailableReason | null {
  if (input.place.mdtrtareaAdmvs !== input.place.insuplcAdmdvs) return 'not_insured_place';
  if (!input.policy.walletEnabled) return 'region_disabled';
  if (!input.walletOpen) return 'not_open';
  if (!input.choices.useWallet) return 'declined';
  return null;
}

/**
 * Split the self-pay portion. Walks the region's payment order; each source pays as much as its
 * balance, its cap and what is left allow; whatever remains is cash. Throws SettlementInputError
 * (message starts with the field path) on bad input.
 */
export function splitSelfPay(input: SplitInput): SplitResult {
  validate(input);
  const { balances, choices } = input;
  const walletReason = walletUnavailableReason(input);

  let left = input.selfPayFen;
  // Own account and mutual aid share one room (acctEligible); declining the account closes it (rule 6).
  let accountRoom = choices.useAccount ? input.acctEligibleFen : 0;
  const paid: Record<PaymentSource, number> = { own_acct: 0, mulaid: 0, wallet: 0 };

  for (const source of input.policy.paymentOrder) {
    let pay = 0;
    if (source === 'own_acct') {
      // A resident has no own account (rule 7), whatever balance a caller passes.
      const own = input.insutype === '310' ? balances.ownAcctFen : 0;
      pay = Math.min(own, accountRoom, left);
      accountRoom -= pay;
    } else if (source === 'mulaid') {
      pay = Math.min(balances.mulaidFen, accountRoom, left);
      accountRoom -= pay;
    } else if (walletReason === null) {
      pay = Math.min(balances.walletFen, choices.walletCapFen ?? Number.MAX_SAFE_INTEGER, left);
    }
    paid[source] = pay;
    left -= pay;
  }

  return {
    ownAcct: paid.own_acct,
    mulaid: paid.mulaid,
    wallet: paid.wallet,
    cash: left,
    walletUnavailableReason: walletReason,
  };
}

/** Whose balances, where, and what the patient chose: what an offline estimate's split needs besides amounts. */
export interface EstimateSplitInput {
  /** Cached balances minus what unsettled offline sales and visits hold. */
  balances: SplitInput['balances'];
  insutype: Insutype;
  policy: RegionPolicy;
  walletOpen: boolean;
  place: SplitInput['place'];
  choices: { useAccount: boolean; useWallet: boolean; walletCapFen: number | null };
}

/**
 * An offline estimate's patient part split as the platform would (an offline sale, an offline visit), in the
 * names of setlinfo's figures, with the balances left after it.
 */
export function estimatedSplit(psnPartFen: number, acctEligibleFen: number, input: EstimateSplitInput) {
  const split = splitSelfPay({
    selfPayFen: psnPartFen,
    acctEligibleFen,
    balances: input.balances,
    insutype: input.insutype,
    policy: { paymentOrder: input.policy.payment_order, walletEnabled: input.policy.wallet_enabled },
    place: input.place,
    walletOpen: input.walletOpen,
    choices: { useAccount: input.choices.useAccount, useWallet: input.choices.useWallet, walletCapFen: input.choices.walletCapFen ?? undefined },
  });
  return {
    acctPay: split.ownAcct + split.mulaid,
    acctMulaidPay: split.mulaid,
    walletPay: split.wallet,
    psnCashPay: split.cash,
    balcAfter: input.insutype === '310' ? input.balances.ownAcctFen - split.ownAcct : 0,
    walletBalcAfter: input.balances.walletFen - split.wallet,
  };
}
