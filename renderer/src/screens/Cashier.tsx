import { useEffect, useRef, useState } from 'react';
import type { CounterState, LineDto, SaleDto } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient, useEvent } from '../api/context';
import { useScreenKeys } from '../screen-keys';
import { Cart } from '../components/Cart';
import { IdNumberDialog } from '../components/IdNumberDialog';
import { DrugLookup } from '../components/DrugLookup';
import { KeyHints } from '../components/KeyHints';
import { NoticeLine } from '../components/NoticeLine';
import { ParkedList } from '../components/ParkedList';
import { RecoveryPanel, type SubKeys } from '../components/RecoveryPanel';
import { PatientPanel } from '../components/PatientPanel';
import { QuantityDialog } from '../components/QuantityDialog';
import { Receipt } from '../components/Receipt';
import { ShiftReport } from '../components/ShiftReport';
import { SplitPanel } from '../components/SplitPanel';
import { TenderPanel, tenderShown } from '../components/TenderPanel';

/** Text typed by hand that is not a barcode opens 药品查找 with it (App routes it here). */
export interface LookupRequest {
  lookup: string | null;
  onLookup(text: string | null): void;
}

export function CashierScreen({ typed, lookup, onLookup }: { typed: string } & LookupRequest) {
  const client = useClient();
  const counter = useEvent('counter', () => client.call('getState', {}));
  return (
    <CashierView
      state={counter.value}
      loadError={counter.error}
      typed={typed}
      act={(m, a) => client.call(m, a as never) as Promise<CounterState>}
      lookup={lookup}
      onLookup={onLookup}
    />
  );
}

type Act = (
  method:
    | 'setQuantity' | 'removeLine' | 'presettle' | 'settle' | 'nextPatient' | 'parkSale' | 'recallSale' | 'redoInterrupted' | 'resolveSale'
    | 'identifyByIdNumber' | 'submitScan' | 'tender' | 'selfPay' | 'beginSelfPay',
  args: object,
) => Promise<CounterState>;

