import type { TraceReportDto } from '../../../main/api/contract';
import { chinaDateTime } from '../../../main/platform/china-time';

/** 运维: the 3505/3506 trace-code reports not yet accepted (and the latest sent), with a resend for refused ones. */
export function TraceReportsPanel({ reports, onRetry }: { reports: TraceReportDto[]; onRetry: (id: string) => void }) {
  const open = reports.filter((r) => r.stateText !== '已上报');
  return (
    <section className="panel" data-testid="tech-trace-reports">
      <div className="panel-title">追溯码上报 (3505/3506){open.length > 0 ? ` · 未完成 ${open.length}` : ''}</div>
      {reports.length === 0 ? (
        <div className="muted" data-testid="trace-reports-empty">没有追溯码上报</div>
      ) : (
        <table>
          <tbody>
            {reports.slice(0, 50).map((r) => (
              <tr key={r.id} data-testid="trace-report-row">
                <td>{chinaDateTime(r.createdAt)}</td>
                <td>{r.kindText}</td>
                <td>{r.psnName}</td>
                <td>{r.drugName} ({r.codes} 码)</td>
                <td>{r.stateText}</td>
                <td className="muted small">{r.detail}</td>
                <td>
                  {r.retryable && (
                    <button type="button" data-testid="trace-report-retry" onClick={() => onRetry(r.id)}>
                      重新上报
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
