/**
 * 挂单: the open sale is set aside (parked) so the cashier can serve the next patient, and recalled later.
 * A parked sale is an ordinary ledger row in state `parked`: it survives a restart, holds its trace codes
 * (nobody else can sell those boxes meanwhile) and keeps its lines and choices. A presettle is dropped when
 * parking (prices, balances and the patient's choices may change while it waits): it is made again after
 * the recall, like any draft.
 */
import type { SaleRow } from '../../db/sales-repo';
import { stateText, type SaleRecords } from '../ledger/sale-record';
import { SaleError } from '../settlement/sale-error';
import { EDITABLE, type SaleState } from '../settlement/sale-state';

export class Parking {
  constructor(private readonly records: SaleRecords) {}

  park(saleId: number): void {
    const { sales } = this.records;
    sales.transaction(() => {
      let sale = this.records.require(saleId);
      if (!EDITABLE.includes(sale.state as SaleState)) throw new SaleError('NOT_PARKABLE', `该销售${stateText(sale)}, 不能挂单`);
      if (sales.lines(saleId).length === 0) throw new SaleError('EMPTY_CART', '购物车是空的, 无需挂单: 按 Esc 接待下一位');
      // A reversed/failed sale goes on as a draft first: it takes its boxes back (migration 011).
      if (sale.state === 'failed' || sale.state === 'reversed') {
        this.records.move(sale, 'draft', { presettle_json: null, last_error: null });
        sale = this.records.require(saleId);
      }
      this.records.move(sale, 'parked', { presettle_json: null, last_error: null });
      this.records.audit.append(this.records.stamp(), 'sale.parked', `${sales.lines(saleId).length} lines`, saleId);
    });
  }

  /** Back to the counter as a draft (to be presettled again). */
  recall(saleId: number): void {
    const { sales } = this.records;
    sales.transaction(() => {
      const sale = this.records.require(saleId);
      if (sale.state !== 'parked') throw new SaleError('NOT_PARKED', `该销售${stateText(sale)}, 不在挂单列表中`);
      this.records.move(sale, 'draft');
      this.records.audit.append(this.records.stamp(), 'sale.recalled', '', saleId);
    });
  }

  /** Parked sales, oldest first. */
  list(): SaleRow[] {
    return this.records.sales.inStates(['parked']);
  }
}
