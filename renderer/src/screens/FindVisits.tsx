/**
 * 门诊查询: the billing clerk finds a past visit (its number, 门诊号, 就诊ID, 结算号, the last 4 of the ID
 * number, or the patient's name) and opens it on the desk, where F6 reprints its receipt and F9 cancels its
 * settlement (2208) as for the visit just settled. A patient who comes back for a refund is served here.
 */
import type { VisitSummary } from '../../../main/api/contract';
import { chinaDateTime } from '../../../main/platform/china-time';
import { useClient } from '../api/context';
import { SearchBox, useSearchList } from '../components/SearchList';
import { useScreenKeys } from '../screen-keys';

export function FindVisitsScreen({ onOpen }: { onOpen(visitId: number): void }) {
  const client = useClient();
  const s = useSearchList(
    (query) => client.call('deskListVisits', { query, limit: 50 }).then((r) => r.visits),
    (v: VisitSummary) => onOpen(v.id),
  );

  useScreenKeys((e, inField) => {
    if (s.listKey(e, inField)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      s.input.current?.focus();
    }
  });

  const { list, answered, error, selected } = s;
  return (
    <div className="find" data-testid="find-visits">
      <SearchBox
        s={s}
        testId="visits-query"
        placeholder="单号/门诊号/结算号/姓名/证件号后4位"
        hint="Enter 打开到收费处 (F6 重打票据, F9 撤销结算) · ↑↓ 选择 · Esc 回到输入框"
      />
      {error && (
        <div className="notice error" role="alert" data-testid="visits-error">
          {error}
        </div>
      )}
      <div className="find-body single">
        <section className="panel list" data-testid="visits-list" data-query={answered ?? undefined}>
          {list && list.length === 0 && (
            <div className="muted" data-testid="visits-empty">
              {answered ? '没有找到就诊: 请核对单号、门诊号或结算号, 也可输入患者姓名或证件号后 4 位' : '还没有就诊'}
            </div>
          )}
          {list && list.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>单号</th>
                  <th>时间</th>
                  <th>患者</th>
                  <th>门诊号</th>
                  <th className="num">金额</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {list.map((v, i) => (
                  <tr key={v.id} className={i === selected ? 'selected' : ''} data-testid="visits-row" data-visit={v.id} onClick={() => onOpen(v.id)}>
                    <td>{v.id}</td>
                    <td>{chinaDateTime(v.createdAt)}</td>
                    <td>{v.psnName}</td>
                    <td>{v.iptOtpNo}</td>
                    <td className="num">{v.total}</td>
                    <td data-testid="visits-state">{v.stateText}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
