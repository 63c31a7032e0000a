// `pos queue ...` and `pos reconcile ...`: the offline-sync technician's commands. Thin: the work is in
// main/offline (terminal.offline). Bad arguments: one line naming the argument, exit 2. Refusals: exit 1.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ExportRow } from '../../db/offline-exports-repo';
import { chinaTime, describeImport } from '../offline/transfer';
import { maskName } from '../../devices/mask';
import type { QueueEntry } from '../../db/offline-queue-repo';
import type { TraceReportEntry } from '../../db/trace-report-repo';
import type { ExceptionView } from '../offline/exceptions';
import { owedText } from '../offline/exceptions';
import type { OfflineStatus } from '../offline/service';
import { fenToYuan } from '../platform/money';
import { chinaDate } from '../platform/time';
import { SaleError } from '../settlement/sale-error';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';
import type { Terminal } from '../terminal';
import { InputError } from '../validation';
import { chinaDateTime } from '../platform/china-time';

export interface QueueIo {
  out(s: string): void;
  err(s: string): void;
  json: boolean;
}

const USAGE = [
  'usage: pos queue status',
  '       pos queue list [--state queued|syncing|sync_in_doubt|rejected|exported|settled] [--limit N]',
  '       pos queue list --exceptions [--all]',
  '       pos queue show SALE_ID',
  '       pos queue reports [--limit N]        (3505/3506 trace-code reports)',
  '       pos queue retry-report REPORT_ID',
  '       pos queue sync',
  '       pos queue retry SALE_ID',
  '       pos queue resolve EXCEPTION_ID --reason TEXT [--by NAME]',
  '       pos queue export                 (what would be exported)',
  '       pos queue export --out FILE      (queued sales -> FILE; they stay exported until acknowledged or withdrawn)',
  '       pos queue exports                (this terminal\'s exports: outstanding, acknowledged, withdrawn)',
  '       pos queue unexport SHA256        (withdraw an export: its sales are queued here again)',
  '       pos queue import FILE [--ack-out ACK_FILE]   (a queue file, or the acknowledgement of an export)',
  '       pos queue online|offline        (manual switch)',
  '       pos reconcile [yyyy-MM-dd]',
].join('\n');

class ArgError extends Error {}

const id = (name: string) =>
  z.string({ error: `${name}: required` }).regex(/^[1-9]\d{0,15}$/, { error: `${name}: expected a positive integer` }).transform(Number);
const QUEUE_STATES = ['queued', 'syncing', 'sync_in_doubt', 'rejected', 'exported', 'settled'] as const;

interface Parsed {
  positional: string[];
  flags: Record<string, string | true>;
}

const VALUE_FLAGS = new Set(['state', 'limit', 'reason', 'by', 'out', 'ack-out']);
const BOOL_FLAGS = new Set(['exceptions', 'all', 'json']);

function parseArgs(args: string[]): Parsed {
  const out: Parsed = { positional: [], flags: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!a.startsWith('--')) {
      out.positional.push(a);
      continue;
    }
    const [name = '', inline] = a.slice(2).split(/=(.*)/s, 2);
    if (BOOL_FLAGS.has(name)) out.flags[name] = true;
    else if (VALUE_FLAGS.has(name)) {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new ArgError(`--${name}: needs a value`);
      out.flags[name] = v;
    } else throw new ArgError(`--${name}: unknown option`);
  }
  return out;
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ArgError(r.error.issues[0]?.message ?? 'invalid argument');
  return r.data;
}

