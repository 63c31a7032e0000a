/**
 * The money of a visit: 2206 (the split the patient agrees to), 2207 (settle) and 2208 (cancel, then 2205
 * and 2202 as the issue requires), the two sent once through main/sending under a msgid stored first. An
 * outcome not seen leaves the visit in doubt; 2601 of that very msgid resolves it (tried at once, and by
 * `resolve` later). Start-up recovery takes over visits left sending by a process that is gone.
 */
import type { VisitRow } from '../../db/visits-repo';
import type { PlatformClient } from '../platform/client';
import type { CancelRecord, SettlementFigures, SettlementRecord } from '../platform/domain';
import type { CachedBalances } from '../sending/balances';
import { claimStale } from '../sending/owner';
import type { Failure, SendOnce } from '../sending/send-once';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import type { DeskCalls } from './desk-calls';
import { ALL_UNSETTLED, type VisitBill } from './visit-bill';
import { settleRequestOf, stateText, visitChoices, visitRef, type VisitRecords } from './visit-records';

export class VisitSettlement {
  constructor(
    private readonly records: VisitRecords,
    private readonly platform: PlatformClient,
    private readonly sender: SendOnce,
    private readonly balances: CachedBalances,
    private readonly calls: DeskCalls,
    private readonly bill: VisitBill,
  ) {}

  /** 2206 with the patient's choices (items whose upload was not seen go up again first). */
  async presettle(visitId: number, given?: Partial<Choices>): Promise<void> {
    let visit = this.records.require(visitId);
    if (visit.state !== 'registered' && visit.state !== 'presettled') throw new SaleError('BAD_STATE', `该就诊${stateText(visit)}, 不能预结算`);
    if (!visit.diagnosis_json) throw new SaleError('NO_DIAGNOSIS', '请先录入诊断并上传 (2203)');
    this.calls.requireOnline();
    if (this.bill.hasPending(visitId)) await this.bill.reupload(visitId, null);
    visit = this.records.require(visitId);
    const fees = this.records.liveFees(visitId);
    if (fees.length === 0) throw new SaleError('NO_FEES', '该就诊没有费用明细: 请先导入或录入收费项目');
    const chosen = visitChoices(visit, given);
    const request = settleRequestOf(visit, fees, chosen);
    const figures = await this.calls.run(() => this.platform.presettleVisit(request));
    this.records.visits.transaction(() => {
      const current = this.records.require(visitId);
      if (current.updated_at !== visit.updated_at) throw new SaleError('CHANGED_MEANWHILE', '预结算期间费用有变化: 请重新预结算');
      this.records.move(current, 'presettled', {
        presettle_json: JSON.stringify(figures), use_account: chosen.useAccount ? 1 : 0, use_wallet: chosen.useWallet ? 1 : 0,
        wallet_cap_fen: chosen.walletCapFen, last_error: null,
      });
    });
  }

  /** 2207, once, under a msgid stored first; an unseen outcome is reversed by 2601 at once when possible. */
  async settle(visitId: number): Promise<void> {
    const visit = this.records.require(visitId);
    if (visit.state !== 'presettled' || !visit.presettle_json) throw new SaleError('NOT_PRESETTLED', `该就诊${stateText(visit)}: 请先预结算 (F4)`);
    this.calls.requireOnline();
    const agreed = JSON.parse(visit.presettle_json) as SettlementFigures;
    const request = { ...settleRequestOf(visit, this.records.liveFees(visitId), visitChoices(visit, {})), invono: `MZ${visitId}` };
    const sent = await this.sender.send<SettlementRecord, Failure | null>({
      infno: '2207',
      recordId: null,
      begin: (msgid) => {
        this.records.move(this.records.require(visitId), 'sending', { settle_msgid: msgid, last_error: null, ...this.records.sendingClaim() });
        return true;
      },
      transmit: (msgid) => this.platform.settleVisit(request, msgid, agreed),
      settled: (record) => {
        this.records.move(this.records.require(visitId), 'settled', {
          settle_json: JSON.stringify(record), setl_id: record.setlId, setl_time: record.setlTime, owner: null, lease_until: null,
        });
        this.balances.settled(visit.psn_no, record);
        this.records.note(visitId, 'visit.settled', `setl_id ${record.setlId}`);
        return null;
      },
      failed: (failure) => this.recordFailure(visitId, failure, 'sending', 'in_doubt', 'presettled'),
    });
    await this.afterFailure(visitId, sent.sent ? sent.value : null);
  }

