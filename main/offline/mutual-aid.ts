/**
 * Mutual aid (家庭共济) offline. A giver's personal account is ONE balance, whoever spends it: the giver
 * himself (his own account) and every relative bound to him (mutual aid). Offline holds are therefore
 * counted per giver, not per receiver; otherwise a giver and each of his relatives could all spend the
 * same cached money before the platform sees any of it.
 *
 * The terminal knows who the givers are only when the platform says so (the 1101 extension
 * `mulaid_gvr_list`, docs/interface.md); without that list a receiver's mutual aid is not sold offline
 * at all (the platform pays it at sync and the pharmacy refunds the difference: an exception).
 * Pure: no I/O, integer fen.
 */
import { assertFen } from '../settlement/fund';

/** A giver as last seen online, in the order the platform debits a receiver's givers. */
export interface GiverSeen {
  psnNo: string;
  balanceFen: number;
}

/** What unsettled offline sales already promised from one giver's account. */
export interface GiverHolds {
  /** The giver's own offline purchases paid from his own account. */
  ownFen: number;
  /** His receivers' offline purchases paid by mutual aid from his account. */
  aidFen: number;
}

export interface GiverRoom {
  psnNo: string;
  leftFen: number;
}

/** What each giver can still pay offline, in debit order; never below zero. */
export function giverRooms(givers: readonly GiverSeen[], heldOf: (giverPsnNo: string) => GiverHolds): GiverRoom[] {
  return givers.map((g, i) => {
    assertFen(g.balanceFen, `givers[${i}].balanceFen`);
    const held = heldOf(g.psnNo);
    return { psnNo: g.psnNo, leftFen: Math.max(0, g.balanceFen - held.ownFen - held.aidFen) };
  });
}

/** The receiver's mutual-aid balance offline: the sum of his givers' rooms (0 when the givers are unknown). */
export function mulaidOffline(rooms: readonly GiverRoom[] | null): number {
  return (rooms ?? []).reduce((sum, r) => sum + r.leftFen, 0);
}

/**
 * Which givers pay a mutual-aid amount: in debit order, each as much as his room allows, as the
 * platform debits them. Throws if the rooms cannot cover the amount (the estimate never asks for more).
 */
export function attributeMulaid(rooms: readonly GiverRoom[], amountFen: number): { psnNo: string; fen: number }[] {
  assertFen(amountFen, 'amountFen');
  let left = amountFen;
  const taken: { psnNo: string; fen: number }[] = [];
  for (const room of rooms) {
    const take = Math.min(room.leftFen, left);
    if (take > 0) taken.push({ psnNo: room.psnNo, fen: take });
    left -= take;
  }
  if (left > 0) throw new Error(`mutual aid of ${amountFen} fen exceeds the givers' rooms by ${left} fen`);
  return taken;
}

/**
 * A giver's own account offline: his cached balance minus his own offline spending AND what his
 * receivers' offline sales took from it by mutual aid.
 */
export function ownAccountLeft(cachedFen: number, held: GiverHolds): number {
  return Math.max(0, cachedFen - held.ownFen - held.aidFen);
}