function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export async function runQueueCommand(terminal: Terminal, args: string[], io: QueueIo): Promise<number> {
  return guarded(io, async () => {
    const p = parseArgs(args);
    const [sub, ...rest] = p.positional;
    const off = terminal.offline;
    const expectArgs = (n: number) => {
      if (rest.length > n) throw new ArgError(`${rest[n]}: unexpected argument`);
    };
    switch (sub) {
      case 'status':
        expectArgs(0);
        return print(io, off.status(), formatStatus);
      case 'list': {
        expectArgs(0);
        const limit = check(id('--limit').optional(), flag(p, 'limit')) ?? 50;
        if (p.flags.exceptions) {
          const list = off.listExceptions({ status: p.flags.all ? undefined : 'open', limit });
          return print(io, list, (l) => (l.length ? l.map(formatException).join('\n') : '没有未处理的异常'));
        }
        const state = check(z.enum(QUEUE_STATES, { error: `--state: expected one of ${QUEUE_STATES.join(', ')}` }).optional(), flag(p, 'state'));
        const entries = off.list({ states: state ? [state] : undefined, limit });
        return print(io, entries.map((e) => entryJson(terminal, e)), () => (entries.length ? entries.map((e) => formatEntry(terminal, e)).join('\n') : '队列为空'));
      }
      case 'show': {
        expectArgs(1);
        const saleId = check(id('SALE_ID'), rest[0]);
        const entry = off.entry(saleId);
        if (!entry) throw new SaleError('NOT_QUEUED', `销售 ${saleId} 不是离线交易`);
        const sale = terminal.sales.get(saleId);
        const exceptions = off.listExceptions({ saleId });
        const messages = terminal.sales.messagesOf(saleId).map((m) => ({ msgid: m.msgid, infno: m.infno, status: m.status, at: m.updated_at, error: m.err_msg }));
        const data = { entry: entryJson(terminal, entry), settlement: sale.settlement, lines: sale.lines, messages, exceptions };
        return print(io, data, () =>
          [
            formatEntry(terminal, entry),
            ...sale.lines.map((l) => `  ${l.name} ${l.spec} x${l.cnt} ¥${fenToYuan(l.amountFen)}`),
            ...messages.map((m) => `  报文 ${m.infno} ${m.msgid} ${m.status}${m.error ? ` (${m.error})` : ''}`),
            ...exceptions.map(formatException),
          ].join('\n'),
        );
      }
      case 'reports': {
        expectArgs(0);
        const limit = check(id('--limit').optional(), flag(p, 'limit')) ?? 50;
        const list = off.traceReports(limit).map(reportJson);
        return print(io, list, (l) => (l.length ? l.map(formatReport).join('\n') : '没有追溯码上报记录'));
      }
      case 'retry-report': {
        expectArgs(1);
        const reportId = check(id('REPORT_ID'), rest[0]);
        off.retryTraceReport(reportId);
        return print(io, { id: reportId, status: 'pending' }, () => `追溯码上报 ${reportId} 已重新排队, 下次上传时发送`);
      }
      case 'sync': {
        expectArgs(0);
        if (!(await off.probe())) throw new SaleError('PLATFORM_UNREACHABLE', '连不上医保平台: 队列保持不变, 网络恢复后再试');
        const report = await off.syncUntilIdle();
        return print(io, report, (r) =>
          `上传完成: 结算 ${r.settled}, 拒付 ${r.rejected}, 冲正后重传 ${r.reversedAndRequeued}, 新异常 ${r.exceptions}, 剩余 ${r.remaining}` +
          (r.stoppedBy === 'unreachable' ? ' (平台中断)' : ''),
        );
      }
      case 'retry': {
        expectArgs(1);
        const entry = off.retry(check(id('SALE_ID'), rest[0]));
        return print(io, entryJson(terminal, entry), () => `已重新排队: ${formatEntry(terminal, entry)}`);
      }
      case 'resolve': {
        expectArgs(1);
        const exceptionId = check(id('EXCEPTION_ID'), rest[0]);
        const reason = check(z.string({ error: '--reason: required' }).trim().min(2, { error: '--reason: at least 2 characters' }), flag(p, 'reason'));
        const by = flag(p, 'by') ?? process.env.USER ?? 'technician';
        const view = off.resolveException(exceptionId, reason, by);
        return print(io, view, (v) => `已处理: ${formatException(v)}`);
      }
      case 'export': {
        const out = flag(p, 'out') ?? rest[0];
        expectArgs(flag(p, 'out') ? 0 : 1);
        if (!out) {
          const plan = off.planExport();
          io.out(`将导出 ${plan.count} 笔离线交易 (合计 ¥${fenToYuan(plan.medfeeFen)})${plan.busy ? `, ${plan.busy} 笔正在上传不导出` : ''}. 确认请加 --out FILE`);
          return 2;
        }
        const r = off.exportTo(out);
        return print(io, r, () => `已导出 ${r.count} 笔离线交易到 ${r.file} (批次 ${r.batchId}, sha256 ${r.sha256}); 在他处导入确认前它们为"已导出", 可用 pos queue unexport ${r.sha256.slice(0, 12)} 撤回`);
      }
      case 'exports': {
        expectArgs(0);
        const list = off.exports(check(id('--limit').optional(), flag(p, 'limit')) ?? 50);
        return print(io, list, (l) => (l.length ? l.map(formatExport).join('\n') : '本机没有导出过离线队列'));
      }
      case 'unexport': {
        expectArgs(1);
        const r = off.unexport(check(z.string({ error: 'SHA256: required' }).min(1, { error: 'SHA256: required' }), rest[0]));
        return print(io, r, () => `已撤回导出 (批次 ${r.batchId}): ${r.count} 笔回到本机待上传队列. 该文件作废, 不要再在他处导入`);
      }
      case 'import': {
        expectArgs(1);
        const file = check(z.string({ error: 'FILE: required' }).min(1, { error: 'FILE: required' }), rest[0]);
        const r = off.importFrom(file);
        if (r.kind === 'acknowledged') return print(io, r, () => describeImport(r));
        const ackFile = flag(p, 'ack-out') ?? `${file}.ack.json`;
        try {
          writeFileSync(ackFile, r.ack.content);
        } catch (error) {
          // The import itself is done: importing the same file again only writes the acknowledgement.
          throw new SaleError('ACK_NOT_WRITTEN', `${describeImport(r, ackFile)}; 但回执未能写入 (${(error as Error).message}): 请用 --ack-out 指定可写的位置再导入一次同一文件 (不会重复导入)`);
        }
        return print(io, { ...r, ack: ackFile }, () => describeImport(r, ackFile));
      }
      case 'online':
      case 'offline': {
        expectArgs(0);
        const s = off.setMode(sub === 'offline' ? 'offline' : 'auto');
        return print(io, s, formatStatus);
      }
      case undefined:
      case 'help':
        io.out(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        throw new ArgError(`${sub}: unknown queue command (status, list, show, reports, retry-report, sync, retry, resolve, export, exports, unexport, import, online, offline)`);
    }
  });
}

export async function runReconcileCommand(terminal: Terminal, args: string[], io: QueueIo): Promise<number> {
  return guarded(io, async () => {
    const p = parseArgs(args);
    if (p.positional.length > 1) throw new ArgError(`${p.positional[1]}: unexpected argument`);
    const day = check(z.iso.date({ error: 'DATE: expected yyyy-MM-dd' }).optional(), p.positional[0]) ?? chinaDate(new Date());
    const r = await terminal.offline.reconcile(day);
    return print(io, r, () =>
      [
        `对账 ${r.day}`,
        ...r.totals.map(
          (t) => `  ${t.insutype} 总账 ${t.balanced ? '平衡' : '不平'}: 本机 ${t.terminal.count} 笔 ¥${fenToYuan(t.terminal.medfeeFen)}; ${t.description}`,
        ),
        `  明细: 一致 ${r.rows.match}, 平台有本机无 ${r.rows.platformOnly}, 本机有平台无 ${r.rows.terminalOnly}, 金额不符 ${r.rows.amountsDiffer}`,
        `  由对账结果确认结算: ${r.settledFromRows.length ? r.settledFromRows.join(', ') : '无'}; 新异常 ${r.newExceptions}`,
      ].join('\n'),
    );
  });
}

async function guarded(io: QueueIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ArgError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof SaleError || error instanceof InputError) {
      io.err(error.message);
      return 1;
    }
    io.err(`失败: ${(error as Error).message}`);
    return 1;
  }
}

