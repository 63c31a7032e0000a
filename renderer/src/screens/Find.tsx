import { useState } from 'react';
import type { SaleDto, SaleSummary } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';
import { useScreenKeys } from '../screen-keys';
import { SplitRows } from '../components/SplitPanel';
import { chinaDateTime } from '../../../main/platform/china-time';
import { HandBackRows } from '../components/TenderPanel';
import { SearchBox, useSearchList } from '../components/SearchList';

/**
 * 查询: find a past sale by its number, 结算号 or the patient (name or the last 4 of the ID; exact, so "1"
 * is sale 1), see its drugs and trace codes, reprint its receipt (F9) and cancel it (2103, the refund shown).
 */
export function FindScreen() {
  const client = useClient();
  const finder = useSearchList(
    (query) => client.call('findSales', { query, limit: 50 }).then((r) => r.sales),
    (row: SaleSummary) => open(row.id),
  );
  const { query, list, answered, loading, error, setError, selected, setSelected, input, search } = finder;
  const [detail, setDetail] = useState<SaleDto | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState<string | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);

  const open = (id: number) => {
    setConfirming(false);
    setPrinted(null);
    client.call('getSale', { saleId: id }).then(setDetail, (e: unknown) => setError(errorText(e)));
  };

  const cancel = () => {
    if (!detail) return;
    setWorking('正在撤销 (2103)…');
    setError(null);
    client.call('cancelSale', { saleId: detail.id }).then(
      (s) => {
        setDetail(s);
        setWorking(null);
        setConfirming(false);
        search(query);
      },
      (e: unknown) => {
        setError(errorText(e));
        setWorking(null);
        setConfirming(false);
      },
    );
  };

  const reprint = (id: number) => {
    setPrinted(null);
    client.call('printReceipt', { saleId: id }).then(
      (r) => setPrinted(r.message),
      (e: unknown) => setError(errorText(e)),
    );
  };

  useScreenKeys((e, inField) => {
    if (finder.listKey(e, inField)) return;
    if (e.key === 'F9') {
      e.preventDefault();
      if (!detail?.receipt || working) return;
      reprint(detail.id);
    } else if (e.key === 'F12') {
      e.preventDefault();
      if (!detail?.canCancel || working) return;
      if (confirming) cancel();
      else setConfirming(true);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (confirming) setConfirming(false);
      else if (detail) setDetail(null);
      else input.current?.focus();
    }
  });

  return (
    <div className="find" data-testid="find">
      <SearchBox
        s={finder}
        testId="find-query"
        placeholder="销售号 / 姓名 / 结算号 / 证件号后4位, Enter 查找"
        hint="↑↓ 选择, Enter 打开, F9 重打小票, F12 撤销, Esc 返回"
      />
      {error && (
        <div className="notice error" role="alert" data-testid="find-error">
          {error}
        </div>
      )}
      {working && <div className="notice busy">{working}</div>}
      <div className="find-body">
        <section className="panel list" data-testid="find-list" data-query={answered ?? undefined}>
          {loading && !list && <div className="muted" data-testid="find-loading">正在查找…</div>}
          {list && list.length === 0 && <div className="muted" data-testid="find-empty">{answered ? '没有找到销售: 请核对销售号或结算号, 也可输入患者姓名或证件号后 4 位' : '没有找到销售'}</div>}
          {list && list.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>销售号</th>
                  <th>时间</th>
                  <th>患者</th>
                  <th className="num">金额</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s, i) => (
                  <tr key={s.id} className={i === selected ? 'selected' : ''} data-testid="find-row" data-sale={s.id} onClick={() => { setSelected(i); open(s.id); }}>
                    <td>{s.id}</td>
                    <td data-testid="find-time">{chinaDateTime(s.createdAt)}</td>
                    <td>{s.psnName} <span className="muted small">{s.maskedCertno}</span></td>
                    <td className="num">{s.total}</td>
                    <td>{s.stateLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {detail && (
          <section className="panel detail" data-testid="find-detail" data-sale={detail.id}>
            <div className="panel-title">
              销售 <span data-testid="detail-id">{detail.id}</span> · {detail.patient.psnName} · <span data-testid="detail-state">{detail.stateLabel}</span>
            </div>
            <div className="muted small">开单 {chinaDateTime(detail.createdAt)} · 证件 {detail.patient.maskedCertno} · {detail.patient.insutypeText}</div>
            <DetailLines sale={detail} />
            {detail.settlement && (
              <>
                <div className="muted">结算号 {detail.settlement.setlId} · {detail.settlement.setlTime}</div>
                <SplitRows split={detail.settlement} prefix="detail" />
              </>
            )}
            {detail.refund && (
              <div className="refund" data-testid="refund">
                <div className="panel-title">已撤销, 退回:</div>
                <div className="split-row"><span>统筹基金</span><span className="amount" data-testid="refund-fund">¥{detail.refund.fundPay}</span></div>
                <div className="split-row"><span>个人账户</span><span className="amount" data-testid="refund-acct">¥{detail.refund.acctPay}</span></div>
                <div className="split-row"><span>　其中家庭共济</span><span className="amount">¥{detail.refund.acctMulaidPay}</span></div>
                <div className="split-row"><span>医保钱包</span><span className="amount" data-testid="refund-wallet">¥{detail.refund.walletPay}</span></div>
                <div className="split-row strong"><span>现金 (退给患者)</span><span className="amount" data-testid="refund-cash">¥{detail.refund.cashPay}</span></div>
                {detail.tender?.handBack && <HandBackRows lines={detail.tender.handBack} />}
              </div>
            )}
            {detail.lastError && <div className="warning">{detail.lastError}</div>}
            {detail.receipt && !confirming && (
              <div className="muted" data-testid="reprint-hint">按 <kbd>F9</kbd> 重打小票</div>
            )}
            {printed && (
              <div className="notice info" data-testid="reprint-result">{printed}</div>
            )}
            {printed && detail.receipt && (
              <pre className="receipt-copy" data-testid="reprint-preview">{detail.receipt.join('\n')}</pre>
            )}
            {detail.canCancel && !confirming && <div className="confirm-hint">按 <kbd>F12</kbd> 撤销此笔结算</div>}
            {confirming && (
              <div className="banner warn" data-testid="cancel-confirm">
                确认撤销? 统筹/账户/钱包将退回, 现金 ¥{detail.settlement?.cashPay} 请退给患者. 再按 <kbd>F12</kbd> 确认, Esc 放弃
                {detail.tender?.handBack && <HandBackRows lines={detail.tender.handBack} />}
              </div>
            )}
          </section>
        )}
      </div>
    </div>
  );
}

/** The sale's drugs with their trace codes (one per box; a split box's code serves several sales). */
function DetailLines({ sale }: { sale: SaleDto }) {
  if (sale.lines.length === 0) return <div className="muted" data-testid="detail-no-lines">没有药品</div>;
  return (
    <table className="detail-lines" data-testid="detail-lines">
      <thead>
        <tr>
          <th>药品</th>
          <th className="num">数量</th>
          <th className="num">金额</th>
        </tr>
      </thead>
      <tbody>
        {sale.lines.map((l) => (
          <tr key={l.lineNo} data-testid="detail-line" data-barcode={l.barcode}>
            <td>
              <div className="drug">{l.name} <span className="muted small">{l.spec}</span></div>
              <div className="codes" data-testid="detail-trace">
                追溯码: {l.traceCodes.length > 0 ? l.traceCodes.join(', ') : '无'}
              </div>
            </td>
            <td className="num">{l.quantity}</td>
            <td className="num">{l.amount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
