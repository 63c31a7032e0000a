import type { PatientDto } from '../../../main/api/contract';

export function PatientPanel({ patient: p }: { patient: PatientDto }) {
  return (
    <section className="panel patient" data-testid="patient-panel" aria-label="患者">
      <div className="patient-head">
        <span className="name" data-testid="patient-name">{p.psnName}</span>
        <span className="muted">
          {p.gendText} {p.age !== null ? `${p.age}岁` : ''}
        </span>
        <span className="tag">{p.certTypeText}</span>
      </div>
      <dl className="facts">
        <dt>证件号</dt>
        <dd data-testid="patient-certno">{p.maskedCertno}</dd>
        <dt>险种</dt>
        <dd data-testid="patient-insutype">{p.insutypeText}</dd>
        <dt>参保地</dt>
        <dd>
          {p.insuplcText}
          {p.crossRegion && <span className="tag warn">异地</span>}
        </dd>
      </dl>
      <dl className="balances">
        <dt>个人账户</dt>
        <dd className="amount" data-testid="bal-acct">{p.ownAcct !== null ? `¥${p.ownAcct}` : '无 (居民医保)'}</dd>
        <dt>可用共济</dt>
        <dd className="amount" data-testid="bal-mulaid">{p.mulaid !== null ? `¥${p.mulaid}` : '-'}</dd>
        <dt>医保钱包</dt>
        <dd className="amount" data-testid="bal-wallet">{p.wallet !== null ? `¥${p.wallet}` : '-'}</dd>
      </dl>
      {p.walletWarning && (
        <div className="warning" role="note" data-testid="wallet-warning">
          ⚠ {p.walletWarning}
        </div>
      )}
    </section>
  );
}