/** The cashier screen for a given counter state (pure enough for component tests). */
export function CashierView({
  state,
  loadError,
  typed,
  act,
  lookup = null,
  onLookup = () => {},
}: { state: CounterState | null; loadError: string | null; typed: string; act: Act } & Partial<LookupRequest>) {
  const [selected, setSelected] = useState(0);
  const [capOpen, setCapOpen] = useState(false);
  const [qtyOpen, setQtyOpen] = useState(false);
  const [idnoOpen, setIdnoOpen] = useState(false);
  const [escArmed, setEscArmed] = useState(false);
  const [shiftOpen, setShiftOpen] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [parkedOpen, setParkedOpen] = useState(false);
  const recoveryKeys = useRef<SubKeys['current']>(null);
  const parkedKeys = useRef<SubKeys['current']>(null);
  const sale = state?.sale ?? null;
  const lines = sale?.lines ?? [];
  const sel = Math.min(selected, Math.max(0, lines.length - 1));
  const busy = state?.busy ?? null;

  const [removeArmed, setRemoveArmed] = useState<number | null>(null);
  useFollowLastScan(sale?.id ?? null, lines, setSelected);

  useEffect(() => setEscArmed(false), [sale?.id, sale?.state, lines.length]);
  // A new notice from the counter (the next scan's result) replaces an old local error.
  useEffect(() => setLocalError(null), [state?.notice?.at]);
  // 药品查找 needs a sale to add to.
  const lookupOpen = lookup !== null && sale?.editable === true;
  useEffect(() => {
    if (lookup !== null && state && !sale?.editable) {
      onLookup(null);
      setLocalError('请先读社保卡或扫医保码识别患者, 再查找药品');
    }
  }, [lookup, state, sale?.editable]);
  useEffect(() => {
    if (!escArmed) return;
    const t = setTimeout(() => setEscArmed(false), 3000);
    return () => clearTimeout(t);
  }, [escArmed]);

  const run = (method: Parameters<Act>[0], args: object) => {
    setLocalError(null);
    act(method, args).catch((e: unknown) => setLocalError(errorText(e)));
  };

  useScreenKeys((e, inField) => {
    if (capOpen || qtyOpen || idnoOpen || lookupOpen || shiftOpen || inField) return;
    if (parkedOpen ? parkedKeys.current?.(e) : !sale && recoveryKeys.current?.(e)) return;
    const key = e.key;
    const handled = () => e.preventDefault();
    if (key !== '-') setRemoveArmed(null);
    // 交班 (F10). A sale in doubt takes F10 first (冲正确认), as does an interrupted sale's panel: the shift
    // cannot close over either.
    if (key === 'F10' && !sale?.inDoubt) {
      handled();
      setShiftOpen(true);
      return;
    }
    // 全自费 (F11; the desk tab takes F11 on a terminal that is both counter and desk): a walk-in without a
    // card, or the open sale paid by the patient himself.
    if (key === 'F11') {
      handled();
      if (!sale || sale.done) run('beginSelfPay', {});
      else if (sale.editable && !busy) run('selfPay', { saleId: sale.id });
      return;
    }
    if (key === 'F9' && !busy) {
      handled();
      setIdnoOpen(true);
      return;
    }
    if (key === 'F7') {
      // 挂单 the open sale, or (no sale on the counter) the list of parked sales to recall one.
      handled();
      if (!sale || sale.done) setParkedOpen(true);
      else if (sale.editable && !busy) run('parkSale', { saleId: sale.id });
      return;
    }
    if (!sale) {
      if (key === 'Enter' || key === 'F12' || key === 'Escape') handled();
      return;
    }
    const settled = sale.done;
    switch (key) {
      case 'ArrowDown':
        handled();
        setSelected(Math.min(lines.length - 1, sel + 1));
        return;
      case 'ArrowUp':
        handled();
        setSelected(Math.max(0, sel - 1));
        return;
      case '+':
      case '=':
      case '-': {
        handled();
        const line = lines[sel];
        // A split line (拆零) changes by its typed quantity, not by whole boxes.
        if (!line || !sale.editable || line.quantity !== String(line.cnt)) return;
        if (key === '-' && line.cnt <= 1) {
          // The last box: "−" removes the line, so it asks first (a second "−" confirms).
          if (removeArmed === line.lineNo) {
            setRemoveArmed(null);
            run('removeLine', { saleId: sale.id, lineNo: line.lineNo });
          } else setRemoveArmed(line.lineNo);
          return;
        }
        if (key !== '-' && line.cnt >= 999) {
          setLocalError('一行最多 999 盒: 数量未变');
          return;
        }
        const cnt = key === '-' ? line.cnt - 1 : line.cnt + 1;
        run('setQuantity', { saleId: sale.id, lineNo: line.lineNo, cnt });
        return;
      }
      case '*': {
        // The quantity typed: whole boxes, or part of a box for a drug sold split (拆零).
        handled();
        if (lines[sel] && sale.editable) setQtyOpen(true);
        return;
      }
      case 'Delete': {
        handled();
        const line = lines[sel];
        if (line && sale.editable) run('removeLine', { saleId: sale.id, lineNo: line.lineNo });
        return;
      }
      case 'F1':
        handled();
        if (sale.editable) onLookup('');
        return;
      case 'F2':
        handled();
        if (sale.editable) run('presettle', { saleId: sale.id, useAccount: !sale.choices.useAccount });
        return;
      case 'F3':
        handled();
        if (sale.editable) setCapOpen(true);
        return;
      case 'F4':
        handled();
        if (sale.editable) run(sale.walkIn ? 'selfPay' : 'presettle', { saleId: sale.id });
        return;
      case 'Enter':
      case 'F12':
        handled();
        if (busy) return;
        if (settled) run('nextPatient', {});
        else if (sale.walkIn && sale.editable) run('selfPay', { saleId: sale.id });
        else if (sale.state === 'presettled') run('settle', { saleId: sale.id });
        else if (sale.editable) run('presettle', { saleId: sale.id });
        return;
      case 'F10':
        // A settlement whose outcome was not seen (the immediate 2601 failed too): reverse it from here.
        handled();
        if (sale.inDoubt && !busy) run('resolveSale', { saleId: sale.id });
        return;
      case 'Escape':
        handled();
        // In doubt: no "press again to discard" (it cannot be discarded); the counter says what to do.
        if (settled || lines.length === 0 || escArmed || sale.inDoubt) run('nextPatient', {});
        else setEscArmed(true);
        return;
    }
  });

  return (
    <div className="cashier" data-testid="cashier">
      <NoticeLine notice={state?.notice ?? null} busy={busy} error={localError ?? loadError} typed={typed} />
      {escArmed && (
        <div className="banner warn" role="alert" data-testid="esc-confirm">
          再按一次 Esc 作废本单 (未结算, 不扣款)
        </div>
      )}
      {removeArmed !== null && lines[sel]?.lineNo === removeArmed && (
        <div className="banner warn" role="alert" data-testid="remove-confirm">
          {lines[sel]!.name} 只剩 1 盒: 再按一次 − 删除这一行, 按其他键保留
        </div>
      )}
      {!state && !loadError && <div className="waiting muted" data-testid="loading">正在读取柜台状态…</div>}
      {state && !sale && <RecoveryPanel keys={recoveryKeys} refresh={state.notice?.at ?? ''} redo={(saleId) => run('redoInterrupted', { saleId })} />}
      {state && !sale && <Waiting />}
      {parkedOpen && (
        <ParkedList
          keys={parkedKeys}
          onClose={() => setParkedOpen(false)}
          onRecall={(saleId) => {
            setParkedOpen(false);
            run('recallSale', { saleId });
          }}
        />
      )}
      {sale && <SaleArea sale={sale} selected={sel} onSelect={setSelected} />}
      {capOpen && sale && (
        <WalletCapDialog
          current={sale.choices.walletCap}
          onClose={() => setCapOpen(false)}
          onApply={(cap) => {
            setCapOpen(false);
            run('presettle', { saleId: sale.id, walletCap: cap });
          }}
        />
      )}
      {qtyOpen && sale && lines[sel] && (
        <QuantityDialog
          name={lines[sel].name}
          current={lines[sel].quantity}
          onClose={() => setQtyOpen(false)}
          onApply={(quantity) => {
            setQtyOpen(false);
            run('setQuantity', { saleId: sale.id, lineNo: lines[sel]!.lineNo, cnt: /^\d+$/.test(quantity) ? Number(quantity) : quantity });
          }}
        />
      )}
      {idnoOpen && (
        <IdNumberDialog
          onClose={() => setIdnoOpen(false)}
          onConfirm={(certno) => {
            setIdnoOpen(false);
            run('identifyByIdNumber', { certno, idDocumentChecked: true });
          }}
        />
      )}
      {lookupOpen && (
        <DrugLookup
          initial={lookup}
          onClose={() => onLookup(null)}
          onPick={(barcode) => {
            onLookup(null);
            run('submitScan', { code: barcode });
          }}
        />
      )}
      {sale && tenderShown(sale) && !shiftOpen && (
        <TenderPanel
          sale={sale}
          paymentScan={state?.paymentScan ?? null}
          busy={busy !== null}
          error={localError ?? (state?.notice?.level === 'error' ? state.notice.text : null)}
          onTender={(args) => run('tender', args)} onNext={() => run('nextPatient', {})} />
      )}
      {shiftOpen && <ShiftReport onClose={() => setShiftOpen(false)} />}
      <KeyHints sale={sale} />
    </div>
  );
}

