import type { Notice } from '../../../main/api/contract';

export function NoticeLine({ notice, busy, error, typed }: { notice: Notice | null; busy: string | null; error: string | null; typed?: string }) {
  return (
    <div className="notice-area" aria-live="polite">
      {busy && (
        <div className="notice busy" data-testid="busy">
          {busy}
        </div>
      )}
      {!busy && error && (
        <div className="notice error" role="alert" data-testid="notice">
          {error}
        </div>
      )}
      {!busy && !error && notice && (
        <div className={`notice ${notice.level}`} role={notice.level === 'error' ? 'alert' : undefined} data-testid="notice">
          {notice.text}
        </div>
      )}
      {typed ? (
        <div className="typed" data-testid="typed">
          手工输入: <b>{typed}</b> (Enter 提交, Esc 清除)
        </div>
      ) : null}
    </div>
  );
}
