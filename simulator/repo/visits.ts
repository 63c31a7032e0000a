// Hospital outpatient visits (2201-2205): the visit, its uploaded fee details, the item and diagnosis
// catalogs. A fee detail's setl_id is set while a live 2207 covers it and cleared by 2208 or 2601.
import { Statements } from './statements';

export interface VisitRow {
  mdtrt_id: string; seq: number; psn_no: string; insutype: string; fixmedins_code: string; ipt_otp_no: string;
  begntime: string; registration: string; status: 'registered' | 'cancelled'; med_type: string | null;
  dise_codg: string | null; chronic_code: string | null; mdtrtinfo: string | null;
}

export interface DetailRow {
  mdtrt_id: string; feedetl_sn: string; chrg_bchno: string; dise_codg: string | null; med_list_codg: string; fen: number;
  fulamt: number; overlmt: number; preself: number; inscp: number; cut: string; setl_id: string | null; seq: number;
}

export interface ItemRow {
  med_list_codg: string; name: string; med_chrgitm_type: string; chrgitm_lv: '01' | '02' | '03';
  selfpay_prop_bp: number | null; pric_uplmt_fen: number | null;
}

export interface DiagnosisRow { code: string; name: string; kind: 'ordinary' | 'chronic' | 'special' }

export class VisitsRepo extends Statements {
  nextVisitSeq(): number {
    return (this.sql('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM visits').get() as { n: number }).n;
  }

  saveVisit(v: Omit<VisitRow, 'status' | 'med_type' | 'dise_codg' | 'chronic_code' | 'mdtrtinfo'>): void {
    this.sql(`INSERT INTO visits (mdtrt_id, seq, psn_no, insutype, fixmedins_code, ipt_otp_no, begntime, registration, status)
      VALUES (@mdtrt_id, @seq, @psn_no, @insutype, @fixmedins_code, @ipt_otp_no, @begntime, @registration, 'registered')`).run(v);
  }

  visit(mdtrtId: string): VisitRow | undefined {
    return this.sql('SELECT * FROM visits WHERE mdtrt_id = ?').get(mdtrtId) as VisitRow | undefined;
  }

  /** A registered (not cancelled) visit of this institution with this 门诊号. */
  registeredByOtpNo(fixmedinsCode: string, iptOtpNo: string): VisitRow | undefined {
    return this.sql("SELECT * FROM visits WHERE fixmedins_code = ? AND ipt_otp_no = ? AND status = 'registered'")
      .get(fixmedinsCode, iptOtpNo) as VisitRow | undefined;
  }

  allVisits(): VisitRow[] {
    return this.sql('SELECT * FROM visits ORDER BY seq').all() as VisitRow[];
  }

  cancelVisit(mdtrtId: string): void {
    this.sql("UPDATE visits SET status = 'cancelled' WHERE mdtrt_id = ?").run(mdtrtId);
  }

  saveMdtrtinfo(mdtrtId: string, medType: string, diseCodg: string | null, chronicCode: string | null, info: string): void {
    this.sql('UPDATE visits SET med_type = ?, dise_codg = ?, chronic_code = ?, mdtrtinfo = ? WHERE mdtrt_id = ?')
      .run(medType, diseCodg, chronicCode, info, mdtrtId);
  }

  // ---- fee details (2204 / 2205) ----
  saveDetail(d: Omit<DetailRow, 'setl_id' | 'seq'>): void {
    const seq = (this.sql('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM fee_details').get() as { n: number }).n;
    this.sql(`INSERT INTO fee_details (mdtrt_id, feedetl_sn, chrg_bchno, dise_codg, med_list_codg, fen, fulamt, overlmt,
      preself, inscp, cut, setl_id, seq) VALUES (@mdtrt_id, @feedetl_sn, @chrg_bchno, @dise_codg, @med_list_codg, @fen,
      @fulamt, @overlmt, @preself, @inscp, @cut, NULL, @seq)`).run({ ...d, seq });
  }

  details(mdtrtId: string): DetailRow[] {
    return this.sql('SELECT * FROM fee_details WHERE mdtrt_id = ? ORDER BY seq').all(mdtrtId) as DetailRow[];
  }

  unsettled(mdtrtId: string): DetailRow[] {
    return this.sql('SELECT * FROM fee_details WHERE mdtrt_id = ? AND setl_id IS NULL ORDER BY seq').all(mdtrtId) as DetailRow[];
  }

  /** Remove unsettled details: one batch, or all of them (chrg_bchno null). Returns how many went. */
  removeUnsettled(mdtrtId: string, chrgBchno: string | null): number {
    if (chrgBchno === null) return this.sql('DELETE FROM fee_details WHERE mdtrt_id = ? AND setl_id IS NULL').run(mdtrtId).changes;
    return this.sql('DELETE FROM fee_details WHERE mdtrt_id = ? AND chrg_bchno = ? AND setl_id IS NULL').run(mdtrtId, chrgBchno).changes;
  }

  /** Mark details as covered by a settlement. */
  attach(mdtrtId: string, feedetlSns: string[], setlId: string): void {
    const stmt = this.sql('UPDATE fee_details SET setl_id = ? WHERE mdtrt_id = ? AND feedetl_sn = ? AND setl_id IS NULL');
    for (const sn of feedetlSns) stmt.run(setlId, mdtrtId, sn);
  }

  /** 2208 / 2601 of a 2207: the details are unsettled again. */
  detach(setlId: string): void {
    this.sql('UPDATE fee_details SET setl_id = NULL WHERE setl_id = ?').run(setlId);
  }

  /** The live outpatient settlement of a visit, if any. */
  liveSettlement(mdtrtId: string): { setl_id: string } | undefined {
    return this.sql("SELECT setl_id FROM settlements WHERE mdtrt_id = ? AND clr_type = '11' AND status = 'live'")
      .get(mdtrtId) as { setl_id: string } | undefined;
  }

  settlementsOf(mdtrtId: string): { setl_id: string; msgid: string; status: string; medfee: number; cancel_msgid: string | null }[] {
    return this.sql("SELECT setl_id, msgid, status, medfee, cancel_msgid FROM settlements WHERE mdtrt_id = ? AND clr_type = '11' ORDER BY seq")
      .all(mdtrtId) as { setl_id: string; msgid: string; status: string; medfee: number; cancel_msgid: string | null }[];
  }

  // ---- catalogs ----
  item(code: string): ItemRow | undefined {
    return this.sql('SELECT * FROM items WHERE med_list_codg = ?').get(code) as ItemRow | undefined;
  }

  allItems(): ItemRow[] {
    return this.sql('SELECT * FROM items ORDER BY med_list_codg').all() as ItemRow[];
  }

  allDrugs(): { med_list_codg: string; name: string; chrgitm_lv: string }[] {
    return this.sql('SELECT med_list_codg, name, chrgitm_lv FROM drugs ORDER BY med_list_codg').all() as
      { med_list_codg: string; name: string; chrgitm_lv: string }[];
  }

  diagnosis(code: string): DiagnosisRow | undefined {
    return this.sql('SELECT * FROM diagnoses WHERE code = ?').get(code) as DiagnosisRow | undefined;
  }

  allDiagnoses(): DiagnosisRow[] {
    return this.sql('SELECT * FROM diagnoses ORDER BY code').all() as DiagnosisRow[];
  }
}
