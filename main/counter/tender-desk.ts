/**
 * The counter's tender desk: records how a sale's cash part is collected (现金 with 实收 and 找零,
 * 微信/支付宝/银行卡 with their reference, or a mix), in the cashier's open shift. The arithmetic is the
 * pure domain's (main/settlement/tender.ts); this checks it against the ledger and writes it in one
 * transaction, so two windows cannot both take the last yuan.
 */
import { AuditRepo } from '../../db/audit-repo';
import type { Db } from '../../db/connection';
import { SalesRepo } from '../../db/sales-repo';
import { TenderRepo } from '../../db/tender-repo';
import { SaleError } from '../settlement/sale-error';
import { collectionOf, nextTender, TENDER_TEXT, type Collection, type Tender, type TenderInput } from '../settlement/tender';
import { dueOf, dueSource, toTender } from './collection';
import type { ShiftBook } from './shift-book';

export interface TenderDeskOptions {
  db: Db;
  now: () => Date;
  shifts: ShiftBook;
  /** Tells the screens that the sale changed (the sale service's notify). */
  onChange?: (saleId: number) => void;
}

/** What the cashier entered: an amount of cash (null = exactly what is still due), or an electronic tender. */
export type TenderRequest =
  | { kind: 'cash'; tenderedFen: number | null; partial?: boolean }
  | { kind: 'wechat' | 'alipay' | 'card'; amountFen: number | null; reference: string };

export class TenderDesk {
  private readonly tenders: TenderRepo;
  private readonly sales: SalesRepo;
  private readonly audit: AuditRepo;

  constructor(private readonly o: TenderDeskOptions) {
    this.tenders = new TenderRepo(o.db);
    this.sales = new SalesRepo(o.db);
    this.audit = new AuditRepo(o.db);
  }

  tendersOf(saleId: number): Tender[] {
    return this.tenders.of(saleId).map(toTender);
  }

  /** Where the sale's collection stands; null when it has nothing to collect yet. */
  collection(saleId: number): Collection | null {
    const sale = this.sales.get(saleId);
    const due = sale ? dueOf(dueSource(sale)) : null;
    return due === null ? null : collectionOf(due, this.tendersOf(saleId));
  }

  /** Records one tender; returns it and the collection after it. Refusals change nothing. */
  collect(saleId: number, request: TenderRequest): { tender: Tender | null; collection: Collection } {
    const at = this.o.now().toISOString();
    const result = this.tenders.transaction(() => {
      const sale = this.sales.get(saleId);
      if (!sale) throw new SaleError('NO_SALE', `没有编号为 ${saleId} 的销售`);
      const due = dueOf(dueSource(sale));
      if (due === null) throw new SaleError('NOT_COLLECTABLE', `销售 ${saleId} 还没有结算: 请先确认结算 (Enter) 或按全自费收款, 再收款`);
      const recorded = this.tendersOf(saleId);
      const before = collectionOf(due, recorded);
      // Exactly what is due, by cash, when nothing was typed; nothing to do when nothing is due.
      if (request.kind === 'cash' && request.tenderedFen === null && before.complete) return { tender: null, collection: before };
      const tender = nextTender(due, recorded, toInput(request, before.remainingFen));
      const shift = this.o.shifts.current();
      this.tenders.add({ sale_id: saleId, shift_id: shift.id, kind: tender.kind, amount_fen: tender.amountFen, tendered_fen: tender.tenderedFen, change_fen: tender.changeFen, reference: tender.reference, at });
      this.o.shifts.count(saleId, shift.id);
      return { tender, collection: collectionOf(due, [...recorded, tender]) };
    });
    if (result.tender) {
      const t = result.tender;
      this.audit.append(at, 'sale.tender', `${TENDER_TEXT[t.kind]} ${t.amountFen} fen${t.changeFen ? ` change ${t.changeFen}` : ''}`, saleId);
      this.o.onChange?.(saleId);
    }
    return result;
  }
}

function toInput(request: TenderRequest, remainingFen: number): TenderInput {
  if (request.kind === 'cash') return { kind: 'cash', tenderedFen: request.tenderedFen ?? remainingFen, partial: request.partial };
  return { kind: request.kind, amountFen: request.amountFen ?? remainingFen, reference: request.reference };
}
