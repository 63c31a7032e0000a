/** 2103: cancelling a settled sale, sent once through main/sending under a msgid stored first. */
import { stateText, type SaleRecords } from '../ledger/sale-record';
import type { PlatformClient } from '../platform/client';
import type { CancelRecord, SettlementFigures } from '../platform/domain';
import type { CachedBalances } from '../sending/balances';
import type { Failure, SendOnce, Sent } from '../sending/send-once';
import { SaleError } from '../settlement/sale-error';
import type { Doubts } from './in-doubt';

export class Cancellation {
  constructor(
    private readonly records: SaleRecords,
    private readonly platform: PlatformClient,
    private readonly sender: SendOnce,
    private readonly balances: CachedBalances,
    private readonly doubts: Doubts,
  ) {}

  /** Returns the failure (null when cancelled): the boxes' trace codes and the patient's money come back. */
  async cancel(saleId: number): Promise<Sent<Failure | null>> {
    const sale = this.records.require(saleId);
    if (sale.state !== 'settled' || !sale.setl_id || !sale.mdtrt_id) {
      throw new SaleError('NOT_SETTLED', `该销售${stateText(sale)}, 不能撤销`);
    }
    const medfeeSumamt = sale.settle_json ? (JSON.parse(sale.settle_json) as SettlementFigures).medfeeSumamt : undefined;
    const target = { setlId: sale.setl_id, mdtrtId: sale.mdtrt_id, psnNo: sale.psn_no, insuplcAdmdvs: sale.insuplc_admdvs, medfeeSumamt };
    return this.sender.send<CancelRecord, Failure | null>({
      infno: '2103',
      recordId: saleId,
      begin: (msgid) => {
        this.records.move(this.records.require(saleId), 'cancelling', { cancel_msgid: msgid, last_error: null, ...this.records.sendingClaim() });
        return true;
      },
      transmit: (msgid) => this.platform.cancel(target, msgid),
      settled: (record) => {
        this.records.move(this.records.require(saleId), 'cancelled', { cancel_json: JSON.stringify(record), owner: null, lease_until: null });
        this.records.sales.releaseTraceCodes(saleId);
        this.balances.cancelled(sale.psn_no, record);
        this.records.audit.append(this.records.stamp(), 'sale.cancelled', `setl_id ${sale.setl_id}`, saleId);
        return null;
      },
      failed: (failure) => this.doubts.recordFailure(saleId, failure, 'cancelling', 'cancel_in_doubt', 'settled'),
    });
  }
}
