/**
 * Headquarters screens: server-rendered zh-CN HTML, presentation only (every figure comes from
 * reports.ts), and the same tables as CSV. Every value is escaped; times are China time.
 */
import { fenToYuan } from '../main/platform/money';
import { infTime } from '../main/platform/time';
import type { DayTotals, ExceptionReport, TerminalReport, TraceSaleReport } from './reports';

export interface Table {
  headers: string[];
  rows: string[][];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const time = (d: Date | null) => (d ? infTime(d) : '—');

export function terminalsTable(list: TerminalReport[]): Table {
  return {
    headers: ['门店编码', '门店', '终端', '状态', '最后联系', '未同步事件', '已收到事件', '最近拒收原因'],
    rows: list.map((t) => [
      t.storeCode, t.storeName, t.name, t.revoked ? '已吊销' : '正常', time(t.lastContactAt), String(t.pending), String(t.lastSeq), t.lastRefusal ?? '',
    ]),
  };
}

export function settlementsTable(list: DayTotals[]): Table {
  return {
    headers: ['日期', '门店编码', '门店', '笔数', '已撤销', '医疗费总额', '统筹基金', '个人账户', '共济账户', '钱包', '现金'],
    rows: list.map((d) => [
      d.day, d.storeCode, d.storeName, String(d.count), String(d.cancelled),
      ...[d.medfeeFen, d.fundFen, d.acctFen, d.mulaidFen, d.walletFen, d.cashFen].map(fenToYuan),
    ]),
  };
}

const KIND_TEXT: Record<string, string> = {
  amount_differs: '金额与平台不符',
  rejected: '平台拒绝离线交易',
  platform_only: '平台有、终端无',
  terminal_only: '终端有、平台无',
  reconcile_differs: '对账不符',
  trace_conflict: '追溯码重复销售',
};

export function exceptionsTable(list: ExceptionReport[]): Table {
  return {
    headers: ['发现时间', '门店', '终端', '来源', '类型', '销售号', '患者应补(元)', '说明'],
    rows: list.map((e) => [
      time(e.createdAt), `${e.storeName} (${e.storeCode})`, e.terminalName, e.origin === 'hq' ? '总部' : '终端', KIND_TEXT[e.kind] ?? e.kind,
      e.saleId === null ? '' : String(e.saleId), fenToYuan(e.owedFen), e.message,
    ]),
  };
}

export function traceTable(list: TraceSaleReport[]): Table {
  return {
    headers: ['追溯码', '门店', '终端', '销售号', '售出时间', '退回时间', '备注'],
    rows: list.map((s) => [
      s.code, `${s.storeName} (${s.storeCode})`, s.terminalName, String(s.saleId), time(s.soldAt), time(s.returnedAt), s.conflict ? '重复销售' : '',
    ]),
  };
}

/** RFC 4180, with a BOM so spreadsheet programs read the Chinese correctly. */
export function toCsv(table: Table): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return '\ufeff' + [table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const NAV: [string, string][] = [
  ['/terminals', '门店与终端'],
  ['/settlements', '结算汇总'],
  ['/exceptions', '未结异常'],
  ['/trace', '追溯码查询'],
];

export function page(path: string, title: string, body: string): string {
  const nav = NAV.map(([href, text]) => `<a href="${href}"${href === path ? ' class="here"' : ''}>${text}</a>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)} - 连锁总部</title>
<meta name="viewport" content="width=device-width"><style>${STYLE}</style></head>
<body><header><b>连锁总部</b><nav>${nav}</nav></header><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export function tableHtml(table: Table, testId: string, empty: string): string {
  if (table.rows.length === 0) return `<p class="empty" data-testid="${testId}-empty">${esc(empty)}</p>`;
  const head = table.headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table data-testid="${testId}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function csvLink(href: string): string {
  return `<p><a class="csv" href="${esc(href)}" data-testid="csv">导出 CSV</a></p>`;
}

export function filterForm(action: string, fields: { name: string; label: string; value: string; placeholder?: string }[]): string {
  const inputs = fields
    .map((f) => `<label>${esc(f.label)} <input name="${f.name}" value="${esc(f.value)}" placeholder="${esc(f.placeholder ?? '')}"></label>`)
    .join(' ');
  return `<form method="get" action="${action}">${inputs} <button type="submit">查询</button></form>`;
}

export function errorLine(message: string): string {
  return `<p class="error" data-testid="error">${esc(message)}</p>`;
}

const STYLE = `
body{margin:0;font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;font-size:14px;color:#222;background:#f6f7f9}
header{display:flex;gap:24px;align-items:center;padding:8px 16px;background:#1f4e79;color:#fff}
nav a{color:#dfe9f5;margin-right:16px;text-decoration:none}nav a.here{color:#fff;font-weight:bold;border-bottom:2px solid #fff}
main{padding:12px 16px;max-width:1000px}h1{font-size:18px;margin:8px 0}
.scroll{overflow-x:auto}table{border-collapse:collapse;background:#fff;width:100%}
th,td{border:1px solid #ccd;padding:4px 6px;text-align:left;white-space:nowrap}td:last-child{white-space:normal}
th{background:#e8eef5}.empty{color:#666}.error{color:#b00}form{margin:8px 0}input{width:140px}
`;