function print<T>(io: QueueIo, data: T, text: (d: T) => string): number {
  io.out(io.json ? JSON.stringify(data) : text(data));
  return 0;
}

function formatStatus(s: OfflineStatus): string {
  return [
    `状态: ${s.label} (自 ${s.since})`,
    `待上传: ${s.pending} (排队 ${s.queued}, 上传中 ${s.syncing}, 结果未知 ${s.inDoubt}); 拒付 ${s.rejected}; 已导出 ${s.exported}`,
    `未处理异常: ${s.openExceptions}`,
    `离线敞口: ¥${fenToYuan(s.exposureFen)} / 限额 ¥${fenToYuan(s.caps.maxTotalExposureFen)}; 最早待上传: ${s.oldestPendingAt ? chinaDateTime(s.oldestPendingAt) : '无'}`,
  ].join('\n');
}

function entryJson(terminal: Terminal, e: QueueEntry) {
  const sale = terminal.sales.get(e.sale_id);
  return {
    saleId: e.sale_id, uid: e.uid, state: e.state, queuedAt: e.queued_at, patient: maskName(sale.patient.psnName),
    medfeeFen: e.medfee_fen, cashCollectedFen: e.cash_fen, estimate: { fundFen: e.fund_fen, ownAcctFen: e.own_acct_fen, mulaidFen: e.mulaid_fen, walletFen: e.wallet_fen },
    attempts: e.attempts, nextAt: e.next_at, lastError: e.last_error, origin: e.origin,
  };
}