  /** 2208 of a settled visit, then 2205 and 2202; a cancelled visit whose follow-ups failed retries them. */
  async cancel(visitId: number): Promise<void> {
    const visit = this.records.require(visitId);
    if (visit.state === 'cancelled') return this.followUps(visitId);
    if (visit.state !== 'settled' || !visit.setl_id || !visit.settle_json) throw new SaleError('NOT_SETTLED', `该就诊${stateText(visit)}, 没有可撤销的结算`);
    this.calls.requireOnline();
    const settled = JSON.parse(visit.settle_json) as SettlementRecord;
    const target = { ...visitRef(visit), setlId: visit.setl_id, medfeeSumamt: settled.medfeeSumamt };
    const sent = await this.sender.send<CancelRecord, Failure | null>({
      infno: '2208',
      recordId: null,
      begin: (msgid) => {
        this.records.move(this.records.require(visitId), 'cancelling', { cancel_msgid: msgid, last_error: null, ...this.records.sendingClaim() });
        return true;
      },
      transmit: (msgid) => this.platform.cancelVisit(target, msgid),
      settled: (refund) => {
        this.records.move(this.records.require(visitId), 'cancelled', { cancel_json: JSON.stringify(refund), owner: null, lease_until: null });
        this.balances.cancelled(visit.psn_no, refund);
        this.records.note(visitId, 'visit.cancelled', `setl_id ${visit.setl_id}`);
        return null;
      },
      failed: (failure) => this.recordFailure(visitId, failure, 'cancelling', 'cancel_in_doubt', 'settled'),
    });
    await this.afterFailure(visitId, sent.sent ? sent.value : null);
    await this.followUps(visitId);
  }

  /** A visit whose 2207 or 2208 outcome was not seen: 2601 of that msgid. Safe to call again. */
  async resolve(visitId: number): Promise<void> {
    const visit = this.records.require(visitId);
    const target =
      visit.state === 'in_doubt' ? { omsgid: visit.settle_msgid, oinfno: '2207' as const }
      : visit.state === 'cancel_in_doubt' ? { omsgid: visit.cancel_msgid, oinfno: '2208' as const }
      : null;
    if (!target?.omsgid) throw new SaleError('NOT_IN_DOUBT', `该就诊${stateText(visit)}, 无需冲正`);
    const omsgid = target.omsgid;
    const sent = await this.sender.reverse<Error | null>(
      { psnNo: visit.psn_no, insuplcAdmdvs: visit.insuplc_admdvs, omsgid, oinfno: target.oinfno, recordId: null },
      {
        resolved: (status) => {
          const current = this.records.require(visitId);
          if (target.oinfno === '2207') {
            const note = status === 'never_committed' ? '平台未收到该结算, 未扣款: 可重新预结算' : '结算已冲正, 未扣款: 可重新预结算';
            this.records.move(current, 'registered', { last_error: note, settle_msgid: null, presettle_json: null });
          } else {
            this.records.move(current, 'settled', { last_error: '撤销未生效 (已冲正): 结算仍有效, 可再次撤销', cancel_msgid: null });
          }
          this.records.note(visitId, 'visit.reversed', `${target.oinfno} ${omsgid} -> ${status}`);
          return null;
        },
        failed: (failure) => failure.error,
      },
    );
    const error = sent.sent ? sent.value : null;
    if (error) throw this.calls.word(error);
  }

