import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';

type Drug = Result<'findDrugs'>['drugs'][number];

/**
 * 药品查找: when a barcode will not scan, the cashier types the name, its 拼音 initials ("blf" for 布洛芬)
 * or digits of the barcode; ↑↓ choose, Enter adds one box (as if its barcode were scanned), Esc closes.
 */
export function DrugLookup({ initial, onPick, onClose }: { initial: string; onPick(barcode: string): void; onClose(): void }) {
  const client = useClient();
  const [query, setQuery] = useState(initial);
  const [drugs, setDrugs] = useState<Drug[] | null>(null);
  const [answered, setAnswered] = useState('');
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setDrugs(null);
      setAnswered('');
      return;
    }
    let current = true;
    client.call('findDrugs', { query: q }).then(
      (r) => {
        if (!current) return;
        setDrugs(r.drugs);
        setAnswered(q);
        setSelected(0);
        setError(null);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [client, query]);

  const list = drugs ?? [];
  return (
    <div className="dialog" role="dialog" aria-label="药品查找" data-testid="drug-lookup">
      <div className="dialog-body lookup">
        <b>药品查找: 药名、拼音首字母 (如 blf = 布洛芬) 或条码数字</b>
        <input
          ref={input}
          value={query}
          data-testid="drug-lookup-input"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setSelected((s) => Math.max(0, Math.min(list.length - 1, s + (e.key === 'ArrowDown' ? 1 : -1))));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const drug = list[selected];
              if (drug && answered === query.trim()) onPick(drug.barcode);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            }
          }}
        />
        {error && <div className="notice error" role="alert">{error}</div>}
        <div className="lookup-list" role="listbox" aria-label="查找结果" data-testid="drug-lookup-results" data-query={answered}>
          {drugs && list.length === 0 && <div className="muted" data-testid="drug-lookup-empty">没有找到 “{answered}”: 请换个写法, 或核对药品是否在本店目录中</div>}
          {list.map((d, i) => (
            <div
              key={d.barcode}
              role="option"
              aria-selected={i === selected}
              tabIndex={-1}
              className={i === selected ? 'lookup-row selected' : 'lookup-row'}
              data-testid="drug-lookup-row"
              data-barcode={d.barcode}
              data-selected={i === selected ? 'true' : undefined}
              onClick={() => onPick(d.barcode)}
            >
              <span className="drug">{d.name}</span> <span className="muted small">{d.spec} · {d.initials}</span>
              <span className="num">¥{d.price}</span>
            </div>
          ))}
        </div>
        <div className="muted small">↑↓ 选择, Enter 加入购物车 (1 盒), Esc 关闭</div>
      </div>
    </div>
  );
}
