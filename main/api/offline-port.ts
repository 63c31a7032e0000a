/**
 * The API's thin binding to the offline queue (terminal.offline, main/offline): everything the screens
 * need from it, in display form. The queue's rules live there; this file only translates. Queue files
 * (export, un-export, import) are main/api/features/transfer.ts.
 */
import { fenToYuan } from '../platform/money';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';
import type { Terminal } from '../terminal';
import type { ExceptionDto, QueueItem, ReconcileTable, TraceReportDto } from './contract';
import { ApiError } from './errors';

export interface OfflineStatusDto {
  mode: 'online' | 'offline' | 'manual';
  queued: number;
  exceptions: number;
  syncing: boolean;
}

export interface OfflinePort {
  status(): OfflineStatusDto;
  onChange(listener: () => void): void;
  overview(): Promise<{ available: boolean; queue: QueueItem[]; exceptions: ExceptionDto[]; traceReports: TraceReportDto[] }>;
  retryTraceReport(id: string): Promise<string>;
  resolveException(id: string, note: string): Promise<string>;
  syncNow(): Promise<string>;
  setManual(on: boolean): Promise<string>;
  reconcile(date: string): Promise<{ ok: boolean; message: string; lines: string[]; table: ReconcileTable }>;
}

const KIND_TEXT: Record<string, string> = {
  amount_differs: '金额与平台不符',
  answer_mismatch: '平台应答与请求不符',
  rejected: '平台拒绝离线交易',
  platform_only: '平台有、本机无',
  terminal_only: '本机有、平台无',
  reconcile_differs: '对账不符',
};

const INSUTYPE_TEXT: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险' };

const TRACE_STATE_TEXT = { pending: '待上报', sent: '已上报', refused: '平台未接收' } as const;

const y = (fen: number) => fenToYuan(fen);

export function connectOffline(terminal: Terminal, technician = 'tech'): OfflinePort | null {
  const offline = terminal.offline;
  if (!offline) return null;
  return {
    status() {
      const s = offline.status();
      return {
        mode: s.online ? 'online' : s.mode === 'offline' ? 'manual' : 'offline',
        queued: s.pending,
        exceptions: s.openExceptions,
        syncing: s.draining,
      };
    },
    onChange(listener) {
      offline.events.on('status', () => listener());
      offline.events.on('exception', () => listener());
      offline.events.on('progress', () => listener());
    },
    async overview() {
      const queue = offline.list({ limit: 200 }).map(
        (e): QueueItem => ({
          id: e.uid,
          saleId: e.sale_id,
          createdAt: e.queued_at,
          psnName: e.psn_name,
          amount: y(e.medfee_fen),
          stateText: STATE_LABELS[e.state as SaleState] ?? e.state,
          detail: [`尝试 ${e.attempts} 次`, e.last_error ?? ''].filter(Boolean).join(' · '),
        }),
      );
      const exceptions = offline.listExceptions({ limit: 200 }).map(
        (x): ExceptionDto => ({
          id: String(x.id),
          saleId: x.saleId,
          createdAt: x.createdAt,
          psnName: x.saleId !== null ? saleName(terminal, x.saleId) : '',
          kindText: KIND_TEXT[x.kind] ?? x.kind,
          detail: x.message,
          amountText: x.owedFen > 0 ? `患者需补缴 ¥${y(x.owedFen)}` : x.owedFen < 0 ? `应退还患者 ¥${y(-x.owedFen)}` : null,
          resolved: x.status === 'resolved',
        }),
      );
      const traceReports = offline.traceReports(200).map(
        (r): TraceReportDto => ({
          id: String(r.id),
          saleId: r.sale_id,
          kindText: r.infno === '3505' ? '3505 商品销售' : '3506 商品销售退货',
          createdAt: r.created_at,
          psnName: r.psn_name,
          drugName: r.drug_name,
          codes: r.codes,
          stateText: TRACE_STATE_TEXT[r.status],
          detail: [`尝试 ${r.attempts} 次`, r.last_error ?? ''].filter(Boolean).join(' · '),
          retryable: r.status === 'refused',
        }),
      );
      return { available: true, queue, exceptions, traceReports };
    },
    async retryTraceReport(id) {
      offline.retryTraceReport(Number(id));
      return `追溯码上报 ${id} 将在下次同步时重新发送`;
    },
    async resolveException(id, note) {
      // The contract admits digits only; anything else is refused here too, never reported as done.
      const n = /^[1-9]\d{0,14}$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isSafeInteger(n)) throw new ApiError('BAD_INPUT', `参数错误 id: 没有编号为 ${id} 的异常`, 400);
      offline.resolveException(n, note, technician);
      return `异常 ${id} 已处理`;
    },
    async syncNow() {
      const r = await offline.syncNow();
      if (r.stoppedBy === 'unreachable') return `医保平台仍连不上: 已上传 ${r.settled} 笔, 还剩 ${r.remaining} 笔, 稍后自动重试`;
      return `已上传 ${r.settled} 笔${r.rejected ? `, 被拒 ${r.rejected} 笔 (见异常)` : ''}${r.exceptions ? `, 新异常 ${r.exceptions} 个` : ''}, 还剩 ${r.remaining} 笔`;
    },
    async setManual(on) {
      offline.setMode(on ? 'offline' : 'auto');
      return on ? '已切换为离线: 读社保卡可离线结算' : '已恢复自动 (联网时在线结算)';
    },
    async reconcile(date) {
      const r = await offline.reconcile(date);
      const details = [
        `明细 (3202): 一致 ${r.rows.match} 笔, 平台有本机无 ${r.rows.platformOnly} 笔, 本机有平台无 ${r.rows.terminalOnly} 笔, 金额不符 ${r.rows.amountsDiffer} 笔`,
        ...(r.settledFromRows.length ? [`按平台明细确认结算: 销售 ${r.settledFromRows.join(', ')}`] : []),
      ];
      const table: ReconcileTable = {
        columns: ['险种', '本机笔数', '医疗费总额', '基金支付', '个人账户', '总账 (3201)'],
        rows: r.totals.map((t) => [
          INSUTYPE_TEXT[t.insutype] ?? t.insutype,
          String(t.terminal.count),
          y(t.terminal.medfeeFen),
          y(t.terminal.fundFen),
          y(t.terminal.acctFen),
          t.balanced ? '对平' : `不平: ${t.description || t.stmtRslt}`,
        ]),
        details,
      };
      const lines = [...table.rows.map((row) => table.columns.map((c, i) => `${c} ${row[i]}`).join(', ')), ...details];
      const ok = r.rows.platformOnly + r.rows.terminalOnly + r.rows.amountsDiffer === 0 && r.totals.every((t) => t.balanced);
      return { ok, message: ok ? `${r.day} 对账一致` : `${r.day} 对账有差异: 新异常 ${r.newExceptions} 个, 请在异常中处理`, lines, table };
    },
  };
}

function saleName(terminal: Terminal, saleId: number): string {
  try {
    return terminal.sales.get(saleId).patient.psnName;
  } catch {
    return '';
  }
}
