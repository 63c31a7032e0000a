/**
 * Reconciliation of one day with the platform: 3201 totals per insurance type, then 3202 details.
 * The 3202 result rows also settle what the terminal lost track of: a sale in doubt whose msgid appears in
 * a row the platform has ("1") is settled from that row, with no 2601. Whatever cannot be settled that way
 * (a settlement the terminal does not know, one the platform does not have, amounts that differ)
 * becomes an exception for the technician.
 */
import type { Db } from '../../db/connection';
import { MessagesRepo } from '../../db/messages-repo';
import { OfflineQueueRepo } from '../../db/offline-queue-repo';
import { PersonsRepo } from '../../db/persons-repo';
import { SalesRepo, type SaleRow } from '../../db/sales-repo';
import type { PlatformClient } from '../platform/client';
import type { DetailRow, Insutype, ReconcileRow, ReconcileTotals, SettlementFigures, SettlementRecord } from '../platform/domain';
import { fenToYuan } from '../platform/money';
import type { ExceptionRecorder } from './exceptions';
import { ownerAlive } from '../sending/owner';
import type { SyncWorker } from './sync-worker';

export interface ReconcileDeps {
  db: Db;
  platform: PlatformClient;
  exceptions: ExceptionRecorder;
  worker: SyncWorker;
  onSale: (saleId: number) => void;
  now: () => Date;
}

export interface TotalsResult {
  insutype: Insutype;
  balanced: boolean;
  description: string;
  terminal: { medfeeFen: number; fundFen: number; acctFen: number; count: number };
  /** 对账结果 code as the platform answered (0 对平); 3201 returns no figures of its own. */
  stmtRslt: string;
}

export interface ReconcileReport {
  day: string;
  totals: TotalsResult[];
  rows: { match: number; platformOnly: number; terminalOnly: number; amountsDiffer: number };
  /** Sales that were in doubt and are now settled from the platform's rows. */
  settledFromRows: number[];
  newExceptions: number;
}

interface LocalSettlement {
  sale: SaleRow;
  record: SettlementRecord;
  cancelled: boolean;
}

const LIVE = ['settled', 'cancelling', 'cancel_in_doubt'];

export async function reconcileDay(deps: ReconcileDeps, day: string): Promise<ReconcileReport> {
  const before = deps.exceptions.createdSinceStart;
  const local = localSettlements(deps.db, day);
  const totals: TotalsResult[] = [];
  for (const insutype of ['310', '390'] as const) totals.push(await runTotals(deps, day, insutype, local));

  const live = local.filter((l) => !l.cancelled);
  const all = sumUp(day, '310', live);
  const details: DetailRow[] = local.map((l) => ({
    setlId: l.record.setlId,
    mdtrtId: l.record.mdtrtId,
    psnNo: l.sale.psn_no,
    medfeeSumamt: l.record.medfeeSumamt,
    fundPaySumamt: l.record.fundPaySumamt,
    acctPay: l.record.acctPay,
    cancelled: l.cancelled,
  }));
  const rows = await journaled(deps, '3202', (msgid) => deps.platform.reconcileDetails(all, details, msgid));

  const report: ReconcileReport = {
    day,
    totals,
    rows: { match: 0, platformOnly: 0, terminalOnly: 0, amountsDiffer: 0 },
    settledFromRows: [],
    newExceptions: 0,
  };
  const bySetlId = new Map(local.map((l) => [l.record.setlId, l]));
  for (const row of rows) handleRow(deps, row, bySetlId, report);
  deps.exceptions.flush();
  report.newExceptions = deps.exceptions.createdSinceStart - before;
  for (const saleId of report.settledFromRows) deps.onSale(saleId);
  return report;
}

