import { useEffect, useState } from 'react';
import type { VisitSummary } from '../../../../main/api/contract';
import { errorText } from '../../api/client';
import { useClient } from '../../api/context';

/** 运维: billing-desk visits whose 2207/2208 outcome was not seen, beside the sales; 冲正 (2601) each. */
export function DeskDoubtsPanel() {
  const client = useClient();
  const [visits, setVisits] = useState<VisitSummary[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = () => client.call('deskListVisits', { inDoubt: true }).then((r) => setVisits(r.visits), (e: unknown) => setMsg(errorText(e)));
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  return (
    <section className="panel" data-testid="tech-desk-doubts">
      <div className="panel-title">门诊结算结果未知 (就诊)</div>
      {msg && <div className="notice info">{msg}</div>}
      {visits?.length === 0 && <div className="muted" data-testid="desk-doubts-empty">没有结果未知的门诊结算</div>}
      {visits?.map((v) => (
        <div className="row" key={v.id} data-testid="desk-doubt">
          <span>
            就诊 {v.id} · {v.psnName} · {v.mdtrtId} · {v.stateText} · ¥{v.total}
          </span>
          <button
            type="button"
            onClick={() =>
              client.call('deskResolve', { visitId: v.id }).then(
                (r) => (setMsg(`就诊 ${r.id}: ${r.stateText}${r.lastError ? ` (${r.lastError})` : ''}`), void load()),
                (e: unknown) => setMsg(errorText(e)),
              )
            }
          >
            冲正 (2601)
          </button>
        </div>
      ))}
    </section>
  );
}

/**
 * 运维: billing-desk visits settled offline (脱机) and not yet at the platform, in the order the drain sends
 * them (after the same person's earlier sales); the queue's 同步 sends them with the sales. Refreshed whenever
 * the offline status moves.
 */
export function DeskOfflineQueuePanel() {
  const client = useClient();
  const [visits, setVisits] = useState<VisitSummary[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    const load = () => client.call('deskListVisits', { offlinePending: true }).then((r) => setVisits(r.visits), (e: unknown) => setMsg(errorText(e)));
    void load();
    return client.on('status', () => void load());
  }, [client]);
  return (
    <section className="panel" data-testid="tech-desk-offline">
      <div className="panel-title">脱机门诊就诊待上传 ({visits?.length ?? 0})</div>
      {msg && <div className="notice info">{msg}</div>}
      {visits?.length === 0 && <div className="muted" data-testid="desk-offline-empty">没有待上传的脱机门诊就诊</div>}
      {visits?.map((v) => (
        <div className="row" key={v.id} data-testid="desk-offline-visit" data-visit={v.id}>
          <span>
            就诊 {v.id} · {v.psnName} · 门诊号 {v.iptOtpNo} · {v.stateText} · ¥{v.total}
            {v.lastError && <span className="muted"> · {v.lastError}</span>}
          </span>
        </div>
      ))}
    </section>
  );
}
