/**
 * 交班 and 日结 (F10 on the cashier screen): the signed-in cashier's shift report so far, Enter closes it
 * (refused while a sale is open: the message names it), then P prints it on the receipt printer, C saves it
 * as CSV, F as PDF (the print sheet below, through the print stylesheet: the desktop app's printToPDF and
 * save dialog, or the browser's print dialog → 另存为 PDF), D runs the day's reconciliation (3201/3202) and
 * shows it as a table. Esc closes the dialog. Every figure is the server's text.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PosBridge, Result, ShiftReportDto } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';

type Day = Result<'closeDay'>;

/** Saves text as a file: a download in browser mode, the save dialog in the desktop app. */
function saveFile(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** PDF: the desktop app prints this window to PDF and saves it; a browser opens its print dialog. */
async function exportPdf(fileName: string): Promise<string> {
  const bridge = (window as { pos?: PosBridge }).pos;
  if (bridge?.savePdf) {
    const r = await bridge.savePdf(fileName);
    if (!r.ok) throw new Error(r.error.message);
    return r.saved ? `PDF 已保存到 ${r.path}` : '未保存 PDF (已取消)';
  }
  window.print();
  return '已打开打印: 目标选 "另存为 PDF" 即得 PDF 文件';
}

export function ShiftReport({ onClose }: { onClose(): void }) {
  const client = useClient();
  const [report, setReport] = useState<ShiftReportDto | null>(null);
  const [day, setDay] = useState<Day | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);
  const keysRef = useRef<HTMLInputElement>(null);
  const closed = report?.closedAt != null;

  useEffect(() => {
    client.call('getShift', {}).then(setReport, (e: unknown) => setMessage({ error: true, text: errorText(e) }));
    keysRef.current?.focus();
  }, [client]);

  const run = <T,>(work: () => Promise<T>, done: (value: T) => void) => {
    if (working) return;
    setWorking(true);
    setMessage(null);
    work()
      .then(done, (e: unknown) => setMessage({ error: true, text: errorText(e) }))
      .finally(() => {
        setWorking(false);
        keysRef.current?.focus();
      });
  };

  const onKey = (e: React.KeyboardEvent) => {
    const key = e.key.toLowerCase();
    if (key === 'escape') {
      e.preventDefault();
      onClose();
    } else if (key === 'enter' && !closed) {
      e.preventDefault();
      run(() => client.call('closeShift', {}), (r) => {
        setReport(r);
        setMessage({ error: false, text: `第 ${r.id} 班已交班: P 打印, C 导出 CSV, D 日结对账` });
      });
    } else if (key === 'p' && report) {
      e.preventDefault();
      run(() => client.call('printShift', { id: report.id }), (r) => setMessage({ error: false, text: r.message }));
    } else if (key === 'c' && report) {
      e.preventDefault();
      run(() => client.call('exportShift', { id: report.id }), (r) => {
        saveFile(r.fileName, r.content);
        setMessage({ error: false, text: `已导出 ${r.fileName}` });
      });
    } else if (key === 'f' && report) {
      e.preventDefault();
      run(() => exportPdf(`shift-${report.id}.pdf`), (text) => setMessage({ error: false, text }));
    } else if (key === 'd') {
      e.preventDefault();
      run(() => client.call('closeDay', {}), setDay);
    }
  };

  return (
    <div className="dialog shift" role="dialog" aria-label="交班" data-testid="shift">
      <div className="dialog-body shift-body">
        <div className="panel-title">
          {closed ? '交班报表' : '交班 (本班至今)'}
          {report && <span className="tag" data-testid="shift-id">第 {report.id} 班</span>}
        </div>
        {report && (
          <div className="muted small" data-testid="shift-times">
            收银员 {report.opterName} · 开班 {report.openedAt} · {report.closedAt ? `交班 ${report.closedAt}` : '未交班'}
          </div>
        )}
        {message && (
          <div className={message.error ? 'notice error' : 'notice ok'} role={message.error ? 'alert' : 'status'} data-testid={message.error ? 'shift-error' : 'shift-message'}>
            {message.text}
          </div>
        )}
        {report && (
          <div className="shift-scroll">
            <ReportTable report={report} onScreen={{ closed }} />
            {report.exceptions.map((x) => (
              <div key={x} className="warning" data-testid="shift-exception">
                {x}
              </div>
            ))}
            {day && <DayTable day={day} />}
          </div>
        )}
        <input
          ref={keysRef}
          readOnly
          className="tender-next"
          data-testid="shift-keys"
          value={working ? '处理中…' : closed ? 'P 打印 · C 导出 CSV · F 导出 PDF · D 日结对账 · Esc 关闭' : 'Enter 确认交班 · F 导出 PDF · D 日结对账 · Esc 取消'}
          onKeyDown={onKey}
        />
      </div>
      {report && createPortal(<PrintSheet report={report} />, document.body)}
    </div>
  );
}

/**
 * The report on paper or as PDF: hidden on screen, the only thing printed (styles.css `@media print`), so
 * the PDF holds the report whole (no dialog scroll, no key bar), in the page's CJK font.
 */
function PrintSheet({ report }: { report: ShiftReportDto }) {
  return (
    <div className="print-sheet" data-testid="shift-print">
      <h1>交班报表 · 第 {report.id} 班</h1>
      <p>
        收银员 {report.opterName} ({report.opter}) · 开班 {report.openedAt} · {report.closedAt ? `交班 ${report.closedAt}` : '未交班 (本班至今)'}
      </p>
      <ReportTable report={report} />
      {report.exceptions.map((x) => (
        <p key={x}>{x}</p>
      ))}
    </div>
  );
}

/**
 * The report's rows, on screen and on the print sheet. Only the screen's copy carries test ids: the print
 * sheet is always in the page (hidden), and two elements with one id would make a test's lookup ambiguous.
 */
function ReportTable({ report, onScreen }: { report: ShiftReportDto; onScreen?: { closed: boolean } }) {
  const id = (name: string) => (onScreen ? name : undefined);
  return (
    <table data-testid={id('shift-report')} data-closed={onScreen ? (onScreen.closed ? 'yes' : 'no') : undefined}>
      <thead>
        <tr>
          <th>类别</th>
          <th>项目</th>
          <th className="num">笔数</th>
          <th className="num">金额</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((r) => (
          <tr key={`${r.section}-${r.item}`} data-testid={id('shift-row')} data-item={onScreen ? r.item : undefined}>
            <td>{r.section}</td>
            <td>{r.item}</td>
            <td className="num" data-testid={id('shift-count')}>{r.count}</td>
            <td className="num" data-testid={id('shift-amount')}>{r.amount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 日结: the reconciliation as a table (never raw JSON). */
export function DayTable({ day }: { day: Day }) {
  return (
    <section className="day" data-testid="day-result" data-ok={day.ok ? 'yes' : 'no'}>
      <div className={day.ok ? 'notice ok' : 'notice warn'}>{day.message}</div>
      <table data-testid="day-table">
        <thead>
          <tr>
            {day.table.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {day.table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} className={j > 0 && j < 5 ? 'num' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {day.table.details.map((d) => (
        <div key={d} className="muted small">
          {d}
        </div>
      ))}
    </section>
  );
}
