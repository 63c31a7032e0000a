/**
 * 2601 冲正交易 (reference §2.8): input `data{psn_no, omsgid, oinfno}`, output none, infcode only.
 * infcode 0: the original has no effect now. A refusal is read by its err_msg, as the province profile
 * words it: "original never received" (nothing was committed) or "already reversed"; anything else leaves
 * the original's outcome unknown.
 */
import type { ReversalStatus } from '../domain';
import type { ProvinceProfile } from '../profile';

export function reversalInput(psnNo: string, omsgid: string, oinfno: '2102' | '2103' | '2207' | '2208') {
  return { data: { psn_no: psnNo, omsgid, oinfno } };
}

/** The meaning of a refused 2601, or null when the refusal says nothing about the original. */
export function readReversalRefusal(errMsg: string, profile: ProvinceProfile): ReversalStatus | null {
  if (profile.reversal.alreadyReversed.some((fragment) => errMsg.includes(fragment))) return 'already_reversed';
  if (profile.reversal.neverReceived.some((fragment) => errMsg.includes(fragment))) return 'never_committed';
  return null;
}
