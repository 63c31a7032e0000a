// What every transaction handler gets: the repositories, the clock and the instance secret.
import type { z } from 'zod';
import type { Db } from '../db';
import type { Envelope } from '../envelope';
import { describeIssue } from '../fields';
import type { LedgerRepo } from '../repo/ledger';
import type { PeopleRepo } from '../repo/people';
import type { SalesRepo } from '../repo/sales';
import type { VisitsRepo } from '../repo/visits';

export interface TxContext {
  db: Db;
  people: PeopleRepo;
  ledger: LedgerRepo;
  sales: SalesRepo;
  visits: VisitsRepo;
  now: () => number;
  secret: string;
  qrTtlSeconds: number;
}

export type Out = Record<string, unknown>;

/** 9102 answers with file bytes, not an envelope. */
export class FileAnswer {
  constructor(readonly filename: string, readonly bytes: Buffer) {}
}

export type Handler = (ctx: TxContext, env: Envelope) => Out | FileAnswer;

/** infcode -1 with a Chinese or "field: rule" err_msg and a stable err_code (this project's extension). */
export class Refusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new Refusal('INVALID_FIELD', describeIssue(r.error, 'input', input));
  return r.data;
}

/** A refusal naming a field, in the same "path: rule" form as schema problems. */
export function fieldRefusal(path: string, rule: string, code = 'INVALID_FIELD'): Refusal {
  return new Refusal(code, `${path}: ${rule}`);
}