function formatEntry(terminal: Terminal, e: QueueEntry): string {
  const label = STATE_LABELS[e.state as SaleState] ?? e.state;
  const who = maskName(terminal.sales.get(e.sale_id).patient.psnName);
  const err = e.last_error ? `  ${e.last_error}` : '';
  return `#${e.sale_id} ${label} ${chinaDateTime(e.queued_at)} ${who} 医疗费 ¥${fenToYuan(e.medfee_fen)} 现金已收 ¥${fenToYuan(e.cash_fen)} 尝试 ${e.attempts}${err}`;
}

const REPORT_TEXT = { '3505': '销售上报', '3506': '退货上报' } as const;
const REPORT_STATE_TEXT = { pending: '待上报', sent: '已上报', refused: '平台未接收' } as const;

function reportJson(r: TraceReportEntry) {
  return {
    id: r.id, saleId: r.sale_id, lineNo: r.line_no, infno: r.infno, status: r.status, drug: r.drug_name, codes: r.codes,
    patient: maskName(r.psn_name), attempts: r.attempts, msgid: r.msgid, sentAt: r.sent_at, lastError: r.last_error,
  };
}

function formatReport(r: ReturnType<typeof reportJson>): string {
  const err = r.lastError ? `  ${r.lastError}` : '';
  return `上报 ${r.id} ${r.infno} ${REPORT_TEXT[r.infno]} ${REPORT_STATE_TEXT[r.status]} 销售 #${r.saleId} ${r.drug} 追溯码 ${r.codes} 个 ${r.patient} 尝试 ${r.attempts}${err}`;
}

function formatException(e: ExceptionView): string {
  const done = e.status === 'resolved' ? ` [已处理 ${e.resolvedBy}: ${e.reason}]` : '';
  return `异常 ${e.id} 销售 ${e.saleId ?? '-'} ${e.kind}: ${owedText(e.owedFen)}; ${e.message}${done}`;
}

const EXPORT_STATUS_TEXT = { outstanding: '未确认 (可撤回)', acknowledged: '他处已导入', withdrawn: '已撤回' } as const;

function formatExport(e: ExportRow): string {
  return `${chinaTime(e.exported_at)} 批次 ${e.batch_id} ${e.count} 笔 ${EXPORT_STATUS_TEXT[e.status]} sha256 ${e.sha256} ${e.file_name}${e.note ? ` (${e.note})` : ''}`;
}
