import type { StatusDto } from '../../../main/api/contract';

export function StatusBar({ status, error }: { status: StatusDto | null; error?: string | null }) {
  if (!status) {
    return (
      <footer className="statusbar" data-testid="status-bar">
        <span className={error ? 'pill bad' : 'pill'}>{error ? `状态读取失败: ${error}` : '正在连接收银服务…'}</span>
      </footer>
    );
  }
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span className={status.online ? 'pill good' : 'pill bad'} data-testid="status-online">
        {status.online ? '● 在线' : `● ${status.modeText}`}
      </span>
      {status.demo && (
        <span className="pill warn" title="内置模拟平台: 不是真实的医保结算" data-testid="status-demo">
          演示
        </span>
      )}
      <span className={status.queued > 0 ? 'pill warn' : 'pill'} data-testid="status-queued">
        待上传 <b>{status.queued}</b> 笔{status.syncing ? ' (上传中)' : ''}
      </span>
      <span className={status.exceptions > 0 ? 'pill bad badge' : 'pill'} data-testid="status-exceptions">
        异常 <b>{status.exceptions}</b>
      </span>
      {status.headquarters && (
        <span
          className={status.headquarters.problem ? 'pill bad' : status.headquarters.pending > 0 ? 'pill warn' : 'pill'}
          title={status.headquarters.problem ?? ''}
          data-testid="status-headquarters"
        >
          总部 未同步 <b>{status.headquarters.pending}</b>
          {status.headquarters.problem ? ` (${shorten(status.headquarters.problem, 28)})` : ''}
        </span>
      )}
      <span className="devices">
        {status.devices.map((d) => (
          <span
            key={d.id}
            className={`pill dev ${d.state === 'connected' ? 'good' : d.state === 'error' ? 'bad' : 'warn'}`}
            title={`${d.id}${d.message ? `: ${d.message}` : ''}`}
            data-testid={`device-${d.id}`}
          >
            {d.profileText} {d.stateText}
          </span>
        ))}
      </span>
    </footer>
  );
}

/** The status bar stays one line at 1024 px: long reasons are cut here and shown whole in the tooltip. */
function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
