/**
 * 收款: the cash part of the sale on the counter, collected by keyboard. A dialog (visible whatever the
 * screen size) with 应收 large. 实收 opens prefilled with what is still due (selected, so typing replaces
 * it) and 找零 0.00 shown beside it: Enter on that records exactly the amount due in cash and goes on to the
 * next patient (the cashiers' old "Enter, Enter" rhythm, but the screen says what the second Enter records
 * before it does; README 收款). Another amount typed and Enter: the server computes the change. Tab
 * switches 现金 → 微信 → 支付宝 → 银行卡 (amount, Enter, then the reference typed or scanned, Enter); a 付款码
 * read by any scanner arrives from the main process (paymentScan) and fills the reference.
 * Once collected it shows 找零 large; Enter goes on to the next patient. Every figure comes from the
 * server: nothing is added up here.
 */
import { useEffect, useRef, useState } from 'react';
import type { CounterState, SaleDto, TenderDto } from '../../../main/api/contract';
import { scanCapture } from '../scan-capture';

export type TenderKind = TenderDto['lines'][number]['kind'];
export interface TenderArgs {
  saleId: number;
  kind: TenderKind;
  amount: string | null;
  reference?: string;
  thenNext?: boolean;
}

const KINDS: TenderKind[] = ['cash', 'wechat', 'alipay', 'card'];
const KIND_TEXT: Record<TenderKind, string> = { cash: '现金', wechat: '微信', alipay: '支付宝', card: '银行卡' };
const REFERENCE_HINT: Record<TenderKind, string> = {
  cash: '',
  wechat: '扫顾客付款码或输入交易单号',
  alipay: '扫顾客付款码或输入交易号',
  card: '输入签购单参考号或凭证号',
};

/** Shown while the sale has something to collect, or has just been collected with tenders. */
export function tenderShown(sale: SaleDto | null): boolean {
  const t = sale?.tender;
  return Boolean(t && (!t.complete || t.lines.length > 0) && sale?.done);
}

type PaymentScan = NonNullable<CounterState['paymentScan']>;

