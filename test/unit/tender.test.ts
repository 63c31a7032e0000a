// Tender arithmetic (main/settlement/tender.ts): change, shortfall, mixes, references; property tests
// over integer fen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReference, collectionOf, handBack, nextTender, totalsByKind, type Tender, type TenderInput } from '../../main/settlement/tender';
import { SaleError } from '../../main/settlement/sale-error';

const fen = (max = 1_000_000) => fc.integer({ min: 0, max });
const refusalOf = (work: () => unknown): SaleError => {
  try {
    work();
  } catch (error) {
    if (error instanceof SaleError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('cash', () => {
  it('gives the change of 100.00 for 37.50 due: 62.50', () => {
    const t = nextTender(3750, [], { kind: 'cash', tenderedFen: 10_000 });
    expect(t).toEqual({ kind: 'cash', amountFen: 3750, tenderedFen: 10_000, changeFen: 6250, reference: null });
    expect(collectionOf(3750, [t])).toEqual({ dueFen: 3750, paidFen: 3750, remainingFen: 0, receivedFen: 10_000, changeFen: 6250, complete: true });
  });

  it('refuses cash below what is due and names the shortfall', () => {
    const e = refusalOf(() => nextTender(3750, [], { kind: 'cash', tenderedFen: 3000 }));
    expect(e.code).toBe('CASH_SHORT');
    expect(e.message).toBe('实收不足: 还应收 37.50 元, 实收 30.00 元, 差 7.50 元');
  });

  it('property: change = tendered - due for every tendered >= due; below due is refused with due - tendered', () => {
    fc.assert(
      fc.property(fen(), fen(), (due, tendered) => {
        fc.pre(tendered > 0 && due > 0);
        if (tendered >= due) {
          const t = nextTender(due, [], { kind: 'cash', tenderedFen: tendered });
          expect(t.changeFen).toBe(tendered - due);
          expect(t.amountFen + t.changeFen).toBe(tendered);
          expect(collectionOf(due, [t]).complete).toBe(true);
        } else {
          expect(refusalOf(() => nextTender(due, [], { kind: 'cash', tenderedFen: tendered })).message).toContain(`差 ${((due - tendered) / 100).toFixed(2)} 元`);
        }
      }),
    );
  });
});

describe('mixes', () => {
  /** A random mix: electronic parts within what is due, then cash for the rest (or more). */
  const mix = fc.record({
    due: fc.integer({ min: 1, max: 500_000 }),
    parts: fc.array(fc.record({ kind: fc.constantFrom('wechat', 'alipay', 'card') as fc.Arbitrary<'wechat' | 'alipay' | 'card'>, share: fc.integer({ min: 1, max: 100 }) }), { maxLength: 3 }),
    extra: fen(20_000),
  });
  const REF = { wechat: (i: number) => `13${String(i).padStart(16, '0')}`, alipay: (i: number) => `28${String(i).padStart(14, '0')}`, card: (i: number) => String(i).padStart(12, '0') };

  it('property: electronic parts then cash; the money adds up to the fen and change comes only from cash', () => {
    fc.assert(
      fc.property(mix, ({ due, parts, extra }) => {
        const recorded: Tender[] = [];
        parts.forEach((p, i) => {
          const remaining = collectionOf(due, recorded).remainingFen;
          const amount = Math.floor((remaining * p.share) / 100);
          if (amount === 0 || amount >= remaining) return;
          recorded.push(nextTender(due, recorded, { kind: p.kind, amountFen: amount, reference: REF[p.kind](i + 1) }));
        });
        const remaining = collectionOf(due, recorded).remainingFen;
        recorded.push(nextTender(due, recorded, { kind: 'cash', tenderedFen: remaining + extra }));
        const c = collectionOf(due, recorded);
        expect(c.complete).toBe(true);
        expect(c.paidFen).toBe(due);
        expect(c.changeFen).toBe(extra);
        expect(c.receivedFen - c.changeFen).toBe(due);
        const byKind = totalsByKind(recorded);
        expect(byKind.cash + byKind.wechat + byKind.alipay + byKind.card).toBe(due);
        expect(handBack(recorded).reduce((s, h) => s + h.amountFen, 0)).toBe(due);
        for (const t of recorded) if (t.kind !== 'cash') expect(t.changeFen).toBe(0);
      }),
    );
  });

  it('property: a partial cash payment leaves exactly the rest due; nothing is accepted once complete', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 500_000 }), fc.integer({ min: 1, max: 99 }), (due, pct) => {
        const part = Math.max(1, Math.floor((due * pct) / 100));
        fc.pre(part < due);
        const first = nextTender(due, [], { kind: 'cash', tenderedFen: part, partial: true });
        expect(first.changeFen).toBe(0);
        expect(collectionOf(due, [first]).remainingFen).toBe(due - part);
        const second = nextTender(due, [first], { kind: 'wechat', amountFen: due - part, reference: '131234567890123456' });
        expect(collectionOf(due, [first, second]).complete).toBe(true);
        expect(refusalOf(() => nextTender(due, [first, second], { kind: 'cash', tenderedFen: 100 })).code).toBe('TENDER_COMPLETE');
      }),
    );
  });

  it('refuses an electronic tender above what is still due (no change from a phone) and a reference used twice', () => {
    expect(refusalOf(() => nextTender(1000, [], { kind: 'alipay', amountFen: 1001, reference: '2812345678901234' })).message).toBe(
      '支付宝金额 10.01 元 超过还应收的 10.00 元: 电子支付不找零, 请按还应收金额收款',
    );
    const first = nextTender(1000, [], { kind: 'card', amountFen: 400, reference: '123456' });
    expect(refusalOf(() => nextTender(1000, [first], { kind: 'card', amountFen: 100, reference: '123456' })).code).toBe('TENDER_DUPLICATE');
  });

  it('property: amounts that are not whole fen are refused, nothing returned', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noInteger: true }), fc.integer({ max: -1 })), (bad) => {
        const input: TenderInput = { kind: 'cash', tenderedFen: bad };
        expect(refusalOf(() => nextTender(1000, [], input)).code).toBe('BAD_TENDER');
      }),
    );
  });
});

