import { useEffect, useState } from 'react';
import type { Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';
import type { SubKeys } from './RecoveryPanel';

type ParkedSaleDto = Result<'listParked'>['sales'][number];

/** 取单: the parked sales (they survive a restart); ↑↓ choose, Enter recalls onto the counter, Esc closes. */
export function ParkedList({ keys, onRecall, onClose }: { keys: SubKeys; onRecall: (saleId: number) => void; onClose: () => void }) {
  const client = useClient();
  const [sales, setSales] = useState<ParkedSaleDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);

  useEffect(() => {
    client.call('listParked', {}).then((r) => setSales(r.sales), (e: unknown) => setError(errorText(e)));
  }, [client]);

  const list = sales ?? [];
  const sel = Math.min(selected, Math.max(0, list.length - 1));
  keys.current = (e) => {
    e.preventDefault();
    if (e.key === 'Escape' || e.key === 'F7') onClose();
    else if (e.key === 'ArrowDown') setSelected(Math.min(list.length - 1, sel + 1));
    else if (e.key === 'ArrowUp') setSelected(Math.max(0, sel - 1));
    else if (e.key === 'Enter' && list[sel]) onRecall(list[sel].saleId);
    return true;
  };
  useEffect(
    () => () => {
      keys.current = null;
    },
    [keys],
  );

  return (
    <div className="dialog" role="dialog" aria-label="挂单列表" data-testid="parked-list">
      <div className="dialog-body">
        <b>挂单列表 (取单)</b>
        {error && <div className="notice error">{error}</div>}
        {sales && list.length === 0 && <div className="muted" data-testid="parked-empty">没有挂起的销售</div>}
        {list.length > 0 && (
          <table>
            <tbody>
              {list.map((s, i) => (
                <tr key={s.saleId} className={i === sel ? 'selected' : ''} data-testid="parked-row" data-sale-id={s.saleId}>
                  <td>{s.parkedAt}</td>
                  <td>{s.psnName}</td>
                  <td className="num">¥{s.amount}</td>
                  <td className="muted small">{s.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="muted">↑↓ 选择, Enter 取单 (取回后按 F4 重新预结算), Esc 关闭</div>
      </div>
    </div>
  );
}
