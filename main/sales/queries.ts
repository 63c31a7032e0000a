/** What screens and commands read about sales: the view of one, a list, its journaled messages. */
import type { Db } from '../../db/connection';
import { MessagesRepo } from '../../db/messages-repo';
import { OfflineExceptionsRepo } from '../../db/offline-exceptions-repo';
import type { QueueEntry } from '../../db/offline-queue-repo';
import { PersonsRepo } from '../../db/persons-repo';
import { TenderRepo } from '../../db/tender-repo';
import type { SaleRecords } from '../ledger/sale-record';
import { toSaleView, type SaleView } from './sale-view';

/** What a screen needs to know about an offline sale, besides the ordinary sale view. */
export interface OfflineMarker {
  /** Present once the sale is queued: what the counter collected and what it counted on from the platform. */
  queue: {
    uid: string;
    queuedAt: string;
    attempts: number;
    nextAt: string;
    lastError: string | null;
    estimate: { fundFen: number; ownAcctFen: number; mulaidFen: number; walletFen: number; cashCollectedFen: number };
  } | null;
  openExceptions: number;
}

/** The sale view plus the offline marker (null for an online sale). */
export type SaleViewEx = SaleView & { offline: OfflineMarker | null };

export class SaleQueries {
  private readonly messages: MessagesRepo;
  private readonly persons: PersonsRepo;
  private readonly exceptions: OfflineExceptionsRepo;
  private readonly tenders: TenderRepo;

  constructor(
    db: Db,
    private readonly records: SaleRecords,
    /** The queue row of an offline sale (absent without an offline desk). */
    private readonly queueEntry: (saleId: number) => QueueEntry | undefined,
  ) {
    this.messages = new MessagesRepo(db);
    this.persons = new PersonsRepo(db);
    this.exceptions = new OfflineExceptionsRepo(db);
    this.tenders = new TenderRepo(db);
  }

  get(saleId: number): SaleViewEx {
    const { sales } = this.records;
    const row = this.records.require(saleId);
    const view = toSaleView(row, sales.lines(saleId), sales.traceCodes(saleId), this.persons.get(row.psn_no));
    const tenders = this.tenders.of(saleId).map((t) => ({ kind: t.kind, amountFen: t.amount_fen, tenderedFen: t.tendered_fen, changeFen: t.change_fen, reference: t.reference }));
    return { ...view, tenders, offline: row.offline === 1 ? this.offlineMarker(saleId) : null };
  }

  list(filter: { limit?: number; state?: string; psnNo?: string } = {}): SaleViewEx[] {
    return this.records.sales.list({ limit: filter.limit ?? 50, state: filter.state, psnNo: filter.psnNo }).map((r) => this.get(r.id));
  }

  messagesOf(saleId: number) {
    return this.messages.forSale(saleId);
  }

  private offlineMarker(saleId: number): OfflineMarker {
    const entry = this.queueEntry(saleId);
    const openExceptions = this.exceptions.list({ saleId, status: 'open' }).length;
    if (!entry) return { queue: null, openExceptions };
    return {
      queue: {
        uid: entry.uid,
        queuedAt: entry.queued_at,
        attempts: entry.attempts,
        nextAt: entry.next_at,
        lastError: entry.last_error,
        estimate: {
          fundFen: entry.fund_fen,
          ownAcctFen: entry.own_acct_fen,
          mulaidFen: entry.mulaid_fen,
          walletFen: entry.wallet_fen,
          cashCollectedFen: entry.cash_fen,
        },
      },
      openExceptions,
    };
  }
}
