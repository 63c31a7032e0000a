import type { SaleDto, SplitDto } from '../../../main/api/contract';

function Row({ label, value, id, strong }: { label: string; value: string; id: string; strong?: boolean }) {
  return (
    <div className={strong ? 'split-row strong' : 'split-row'}>
      <span>{label}</span>
      <span className="amount" data-testid={id}>¥{value}</span>
    </div>
  );
}

export function SplitRows({ split, prefix = 'split' }: { split: SplitDto; prefix?: string }) {
  return (
    <>
      <Row label="医疗费总额" value={split.medfee} id={`${prefix}-medfee`} />
      <Row label="统筹基金" value={split.hifpPay} id={`${prefix}-hifp`} />
      {split.otherFunds.map((f) => (
        <Row key={f.code} label={f.name} value={f.amount} id={`${prefix}-fund-${f.code}`} />
      ))}
      <Row label="个人账户" value={split.acctPay} id={`${prefix}-acct`} />
      <Row label="　其中家庭共济" value={split.acctMulaidPay} id={`${prefix}-mulaid`} />
      <Row label="医保钱包" value={split.walletPay} id={`${prefix}-wallet`} />
      <Row label="现金" value={split.cashPay} id={`${prefix}-cash`} strong />
    </>
  );
}

/**
 * The choices a shown preview was made with ("account:on wallet:on cap:none"), or undefined without one.
 * The choices and the figures arrive together, so tests can wait for the preview of a given request
 * instead of reading the previous one while the new 2101 is still on its way.
 */
function previewKey(sale: SaleDto): string | undefined {
  if (!sale.preview) return undefined;
  const { useAccount, useWallet, walletCap } = sale.choices;
  return `account:${useAccount ? 'on' : 'off'} wallet:${useWallet ? 'on' : 'off'} cap:${walletCap ?? 'none'}`;
}

export function SplitPanel({ sale }: { sale: SaleDto }) {
  const split = sale.settlement ?? sale.preview;
  return (
    <section className="panel split" data-testid="split" data-preview={previewKey(sale)} aria-label="结算金额">
      <div className="panel-title">
        {sale.settlement ? (sale.offlineText && sale.done ? '已收款' : '已结算') : sale.preview ? '预结算 (2101)' : '结算预览'}
        <span className="tag">{sale.stateLabel}</span>
      </div>
      <div className="choices">
        <span className={sale.choices.useAccount ? '' : 'off'} data-testid="choice-acct">
          个人账户: {sale.choices.useAccount ? '使用' : '不使用'} <kbd>F2</kbd>
        </span>
        <span data-testid="choice-wallet">
          钱包限额: {sale.choices.walletCap !== null ? `¥${sale.choices.walletCap}` : '不限'} <kbd>F3</kbd>
        </span>
      </div>
      {split ? (
        <SplitRows split={split} />
      ) : (
        <div className="muted" data-testid="split-empty">
          {sale.lines.length === 0 ? '扫入药品后按 F4 预结算' : '购物车已变: 按 F4 或 Enter 预结算'}
        </div>
      )}
      {sale.offlineText && (
        <div className="warning offline-mark" data-testid="offline-mark">
          {sale.offlineText}
        </div>
      )}
      {sale.lastError && (
        <div className="warning" role="alert" data-testid="sale-error">
          {sale.lastError}
        </div>
      )}
      {sale.preview && !sale.canSettle && (
        <div className="blocked-hint" role="alert" data-testid="blocked-hint">
          {sale.traceRequired && sale.traceMissingTotal > 0
            ? `追溯码还缺 ${sale.traceMissingTotal} 个: 扫齐每盒的追溯码后按 Enter 结算`
            : '不能医保结算: 请改为全自费收款, 或等联网后再结算'}
        </div>
      )}
      {sale.preview && sale.canSettle && (
        <div className="confirm-hint" data-testid="confirm-hint">
          请患者确认后按 <kbd>Enter</kbd> 结算
        </div>
      )}
    </section>
  );
}
