/**
 * Outcomes not seen: a failed 2102/2103 recorded (in doubt, or back where it was), a sale in doubt
 * resolved by a 2601 of that very msgid, and the start-up recovery of sales left `sending` or
 * `cancelling` by a process that is gone.
 */
import { stateText, type SaleRecords } from '../ledger/sale-record';
import { claimStale } from '../sending/owner';
import type { Failure, SendOnce } from '../sending/send-once';
import { SaleError } from '../settlement/sale-error';
import type { SaleState } from '../settlement/sale-state';
import { toSaleError } from './platform-call';

export class Doubts {
  constructor(
    private readonly records: SaleRecords,
    private readonly sender: SendOnce,
  ) {}

  /** Inside the journal's transaction: a failed 2102/2103 moves the sale (in doubt, or back); returns the failure. */
  recordFailure(saleId: number, failure: Failure, from: SaleState, doubtful: SaleState, refused: SaleState): Failure {
    const unknown = failure.outcome === 'unknown';
    const text = failure.error.message;
    const sale = this.records.require(saleId);
    const patch = { last_error: unknown ? `结果未知: ${text}` : text, owner: null, lease_until: null };
    if (sale.state === from) this.records.move(sale, unknown ? doubtful : refused, patch);
    this.records.audit.append(this.records.stamp(), unknown ? 'sale.in_doubt' : 'sale.refused', text, saleId);
    return failure;
  }

  /**
   * Resolves a sale whose 2102 or 2103 outcome was not seen, by a 2601 of that msgid: afterwards the
   * original has no effect at the platform, whatever happened to it. Safe to call again.
   */
  async resolve(saleId: number): Promise<void> {
    const sale = this.records.require(saleId);
    const target =
      sale.state === 'in_doubt' ? { omsgid: sale.settle_msgid, oinfno: '2102' as const }
      : sale.state === 'cancel_in_doubt' ? { omsgid: sale.cancel_msgid, oinfno: '2103' as const }
      : null;
    if (!target?.omsgid) throw new SaleError('NOT_IN_DOUBT', `该销售${stateText(sale)}, 无需冲正`);

    const omsgid = target.omsgid;
    const sent = await this.sender.reverse<Error | null>(
      { psnNo: sale.psn_no, insuplcAdmdvs: sale.insuplc_admdvs, omsgid, oinfno: target.oinfno, recordId: saleId },
      {
        resolved: (status) => {
          const current = this.records.require(saleId);
          if (target.oinfno === '2102') {
            const to = status === 'never_committed' ? 'failed' : 'reversed';
            const note = status === 'never_committed' ? '平台未收到该结算, 未扣款: 可重新结算' : '结算已冲正, 未扣款: 可重新结算';
            this.records.move(current, to, { last_error: note, settle_msgid: null });
          } else {
            this.records.move(current, 'settled', { last_error: '撤销未生效 (已冲正): 结算仍有效, 可再次撤销', cancel_msgid: null });
          }
          this.records.audit.append(this.records.stamp(), 'sale.reversed', `${target.oinfno} ${omsgid} -> ${status}`, saleId);
          return null;
        },
        failed: (failure) => failure.error,
      },
    );
    const error = sent.sent ? sent.value : null;
    if (error) throw toSaleError(error);
  }

  /**
   * At start-up: a sale left in `sending`/`cancelling` by a process that is gone (or whose lease expired)
   * may or may not have reached the platform. It becomes in doubt, to be resolved by 2601 like any other
   * unseen outcome. A sale a live process is sending right now is left alone: that process finishes it.
   * One audit entry per takeover (the guarded move happens once).
   */
  recoverInterrupted(): number {
    const { sales } = this.records;
    let count = 0;
    sales.transaction(() => {
      for (const sale of sales.inStates(['sending', 'cancelling'])) {
        if (!claimStale(sale.owner, sale.lease_until, this.records.now())) continue;
        const to = sale.state === 'sending' ? 'in_doubt' : 'cancel_in_doubt';
        const msgid = sale.state === 'sending' ? sale.settle_msgid : sale.cancel_msgid;
        if (msgid) this.sender.markUnknown(msgid, '程序中断, 结果未知');
        this.records.move(sale, to, { last_error: '程序中断时结果未知: 需冲正确认', owner: null, lease_until: null });
        this.records.audit.append(this.records.stamp(), 'sale.recovered', `${sale.state} of ${sale.owner ?? '?'} taken over`, sale.id);
        count++;
      }
    });
    return count;
  }
}