describe('references', () => {
  it.each([
    ['wechat', '134567890123456789'],
    ['wechat', '4200001234202611231234567890'],
    ['alipay', '2812345678901234'],
    ['alipay', '2026112322001412345678901234'],
    ['card', '123456789012'],
    ['card', '004512'],
  ] as const)('accepts a %s reference %s', (kind, ref) => {
    expect(checkReference(kind, ` ${ref} `)).toBe(ref);
  });

  it.each([
    ['wechat', '12345', '微信单号 "12345" 格式不对: 应为18 位付款码 (10-15 开头) 或 28 位交易单号 (42 开头)'],
    ['alipay', '6945210000010', '支付宝单号 "6945210000010" 格式不对: 应为16-24 位付款码 (25-30 开头) 或 28 位交易号 (20 开头)'],
    ['card', '12345A', '银行卡单号 "12345A" 格式不对: 应为12 位参考号 或 6 位凭证号 (见签购单)'],
    ['card', '', '请输入或扫描银行卡单号: 12 位参考号 或 6 位凭证号 (见签购单)'],
  ] as const)('names a wrong %s reference', (kind, ref, message) => {
    expect(refusalOf(() => checkReference(kind, ref)).message).toBe(message);
  });

  it('property: a reference of another kind’s payment code is refused for WeChat', () => {
    fc.assert(
      fc.property(fc.integer({ min: 25, max: 30 }), fc.stringMatching(/^\d{14}$/), (head, tail) => {
        expect(refusalOf(() => checkReference('wechat', `${head}${tail}`)).code).toBe('BAD_REFERENCE');
      }),
    );
  });
});
