import { useEffect, useRef, useState } from 'react';

/**
 * F9: a patient identified by a bare ID number (no card, no 医保码). Two steps: the number typed, then the
 * cashier's explicit confirmation that the patient's own ID document was checked against it (the card is
 * not shared; the confirmation goes to the audit trail). Esc cancels at either step.
 */
export function IdNumberDialog({ onClose, onConfirm }: { onClose(): void; onConfirm(certno: string): void }) {
  const [text, setText] = useState('');
  const [checking, setChecking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => (checking ? confirm.current?.focus() : input.current?.focus()), [checking]);

  const submit = () => {
    const certno = text.trim().toUpperCase();
    if (!/^\d{17}[\dX]$/.test(certno)) return setError('身份证号应为 18 位 (最后一位可为 X)');
    setError(null);
    setChecking(certno);
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (checking) onConfirm(checking);
      else submit();
    }
  };

  return (
    <div className="dialog" role="dialog" aria-label="凭身份证号识别" data-testid="idno-dialog" onKeyDown={keys}>
      <div className="dialog-body">
        <b>凭身份证号识别患者 (无社保卡、无医保码)</b>
        {!checking ? (
          <>
            <input ref={input} value={text} maxLength={18} data-testid="idno-input" onChange={(e) => setText(e.target.value)} />
            {error && <div className="error" role="alert" data-testid="idno-error">{error}</div>}
            <div className="muted">Enter 下一步, Esc 取消</div>
          </>
        ) : (
          <div role="alert" data-testid="idno-check">
            <div className="big">请核验患者本人的身份证件</div>
            <div>
              证件号码须为 <b data-testid="idno-number">{checking}</b>, 照片须是眼前的患者本人. 医保凭证不能借用他人的.
            </div>
            <button ref={confirm} type="button" data-testid="idno-confirm" onClick={() => onConfirm(checking)}>
              已核验本人身份证件, 识别 (Enter)
            </button>
            <button type="button" data-testid="idno-cancel" onClick={onClose}>
              取消 (Esc)
            </button>
            <div className="muted">确认会记入审计记录</div>
          </div>
        )}
      </div>
    </div>
  );
}
