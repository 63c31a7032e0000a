import { useEffect, useRef, useState } from 'react';

/** The quantity of the selected line, typed: whole boxes, or part of a box (拆零, up to 4 decimals). */
export function QuantityDialog({ name, current, onClose, onApply }: { name: string; current: string; onClose(): void; onApply(quantity: string): void }) {
  const [text, setText] = useState(current);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.select(), []);
  return (
    <div className="dialog" role="dialog" aria-label="数量" data-testid="quantity">
      <div className="dialog-body">
        <b>{name} 数量 (盒)</b>
        <input
          ref={ref}
          inputMode="decimal"
          value={text}
          data-testid="quantity-input"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (text.trim() !== '') onApply(text.trim());
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            }
          }}
        />
        <div className="muted">整盒如 2; 可拆零的药品可输入小数, 如 0.25 (最多 4 位). Enter 确定, Esc 取消</div>
      </div>
    </div>
  );
}