function handleRow(deps: ReconcileDeps, row: ReconcileRow, bySetlId: Map<string, LocalSettlement>, report: ReconcileReport): void {
  const mine = bySetlId.get(row.setlId);
  switch (row.result) {
    case 'match':
      report.rows.match++;
      return;
    case 'platform_only': {
      report.rows.platformOnly++;
      const saleId = settleInDoubtFromRow(deps, row);
      if (saleId !== null) report.settledFromRows.push(saleId);
      else {
        const msg = `平台有该结算 (${row.setlId}, 医疗费 ¥${fenToYuan(row.medfeeSumamt)}), 本机无记录: 请核实`;
        deps.exceptions.reconcile('platform_only', null, row, 0, msg);
      }
      return;
    }
    case 'terminal_only': {
      report.rows.terminalOnly++;
      const insured = mine ? mine.record.fundPaySumamt + mine.record.acctPay + mine.record.walletPay : 0;
      const msg = `本机有该结算 (${row.setlId}), 平台无有效记录: 医保部分 ¥${fenToYuan(insured)} 未获平台支付, 请核实`;
      deps.exceptions.reconcile('terminal_only', mine?.sale.id ?? null, row, 0, msg);
      return;
    }
    case 'amounts_differ': {
      report.rows.amountsDiffer++;
      const msg = `结算 ${row.setlId} 金额与平台不符 (平台: 医疗费 ¥${fenToYuan(row.medfeeSumamt)}, 统筹 ¥${fenToYuan(row.fundPaySumamt)}, 账户 ¥${fenToYuan(row.acctPay)})`;
      deps.exceptions.reconcile('reconcile_differs', mine?.sale.id ?? null, row, 0, msg);
      return;
    }
  }
}

/**
 * A row the platform has whose msgid is the settle msgid of a sale still in doubt here: that 2102 did
 * commit, so the sale is settled from the row. Returns the sale id, or null if no such sale.
 */
function settleInDoubtFromRow(deps: ReconcileDeps, row: ReconcileRow): number | null {
  if (!row.msgid) return null;
  const message = new MessagesRepo(deps.db).get(row.msgid);
  if (!message || message.sale_id === null) return null;
  const saleId = message.sale_id;
  const salesRepo = new SalesRepo(deps.db);
  const queue = new OfflineQueueRepo(deps.db);
  const at = deps.now().toISOString();
  return salesRepo.transaction(() => {
    const sale = salesRepo.get(saleId);
    if (!sale || sale.settle_msgid !== row.msgid) return null;
    const record = recordFromRow(deps.db, sale, row);
    if (sale.state === 'in_doubt') {
      new MessagesRepo(deps.db).finish(row.msgid, 'ok', at, { result: { fromReconcile: row } });
      const patch = { settle_json: JSON.stringify(record), setl_id: row.setlId, mdtrt_id: row.mdtrtId, setl_time: record.setlTime, last_error: '由对账结果确认已结算' };
      return salesRepo.transition(saleId, 'in_doubt', 'settled', at, patch) ? saleId : null;
    }
    const entry = queue.get(saleId);
    if (sale.state !== 'sync_in_doubt' || !entry) return null;
    // The sync worker may be sending the 2601 right now: only a free (or orphaned) claim is taken.
    if (entry.owner !== null && ownerAlive(entry.owner) && (entry.lease_until ?? '') > at) return null;
    new MessagesRepo(deps.db).finish(row.msgid, 'ok', at, { result: { fromReconcile: row } });
    deps.worker.applySettlement(entry, record);
    return saleId;
  });
}

/**
 * The 3202 row as a settlement record. The row carries only totals, fund and account: when they are the
 * figures the sale presettled, those figures (wallet, mutual aid, cash) stand; otherwise the rest is cash.
 * The row has no time either: the msgid's own timestamp (when the 2102 left) stands for it.
 */
