import { useEffect, useRef } from 'react';
import type { SaleDto } from '../../../main/api/contract';

/** The cart: its lines scroll (the selected one kept in view), the total below them never does. */
export function Cart({ sale, selected, onSelect }: { sale: SaleDto; selected: number; onSelect: (i: number) => void }) {
  const selectedRow = useRef<HTMLTableRowElement>(null);
  const scrollArea = useRef<HTMLDivElement>(null);
  const selectedLine = sale.lines[selected]?.lineNo;
  useEffect(() => {
    selectedRow.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedLine, sale.lines.length]);
  // The window resized (or a banner came and went): the highlighted line stays in view.
  useEffect(() => {
    const area = scrollArea.current;
    if (!area || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => selectedRow.current?.scrollIntoView?.({ block: 'nearest' }));
    observer.observe(area);
    return () => observer.disconnect();
  }, []);
  return (
    <section className="panel cart" data-testid="cart" aria-label="购物车">
      <div className="cart-scroll" data-testid="cart-scroll" ref={scrollArea}>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>药品</th>
            <th>类别</th>
            <th className="num">单价</th>
            <th className="num">数量</th>
            <th className="num">金额</th>
            <th>追溯码</th>
          </tr>
        </thead>
        <tbody>
          {sale.lines.length === 0 && (
            <tr>
              <td colSpan={7} className="empty" data-testid="cart-empty">
                请扫药品条码
              </td>
            </tr>
          )}
          {sale.lines.map((l, i) => (
            <tr
              key={l.lineNo}
              ref={i === selected ? selectedRow : undefined}
              className={i === selected ? 'selected' : ''}
              data-testid="cart-line"
              data-line={l.lineNo}
              data-selected={i === selected ? 'true' : undefined}
              onClick={() => onSelect(i)}
            >
              <td>{i + 1}</td>
              <td>
                <div className="drug">{l.name}</div>
                <div className="muted small">{l.spec} · {l.barcode}</div>
              </td>
              <td className="cls">{l.classText}</td>
              <td className="num">{l.price}</td>
              <td className="num qty" data-testid="line-qty">{l.quantity ?? l.cnt}</td>
              <td className="num amount">{l.amount}</td>
              <td className={l.traceMissing > 0 ? 'trace missing' : 'trace ok'} data-testid="line-trace">
                {l.quantity !== undefined && l.quantity !== String(l.cnt) ? `拆零 ${l.traceCount} 码` : `${l.traceCount}/${l.cnt}`}
                {l.traceMissing > 0 ? ` 缺 ${l.traceMissing}` : ' ✓'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <div className="cart-foot" data-testid="cart-foot">
        <span>
          共 {sale.boxes} 盒, 合计 <b className="amount big" data-testid="cart-total">¥{sale.total}</b>
        </span>
        {sale.traceRequired && sale.traceMissingTotal > 0 && (
          <span className="missing" data-testid="trace-missing">追溯码还缺 {sale.traceMissingTotal} 个 (每盒一个), 扫齐才能结算</span>
        )}
      </div>
    </section>
  );
}