export function TenderPanel({ sale, paymentScan = null, busy, error, onTender, onNext }: { sale: SaleDto; paymentScan?: PaymentScan | null; busy: boolean; error: string | null; onTender(args: TenderArgs): void; onNext(): void }) {
  const tender = sale.tender!;
  const [kind, setKind] = useState<TenderKind>('cash');
  const [amount, setAmountState] = useState(tender.remaining);
  // Bumped whenever the amount is prefilled: the prefill is then selected, so a typed 实收 replaces it.
  const [prefills, setPrefills] = useState(0);
  const prefill = (value: string) => {
    setAmountState(value);
    setPrefills((n) => n + 1);
  };
  const [reference, setReference] = useState('');
  const [step, setStep] = useState<'amount' | 'reference'>('amount');
  const amountRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);
  const doneRef = useRef<HTMLInputElement>(null);
  const recorded = tender.lines.length;

  // After each recorded tender: back to cash, 实收 prefilled with what is still due, reference cleared.
  useEffect(() => {
    setKind('cash');
    prefill(tender.remaining);
    setReference('');
    setStep('amount');
  }, [recorded, tender.remaining]);
  // Cash with 实收 = what is due (as prefilled, or typed so): exact, no change; the screen says so before Enter.
  const exactCash = kind === 'cash' && (amount.trim() === '' || amount.trim() === tender.remaining);
  // A wedge scan while the reference is asked for is the patient's 付款码, not a drug.
  useEffect(() => {
    if (tender.complete || step !== 'reference') return;
    const capture = (code: string) => {
      setReference(code);
      return true;
    };
    scanCapture.current = capture;
    return () => {
      if (scanCapture.current === capture) scanCapture.current = null;
    };
  }, [tender.complete, step]);
  // A 付款码 read by a serial/HID/virtual scanner: the main process recognised it (微信 or 支付宝 by its
  // shape) and hands it here; it fills the reference as a wedge scan would, the amount as typed (empty = the rest).
  useEffect(() => {
    if (!paymentScan || tender.complete) return;
    if (kind !== paymentScan.kind) prefill('');
    setKind(paymentScan.kind);
    setReference(paymentScan.code);
    setStep('reference');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paymentScan?.seq]);
  useEffect(() => {
    const target = tender.complete ? doneRef : step === 'reference' ? referenceRef : amountRef;
    target.current?.focus();
  }, [tender.complete, step, kind, recorded]);
  useEffect(() => {
    if (document.activeElement === amountRef.current) amountRef.current?.select();
  }, [prefills]);

  const submit = () => {
    if (busy) return;
    const typed = amount.trim() === '' ? null : amount.trim();
    if (kind === 'cash') onTender({ saleId: sale.id, kind, amount: exactCash ? null : typed, thenNext: exactCash });
    else if (step === 'amount') setStep('reference');
    else onTender({ saleId: sale.id, kind, amount: typed, reference: reference.trim() });
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'Tab') {
      e.preventDefault();
      const next = KINDS[(KINDS.indexOf(kind) + 1) % KINDS.length]!;
      setKind(next);
      prefill(next === 'cash' ? tender.remaining : '');
      setStep('amount');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (kind !== 'cash') {
        setKind('cash');
        prefill(tender.remaining);
        setStep('amount');
      } else onNext();
    }
  };

  return (
    <div className="dialog tender" role="dialog" aria-label="收款" data-testid="tender" data-complete={tender.complete ? 'yes' : 'no'} data-lines={recorded}>
      <div className="dialog-body tender-body">
        <div className="tender-due">
          <span>{sale.selfPay ? '全自费应收' : '应收 (个人现金部分)'}</span>
          <span className="amount huge" data-testid="tender-due">¥{tender.due}</span>
        </div>
        {error && !tender.complete && (
          <div className="notice error" role="alert" data-testid="tender-error">
            {error}
          </div>
        )}
        {tender.lines.length > 0 && (
          <table className="tender-lines" data-testid="tender-lines">
            <tbody>
              {tender.lines.map((l, i) => (
                <tr key={i} data-testid="tender-line">
                  <td>{l.kindText}</td>
                  <td className="num">¥{l.tendered}</td>
                  <td className="muted small">{l.reference ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tender.complete ? (
          <>
            <div className="tender-row">
              <span>实收</span>
              <span className="amount big" data-testid="tender-received">¥{tender.received}</span>
            </div>
            <div className="tender-row change">
              <span>找零</span>
              <span className="amount huge" data-testid="tender-change">¥{tender.change}</span>
            </div>
            <input
              ref={doneRef}
              readOnly
              className="tender-next"
              value="收款完成: 按 Enter 接待下一位"
              data-testid="tender-next"
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === 'Escape') {
                  e.preventDefault();
                  onNext();
                }
              }}
            />
          </>
        ) : (
          <>
            <div className="tender-row">
              <span>还应收</span>
              <span className="amount big" data-testid="tender-remaining">¥{tender.remaining}</span>
            </div>
            <div className="tender-kinds" data-testid="tender-kind" data-kind={kind}>
              {KINDS.map((k) => (
                <span key={k} className={k === kind ? 'kind active' : 'kind'}>
                  {KIND_TEXT[k]}
                </span>
              ))}
              <span className="muted small">
                <kbd>Tab</kbd> 切换
              </span>
            </div>
            <label className="tender-row">
              <span>{kind === 'cash' ? '实收 (元)' : `${KIND_TEXT[kind]}金额 (元)`}</span>
              <input
                ref={amountRef}
                inputMode="decimal"
                value={amount}
                placeholder={kind === 'cash' ? `空=${tender.remaining} 收讫` : `空=${tender.remaining}`}
                data-testid="tender-amount"
                disabled={step === 'reference'}
                onChange={(e) => setAmountState(e.target.value)}
                onKeyDown={keys}
              />
            </label>
            {exactCash && (
              <div className="tender-row" data-testid="tender-exact">
                <span>找零</span>
                <span className="amount big" data-testid="tender-change-preview">¥0.00</span>
              </div>
            )}
            {kind !== 'cash' && step === 'reference' && (
              <label className="tender-row">
                <span>{KIND_TEXT[kind]}单号</span>
                <input
                  ref={referenceRef}
                  value={reference}
                  placeholder={REFERENCE_HINT[kind]}
                  data-testid="tender-reference"
                  onChange={(e) => setReference(e.target.value)}
                  onKeyDown={keys}
                />
              </label>
            )}
            <div className="muted small">
              {exactCash ? `Enter 现金收讫 ${tender.remaining} 元 (无找零) 并接待下一位; 收到整钞请先输入实收` : 'Enter 确认'}; Esc{' '}
              {kind === 'cash' ? '不登记收款, 接待下一位' : '回到现金'}
            </div>
          </>
        )}
      </div>
    </div>
  );
}

/** 撤销: what to hand back to the patient, by how he paid (the server's figures). */
export function HandBackRows({ lines }: { lines: NonNullable<TenderDto['handBack']> }) {
  return (
    <div className="hand-back" data-testid="hand-back">
      {lines.map((l, i) => (
        <div key={i} className="split-row" data-testid="hand-back-line">
          <span>
            退{l.kindText}
            {l.reference ? <span className="muted small"> {l.reference}</span> : null}
          </span>
          <span className="amount">¥{l.amount}</span>
        </div>
      ))}
    </div>
  );
}
