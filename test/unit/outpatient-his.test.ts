/**
 * The HIS export (docs/outpatient.md): the documented example reads as fen, exact quantities and prices;
 * every bad file gets ONE message naming the document, the item and the field.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeskCatalog } from '../../main/outpatient/desk-catalog';
import { readHisExport } from '../../main/outpatient/his-export';
import { InputError } from '../../main/validation';

const catalog = DeskCatalog.load(null);
const example = () => JSON.parse(readFileSync('docs/examples/his-fees.json', 'utf8'));
const read = (raw: unknown) => readHisExport(raw, catalog, 'fees.json');
/** The one message a bad export gets. */
const refusal = (change: (raw: any) => void): string => {
  const raw = example();
  change(raw);
  try {
    read(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the HIS export', () => {
  it('the documented example: 2 prescriptions and 1 examination, amounts in fen, 拆零 quantities exact', () => {
    const { visit, items } = read(example());
    expect(visit).toMatchObject({ medType: '11', dept: { code: 'A03', caty: 'A03' }, diagnoses: [{ code: 'J06.900' }] });
    expect(items.map((i) => [i.rxno, i.code, i.kind, i.cntE4, i.pricMicros, i.amountFen])).toEqual([
      ['RX0001', 'YP000001', 'drug', 20000, 27_100_000, 5420],
      ['RX0001', 'YP000002', 'drug', 10000, 28_300_000, 2830],
      ['RX0002', 'YP000003', 'drug', 5000, 153_800_000, 7690],
      ['EX0001', 'XM000003', 'exam', 10000, 20_000_000, 2000],
      ['EX0001', 'XM000007', 'exam', 10000, 80_000_000, 8000],
    ]);
    expect(items[0]).toMatchObject({ medListCodg: catalog.item('YP000001')!.med_list_codg, time: '2025-06-15 10:05:00', dept: { code: 'A03' }, doctor: { name: '李医生' } });
  });

  it('a wrong field, a negative or too precise amount, an unknown code: one message naming item and field', () => {
    expect(refusal((r) => (r.documents[0].items[1].qty = 1))).toBe('fees.json: documents[0] 处方 RX0001 第 2 项 (YP000002): qty: 未知字段 qty');
    expect(refusal((r) => (r.documents[2].items[0].amount = '-20.00'))).toBe('fees.json: documents[2] 检查单 EX0001 第 1 项 (XM000003): amount: 金额不能为负数 (-20.00)');
    expect(refusal((r) => (r.documents[0].items[0].amount = '54.205'))).toBe('fees.json: documents[0] 处方 RX0001 第 1 项 (YP000001): amount: 金额最多 2 位小数 (54.205)');
    expect(refusal((r) => (r.documents[0].items[0].quantity = '1.23456'))).toMatch(/第 1 项 \(YP000001\): quantity: 数量最多 4 位小数/);
    expect(refusal((r) => (r.documents[1].items[0].code = 'YP999999'))).toBe('fees.json: documents[1] 处方 RX0002 第 1 项 (YP999999): code: 未知的收费项目编码 YP999999 (不在门诊收费目录中)');
    expect(refusal((r) => (r.documents[0].items[0].amount = '54.21'))).toMatch(/第 1 项 \(YP000001\): amount: 54.21 ≠ 单价 × 数量 = 54.20/);
    expect(refusal((r) => (r.documents[0].items[0].quantity = 0))).toMatch(/quantity: 数量应大于 0/);
    expect(refusal((r) => delete r.documents[2].doctor)).toMatch(/^fees.json: documents\[2\] EX0001: doctor: /);
    expect(refusal((r) => (r.documents[0].time = '2025/06/15'))).toMatch(/documents\[0\] RX0001: time: 应为 yyyy-MM-dd HH:mm:ss/);
    expect(refusal((r) => (r.format = 'other'))).toMatch(/^fees.json: format: 应为/);
    expect(refusal((r) => (r.visit.diagnoses[0].code = 'X99.999'))).toMatch(/visit.diagnoses\[0\] \(X99.999\): code: 未知的诊断编码/);
    expect(refusal((r) => (r.documents = []))).toMatch(/documents: 至少一张/);
  });

  it('any price and quantity with the amount the rule gives is read exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 1, max: 9_999_999 }), (micros, e4) => {
        const text = (units: number, scale: number) => `${Math.floor(units / 10 ** scale)}.${String(units % 10 ** scale).padStart(scale, '0')}`;
        const fen = Number((BigInt(micros) * BigInt(e4) + 50_000_000n) / 100_000_000n);
        const raw = example();
        raw.documents = [{ ...raw.documents[0], items: [{ code: 'YP000001', name: 'x', quantity: text(e4, 4), unitPrice: text(micros, 6), amount: text(fen, 2) }] }];
        const [item] = read(raw).items;
        expect([item!.pricMicros, item!.cntE4, item!.amountFen]).toEqual([micros, e4, fen]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the bundled desk catalog', () => {
  it('names only items and diagnoses the built-in simulator knows, under unique hospital codes', async () => {
    const { readFileSync: read } = await import('node:fs');
    const fixture = JSON.parse(read('simulator/fixtures/default.json', 'utf8')) as {
      drugs: Array<{ med_list_codg: string }>; items: Array<{ med_list_codg: string }>; diagnoses: Array<{ code: string; kind: string }>;
    };
    const known = new Set([...fixture.drugs, ...fixture.items].map((i) => i.med_list_codg));
    expect(catalog.entries.items.filter((i) => !known.has(i.med_list_codg))).toEqual([]);
    expect(new Set(catalog.entries.items.map((i) => i.code)).size).toBe(catalog.entries.items.length);
    expect(catalog.entries.diagnoses.map((d) => [d.code, d.chronic])).toEqual(fixture.diagnoses.map((d) => [d.code, d.kind !== 'ordinary']));
    expect(catalog.entries.doctors.every((d) => catalog.entries.departments.some((x) => x.code === d.dept))).toBe(true);
  });
});
