// 3505/3506 商品销售 and the trace-coded boxes they used: a whole box (trdn_flag 0) is used once; a
// split box (拆零, trdn_flag 1) serves several sales until 10000 ten-thousandths are used.
import { Statements } from './statements';

export interface SaleRow {
  id: number; fixmedins_code: string; msgid: string; med_list_codg: string; fixmedins_bchno: string; setl_id: string | null;
  mdtrt_sn: string | null; trdn_flag: string; cnt: number; returned: number; sel_time: string;
}
export const WHOLE_BOX = 10_000;

export class SalesRepo extends Statements {
  /** Units of a box still counted as sold, and whether it was sold whole. */
  usage(code: string): { units: number; whole: boolean } {
    const row = this.sql('SELECT COALESCE(SUM(units), 0) AS units, COALESCE(MAX(whole), 0) AS whole FROM trace_use WHERE code = ?')
      .get(code) as { units: number; whole: number };
    return { units: row.units, whole: row.whole === 1 };
  }

  saveSale(s: Omit<SaleRow, 'id' | 'returned'>): number {
    return Number(this.sql(`INSERT INTO sales (fixmedins_code, msgid, med_list_codg, fixmedins_bchno, setl_id, mdtrt_sn,
      trdn_flag, cnt, sel_time) VALUES (@fixmedins_code, @msgid, @med_list_codg, @fixmedins_bchno, @setl_id, @mdtrt_sn,
      @trdn_flag, @cnt, @sel_time)`).run(s).lastInsertRowid);
  }

  saveUse(code: string, saleId: number, units: number, whole: boolean): void {
    this.sql('INSERT INTO trace_use (code, sale_id, units, whole) VALUES (?, ?, ?, ?)').run(code, saleId, units, whole ? 1 : 0);
  }

  /** Sales of this item by this institution that still have something to return, oldest first. */
  returnable(fixmedinsCode: string, medListCodg: string, bchno: string): SaleRow[] {
    return this.sql(`SELECT * FROM sales WHERE fixmedins_code = ? AND med_list_codg = ? AND fixmedins_bchno = ?
      AND returned < cnt ORDER BY id`).all(fixmedinsCode, medListCodg, bchno) as SaleRow[];
  }

  usesOf(saleId: number): { code: string; units: number; whole: number }[] {
    return this.sql('SELECT code, units, whole FROM trace_use WHERE sale_id = ?').all(saleId) as { code: string; units: number; whole: number }[];
  }

  markReturned(saleId: number, units: number): void {
    this.sql('UPDATE sales SET returned = returned + ? WHERE id = ?').run(units, saleId);
  }

  releaseUse(code: string, saleId: number, units: number): void {
    this.sql('UPDATE trace_use SET units = units - ? WHERE code = ? AND sale_id = ?').run(units, code, saleId);
    this.sql('DELETE FROM trace_use WHERE code = ? AND sale_id = ? AND units <= 0').run(code, saleId);
  }

  liveSettlement(setlId: string, fixmedinsCode: string): { psn_no: string } | undefined {
    return this.sql("SELECT psn_no FROM settlements WHERE setl_id = ? AND fixmedins_code = ? AND status != 'reversed'")
      .get(setlId, fixmedinsCode) as { psn_no: string } | undefined;
  }
}
