// Who may pay for a patient besides the fund: the domain rules of mutual aid (家庭共济) and the wallet.
import type { PersonRow } from '../db';
import type { Giver } from '../repo/people';
import type { TxContext } from './context';

/**
 * Givers whose account may pay directly: bound, active, and insured in the receiver's pooled region
 * (统筹区). A relative insured elsewhere helps only by a transfer into the receiver's wallet.
 */
export function directGivers(ctx: TxContext, receiver: PersonRow): Giver[] {
  const pool = ctx.people.poolOf(receiver.insuplc_admdvs);
  return ctx.people.giversOf(receiver.psn_no).filter((g) => ctx.people.poolOf(g.insuplc_admdvs) === pool);
}

/** The wallet pays anywhere inside its holder's pooled region (a district counter 330106 is in 330100). */
export function walletUsableAt(ctx: TxContext, holder: PersonRow, counterAdmdvs: string): boolean {
  const region = ctx.people.region(ctx.people.poolOf(holder.insuplc_admdvs));
  return holder.wlt_open === 1 && region?.wallet_enabled === true
    && ctx.people.poolOf(counterAdmdvs) === ctx.people.poolOf(holder.insuplc_admdvs);
}
