export function Receipt({ lines }: { lines: string[] }) {
  return (
    <section className="panel receipt" data-testid="receipt" aria-label="小票">
      <div className="panel-title">小票预览</div>
      <pre data-testid="receipt-text">{lines.join('\n')}</pre>
      <div className="muted" data-testid="receipt-next">按 Enter 或 Esc 接待下一位</div>
    </section>
  );
}
