// Messages (msgid idempotence and 2601 state), settlements and their debits, sign-ins, and files.
import type { YtdKind } from './people';
import { Statements } from './statements';

export interface SettlementRow {
  seq: number; setl_id: string; mdtrt_id: string; msgid: string; psn_no: string; insutype: string;
  fixmedins_code: string; clr_optins: string; setl_time: string; year: number; medfee: number; inscp: number;
  fund: number; hifp: number; acct_pay: number; mulaid_pay: number; wlt_pay: number; cash: number; status: string;
  cancel_msgid: string | null; cancel_time: string | null; split: string;
  clr_type: string; ytd_kind: YtdKind; // '41' pharmacy / '11' outpatient; which year-to-date counter it moved
}
export interface MessageRow { msgid: string; infno: string; psn_no: string; state: string; setl_id: string | null; result: string | null }
export interface DebitRow { psn_no: string; kind: 'acct' | 'wallet'; amount: number }
export type NewSettlement = Omit<SettlementRow, 'seq' | 'status' | 'cancel_msgid' | 'cancel_time' | 'clr_type' | 'ytd_kind'>
  & Partial<Pick<SettlementRow, 'clr_type' | 'ytd_kind'>>;

export class LedgerRepo extends Statements {
  message(msgid: string): MessageRow | undefined {
    return this.sql('SELECT * FROM messages WHERE msgid = ?').get(msgid) as MessageRow | undefined;
  }

  saveMessage(m: MessageRow): void {
    this.sql('INSERT INTO messages (msgid, infno, psn_no, state, setl_id, result) VALUES (@msgid, @infno, @psn_no, @state, @setl_id, @result)').run(m);
  }

  setMessageState(msgid: string, state: string): void {
    this.sql('UPDATE messages SET state = ? WHERE msgid = ?').run(state, msgid);
  }

  nextSettlementSeq(): number {
    const row = this.sql("SELECT seq FROM sqlite_sequence WHERE name = 'settlements'").get() as { seq: number } | undefined;
    return (row?.seq ?? 0) + 1;
  }

  saveSettlement(s: NewSettlement): void {
    this.sql(`INSERT INTO settlements (setl_id, mdtrt_id, msgid, psn_no, insutype, fixmedins_code, clr_optins,
      setl_time, year, medfee, inscp, fund, hifp, acct_pay, mulaid_pay, wlt_pay, cash, status, split, clr_type, ytd_kind)
      VALUES (@setl_id, @mdtrt_id, @msgid, @psn_no, @insutype, @fixmedins_code, @clr_optins, @setl_time, @year, @medfee,
      @inscp, @fund, @hifp, @acct_pay, @mulaid_pay, @wlt_pay, @cash, 'live', @split, @clr_type, @ytd_kind)`)
      .run({ clr_type: '41', ytd_kind: 'pharmacy', ...s });
  }

  settlement(setlId: string): SettlementRow | undefined {
    return this.sql('SELECT * FROM settlements WHERE setl_id = ?').get(setlId) as SettlementRow | undefined;
  }

  setStatus(setlId: string, status: string, cancelMsgid: string | null, cancelTime: string | null): void {
    this.sql('UPDATE settlements SET status = ?, cancel_msgid = ?, cancel_time = ? WHERE setl_id = ?')
      .run(status, cancelMsgid, cancelTime, setlId);
  }

  saveDebit(setlId: string, d: DebitRow): void {
    this.sql('INSERT INTO debits (setl_id, psn_no, kind, amount) VALUES (?, ?, ?, ?)').run(setlId, d.psn_no, d.kind, d.amount);
  }

  debitsOf(setlId: string): DebitRow[] {
    return this.sql('SELECT psn_no, kind, amount FROM debits WHERE setl_id = ?').all(setlId) as DebitRow[];
  }

  /**
   * Settlements of one institution and clearing agency that count in [begn, end]: a settlement counts on
   * its setl_time date unless reversed (2601: as if never sent); a cancelled one adds a refund row on its
   * cancel date.
   */
  inRange(fixmedinsCode: string, optins: string, begn: string, end: string): SettlementRow[] {
    return this.sql(`SELECT * FROM settlements WHERE status != 'reversed' AND fixmedins_code = ? AND clr_optins = ?
      AND (substr(setl_time, 1, 10) BETWEEN ? AND ? OR substr(cancel_time, 1, 10) BETWEEN ? AND ?) ORDER BY seq`)
      .all(fixmedinsCode, optins, begn, end, begn, end) as SettlementRow[];
  }

  // ---- sign-in (9001 / 9002) ----
  countSignIns(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM sign_ins').get() as { n: number }).n;
  }

  saveSignIn(signNo: string, fixmedinsCode: string, time: string, opterNo: string): void {
    this.sql('INSERT INTO sign_ins (sign_no, fixmedins_code, sign_time, opter_no) VALUES (?, ?, ?, ?)').run(signNo, fixmedinsCode, time, opterNo);
  }

  signIn(signNo: string): { fixmedins_code: string; signout_time: string | null; opter_no: string | null } | undefined {
    return this.sql('SELECT fixmedins_code, signout_time, opter_no FROM sign_ins WHERE sign_no = ?').get(signNo) as
      { fixmedins_code: string; signout_time: string | null; opter_no: string | null } | undefined;
  }

  signOut(signNo: string, time: string): void {
    this.sql('UPDATE sign_ins SET signout_time = ? WHERE sign_no = ?').run(time, signNo);
  }

  // ---- files (9101 / 3202 / 9102) ----
  countFiles(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n;
  }

  saveFile(f: { file_qury_no: string; fixmedins_code: string; filename: string; kind: 'upload' | 'result'; bytes: Buffer; dld_endtime: string }): void {
    this.sql(`INSERT INTO files (file_qury_no, fixmedins_code, filename, kind, bytes, dld_endtime)
      VALUES (@file_qury_no, @fixmedins_code, @filename, @kind, @bytes, @dld_endtime)`).run(f);
  }

  file(fileQuryNo: string): { fixmedins_code: string; filename: string; kind: string; bytes: Buffer; dld_endtime: string } | undefined {
    return this.sql('SELECT fixmedins_code, filename, kind, bytes, dld_endtime FROM files WHERE file_qury_no = ?').get(fileQuryNo) as
      { fixmedins_code: string; filename: string; kind: string; bytes: Buffer; dld_endtime: string } | undefined;
  }
}
