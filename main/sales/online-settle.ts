/**
 * The online settlement of a sale: 2101 (presettle: the split the patient agrees to) and 2102 (settle),
 * sent once through main/sending under a msgid stored first. A failure is recorded by in-doubt.ts.
 */
import type { SaleRow } from '../../db/sales-repo';
import { mergeChoices, presettledPatch, stateText, type SaleRecords } from '../ledger/sale-record';
import type { PlatformClient } from '../platform/client';
import type { SettlementFigures, SettlementRecord } from '../platform/domain';
import type { CachedBalances } from '../sending/balances';
import type { Failure, SendOnce, Sent } from '../sending/send-once';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import type { Doubts } from './in-doubt';
import { platformCall, type PlatformWatch } from './platform-call';

export class OnlineSettlement {
  constructor(
    private readonly records: SaleRecords,
    private readonly platform: PlatformClient,
    private readonly sender: SendOnce,
    private readonly balances: CachedBalances,
    private readonly doubts: Doubts,
    private readonly watch: PlatformWatch | undefined,
  ) {}

  /** 2101 with the patient's choices; refused if the cart changed meanwhile. */
  async presettle(sale: SaleRow, choices?: Partial<Choices>): Promise<void> {
    const saleId = sale.id;
    const chosen = mergeChoices(sale, choices);
    const request = this.records.settleRequest(sale, chosen);
    if (request.lines.length === 0) throw new SaleError('EMPTY_CART', '购物车是空的: 请先扫药品条码');
    const figures = await platformCall(this.watch, () => this.platform.presettle(request), (error) =>
      this.records.audit.append(this.records.stamp(), 'platform.error', error.message, saleId),
    );
    this.records.sales.transaction(() => {
      const current = this.records.require(saleId);
      if (current.updated_at !== sale.updated_at) {
        throw new SaleError('CHANGED_MEANWHILE', '预结算期间购物车有变化: 请重新预结算');
      }
      this.records.move(current, 'presettled', presettledPatch(figures, chosen, null));
    });
  }

  /** 2102, once, under a msgid stored first; returns the failure (null when settled). */
  async settle(sale: SaleRow): Promise<Sent<Failure | null>> {
    const saleId = sale.id;
    if (sale.state !== 'presettled') throw new SaleError('NOT_PRESETTLED', `该销售${stateText(sale)}: 请先预结算`);
    const request = this.records.settleRequest(sale, mergeChoices(sale, {}));
    this.records.requireTraceCodesComplete(saleId);
    request.invono = `INV${saleId}`;
    // The 2101 the patient agreed to: a 2102 splitting otherwise is not recorded as settled.
    const agreed = sale.presettle_json ? (JSON.parse(sale.presettle_json) as SettlementFigures) : undefined;
    return this.sender.send<SettlementRecord, Failure | null>({
      infno: '2102',
      recordId: saleId,
      begin: (msgid) => {
        this.records.move(this.records.require(saleId), 'sending', { settle_msgid: msgid, last_error: null, ...this.records.sendingClaim() });
        return true;
      },
      transmit: (msgid) => this.platform.settle(request, msgid, agreed),
      settled: (record) => {
        this.records.move(this.records.require(saleId), 'settled', {
          settle_json: JSON.stringify(record),
          setl_id: record.setlId,
          mdtrt_id: record.mdtrtId,
          setl_time: record.setlTime,
          owner: null,
          lease_until: null,
        });
        this.balances.settled(sale.psn_no, record);
        this.records.audit.append(this.records.stamp(), 'sale.settled', `setl_id ${record.setlId}`, saleId);
        return null;
      },
      failed: (failure) => this.doubts.recordFailure(saleId, failure, 'sending', 'in_doubt', 'failed'),
    });
  }
}
