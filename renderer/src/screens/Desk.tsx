/**
 * 门诊收费处: the hospital billing desk, keyboard first. Open a visit (医保码/社保卡/身份证, 科室, 医生), F1 diagnosis,
 * F3 HIS fees, Ins keyed item, Del remove the selected item, F2 account on/off, F4 presettle, Enter settle,
 * F6 print the receipt (settled or cancelled), F9 cancel the settlement, F10 退号, F12 全自费 (when the
 * platform is unreachable), Esc next patient. Where the province profile allows it, a visit opened by card with
 * the platform away is 脱机: the same keys, nothing sent, the split an estimate (docs/outpatient.md). A card read or a 医保码 on a serial/HID scanner opens the visit
 * in the main process while the open form waits (App tells it, features/desk-station.ts); the `desk` event
 * brings the visit here.
 */
import { useEffect, useState, type MutableRefObject } from 'react';
import type { Args, Method, Notice, Result, VisitDto } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';
import { Receipt } from '../components/Receipt';
import { DeskOpenForm, type OpenArgs } from '../components/desk/DeskOpenForm';
import { DiagnosisDialog, ImportDialog, KeyedItemDialog } from '../components/desk/DeskDialogs';
import { DeskSplit } from '../components/desk/DeskSplit';
import { FeeTable } from '../components/desk/FeeTable';
import { useScreenKeys } from '../screen-keys';

type VisitMethod = Exclude<Method & `desk${string}`, 'deskInfo' | 'deskSearch' | 'deskListVisits' | 'deskPrint'>;
type Dialog = 'diagnosis' | 'import' | 'keyed' | 'cancel' | null;
/** The open form's department and doctor while it waits for a patient. */
export type DeskForm = { deptCode: string; doctorCode: string };
const PRINT_LEVEL = { printed: 'ok', 'no-printer': 'warn', failed: 'error' } as const;

