/**
 * Exceptions: every way an offline sale ended differently from what the counter collected, with the
 * amount owed. owedFen > 0: the patient owes the pharmacy; < 0: the pharmacy owes the patient.
 * Each finding is recorded once (dedupe key), never deleted; a technician resolves it with a reason.
 */
import type { Db } from '../../db/connection';
import { OfflineExceptionsRepo, type ExceptionRow, type NewException } from '../../db/offline-exceptions-repo';
import type { QueueEntry } from '../../db/offline-queue-repo';
import type { OfflineVisitRow } from '../../db/offline-visits-repo';
import { fenToYuan } from '../platform/money';
import type { PlatformRefusal } from '../platform/errors';
import type { ReconcileRow, SettlementFigures, SettlementRecord } from '../platform/domain';
import { owedAfterSettlement } from './policy';

/** What an offline visit's exception needs of its queue row (db/offline-visits-repo.ts). */
export type OfflineVisitFigures = Pick<OfflineVisitRow, 'visit_id' | 'medfee_fen' | 'fund_fen' | 'own_acct_fen' | 'wallet_fen' | 'cash_fen'>;

export type ExceptionKind = 'amount_differs' | 'answer_mismatch' | 'rejected' | 'platform_only' | 'terminal_only' | 'reconcile_differs';

export interface ExceptionView {
  id: number;
  saleId: number | null;
  kind: ExceptionKind;
  createdAt: string;
  owedFen: number;
  /** "patient_owes" | "pharmacy_owes" | "none" */
  direction: 'patient_owes' | 'pharmacy_owes' | 'none';
  message: string;
  detail: unknown;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  resolvedBy: string | null;
  reason: string | null;
}

export function toExceptionView(row: ExceptionRow): ExceptionView {
  return {
    id: row.id,
    saleId: row.sale_id,
    kind: row.kind as ExceptionKind,
    createdAt: row.created_at,
    owedFen: row.owed_fen,
    direction: row.owed_fen > 0 ? 'patient_owes' : row.owed_fen < 0 ? 'pharmacy_owes' : 'none',
    message: row.message,
    detail: JSON.parse(row.detail_json) as unknown,
    status: row.status,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    reason: row.reason,
  };
}

const yuan = (fen: number) => `¥${fenToYuan(Math.abs(fen))}`;

/** The platform's settled figures beside the estimate, and the words an amount_differs exception shows them in. */
function againstEstimate(estimate: { fund: number; acct: number; wallet: number }, record: SettlementRecord) {
  const platform = { fund: record.fundPaySumamt, acct: record.acctPay, mulaid: record.acctMulaidPay, wallet: record.walletPay, cash: record.psnCashPay };
  const parts = [
    `统筹 估${fenToYuan(estimate.fund)}/实${fenToYuan(platform.fund)}`,
    `个人账户 估${fenToYuan(estimate.acct)}/实${fenToYuan(platform.acct)}`,
    `钱包 估${fenToYuan(estimate.wallet)}/实${fenToYuan(platform.wallet)}`,
  ].join(', ');
  return { platform, parts };
}

export function owedText(owed: number): string {
  if (owed > 0) return `患者需补缴 ${yuan(owed)}`;
  if (owed < 0) return `应退还患者 ${yuan(owed)}`;
  return '双方无需补退';
}

export class ExceptionRecorder {
  readonly repo: OfflineExceptionsRepo;
  createdSinceStart = 0;
  /** Created inside a transaction; announced by flush() once it committed. */
  private pending: number[] = [];

  constructor(
    db: Db,
    private readonly now: () => Date,
    private readonly onCreated: (view: ExceptionView) => void,
  ) {
    this.repo = new OfflineExceptionsRepo(db);
  }

  /** The platform settled the sale: an exception when the patient should have paid a different cash amount. */
  compareSettlement(entry: QueueEntry, record: SettlementRecord): void {
    const owed = owedAfterSettlement(entry.cash_fen, record.psnCashPay);
    if (owed === 0) return;
    const estimate = { fund: entry.fund_fen, acct: entry.own_acct_fen + entry.mulaid_fen, mulaid: entry.mulaid_fen, wallet: entry.wallet_fen, cash: entry.cash_fen };
    const { platform, parts } = againstEstimate(estimate, record);
    this.add({
      sale_id: entry.sale_id,
      kind: 'amount_differs',
      dedupe_key: `settle:${entry.sale_id}:${record.setlId}`,
      owed_fen: owed,
      message: `离线交易结算金额与估算不同: ${owedText(owed)} (${parts})`,
      detail_json: JSON.stringify({ setlId: record.setlId, estimate, platform }),
    });
  }

