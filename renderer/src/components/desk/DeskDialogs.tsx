import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../../main/api/contract';
import { useClient } from '../../api/context';

type Diagnosis = Result<'deskSearch'>['diagnoses'][number];

/** F1: diagnoses searched in the catalog (code or name), picked with ↑↓ Enter; F2 in here toggles 门诊慢特病. */
export function DiagnosisDialog({ onClose, onApply }: { onClose(): void; onApply(medType: '11' | '14', codes: string[]): void }) {
  const client = useClient();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Diagnosis[]>([]);
  const [sel, setSel] = useState(0);
  const [picked, setPicked] = useState<Diagnosis[]>([]);
  const [chronic, setChronic] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => {
    let live = true;
    client.call('deskSearch', { what: 'diagnosis', query }).then((r) => live && (setHits(r.diagnoses), setSel(0)), () => undefined);
    return () => {
      live = false;
    };
  }, [client, query]);
  return (
    <div className="dialog" role="dialog" aria-label="诊断" data-testid="desk-diagnosis">
      <div className="dialog-body wide">
        <b>诊断 (ICD-10) · {chronic ? '门诊慢特病 (14)' : '普通门诊 (11)'}</b>
        <input
          ref={ref}
          value={query}
          placeholder="编码或名称, 如 J06 或 上呼吸道"
          data-testid="desk-diagnosis-input"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') (e.preventDefault(), setSel(Math.min(hits.length - 1, sel + 1)));
            else if (e.key === 'ArrowUp') (e.preventDefault(), setSel(Math.max(0, sel - 1)));
            else if (e.key === 'F2') (e.preventDefault(), setChronic(!chronic));
            else if (e.key === 'Escape') (e.preventDefault(), onClose());
            else if (e.key === 'Enter') {
              e.preventDefault();
              const hit = hits[sel];
              if (query.trim() === '' && picked.length > 0) onApply(chronic ? '14' : '11', picked.map((d) => d.code));
              else if (hit && !picked.some((p) => p.code === hit.code)) (setPicked([...picked, hit]), setQuery(''));
            }
          }}
        />
        <ul className="pick-list">
          {hits.map((d, i) => (
            <li key={d.code} className={i === sel ? 'selected' : ''}>
              {d.code} {d.name} {d.chronic ? <span className="muted">慢特病</span> : null}
            </li>
          ))}
        </ul>
        <div data-testid="desk-diagnosis-picked">已选: {picked.map((d) => `${d.code} ${d.name}`).join('; ') || '无'}</div>
        <div className="muted">Enter 选中; 输入框为空时 Enter 上传诊断 (2203). F2 切换门诊慢特病, Esc 取消</div>
      </div>
    </div>
  );
}

/** F3: the HIS export pasted (or read from a file) as JSON; validated on the server, nothing uploaded when bad. */
export function ImportDialog({ onClose, onApply }: { onClose(): void; onApply(raw: unknown): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const apply = () => {
    try {
      onApply(JSON.parse(text));
    } catch {
      setError('不是有效的 JSON: 请粘贴 HIS 导出的费用数据');
    }
  };
  return (
    <div className="dialog" role="dialog" aria-label="导入HIS费用" data-testid="desk-import">
      <div className="dialog-body wide">
        <b>导入 HIS 费用 (his-outpatient-fees/1)</b>
        <textarea
          ref={ref}
          rows={12}
          value={text}
          data-testid="desk-import-text"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.ctrlKey) (e.preventDefault(), apply());
            else if (e.key === 'Escape') (e.preventDefault(), onClose());
          }}
        />
        <input
          type="file"
          accept=".json,application/json"
          data-testid="desk-import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then(setText);
          }}
        />
        {error && <div className="notice error">{error}</div>}
        <div className="muted">Ctrl+Enter 上传 (2204), Esc 取消</div>
      </div>
    </div>
  );
}

/** Ins: one item keyed by its hospital code and quantity, at the catalog's price. */
export function KeyedItemDialog({ onClose, onApply }: { onClose(): void; onApply(code: string, quantity: string): void }) {
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') (e.preventDefault(), onApply(code.trim(), quantity.trim()));
    else if (e.key === 'Escape') (e.preventDefault(), onClose());
  };
  return (
    <div className="dialog" role="dialog" aria-label="录入收费项目" data-testid="desk-keyed">
      <div className="dialog-body">
        <b>按编码录入收费项目</b>
        <input ref={ref} value={code} placeholder="项目编码, 如 XM000001" data-testid="desk-keyed-code" onChange={(e) => setCode(e.target.value)} onKeyDown={keys} />
        <input value={quantity} inputMode="decimal" data-testid="desk-keyed-qty" onChange={(e) => setQuantity(e.target.value)} onKeyDown={keys} />
        <div className="muted">Enter 上传 (2204), Esc 取消</div>
      </div>
    </div>
  );
}