export function DeskScreen({ demo, scanRef, onWaiting, devicesReady, show = null, onShown }: {
  demo: boolean;
  /** A past visit to show (picked in 门诊查询), told back by onShown once it is on the screen. */
  show?: number | null;
  onShown?(): void;
  /** The main process confirmed that the card reader and scanners now read for this open form. */
  devicesReady: boolean;
  scanRef: MutableRefObject<((code: string) => void) | null>;
  /** Told whether (and with which department and doctor) the open form waits for a patient. */
  onWaiting(form: DeskForm | null): void;
}) {
  const client = useClient();
  const [info, setInfo] = useState<Result<'deskInfo'> | null>(null);
  const [personas, setPersonas] = useState<string[]>([]);
  const [visit, setVisit] = useState<VisitDto | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selected, setSelected] = useState(0);
  const [choice, setChoice] = useState<DeskForm | null>(null);
  /** A print's outcome, shown only with what was printed (the visit in that state), from the same render on. */
  const [printed, setPrinted] = useState<(Pick<Notice, 'level' | 'text'> & { of: string }) | null>(null);
  const printedNow = printed && visit && printed.of === `${visit.id}:${visit.state}` ? printed : null;
  const waiting = !visit && !busy && choice ? choice : null;
  useEffect(() => onWaiting(waiting), [onWaiting, waiting?.deptCode, waiting?.doctorCode]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => onWaiting(null), [onWaiting]);
  // A device read on this desk (the main process opened the visit, or says why not).
  useEffect(
    () =>
      client.on('desk', (e) => {
        setBusy(e.busy);
        if (e.busy) return setError(null);
        if (e.visit) (setVisit(e.visit), setError(null));
        else setError(e.error);
      }),
    [client],
  );

  useEffect(() => {
    if (show === null) return;
    client.call('deskGetVisit', { visitId: show }).then(
      (v) => (setVisit(v), setError(null), onShown?.()),
      (e: unknown) => (setError(errorText(e)), onShown?.()),
    );
  }, [client, show, onShown]);

  useEffect(() => {
    client.call('deskInfo', {}).then(setInfo, (e: unknown) => setError(errorText(e)));
    if (demo) client.call('listPersonas', {}).then((r) => setPersonas(r.personas.map((p) => p.label)), () => undefined);
  }, [client, demo]);

  const run = <M extends VisitMethod>(method: M, args: Args<M>, doing: string) => {
    setError(null);
    setBusy(doing);
    (client.call(method, args) as Promise<VisitDto>).then(
      (v) => {
        setVisit(v);
        setBusy(null);
      },
      (e: unknown) => {
        setBusy(null);
        setError(errorText(e));
        if (visit) client.call('deskGetVisit', { visitId: visit.id }).then(setVisit, () => undefined);
      },
    );
  };
  const open = (args: OpenArgs) => run('deskOpen', args, '正在挂号…');
  scanRef.current = waiting ? (code) => open({ patient: { kind: 'qr', payload: code }, ...waiting }) : null;
  const print = (v: VisitDto) => {
    const of = `${v.id}:${v.state}`;
    setPrinted({ level: 'info', text: '正在打印…', of });
    client.call('deskPrint', { visitId: v.id }).then(
      (r) => setPrinted({ level: PRINT_LEVEL[r.outcome], text: r.message, of }),
      (e: unknown) => setPrinted({ level: 'error', text: `打印失败: ${errorText(e)}`, of }),
    );
  };

  const live = visit?.fees.filter((f) => f.status !== 'removed') ?? [];
  // A visit composed offline (脱机) sends nothing: its steps say so instead of naming the platform's transactions.
  const doing = (online: string, offline: string) => (visit?.state === 'offline_open' ? offline : online);
  const cancelSettlement = (v: VisitDto) => (setDialog(null), run('deskCancel', { visitId: v.id }, '正在撤销结算 (2208, 2205, 2202)…'));
  useScreenKeys((e, inField) => {
    const done = () => e.preventDefault();
    // F6 would leave the desk (门诊查询): not with a dialog open or a step under way, whose work it would hide.
    if ((dialog || busy) && e.key === 'F6') return done();
    if (dialog === 'cancel' && visit) {
      if (e.key === 'Enter') (done(), cancelSettlement(visit));
      else if (e.key === 'Escape') (done(), setDialog(null));
      return;
    }
    if (dialog || !visit || busy) return;
    const id = visit.id;
    switch (e.key) {
      case 'ArrowDown':
        return done(), setSelected(Math.min(live.length - 1, selected + 1));
      case 'ArrowUp':
        return done(), setSelected(Math.max(0, selected - 1));
      case 'F1':
        return done(), visit.editable && setDialog('diagnosis');
      case 'F3':
        return done(), visit.editable && setDialog('import');
      case 'Insert':
        return done(), visit.editable && setDialog('keyed');
      case 'Delete': {
        done();
        const fee = live[selected];
        if (fee && visit.editable && !inField) run('deskRemoveFee', { visitId: id, feedetlSn: fee.feedetlSn }, doing('正在撤销该项 (2205)…', '正在撤销该项 (脱机)…'));
        return;
      }
      case 'F2':
        return done(), visit.editable && run('deskPresettle', { visitId: id, useAccount: !visit.choices.useAccount }, doing('正在预结算 (2206)…', '正在估算 (脱机)…'));
      case 'F4':
        return done(), visit.editable && run('deskPresettle', { visitId: id }, doing('正在预结算 (2206)…', '正在估算 (脱机)…'));
      case 'Enter':
        done();
        if (visit.done) return setVisit(null);
        if (visit.canSettle) return run('deskSettle', { visitId: id }, doing('正在结算 (2207)…', '脱机结算: 写入待上传队列…'));
        if (visit.inDoubt) return run('deskResolve', { visitId: id }, '正在冲正 (2601)…');
        if (visit.editable) return run('deskPresettle', { visitId: id }, doing('正在预结算 (2206)…', '正在估算 (脱机)…'));
        return;
      case 'F6':
        return visit.receipt ? (done(), print(visit)) : undefined; // no receipt: App's F6 (查询) applies
      case 'F9':
        return done(), visit.canCancel && setDialog('cancel');
      case 'F10':
        return done(), visit.editable && run('deskUnregister', { visitId: id }, doing('正在退号 (2205, 2202)…', '正在退号 (脱机)…'));
      case 'F12':
        return done(), visit.editable && run('deskSelfPay', { visitId: id }, '按全自费收费…');
      case 'Escape':
        done();
        if (visit.done || !visit.editable) setVisit(null);
        else setError('本就诊尚未结算: F10 退号, 或 F4/Enter 继续; 已上传的费用保存在本机');
        return;
    }
  });

  return (
    <div className="desk" data-testid="desk">
      {busy && <div className="notice info" data-testid="desk-busy">{busy}</div>}
      {error && (
        <div className="notice error" role="alert" data-testid="desk-error">
          {error}
        </div>
      )}
      {printedNow && (
        <div className={`notice ${printedNow.level}`} role="status" data-testid="desk-print">
          {printedNow.text}
        </div>
      )}
      {!visit && info && <DeskOpenForm info={info} demo={demo} personas={personas} onOpen={open} onChoice={setChoice} devicesReady={devicesReady} />}
      {!visit && info && (
        <div className="muted small" data-testid="desk-find-hint">
          <kbd>F6</kbd> 门诊查询: 找回以往的就诊, 重打票据或撤销结算
        </div>
      )}
      {visit && (
        <div className="desk-visit">
          <VisitHeader visit={visit} />
          <DeskKeys visit={visit} />
          <div className="desk-main">
            <FeeTable visit={visit} selected={Math.min(selected, Math.max(0, live.length - 1))} onSelect={setSelected} />
            <div className="side">
              <DeskSplit visit={visit} />
              {visit.receipt && <Receipt lines={visit.receipt} />}
            </div>
          </div>
        </div>
      )}
      {dialog === 'diagnosis' && visit && (
        <DiagnosisDialog onClose={() => setDialog(null)} onApply={(medType, codes) => (setDialog(null), run('deskDiagnose', { visitId: visit.id, medType, codes }, doing('正在上传诊断 (2203)…', '诊断已记录 (脱机)…')))} />
      )}
      {dialog === 'import' && visit && (
        <ImportDialog onClose={() => setDialog(null)} onApply={(raw) => (setDialog(null), run('deskImportFees', { visitId: visit.id, export: raw }, doing('正在上传费用明细 (2204)…', '费用已记录 (脱机)…')))} />
      )}
      {dialog === 'keyed' && visit && (
        <KeyedItemDialog onClose={() => setDialog(null)} onApply={(code, quantity) => (setDialog(null), run('deskAddItem', { visitId: visit.id, code, quantity }, doing('正在上传 (2204)…', '费用已记录 (脱机)…')))} />
      )}
      {dialog === 'cancel' && visit && (
        <ConfirmCancel visit={visit} />
      )}
    </div>
  );
}

