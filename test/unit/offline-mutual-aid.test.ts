// Mutual aid offline as pure functions: however the giver and his receivers interleave their offline
// purchases, the terminal never promises more of the giver's account than its cached balance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeMulaid, giverRooms, mulaidOffline, ownAccountLeft, type GiverHolds } from '../../main/offline/mutual-aid';

describe('a giver\'s balance shared by his receivers', () => {
  it('total promised from each giver never exceeds his balance', () => {
    const purchase = fc.record({ who: fc.constantFrom('giver1', 'r1', 'r2'), fen: fc.integer({ min: 0, max: 20_000 }) });
    fc.assert(
      fc.property(fc.nat(30_000), fc.nat(30_000), fc.array(purchase, { maxLength: 20 }), (b1, b2, purchases) => {
        type Giver = 'giver1' | 'giver2';
        const balances: Record<Giver, number> = { giver1: b1, giver2: b2 };
        const holds: Record<Giver, GiverHolds> = { giver1: { ownFen: 0, aidFen: 0 }, giver2: { ownFen: 0, aidFen: 0 } };
        // r1 is aided by giver1 then giver2; r2 by giver2 only.
        const giversOf: Record<'r1' | 'r2', Giver[]> = { r1: ['giver1', 'giver2'], r2: ['giver2'] };
        for (const p of purchases) {
          if (p.who === 'giver1') {
            const pay = Math.min(p.fen, ownAccountLeft(balances.giver1, holds.giver1));
            holds.giver1.ownFen += pay;
          } else {
            const rooms = giverRooms(giversOf[p.who].map((g) => ({ psnNo: g, balanceFen: balances[g] })), (g) => holds[g as Giver]);
            const pay = Math.min(p.fen, mulaidOffline(rooms));
            const taken = attributeMulaid(rooms, pay);
            expect(taken.reduce((s, t) => s + t.fen, 0)).toBe(pay);
            for (const t of taken) holds[t.psnNo as Giver].aidFen += t.fen;
          }
        }
        for (const g of ['giver1', 'giver2'] as const) expect(holds[g].ownFen + holds[g].aidFen).toBeLessThanOrEqual(balances[g]);
      }),
      { numRuns: 500 },
    );
  });

  it('takes from givers in the platform\'s debit order', () => {
    const rooms = [{ psnNo: 'A', leftFen: 300 }, { psnNo: 'B', leftFen: 500 }];
    expect(attributeMulaid(rooms, 600)).toEqual([{ psnNo: 'A', fen: 300 }, { psnNo: 'B', fen: 300 }]);
    expect(() => attributeMulaid(rooms, 900)).toThrow(/exceeds/);
  });

  it('unknown givers give nothing offline', () => {
    expect(mulaidOffline(null)).toBe(0);
  });
});
