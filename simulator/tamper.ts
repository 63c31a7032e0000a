// Spoiled answers, for testing that a client checks what it is told (issue 8 part 3): the platform
// does the work and commits, then the answer is changed one way. Two kinds are not wrong at all but
// forms real gateways use (reference §1.2: infcode "0"; §1.5: amounts as strings).
export const TAMPERS = [
  'psn_no', 'medfee', 'sum', 'negative_balance', 'absurd', 'split', 'control_chars', 'item_count',
  'infcode_string', 'amounts_as_strings',
] as const;
export type Tamper = (typeof TAMPERS)[number];

type Obj = Record<string, unknown>;
const MONEY = /(_amt|_pay|_sumamt|_payamt|^balc|_balc|_amount|^psn_pay)$/;
const add = (x: unknown, fen: number) => Math.round((Number(x) * 100 + fen)) / 100;

/** The answer spoiled as asked; answers that are refusals, files or without setlinfo are left alone. */
export function tamper(answer: unknown, how: Tamper): unknown {
  if (!answer || typeof answer !== 'object') return answer;
  const env = structuredClone(answer) as Obj;
  if (how === 'infcode_string') return { ...env, infcode: String(env.infcode) };
  const out = env.output as Obj | undefined;
  const s = out?.setlinfo as Obj | undefined;
  if (env.infcode !== 0 || !out || !s) return answer;
  switch (how) {
    case 'psn_no': s.psn_no = `X${String(s.psn_no).slice(1)}`; break;
    case 'medfee': s.medfee_sumamt = add(s.medfee_sumamt, 100); break;
    case 'sum': s.hifp_pay = add(s.hifp_pay, 1); break;
    case 'negative_balance': s.balc = -1; break;
    case 'absurd': for (const k of Object.keys(s)) if (MONEY.test(k) && typeof s[k] === 'number') s[k] = (s[k] as number) * 1000; break;
    case 'split': spoilSplit(out, s); break;
    case 'control_chars': s.psn_name = `${String(s.psn_name)}\u001b[2J\u0007\u0000`; break;
    case 'item_count': (out.detlcutinfo as unknown[] | undefined)?.pop(); break;
    case 'amounts_as_strings': for (const k of Object.keys(s)) if (MONEY.test(k) && typeof s[k] === 'number') s[k] = (s[k] as number).toFixed(2); break;
  }
  return env;
}

/** 1.00 moves from the fund to the patient's cash: every identity still holds, the split differs. */
function spoilSplit(out: Obj, s: Obj): void {
  s.hifp_pay = add(s.hifp_pay, -100);
  s.fund_pay_sumamt = add(s.fund_pay_sumamt, -100);
  s.psn_part_amt = add(s.psn_part_amt, 100);
  s.psn_cash_pay = add(s.psn_cash_pay, 100);
  const row = (out.setldetail as Obj[] | undefined)?.find((r) => r.fund_pay_type === '310100' || r.fund_pay_type === '390100');
  if (row) row.fund_payamt = add(row.fund_payamt, -100);
}
