/**
 * 全自费: a sale the patient pays entirely himself, with no platform call. A patient without insurance,
 * a suspended card, a refused credential, an offline sale past a cap, or items he chooses to pay himself:
 * one key turns the open sale into a self-pay sale; a sale may also start as self-pay without any card.
 * Trace codes are still required and recorded; the ledger's trigger queues their 3505 report (商品销售,
 * 就诊结算类型 2 自费, no 结算ID: reference §2.21), as for every sale that left the shelf.
 */
import type { Db } from '../../db/connection';
import { maskName } from '../../devices/mask';
import { SaleRecords } from '../ledger/sale-record';
import { cashOnlyFigures } from '../offline/policy';
import { infTime } from '../platform/time';
import { SaleError } from '../settlement/sale-error';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';

/** The name an anonymous self-pay sale shows (no patient was identified). */
export const WALK_IN_NAME = '自费顾客';

export interface SelfPayOptions {
  db: Db;
  now: () => Date;
  /** The counter's region: an anonymous sale's trace reports go there. */
  counterAdmdvs: string;
  requireTraceCodes: boolean;
  onChange?: (saleId: number) => void;
}

// A failed or reversed sale gave its boxes back (migration 011): the cashier takes it up again (F4) first.
const TURNABLE: readonly SaleState[] = ['draft', 'presettled'];

export class SelfPayDesk {
  private readonly records: SaleRecords;

  constructor(private readonly o: SelfPayOptions) {
    this.records = new SaleRecords({ db: o.db, now: o.now, mdtrtareaAdmvs: o.counterAdmdvs, requireTraceCodes: o.requireTraceCodes });
  }

  /** Opens a self-pay sale with no patient; returns its id. */
  begin(): number {
    const at = this.records.stamp();
    const id = this.records.sales.create({
      created_at: at, state: 'draft', psn_no: '', psn_name: WALK_IN_NAME, certno: '', insutype: '', insuplc_admdvs: this.o.counterAdmdvs,
      mdtrt_cert_type: '', mdtrt_cert_no: '', card_sn: '', begntime: infTime(this.o.now()),
    });
    this.records.audit.append(at, 'sale.begin', 'self-pay, no patient', id);
    this.o.onChange?.(id);
    return id;
  }

  /** Turns a sale not yet settled into a self-pay sale: the whole amount is the patient's, in cash or by tender. */
  turn(saleId: number): void {
    const { sales } = this.records;
    const lines = sales.lines(saleId);
    if (lines.length === 0) throw new SaleError('EMPTY_CART', '购物车是空的: 请先扫药品条码, 再按全自费收款');
    this.records.requireTraceCodesComplete(saleId);
    let name = '';
    sales.transaction(() => {
      const sale = this.records.require(saleId);
      if (!TURNABLE.includes(sale.state as SaleState)) {
        throw new SaleError('NOT_SELF_PAYABLE', `该销售当前为 ${STATE_LABELS[sale.state as SaleState] ?? sale.state}: 只有尚未结算的销售可改为全自费 (结算失败或已冲正的先按 F4 重新预结算)`);
      }
      name = sale.psn_name;
      const medfee = lines.reduce((sum, l) => sum + l.pric_fen * l.cnt, 0);
      this.records.move(sale, 'self_paid', { presettle_json: JSON.stringify(cashOnlyFigures(medfee)), last_error: null });
    });
    this.records.audit.append(this.records.stamp(), 'sale.self_paid', `全自费 ${maskName(name)}`, saleId);
    this.o.onChange?.(saleId);
  }

  /** A sale begun without a patient (it can only be sold self-pay). */
  isWalkIn(saleId: number): boolean {
    const sale = this.records.sales.get(saleId);
    return sale !== undefined && sale.psn_no === '' && sale.mdtrt_cert_type === '';
  }
}
