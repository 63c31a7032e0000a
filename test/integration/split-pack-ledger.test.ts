// 拆零 in the ledger: a split box's trace code serves several sales until one whole box is used, and no
// further; a box sold whole is sold once; a cancelled sale gives its part back. Real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection';
import { SalesRepo, TraceCodeTakenError } from '../../db/sales-repo';
import { SplitPackRepo } from '../../db/split-pack-repo';
import { sqlite } from '../../db/sqlite';
import { priceMicros, quantityE4 } from '../../main/settlement/split-pack';
import { attachSplitCode, readQuantity, setSplitQuantity, splitMissingE4 } from '../../main/sales/split-cart';

const BOX = '89100030000000000001';
const AT = '2026-03-02T02:00:00.000Z';
let dir: string;
let db: Db;
let sales: SalesRepo;
let packs: SplitPackRepo;

function newSale(): number {
  return sales.create({
    created_at: AT, state: 'draft', psn_no: 'P1', psn_name: '张三', certno: 'x', insutype: '310', insuplc_admdvs: '330100',
    mdtrt_cert_type: '03', mdtrt_cert_no: 'c', card_sn: '', begntime: '2026-03-02 10:00:00',
  });
}

/**
 * The counter's flow for a split sale: the barcode adds a box of 阿莫西林片 (¥15.38), the cashier types
 * the quantity, the box's trace code is scanned. Returns the sale and its line's amount in fen.
 */
function sellSplit(cnt: string): { saleId: number; amountFen: number } {
  const saleId = newSale();
  sales.transaction(() => {
    const lineNo = sales.addLine({
      sale_id: saleId, barcode: '6909990000035', name: '阿莫西林片', spec: '0.5g*12片', med_list_codg: 'XJ01CAD428A221000389224',
      medins_list_codg: 'YP000003', chrgitm_lv: '01', pric_fen: 1538, cnt: 1,
    });
    const quantity = readQuantity(cnt, { name: '阿莫西林片', trdn: true });
    if (!quantity.split) throw new Error('expected a split quantity');
    setSplitQuantity(db, lineOf(saleId, lineNo), quantity.cntE4);
    attachSplitCode(db, lineOf(saleId, lineNo), BOX);
  });
  const line = sales.lines(saleId)[0]!;
  return { saleId, amountFen: line.pric_fen * line.cnt };
}

const lineOf = (saleId: number, lineNo: number) => sales.lines(saleId).find((l) => l.line_no === lineNo)!;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'split-'));
  db = openDatabase(join(dir, 'ledger.sqlite'));
  sales = new SalesRepo(db);
  packs = new SplitPackRepo(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the quantity typed at the counter', () => {
  it('takes whole boxes for any drug and parts of a box only for a drug that may be split', () => {
    expect(readQuantity('2', { name: '药', trdn: false })).toEqual({ split: false, boxes: 2 });
    expect(readQuantity('0.25', { name: '药', trdn: true })).toEqual({ split: true, cntE4: 2_500 });
    expect(() => readQuantity('0.25', { name: '鱼油软胶囊', trdn: false })).toThrow('鱼油软胶囊 不能拆零销售');
    expect(() => readQuantity('1.23456', { name: '药', trdn: true })).toThrow('cnt: at most 4 decimals');
  });

  it('a split line changed to more than its box has left asks for another box', () => {
    const { saleId } = sellSplit('0.5');
    sales.transaction(() => setSplitQuantity(db, sales.lines(saleId)[0]!, 15_000));
    const line = sales.lines(saleId)[0]!;
    expect([line.pric_fen, splitMissingE4(db, line)]).toEqual([2_307, 5_000]); // 15.38 × 1.5 = 23.07; half a box to scan
  });
});

describe('a split box across sales', () => {
  it('serves three split sales until the box is used up, refuses a fourth, and takes it once a sale is cancelled', () => {
    const sold = [sellSplit('0.4'), sellSplit('0.3'), sellSplit('0.3')];
    // 15.38 × 0.4 = 6.152 -> ¥6.15; 15.38 × 0.3 = 4.614 -> ¥4.61 (each line rounded on its own)
    expect(sold.map((s) => s.amountFen)).toEqual([615, 461, 461]);
    expect(packs.boxUse(BOX)).toEqual({ soldWhole: false, usedE4: 10_000 });

    expect(() => sellSplit('0.25')).toThrow(expect.objectContaining({ code: 'TRACE_USED_UP', message: expect.stringContaining('已拆零售完') }));
    // The refused sale left nothing behind: no line, no part of the box.
    expect(packs.boxUse(BOX).usedE4).toBe(10_000);
    expect(sqlite(db).prepare('SELECT COUNT(*) AS n FROM sale_lines').get()).toEqual({ n: 3 });

    // A cancelled (or discarded) sale gives its part of the box back.
    sales.releaseTraceCodes(sold[1]!.saleId);
    expect(sellSplit('0.25').amountFen).toBe(385); // 3.845 -> ¥3.85
    expect(packs.boxUse(BOX).usedE4).toBe(9_500);
  });

  it('a box with less left than the sale needs gives what it has; the rest waits for another box', () => {
    sellSplit('0.9');
    const { saleId } = sellSplit('0.3');
    expect(sqlite(db).prepare('SELECT take_e4 FROM trace_codes WHERE sale_id = ?').all(saleId)).toEqual([{ take_e4: 1_000 }]);
    expect(splitMissingE4(db, sales.lines(saleId)[0]!)).toBe(2_000);
  });

  it('keeps the exact quantity and price on the line, and its amount where every sum looks', () => {
    const { saleId } = sellSplit('0.25');
    const [line] = sales.lines(saleId) as (ReturnType<SalesRepo['lines']>[number] & { cnt_e4: number | null; pric_micros: number | null })[];
    expect([quantityE4(line!), priceMicros(line!), line!.pric_fen * line!.cnt]).toEqual([2_500, 15_380_000, 385]); // 3.845 -> ¥3.85
  });

  it('a box sold whole is sold once, and cannot then be split (nor a split box sold whole)', () => {
    const whole = newSale();
    const lineNo = sales.addLine({ sale_id: whole, barcode: '6909990000035', name: '阿莫西林片', spec: '', med_list_codg: 'X', medins_list_codg: 'Y', chrgitm_lv: '01', pric_fen: 1538, cnt: 1 });
    sales.addTraceCode(whole, lineNo, BOX);
    expect(() => sellSplit('0.25')).toThrow(expect.objectContaining({ code: 'TRACE_SOLD' }));
    sales.releaseTraceCodes(whole);
    sellSplit('0.25');
    const again = newSale();
    const l2 = sales.addLine({ sale_id: again, barcode: '6909990000035', name: '阿莫西林片', spec: '', med_list_codg: 'X', medins_list_codg: 'Y', chrgitm_lv: '01', pric_fen: 1538, cnt: 1 });
    expect(() => sales.addTraceCode(again, l2, BOX)).toThrow(TraceCodeTakenError);
  });
});
