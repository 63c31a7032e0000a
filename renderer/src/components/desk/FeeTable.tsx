import type { VisitDto } from '../../../../main/api/contract';

/** The visit's fee items with the platform's answer per item (2204): class, self-pay ratio, ceiling, full self-pay. */
export function FeeTable({ visit, selected, onSelect }: { visit: VisitDto; selected: number; onSelect: (i: number) => void }) {
  const live = visit.fees.filter((f) => f.status !== 'removed');
  return (
    <section className="panel desk-fees" data-testid="desk-fees" aria-label="费用明细">
      <div className="panel-title">
        费用明细 <span className="muted">{live.length} 项</span>
      </div>
      {live.length === 0 ? (
        <div className="muted" data-testid="desk-fees-empty">F3 导入 HIS 费用 · Ins 按编码录入</div>
      ) : (
        <table className="desk-table">
          <thead>
            <tr>
              <th>单据</th>
              <th>项目</th>
              <th className="num">数量</th>
              <th className="num">单价</th>
              <th className="num">金额</th>
              <th>等级</th>
              <th className="num">自付比例</th>
              <th className="num">限价</th>
              <th className="num">全自费</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {live.map((f, i) => (
              <tr key={f.feedetlSn} className={i === selected ? 'selected' : ''} data-testid="desk-fee" data-sn={f.feedetlSn} onClick={() => onSelect(i)}>
                <td>{f.rxno}</td>
                <td>{f.name}</td>
                <td className="num">{f.cnt}</td>
                <td className="num">{f.pric}</td>
                <td className="num">{f.amount}</td>
                <td data-testid="desk-fee-class">{f.classText || '-'}</td>
                <td className="num">{f.selfpayProp ?? '-'}</td>
                <td className="num">{f.ceiling ?? '-'}</td>
                <td className="num">{f.fulamtOwnpay ?? '-'}</td>
                <td data-testid="desk-fee-status">{f.statusText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="cart-foot">
        <span className="muted">合计</span>
        <b data-testid="desk-total">¥{visit.total}</b>
      </div>
    </section>
  );
}
