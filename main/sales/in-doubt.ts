/**
 * Outcomes not seen: a failed 2102/2103 recorded (in doubt, or back where it was), a sale in doubt
 * resolved by a 2601 of that very msgid, the start-up recovery of sales left `sending` or
 * `cancelling` by a process that is gone, and what the counter does with such a sale afterwards
 * (recovery at the counter: release it, or redo it as a new sale with the same lines).
 */
import type { Db } from '../../db/connection';
import { SplitPackRepo, TraceCodeUsedUpError } from '../../db/split-pack-repo';
import { TraceCodeTakenError, type SaleRow } from '../../db/sales-repo';
import { stateText, type SaleRecords } from '../ledger/sale-record';
import { infTime } from '../platform/time';
import { claimStale } from '../sending/owner';
import type { Failure, SendOnce } from '../sending/send-once';
import { SaleError } from '../settlement/sale-error';
import type { SaleState } from '../settlement/sale-state';
import { toSaleError } from './platform-call';

/** States of a sale interrupted at the platform that the counter must resolve, release or redo. */
export const INTERRUPTED_STATES = ['sending', 'in_doubt', 'cancel_in_doubt', 'reversed', 'failed'] as const;

export class Doubts {
  constructor(
    private readonly records: SaleRecords,
    private readonly sender: SendOnce,
    private readonly db: Db,
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

  /** Sales interrupted at the platform and not yet released or redone, oldest first. */
  interrupted(): SaleRow[] {
    return this.records.sales.inStates([...INTERRUPTED_STATES]);
  }

  /** A reversed or failed sale is let go of (its boxes are already free, migration 011). */
  release(saleId: number, note = '已放弃 (冲正后未重做)'): void {
    const { sales } = this.records;
    sales.transaction(() => {
      const sale = this.requireSettledNothing(saleId);
      this.records.move(sale, 'discarded', { last_error: note });
      sales.releaseTraceCodes(saleId);
      this.records.audit.append(this.records.stamp(), 'sale.released', note, saleId);
    });
  }

  /**
   * A reversed or failed sale made again: a new draft for the same patient with the same lines, choices
   * and boxes (taken again by the usual rules: a box sold meanwhile refuses the redo and names it), and the
   * old sale released, in one transaction. Returns the new sale's id; the caller presettles it.
   */
  redo(saleId: number): number {
    const { sales } = this.records;
    const split = new SplitPackRepo(this.db);
    return sales.transaction(() => {
      const old = this.requireSettledNothing(saleId);
      const at = this.records.stamp();
      const id = sales.create({
        created_at: at, state: 'draft', psn_no: old.psn_no, psn_name: old.psn_name, certno: old.certno,
        insutype: old.insutype, insuplc_admdvs: old.insuplc_admdvs, mdtrt_cert_type: old.mdtrt_cert_type,
        mdtrt_cert_no: old.mdtrt_cert_no, card_sn: old.card_sn, begntime: infTime(this.records.now()),
      });
      sales.patch(id, { use_account: old.use_account, use_wallet: old.use_wallet, wallet_cap_fen: old.wallet_cap_fen });
      this.records.move(old, 'discarded', { last_error: `已重做为销售 ${id}` });
      sales.releaseTraceCodes(saleId);
      const codes = sales.traceCodes(saleId);
      for (const line of sales.lines(saleId)) {
        const { sale_id: _, line_no: from, ...rest } = line;
        const mine = codes.filter((c) => c.line_no === from);
        if (line.trdn_flag === 1 && line.cnt_e4 != null && line.pric_micros != null) {
          const lineNo = split.addSplitLine({ ...rest, sale_id: id, cntE4: line.cnt_e4, pricMicros: line.pric_micros, amountFen: line.pric_fen });
          for (const c of mine) boxTaken(() => split.takeFromBox(id, lineNo, c.code, c.take_e4 ?? 10_000));
        } else {
          const lineNo = sales.addLine({ ...rest, sale_id: id });
          for (const c of mine) boxTaken(() => sales.addTraceCode(id, lineNo, c.code));
        }
      }
      this.records.audit.append(at, 'sale.redo', `redo of sale ${saleId}`, id);
      return id;
    });
  }

  private requireSettledNothing(saleId: number): SaleRow {
    const sale = this.records.require(saleId);
    if (sale.state !== 'reversed' && sale.state !== 'failed') {
      throw new SaleError('NOT_RELEASABLE', `该销售${stateText(sale)}: 只有已冲正或结算失败的销售可放弃或重做${sale.state === 'in_doubt' ? ', 请先冲正确认' : ''}`);
    }
    return sale;
  }
}

/** A box sold since the sale was reversed refuses the redo, named (the transaction rolls back). */
function boxTaken(take: () => void): void {
  try {
    take();
  } catch (error) {
    if (error instanceof TraceCodeTakenError || error instanceof TraceCodeUsedUpError) {
      throw new SaleError('TRACE_SOLD', `不能重做: ${error.message}. 请按 Del 放弃此单, 重新扫码开单`);
    }
    throw error;
  }
}