  /** At start-up: visits left sending/cancelling by a process that is gone become in doubt (2601 resolves them). */
  recoverInterrupted(): number {
    let count = 0;
    this.records.visits.transaction(() => {
      for (const visit of this.records.visits.inStates(['sending', 'cancelling'])) {
        if (!claimStale(visit.owner, visit.lease_until, this.records.now())) continue;
        const settling = visit.state === 'sending';
        const msgid = settling ? visit.settle_msgid : visit.cancel_msgid;
        if (msgid) this.sender.markUnknown(msgid, '程序中断, 结果未知');
        this.records.move(visit, settling ? 'in_doubt' : 'cancel_in_doubt', { last_error: '程序中断时结果未知: 需冲正确认', owner: null, lease_until: null });
        this.records.note(visit.id, 'visit.recovered', `${visit.state} of ${visit.owner ?? '?'} taken over`);
        count++;
      }
    });
    return count;
  }

  /** With the platform unreachable, the clerk takes the whole bill as 全自费: no platform call, nothing settled. */
  selfPay(visitId: number): void {
    this.records.visits.transaction(() => {
      const visit = this.records.require(visitId);
      if (this.records.liveFees(visitId).length === 0) throw new SaleError('NO_FEES', '该就诊没有费用明细');
      this.records.move(visit, 'self_paid', { presettle_json: null, last_error: null });
      this.records.note(visitId, 'visit.self_paid', 'whole bill as 全自费');
    });
  }

  // ---------- steps ----------

  /** Inside the journal's transaction: a failed 2207/2208 moves the visit (in doubt, or back). */
  private recordFailure(visitId: number, failure: Failure, from: string, doubtful: 'in_doubt' | 'cancel_in_doubt', back: 'presettled' | 'settled'): Failure {
    const unknown = failure.outcome === 'unknown';
    const text = failure.error.message;
    const visit = this.records.require(visitId);
    const patch = { last_error: unknown ? `结果未知: ${text}` : text, owner: null, lease_until: null };
    if (visit.state === from) this.records.move(visit, unknown ? doubtful : back, patch);
    this.records.note(visitId, unknown ? 'visit.in_doubt' : 'visit.refused', text);
    return failure;
  }

  /** Unknown: 2601 at once (if it fails, the visit stays in doubt for `resolve`). Refused: the clerk is told. */
  private async afterFailure(visitId: number, failure: Failure | null): Promise<void> {
    if (!failure) return;
    if (failure.outcome === 'unknown') {
      await this.resolve(visitId).catch(() => undefined);
      return;
    }
    throw this.calls.word(failure.error);
  }

  /** After 2208: 2205 of every (now unsettled) item, then 2202 if this desk registered the visit. Each done once. */
  private async followUps(visitId: number): Promise<void> {
    const visit = this.records.require(visitId);
    if (visit.state !== 'cancelled') return;
    try {
      if (visit.fees_removed === 0 && visit.chrg_bchno) {
        await this.calls.run(() => this.platform.removeFees(visitRef(visit), ALL_UNSETTLED));
        this.patchCancelled(visitId, { fees_removed: 1 });
      }
      if (visit.unregistered === 0 && visit.registered_here === 1) {
        await this.calls.run(() => this.platform.unregister(visitRef(visit), visit.ipt_otp_no));
        this.patchCancelled(visitId, { unregistered: 1 });
      }
      this.patchCancelled(visitId, { last_error: null });
    } catch (error) {
      this.patchCancelled(visitId, { last_error: `结算已撤销, 但明细撤销/退号未完成 (再次撤销可重试): ${(error as Error).message}` });
    }
  }

  private patchCancelled(visitId: number, patch: Partial<Pick<VisitRow, 'fees_removed' | 'unregistered' | 'last_error'>>): void {
    this.records.visits.transition(visitId, 'cancelled', 'cancelled', this.records.stamp(), patch);
  }
}
