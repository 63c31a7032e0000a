import type Database from 'better-sqlite3';
import type { Db } from './connection';
import { sqlite } from './sqlite';

export type MessageStatus = 'sending' | 'ok' | 'refused' | 'not_delivered' | 'unknown' | 'reversed';

export interface MessageRow {
  msgid: string;
  infno: string;
  sale_id: number | null;
  status: MessageStatus;
  created_at: string;
  updated_at: string;
  err_msg: string | null;
  result_json: string | null;
}

/** The journal of messages of consequence: each row is written before its message leaves. */
export class MessagesRepo {
  private readonly db: Database.Database;

  constructor(ledger: Db) {
    this.db = sqlite(ledger);
  }

  insertSending(msgid: string, infno: string, saleId: number | null, at: string): void {
    this.db
      .prepare(
        `INSERT INTO platform_messages (msgid, infno, sale_id, status, created_at, updated_at) VALUES (?, ?, ?, 'sending', ?, ?)`,
      )
      .run(msgid, infno, saleId, at, at);
  }

  finish(msgid: string, status: MessageStatus, at: string, detail: { errMsg?: string; result?: unknown } = {}): void {
    this.db
      .prepare('UPDATE platform_messages SET status = ?, updated_at = ?, err_msg = ?, result_json = ? WHERE msgid = ?')
      .run(status, at, detail.errMsg ?? null, detail.result === undefined ? null : JSON.stringify(detail.result), msgid);
  }

  get(msgid: string): MessageRow | undefined {
    return this.db.prepare('SELECT * FROM platform_messages WHERE msgid = ?').get(msgid) as MessageRow | undefined;
  }

  forSale(saleId: number): MessageRow[] {
    return this.db
      .prepare('SELECT * FROM platform_messages WHERE sale_id = ? ORDER BY created_at, msgid')
      .all(saleId) as MessageRow[];
  }
}