/**
 * Moves the highlight to the line the last scan touched (a new line, or one whose boxes or trace codes
 * changed), so +, − and Del act on the drug just scanned.
 */
function useFollowLastScan(saleId: number | null, lines: LineDto[], select: (i: number) => void): void {
  const seen = useRef<{ saleId: number | null; lines: LineDto[] }>({ saleId: null, lines: [] });
  useEffect(() => {
    const before = seen.current.saleId === saleId ? new Map(seen.current.lines.map((l) => [l.lineNo, l])) : new Map<number, LineDto>();
    seen.current = { saleId, lines };
    let touched = -1;
    lines.forEach((l, i) => {
      const b = before.get(l.lineNo);
      if (!b || b.cnt !== l.cnt || b.quantity !== l.quantity || b.traceCount !== l.traceCount) touched = i;
    });
    if (touched >= 0) select(touched);
  }, [saleId, lines]);
}

function Waiting() {
  return (
    <div className="waiting" data-testid="waiting">
      <div className="big">请读社保卡 或 扫医保码</div>
      <div className="muted">扫码枪、读卡器随时可用; 也可手工输入条码后按 Enter</div>
      <div className="muted">没有社保卡和医保码: 按 F9 输入身份证号 (须核验患者本人证件)</div>
    </div>
  );
}

/**
 * Three columns filling the screen's height: the patient, the cart (or, once paid, the receipt, which
 * lists the same drugs) and the figures. Only the cart's lines and the receipt's text scroll.
 */
function SaleArea({ sale, selected, onSelect }: { sale: SaleDto; selected: number; onSelect: (i: number) => void }) {
  return (
    <div className="sale">
      <PatientPanel patient={sale.patient} />
      {sale.receipt ? <Receipt lines={sale.receipt} /> : <Cart sale={sale} selected={selected} onSelect={onSelect} />}
      <div className="side">
        <SplitPanel sale={sale} />
      </div>
    </div>
  );
}

function WalletCapDialog({ current, onClose, onApply }: { current: string | null; onClose(): void; onApply(cap: string | null): void }) {
  const [text, setText] = useState(current ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="dialog" role="dialog" aria-label="医保钱包限额" data-testid="wallet-cap">
      <div className="dialog-body">
        <b>医保钱包本次最多支付 (元)</b>
        <input
          ref={ref}
          inputMode="decimal"
          value={text}
          data-testid="wallet-cap-input"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              const cap = text.trim();
              // The shape only (the server converts and checks the amount): named here, in words.
              if (cap !== '' && !/^\d{1,7}(\.\d{1,2})?$/.test(cap)) setProblem(`钱包限额应为金额, 如 20 或 20.50 (输入的是 “${cap}”): 请改正后按 Enter`);
              else onApply(cap === '' ? null : cap);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            }
          }}
        />
        {problem && <div className="notice error" role="alert" data-testid="wallet-cap-problem">{problem}</div>}
        <div className="muted">留空 = 不限; 0 = 不用钱包. Enter 确定, Esc 取消</div>
      </div>
    </div>
  );
}