function VisitHeader({ visit }: { visit: VisitDto }) {
  return (
    <section className="panel desk-head" data-testid="desk-head">
      <div>
        <b data-testid="desk-patient-name">{visit.patient.name}</b> {visit.patient.maskedCertno} · {visit.patient.insutypeText} · 参保地 {visit.patient.insuplcAdmdvs}
      </div>
      <div>
        门诊号 {visit.iptOtpNo || '-'} · 就诊ID <span data-testid="desk-mdtrt-id">{visit.mdtrtId}</span> · {visit.dept} {visit.doctor} · {visit.medTypeText}
      </div>
      <div data-testid="desk-diagnoses">诊断: {visit.diagnoses.map((d) => `${d.code} ${d.name}`).join('; ') || '未录入 (F1)'}</div>
      {visit.offline && (
        <div className="notice warn" data-testid="desk-offline">
          {visit.offline.statusText}
          {visit.offline.cashCollected !== null ? ` · 已收现金 ${visit.offline.cashCollected}` : ' · 医保金额为估算, 以平台结算为准, 差额多退少补'}
        </div>
      )}
      <div>
        状态: <b data-testid="desk-state">{visit.stateText}</b>
        {visit.lastError && <span className="muted"> · {visit.lastError}</span>}
      </div>
    </section>
  );
}

function DeskKeys({ visit }: { visit: VisitDto }) {
  const keys: [string, string][] = visit.done
    ? [['Enter', '下一位'], ...(visit.receipt ? ([['F6', '打印']] as [string, string][]) : []), ...(visit.canCancel ? ([['F9', '撤销结算']] as [string, string][]) : [])]
    : visit.inDoubt
      ? [['Enter', '冲正 (2601)'], ['Esc', '离开']]
      : [['F1', '诊断'], ['F3', '导入HIS'], ['Ins', '录入项目'], ['Del', '撤销该项'], ['F2', '个人账户'], ['F4', '预结算'], ['Enter', visit.canSettle ? '确认结算' : '预结算'], ['F10', '退号'], ['F12', '全自费']];
  return (
    <div className="keyhints" data-testid="desk-keys">
      {keys.map(([k, t]) => (
        <span key={k}>
          <kbd>{k}</kbd> {t}
        </span>
      ))}
    </div>
  );
}

/** Its keys (Enter, Esc) are the screen's: one key handler per screen. */
function ConfirmCancel({ visit }: { visit: VisitDto }) {
  return (
    <div className="dialog" role="dialog" aria-label="撤销结算" data-testid="desk-cancel-confirm">
      <div className="dialog-body">
        <b>撤销本次门诊结算?</b>
        <div>
          {visit.patient.name} · 结算号 {visit.settlement?.setlId ?? '-'} · 总额 {visit.total}
        </div>
        <div className="muted">Enter 确认撤销 (2208, 然后撤销明细与挂号), Esc 返回</div>
      </div>
    </div>
  );
}