function recordFromRow(db: Db, sale: SaleRow, row: ReconcileRow): SettlementRecord {
  const person = new PersonsRepo(db).get(sale.psn_no);
  const agreed = sale.presettle_json ? (JSON.parse(sale.presettle_json) as SettlementFigures) : null;
  const same = agreed !== null && agreed.medfeeSumamt === row.medfeeSumamt && agreed.fundPaySumamt === row.fundPaySumamt && agreed.acctPay === row.acctPay;
  const walletPay = same ? agreed.walletPay : 0;
  const acctMulaidPay = same ? agreed.acctMulaidPay : 0;
  const psnCashPay = row.medfeeSumamt - row.fundPaySumamt - row.acctPay - walletPay;
  return {
    medfeeSumamt: row.medfeeSumamt,
    fulamtOwnpayAmt: same ? agreed.fulamtOwnpayAmt : 0,
    overlmtSelfpay: same ? agreed.overlmtSelfpay : 0,
    preselfpayAmt: same ? agreed.preselfpayAmt : 0,
    inscpScpAmt: same ? agreed.inscpScpAmt : 0,
    hifpPay: same ? agreed.hifpPay : row.fundPaySumamt,
    fundPaySumamt: row.fundPaySumamt,
    psnPartAmt: row.medfeeSumamt - row.fundPaySumamt,
    acctPay: row.acctPay,
    acctMulaidPay,
    walletPay,
    psnCashPay,
    balcAfter: Math.max(0, (person?.own_acct_fen ?? 0) - (row.acctPay - acctMulaidPay)),
    walletBalcAfter: Math.max(0, (person?.wallet_fen ?? 0) - walletPay),
    ...(same && agreed.extra ? { extra: agreed.extra } : {}),
    setlId: row.setlId,
    mdtrtId: row.mdtrtId,
    setlTime: msgidTime(row.msgid),
  };
}

/** yyyy-MM-dd HH:mm:ss from a msgid's 14-digit time part. */
function msgidTime(msgid: string): string {
  const t = msgid.slice(12, 26);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

async function runTotals(deps: ReconcileDeps, day: string, insutype: Insutype, local: LocalSettlement[]): Promise<TotalsResult> {
  const live = local.filter((l) => !l.cancelled && l.sale.insutype === insutype);
  const totals = sumUp(day, insutype, live);
  const answer = await journaled(deps, '3201', (msgid) => deps.platform.reconcileTotals(totals, msgid));
  return {
    insutype,
    balanced: answer.balanced,
    description: answer.description,
    terminal: { medfeeFen: totals.medfeeSumamt, fundFen: totals.fundPaySumamt, acctFen: totals.acctPay, count: totals.count },
    stmtRslt: answer.stmtRslt,
  };
}

function sumUp(day: string, insutype: Insutype, rows: LocalSettlement[]): ReconcileTotals {
  const sum = (f: (r: SettlementRecord) => number) => rows.reduce((a, r) => a + f(r.record), 0);
  return {
    insutype,
    begnDate: day,
    endDate: day,
    medfeeSumamt: sum((r) => r.medfeeSumamt),
    fundPaySumamt: sum((r) => r.fundPaySumamt),
    acctPay: sum((r) => r.acctPay),
    cashPayamt: sum((r) => r.psnCashPay),
    count: rows.length,
  };
}

/** Settlements of that day known here, live or cancelled. */
function localSettlements(db: Db, day: string): LocalSettlement[] {
  return new SalesRepo(db)
    .settledOn(day)
    .filter((s) => LIVE.includes(s.state) || s.state === 'cancelled')
    .map((s) => ({ sale: s, record: JSON.parse(s.settle_json as string) as SettlementRecord, cancelled: s.state === 'cancelled' }));
}

/** 3201/3202 are messages of consequence: their msgid is journaled before they leave. */
async function journaled<T>(deps: ReconcileDeps, infno: string, send: (msgid: string) => Promise<T>): Promise<T> {
  const messages = new MessagesRepo(deps.db);
  const msgid = deps.platform.newMsgid();
  messages.insertSending(msgid, infno, null, deps.now().toISOString());
  try {
    const result = await send(msgid);
    messages.finish(msgid, 'ok', deps.now().toISOString());
    return result;
  } catch (error) {
    messages.finish(msgid, 'unknown', deps.now().toISOString(), { errMsg: (error as Error).message });
    throw error;
  }
}
