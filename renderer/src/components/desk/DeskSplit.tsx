import type { VisitDto } from '../../../../main/api/contract';

/** 脱机: the split is the terminal's estimate, settled later by the platform (differences: the technician's exceptions). */
function offlineTitle(visit: VisitDto): string {
  if (visit.state === 'offline_queued') return '脱机估算 (已收费, 待上传医保)';
  return visit.preview ? '脱机估算 (Enter 按估算收费)' : '脱机估算 (F4)';
}

/** 统筹, the other funds, 个人账户 (of which 家庭共济), 医保钱包, 现金: the presettlement, then the settlement. */
export function DeskSplit({ visit }: { visit: VisitDto }) {
  const s = visit.settlement ?? visit.preview;
  return (
    <section className="panel split" data-testid="desk-split" aria-label="结算金额">
      <div className="panel-title">{visit.settlement ? '结算结果' : visit.offline ? offlineTitle(visit) : visit.preview ? '预结算 (Enter 确认结算)' : '预结算 (F4)'}</div>
      {!s ? (
        <div className="muted">费用上传后按 F4 预结算</div>
      ) : (
        <>
          <Row label="医疗费总额" amount={s.medfee} />
          <Row label="统筹基金" amount={s.hifpPay} testId="desk-hifp" />
          {s.otherFunds.map((f) => (
            <Row key={f.code} label={f.name} amount={f.amount} />
          ))}
          <Row label="个人账户" amount={s.acctPay} testId="desk-acct" />
          <Row label="  其中家庭共济" amount={s.acctMulaidPay} testId="desk-mulaid" />
          <Row label="医保钱包" amount={s.walletPay} testId="desk-wallet" />
          <Row label="现金" amount={s.cashPay} testId="desk-cash" strong />
          <div className="muted">
            个人账户余额 {s.acctBalcAfter}
            {s.walletBalcAfter !== null ? ` · 钱包余额 ${s.walletBalcAfter}` : ''}
            {visit.choices.useAccount ? '' : ' · 不使用个人账户'}
            {visit.choices.useWallet ? '' : ' · 不使用医保钱包'}
          </div>
        </>
      )}
      {visit.refund && (
        <div data-testid="desk-refund">
          <div className="panel-title">已撤销: 退费</div>
          <Row label="退回基金" amount={visit.refund.fundPay} />
          <Row label="退回个人账户" amount={visit.refund.acctPay} />
          <Row label="  其中家庭共济" amount={visit.refund.acctMulaidPay} />
          <Row label="退回医保钱包" amount={visit.refund.walletPay} />
          <Row label="退现金" amount={visit.refund.cashPay} strong />
        </div>
      )}
    </section>
  );
}

function Row({ label, amount, strong, testId }: { label: string; amount: string; strong?: boolean; testId?: string }) {
  return (
    <div className={strong ? 'split-row strong' : 'split-row'} data-testid={testId}>
      <span>{label}</span>
      <span className="amount">{amount}</span>
    </div>
  );
}
