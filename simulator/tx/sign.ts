// 9001 签到 and 9002 签退 (reference §2.1, §2.2).
import { z } from 'zod';
import { optional, text } from '../fields';
import { fmtCompact, fmtDateTime } from '../time';
import { fieldRefusal, parseInput, Refusal, type Handler } from './context';

const signInSchema = z.object({
  signIn: z.object({ opter_no: text(20), mac: optional(z.string().max(20, 'at most 20 characters')), ip: text(20) }),
});

const signOutSchema = z.object({ signOut: z.object({ sign_no: text(30), opter_no: text(20) }) });

export const signIn: Handler = (ctx, env) => {
  const { signIn: d } = parseInput(signInSchema, env.input);
  const now = ctx.now();
  const signNo = fmtCompact(now) + String(ctx.ledger.countSignIns() + 1).padStart(6, '0');
  ctx.ledger.saveSignIn(signNo, env.fixmedins_code, fmtDateTime(now), d.opter_no);
  return { signinoutb: { sign_time: fmtDateTime(now), sign_no: signNo } };
};

export const signOut: Handler = (ctx, env) => {
  const { signOut: d } = parseInput(signOutSchema, env.input);
  const row = ctx.ledger.signIn(d.sign_no);
  if (!row || row.fixmedins_code !== env.fixmedins_code) throw fieldRefusal('input.signOut.sign_no', 'not a sign-in of this institution', 'SIGN_NO_INVALID');
  if (row.signout_time) throw new Refusal('SIGN_NO_INVALID', `签到编号${d.sign_no}已签退`);
  if (row.opter_no && row.opter_no !== d.opter_no) throw fieldRefusal('input.signOut.opter_no', `not the operator of sign-in ${d.sign_no}`, 'SIGN_NO_INVALID');
  const time = fmtDateTime(ctx.now());
  ctx.ledger.signOut(d.sign_no, time);
  return { signoutoutb: { sign_time: time } };
};