  /**
   * A 2102 answer that failed its checks: nothing is recorded as settled and the sale is held in doubt.
   * What is owed cannot be known until a technician learns what the platform did (3202, or a 2601).
   */
  answerMismatch(entry: QueueEntry, msgid: string, problems: string[], platform: SettlementFigures | null): void {
    const estimate = { medfee: entry.medfee_fen, fund: entry.fund_fen, acct: entry.own_acct_fen + entry.mulaid_fen, wallet: entry.wallet_fen, cash: entry.cash_fen };
    const figures = platform
      ? `平台: 总额 ${fenToYuan(platform.medfeeSumamt)} 统筹 ${fenToYuan(platform.fundPaySumamt)} 账户 ${fenToYuan(platform.acctPay)} 现金 ${fenToYuan(platform.psnCashPay)}`
      : '平台未给出金额';
    const mine = `估算: 总额 ${fenToYuan(estimate.medfee)} 统筹 ${fenToYuan(estimate.fund)} 账户 ${fenToYuan(estimate.acct)} 现金 ${fenToYuan(estimate.cash)}`;
    this.add({
      sale_id: entry.sale_id,
      kind: 'answer_mismatch',
      dedupe_key: `answer_mismatch:${entry.sale_id}:${msgid}`,
      owed_fen: 0,
      message: `平台应答与请求不符, 未记为已结算 (平台可能已扣款, 待技术人员核实): ${problems.join('; ')} (${mine}; ${figures})`,
      detail_json: JSON.stringify({ msgid, problems, estimate, platform }),
    });
  }

  /** The platform refused the sale: nothing was paid by insurance, so the patient owes the insured part. */
  rejected(entry: QueueEntry, error: PlatformRefusal): void {
    const owed = entry.medfee_fen - entry.cash_fen;
    this.add({
      sale_id: entry.sale_id,
      kind: 'rejected',
      dedupe_key: `rejected:${entry.sale_id}:${entry.attempts}`,
      owed_fen: owed,
      message: `平台拒绝离线交易 (${error.errMsg}): 医保未支付, ${owedText(owed)}; 可补正后重试或向患者收取`,
      detail_json: JSON.stringify({ errCode: error.errCode, errMsg: error.errMsg, medfee: entry.medfee_fen, cashCollected: entry.cash_fen }),
    });
  }

  /**
   * A visit settled offline at the billing desk (main/outpatient/offline-drain.ts), now settled by the
   * platform: an exception when the patient should have paid a different cash amount. Listed with the
   * sales' (sale_id NULL, the visit named in the message and the detail).
   */
  visitSettled(visit: OfflineVisitFigures, record: SettlementRecord): void {
    const owed = owedAfterSettlement(visit.cash_fen, record.psnCashPay);
    if (owed === 0) return;
    const estimate = { fund: visit.fund_fen, acct: visit.own_acct_fen, wallet: visit.wallet_fen, cash: visit.cash_fen };
    const { platform, parts } = againstEstimate(estimate, record);
    this.add({
      sale_id: null,
      kind: 'amount_differs',
      dedupe_key: `visit-settle:${visit.visit_id}:${record.setlId}`,
      owed_fen: owed,
      message: `脱机门诊就诊 #${visit.visit_id} 结算金额与估算不同: ${owedText(owed)} (${parts})`,
      detail_json: JSON.stringify({ visitId: visit.visit_id, setlId: record.setlId, estimate, platform }),
    });
  }

  /** The platform refused a visit settled offline: insurance paid nothing, so the patient owes the insured part. */
  visitRejected(visit: OfflineVisitFigures, errMsg: string): void {
    const owed = visit.medfee_fen - visit.cash_fen;
    this.add({
      sale_id: null,
      kind: 'rejected',
      dedupe_key: `visit-rejected:${visit.visit_id}`,
      owed_fen: owed,
      message: `平台拒绝脱机门诊就诊 #${visit.visit_id} (${errMsg}): 医保未支付, ${owedText(owed)}`,
      detail_json: JSON.stringify({ visitId: visit.visit_id, errMsg, medfee: visit.medfee_fen, cashCollected: visit.cash_fen }),
    });
  }

  /** A reconciliation finding (3202) that no automatic step could settle. */
  reconcile(kind: 'platform_only' | 'terminal_only' | 'reconcile_differs', saleId: number | null, row: ReconcileRow, owed: number, message: string): void {
    this.add({
      sale_id: saleId,
      kind,
      dedupe_key: `reconcile:${kind}:${row.setlId || row.msgid}`,
      owed_fen: owed,
      message,
      detail_json: JSON.stringify(row),
    });
  }

  private add(row: Omit<NewException, 'created_at'>): void {
    const id = this.repo.insert({ ...row, created_at: this.now().toISOString() });
    if (id === null) return;
    this.createdSinceStart++;
    this.pending.push(id);
  }

  /** Announces the exceptions created since the last flush (call after the transaction committed). */
  flush(): void {
    const ids = this.pending;
    this.pending = [];
    for (const id of ids) {
      const created = this.repo.get(id);
      if (created) this.onCreated(toExceptionView(created));
    }
  }
}
