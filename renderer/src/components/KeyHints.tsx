import type { SaleDto } from '../../../main/api/contract';

export function KeyHints({ sale }: { sale: SaleDto | null }) {
  const settled = sale?.done === true;
  const keys: [string, string][] = !sale
    ? [['读卡/扫码', '识别患者'], ['F9', '身份证号'], ['F11', '全自费 (无卡)'], ['F7', '取单'], ['F10', '交班'], ['F6', '查询/撤销'], ['F8', '运维']]
    : settled
      ? [['Enter', '下一位'], ['Esc', '下一位'], ['F6', '查询/撤销'], ['F10', '交班']]
      : sale.inDoubt
        ? [['F10', '冲正确认 (结果未知的结算)'], ['F6', '查询/撤销']]
        : [
          ['↑↓', '选择行'],
          ['+ / -', '数量'],
          ['*', '输入数量 (拆零)'],
          ['Del', '删除行'],
          ['F2', '不使用个人账户'],
          ['F3', '钱包限额'],
          ['F1', '查找药品'],
          ['F4', '预结算'],
          ['F11', '全自费'],
          // Enter is offered to settle only when it will (trace codes complete, no offline cap in the way).
          ...(sale.preview && !sale.canSettle ? [] : [['Enter/F12', sale.preview ? '确认结算' : '预结算'] as [string, string]]),
          ['F7', '挂单'],
          ['Esc', '作废/下一位'],
        ];
  return (
    <div className="keyhints" data-testid="keyhints">
      {keys.map(([k, t]) => (
        <span key={k}>
          <kbd>{k}</kbd> {t}
        </span>
      ))}
    </div>
  );
}
