// Prepared statements are compiled once per database and reused: preparing SQL on every call costs
// more than running it.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';

export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(protected readonly db: Db) {}

  protected sql(text: string): Statement {
    let s = this.cache.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.cache.set(text, s);
    }
    return s;
  }
}
