/** 9001 签到 and 9002 签退 (reference §2.1, §2.2). */
import { z } from 'zod';
import { optionalText, text } from '../wire';

export function signInInput(opterNo: string, mac: string, ip: string) {
  return { signIn: { opter_no: opterNo, mac, ip } };
}

export const signInOutputSchema = z
  .object({ signinoutb: z.object({ sign_time: text, sign_no: text.pipe(z.string().min(1, 'required')) }) })
  .transform((o) => ({ signNo: o.signinoutb.sign_no, signTime: o.signinoutb.sign_time }));

export function signOutInput(signNo: string, opterNo: string) {
  return { signOut: { sign_no: signNo, opter_no: opterNo } };
}

/** The node is `signoutoutb` in most sources; one models sign_time at the root, some send nothing. */
export const signOutOutputSchema = z
  .object({ signoutoutb: z.object({ sign_time: optionalText }).nullable().optional(), sign_time: optionalText })
  .nullable()
  .optional()
  .transform((o) => ({ signTime: o?.signoutoutb?.sign_time || o?.sign_time || '' }));
