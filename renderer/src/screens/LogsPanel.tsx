import { useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { useClient } from '../api/context';
import { chinaLogLine } from '../../../main/platform/china-time';

/**
 * 运维: the newest lines of the log on disk (already redacted; their times in China time, the file keeps
 * UTC), and an export into the data directory.
 */
export function LogsPanel() {
  const client = useClient();
  const [lines, setLines] = useState<string[]>([]);
  const [dir, setDir] = useState('');
  const [msg, setMsg] = useState<string | null>(null);

  const load = () =>
    client.call('getLogs', { limit: 200 }).then(
      (r) => {
        setLines(r.lines);
        setDir(r.dir);
      },
      (e: unknown) => setMsg(errorText(e)),
    );

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  return (
    <section className="panel">
      <div className="panel-title">日志 (身份证号与姓名已脱敏)</div>
      <div className="muted small">{dir}</div>
      <div className="row">
        <button type="button" onClick={() => void load()}>
          刷新
        </button>
        <button
          type="button"
          onClick={() =>
            client.call('exportLogs', {}).then(
              (r) => setMsg(`已导出 ${r.lines} 行到 ${r.file}`),
              (e: unknown) => setMsg(errorText(e)),
            )
          }
        >
          导出
        </button>
      </div>
      {msg && <div className="muted small" data-testid="logs-message">{msg}</div>}
      <ul className="scanlog" data-testid="log-lines">
        {[...lines].reverse().map((line, i) => (
          <li key={i} data-testid="log-line">
            {chinaLogLine(line)}
          </li>
        ))}
      </ul>
    </section>
  );
}
