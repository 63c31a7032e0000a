/**
 * The wire between a terminal and headquarters (JSON over HTTP), validated on both sides with these
 * schemas. Money is integer fen; times are ISO-8601 instants. A terminal sends its ledger events in
 * outbox order; each names the sequence number of the event before it (`prevSeq`), so headquarters can
 * tell a gap or a reordering from a duplicate without trusting the sequence to be dense.
 */
import { z } from 'zod';

const fen = z.number().int().min(0);
const id = z.number().int().min(1);
const instant = z.iso.datetime({ offset: true });
export const TRACE_CODE = /^\d{20}$/;
const traceCode = z.string().regex(TRACE_CODE, 'expected a 20-digit trace code');

export const eventPayloads = {
  'sale.settled': z.strictObject({
    saleId: id,
    setlId: z.string().min(1),
    setlTime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected yyyy-MM-dd HH:mm:ss (China time)'),
    offline: z.boolean(),
    medfeeFen: fen,
    fundFen: fen,
    acctFen: fen,
    mulaidFen: fen,
    walletFen: fen,
    cashFen: fen,
  }),
  'sale.self_paid': z.strictObject({ saleId: id, medfeeFen: fen, cashFen: fen }),
  'sale.cancelled': z.strictObject({ saleId: id, setlId: z.string().min(1) }),
  'sale.reversed': z.strictObject({ saleId: id, msgid: z.string().min(1) }),
  'trace.sold': z.strictObject({ saleId: id, codes: z.array(traceCode).min(1) }),
  'trace.returned': z.strictObject({ saleId: id, codes: z.array(traceCode).min(1) }),
  'exception.raised': z.strictObject({
    exceptionId: id,
    saleId: id.nullable(),
    kind: z.string().min(1),
    dedupeKey: z.string().min(1),
    owedFen: z.number().int(),
    message: z.string(),
  }),
  'exception.resolved': z.strictObject({
    exceptionId: id,
    dedupeKey: z.string().min(1),
    resolvedBy: z.string().nullable(),
    reason: z.string().nullable(),
  }),
} as const;
export type EventType = keyof typeof eventPayloads;
export const EVENT_TYPES = Object.keys(eventPayloads) as EventType[];

/** The envelope; the payload is checked against its type separately, so one bad event names itself. */
export const wireEventSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}-\d+$/, 'expected <ledger id>-<seq>'),
  seq: id,
  prevSeq: z.number().int().min(0),
  type: z.string(),
  at: instant,
  payload: z.unknown(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

export const pushRequestSchema = z.strictObject({
  storeCode: z.string().min(1),
  ledgerId: z.string().regex(/^[0-9a-f]{32}$/),
  /** Events the terminal holds unsent, this batch included. */
  pending: z.number().int().min(0),
  events: z.array(z.unknown()).max(500),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** An exception headquarters raised for this terminal (a trace-code conflict), to be kept locally. */
export const hqExceptionSchema = z.strictObject({
  dedupeKey: z.string().min(1),
  kind: z.string().min(1),
  saleId: id.nullable(),
  message: z.string(),
  createdAt: instant,
});
export type HqException = z.infer<typeof hqExceptionSchema>;

export const pushAnswerSchema = z.strictObject({
  /** The last event headquarters holds from this terminal: everything up to it is acknowledged. */
  lastSeq: z.number().int().min(0),
  applied: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  refused: z.strictObject({ eventId: z.string(), seq: z.number().int(), reason: z.string() }).nullable(),
  exceptions: z.array(hqExceptionSchema),
});
export type PushAnswer = z.infer<typeof pushAnswerSchema>;

export const errorAnswerSchema = z.object({ error: z.string(), message: z.string() });

export const traceCheckRequestSchema = z.strictObject({ storeCode: z.string().min(1), codes: z.array(traceCode).min(1).max(100) });
export const traceCheckAnswerSchema = z.strictObject({
  results: z.array(
    z.strictObject({
      code: traceCode,
      sold: z.boolean(),
      storeCode: z.string().nullable(),
      storeName: z.string().nullable(),
      soldAt: instant.nullable(),
    }),
  ),
});
export type TraceCheckAnswer = z.infer<typeof traceCheckAnswerSchema>;
