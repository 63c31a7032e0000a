/**
 * Stores and their terminals. A terminal's token is 32 random bytes shown once when it is registered;
 * headquarters keeps only its SHA-256 (a high-entropy secret needs no slow hash), looks a request up by
 * that hash, and refuses a revoked terminal.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface TerminalRow {
  id: number;
  store_code: string;
  name: string;
  revoked_at: Date | null;
  ledger_id: string | null;
  last_seq: string; // bigint arrives as a string
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function addStore(db: pg.Pool | pg.PoolClient, code: string, name: string): Promise<void> {
  await db.query('INSERT INTO stores (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name', [code, name]);
}

/** Registers a terminal of a store and returns its token: shown once, never stored. */
export async function addTerminal(db: pg.Pool | pg.PoolClient, storeCode: string, name: string): Promise<{ id: number; token: string }> {
  const token = `hqt_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO terminals (store_code, name, token_hash) VALUES ($1, $2, $3) RETURNING id',
    [storeCode, name, hashToken(token)],
  );
  return { id: rows[0]!.id, token };
}

export async function revokeTerminal(db: pg.Pool | pg.PoolClient, id: number): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE terminals SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return rowCount === 1;
}

/** The live terminal holding this token, or null (unknown or revoked: the caller refuses either way). */
export async function authenticate(db: pg.Pool | pg.PoolClient, token: string | null): Promise<TerminalRow | null> {
  if (!token) return null;
  const { rows } = await db.query<TerminalRow>(
    'SELECT id, store_code, name, revoked_at, ledger_id, last_seq FROM terminals WHERE token_hash = $1',
    [hashToken(token)],
  );
  const row = rows[0];
  return row && !row.revoked_at ? row : null;
}
