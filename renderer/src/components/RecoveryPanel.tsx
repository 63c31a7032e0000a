import { useContext, useEffect, useRef, useState } from 'react';
import type { PosClient, Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { ClientContext } from '../api/context';

type InterruptedSaleDto = Result<'listInterrupted'>['sales'][number];

/** A component's share of the screen's keys: returns true when it took the key. */
export type SubKeys = { current: ((e: KeyboardEvent) => boolean) | null };

/**
 * 中断的销售, on the waiting screen after a restart (or a settlement whose outcome was not seen): what is
 * known (patient masked, amount, the message and its state), and one key for the next step: F10 冲正确认
 * (2601 of that msgid), then Enter 重做 (a new sale with the same drugs, presettled on the counter) or
 * Del 放弃 (nothing was charged; the boxes are free again).
 */
export function RecoveryPanel(props: Props) {
  // The cashier screen's component tests render it without a client: nothing to recover there.
  const client = useContext(ClientContext);
  return client ? <RecoveryList client={client} {...props} /> : null;
}

interface Props {
  keys: SubKeys;
  refresh: string;
  redo: (saleId: number) => void;
}

function RecoveryList({ client, keys, refresh, redo }: Props & { client: PosClient }) {
  const [sales, setSales] = useState<InterruptedSaleDto[]>([]);
  const [selected, setSelected] = useState(0);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ error: boolean; text: string } | null>(null);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    client.call('listInterrupted', {}).then((r) => live.current && setSales(r.sales), (e: unknown) => live.current && setMsg({ error: true, text: errorText(e) }));
    return () => {
      live.current = false;
    };
  }, [client, refresh]);

  const sel = Math.min(selected, Math.max(0, sales.length - 1));
  const current = sales[sel];
  const step = (work: () => Promise<{ message: string; sales: InterruptedSaleDto[] }>) => {
    setBusy(true);
    setMsg(null);
    work().then(
      (r) => {
        setSales(r.sales);
        setMsg({ error: false, text: r.message });
      },
      (e: unknown) => setMsg({ error: true, text: errorText(e) }),
    ).finally(() => setBusy(false));
  };

  keys.current = (e) => {
    if (!current) return false;
    const take = () => {
      e.preventDefault();
      return true;
    };
    if (e.key === 'ArrowDown') return take() && (setSelected(Math.min(sales.length - 1, sel + 1)), true);
    if (e.key === 'ArrowUp') return take() && (setSelected(Math.max(0, sel - 1)), true);
    if (busy) return e.key === 'F10' || e.key === 'Enter' || e.key === 'Delete' ? take() : false;
    if (e.key === 'F10' && current.next === 'resolve') {
      step(() => client.call('resolveInterrupted', { saleId: current.saleId }));
      return take();
    }
    if (current.next !== 'release_or_redo') return e.key === 'F10' ? take() : false;
    if (e.key === 'Enter') {
      redo(current.saleId);
      return take();
    }
    if (e.key === 'Delete') {
      step(() => client.call('releaseInterrupted', { saleId: current.saleId }));
      return take();
    }
    return false;
  };
  useEffect(
    () => () => {
      keys.current = null;
    },
    [keys],
  );

  if (sales.length === 0) return msg ? <div className="notice info" data-testid="recovery-msg">{msg.text}</div> : null;
  return (
    <section className="panel recovery" data-testid="recovery" aria-label="中断的销售">
      <div className="panel-title">中断的销售: 结果未确认或未完成, 请先处理</div>
      {sales.map((s, i) => (
        <div
          key={s.saleId}
          className={`recovery-item${i === sel ? ' selected' : ''}`}
          data-testid="recovery-item"
          data-sale-id={s.saleId}
          data-state={s.state}
          data-next={s.next}
        >
          <div>
            <b>销售 {s.saleId}</b> · {s.createdAt} · {s.psnName} ({s.maskedCertno}) · ¥{s.amount} · {s.lineCount} 种药品 · <b>{s.stateText}</b>
          </div>
          <div className="muted small">
            报文 {s.msgid ?? '无'}: {s.msgidText}
            {s.note ? ` · ${s.note}` : ''}
          </div>
          {i === sel && <div className="keys">{hint(s.next, busy)}</div>}
        </div>
      ))}
      {msg && (
        <div className={msg.error ? 'notice error' : 'notice info'} data-testid="recovery-msg">
          {msg.text}
        </div>
      )}
    </section>
  );
}

function hint(next: InterruptedSaleDto['next'], busy: boolean) {
  if (busy) return <span data-testid="recovery-busy">正在处理…</span>;
  if (next === 'resolve') return <span><kbd>F10</kbd> 冲正确认 (向平台确认并撤销这笔结果未知的结算)</span>;
  if (next === 'wait') return <span>另一进程正在发送这笔结算, 请稍候</span>;
  return (
    <span>
      <kbd>Enter</kbd> 重做 (同样药品新开一单并预结算) · <kbd>Del</kbd> 放弃 (未扣款, 追溯码释放)
    </span>
  );
}
