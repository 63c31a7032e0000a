import { useEffect, useState } from 'react';
import type { DeviceEventDto, Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { DayTable } from '../components/ShiftReport';
import { useClient } from '../api/context';
import { QueueFiles } from '../components/QueueFiles';
import { DeskDoubtsPanel, DeskOfflineQueuePanel } from '../components/desk/DeskDoubts';
import { LogsPanel } from './LogsPanel';
import { TraceReportsPanel } from './TraceReports';
import { chinaClock, chinaDateTime, chinaDay } from '../../../main/platform/china-time';

type Queue = Result<'getQueue'>;

/** 运维: queue and exceptions, sync, reconcile, queue file, devices and a live scan test. */
export function TechnicianScreen({ keyboardScans }: { keyboardScans: string[] }) {
  const client = useClient();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [date, setDate] = useState(() => chinaDay());
  const [reconcile, setReconcile] = useState<Result<'reconcileDay'> | string | null>(null);
  const [devicesText, setDevicesText] = useState('');
  const [deviceFile, setDeviceFile] = useState('');
  const [scanLog, setScanLog] = useState<DeviceEventDto[]>([]);

  const load = () =>
    client.call('getQueue', {}).then(
      (q) => {
        setQueue(q);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );

  useEffect(() => {
    void load();
    client.call('getDeviceConfig', {}).then(
      (r) => {
        setDevicesText(JSON.stringify(r.devices, null, 2));
        setDeviceFile(r.file);
      },
      (e: unknown) => setError(errorText(e)),
    );
    const offDevice = client.on('device', (d) => setScanLog((l) => [d, ...l].slice(0, 50)));
    const offStatus = client.on('status', () => void load());
    return () => {
      offDevice();
      offStatus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  const act = (work: () => Promise<{ message: string }>) => {
    setMsg(null);
    work().then(
      (r) => {
        setMsg(r.message);
        void load();
      },
      (e: unknown) => setMsg(errorText(e)),
    );
  };

  return (
    <div className="tech" data-testid="tech">
      {msg && <div className="notice info" data-testid="tech-msg">{msg}</div>}
      {error && <div className="notice error" role="alert" data-testid="tech-error">{error}</div>}
      <div className="tech-grid">
        <section className="panel" data-testid="tech-queue">
          <div className="panel-title">离线队列</div>
          {!queue && !error && <div className="muted" data-testid="tech-loading">正在读取…</div>}
          {queue && !queue.available && <div className="muted" data-testid="tech-unavailable">离线模块未启用: 本机不能离线结算</div>}
          {queue && queue.available && (
            <>
              <div className="row">
                <button type="button" data-testid="sync-now" onClick={() => act(() => client.call('syncNow', {}))}>立即同步</button>
                <button type="button" onClick={() => act(() => client.call('setManualOffline', { on: true }))}>切换为离线</button>
                <button type="button" onClick={() => act(() => client.call('setManualOffline', { on: false }))}>恢复在线</button>
              </div>
              {queue.queue.length === 0 ? (
                <div className="muted" data-testid="queue-empty">队列为空</div>
              ) : (
                <table>
                  <tbody>
                    {queue.queue.map((q) => (
                      <tr key={q.id} data-testid="queue-row">
                        <td>{chinaDateTime(q.createdAt)}</td>
                        <td>{q.psnName}</td>
                        <td className="num">{q.amount ?? ''}</td>
                        <td>{q.stateText}</td>
                        <td className="muted small">{q.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </section>
        <section className="panel" data-testid="tech-exceptions">
          <div className="panel-title">异常</div>
          {queue && queue.exceptions.filter((x) => !x.resolved).length === 0 && <div className="muted" data-testid="exceptions-empty">没有待处理的异常</div>}
          {queue?.exceptions
            .filter((x) => !x.resolved)
            .map((x) => (
              <div key={x.id} className="exception" data-testid="exception">
                <div>
                  <b>{x.kindText}</b> · {x.psnName} · {chinaDateTime(x.createdAt)}
                </div>
                <div>{x.detail}</div>
                {x.amountText && <div className="amount">{x.amountText}</div>}
                <div className="row">
                  <input
                    placeholder="处理说明 (如: 已向患者补收现金)"
                    value={notes[x.id] ?? ''}
                    data-testid="exception-note"
                    onChange={(e) => setNotes({ ...notes, [x.id]: e.target.value })}
                  />
                  <button
                    type="button"
                    data-testid="exception-resolve"
                    onClick={() => act(() => client.call('resolveException', { id: x.id, note: notes[x.id]?.trim() || '已处理' }))}
                  >
                    标记已处理
                  </button>
                </div>
              </div>
            ))}
        </section>
        <DeskDoubtsPanel />
        <DeskOfflineQueuePanel />
        {queue?.available && (
          <TraceReportsPanel reports={queue.traceReports ?? []} onRetry={(id) => act(() => client.call('retryTraceReport', { id }))} />
        )}
        <section className="panel">
          <div className="panel-title">对账 (3201/3202)</div>
          <div className="row">
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="reconcile-date" />
            <button
              type="button"
              data-testid="reconcile"
              onClick={() =>
                client.call('reconcileDay', { date }).then(
                  (r) => {
                    setReconcile(r);
                  },
                  (e: unknown) => setReconcile(errorText(e)),
                )
              }
            >
              对账
            </button>
          </div>
          {typeof reconcile === 'string' && (
            <div className="notice error" data-testid="reconcile-result">
              {reconcile}
            </div>
          )}
          {reconcile && typeof reconcile !== 'string' && (
            <div data-testid="reconcile-result">
              {reconcile.table ? <DayTable day={{ ...reconcile, date, table: reconcile.table }} /> : reconcile.message}
            </div>
          )}
          <QueueFiles onChanged={() => void load()} />
        </section>
        <section className="panel">
          <div className="panel-title">设备配置</div>
          <div className="muted small">{deviceFile}</div>
          <textarea value={devicesText} onChange={(e) => setDevicesText(e.target.value)} rows={8} data-testid="device-config" />
          <button
            type="button"
            onClick={() => {
              let devices: unknown;
              try {
                devices = JSON.parse(devicesText);
              } catch {
                setMsg('设备配置不是有效的 JSON: 请检查括号和引号');
                return;
              }
              act(() => client.call('saveDeviceConfig', { devices: devices as never }));
            }}
          >
            保存并重连
          </button>
          <div className="panel-title">扫码测试 (实时)</div>
          <div className="muted small">扫一下或读一张卡, 这里显示设备送来的内容 (运维屏上的键盘扫码不进购物车)</div>
          <ul className="scanlog" data-testid="scan-log">
            {keyboardScans.map((s, i) => (
              <li key={`k${i}`}>{s}</li>
            ))}
            {scanLog.map((d, i) => (
              <li key={i} className={d.type === 'rejected' ? 'bad' : ''}>
                {chinaClock(d.at)} {d.device} [{d.type}] {d.text}
              </li>
            ))}
          </ul>
        </section>
        <LogsPanel />
      </div>
    </div>
  );
}
