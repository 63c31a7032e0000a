import { useEffect, useState, type MouseEvent } from 'react';
import type { Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';

/**
 * 模拟设备: demo / browser mode only. Drives the virtual card reader and scanner on the server.
 * A drawer docked at the right edge, closed at first: open or closed it takes its own width and never
 * covers the counter's figures.
 */
export function SimPanel() {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [personas, setPersonas] = useState<Result<'listPersonas'>['personas']>([]);
  const [drugs, setDrugs] = useState<Result<'listDrugs'>['drugs']>([]);
  const [persona, setPersona] = useState('employee');
  const [drug, setDrug] = useState('');
  const [msg, setMsg] = useState<string | null>(null);

  useEffect(() => {
    client.call('listPersonas', {}).then((r) => setPersonas(r.personas), (e: unknown) => setMsg(errorText(e)));
    client.call('listDrugs', {}).then(
      (r) => {
        setDrugs(r.drugs);
        setDrug((d) => d || r.drugs[0]?.barcode || '');
      },
      (e: unknown) => setMsg(errorText(e)),
    );
  }, [client]);

  const run = (work: () => Promise<{ message: string }>) => (e: MouseEvent<HTMLButtonElement>) => {
    e.currentTarget.blur(); // Enter must confirm the sale, not press this button again
    work().then((r) => setMsg(r.message), (err: unknown) => setMsg(errorText(err)));
  };

  if (!open) {
    return (
      <button type="button" tabIndex={-1} className="sim-toggle" data-testid="sim-toggle" title="打开模拟设备 (演示)" onClick={() => setOpen(true)}>
        模拟设备 ◂
      </button>
    );
  }
  return (
    <aside className="sim" data-testid="sim-panel" aria-label="模拟设备">
      <div className="sim-head">
        <b>模拟设备</b> <span className="muted">(演示/浏览器模式)</span>
        <button type="button" tabIndex={-1} data-testid="sim-close" onClick={() => setOpen(false)}>收起 ▸</button>
      </div>
      <label>
        患者
        <select tabIndex={-1} value={persona} onChange={(e) => setPersona(e.target.value)} data-testid="sim-persona">
          {personas.map((p) => (
            <option key={p.label} value={p.label}>
              {p.label} · {p.psnName} · {p.insutypeText} · {p.insuplcText}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="button" tabIndex={-1} data-testid="sim-card" onClick={run(() => client.call('virtualCard', { persona }))}>读社保卡</button>
        <button type="button" tabIndex={-1} data-testid="sim-qr" onClick={run(() => client.call('virtualQr', { persona }))}>扫医保码</button>
      </div>
      <label>
        药品
        <select tabIndex={-1} value={drug} onChange={(e) => setDrug(e.target.value)} data-testid="sim-drug">
          {drugs.map((d) => (
            <option key={d.barcode} value={d.barcode}>
              {d.name} {d.spec} ¥{d.price}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="button" tabIndex={-1} data-testid="sim-scan" onClick={run(() => client.call('virtualScan', { code: drug }))}>扫条码</button>
        <button type="button" tabIndex={-1} data-testid="sim-trace" onClick={run(() => client.call('virtualTrace', { barcode: drug }))}>扫追溯码</button>
      </div>
      <div className="row">
        <button type="button" tabIndex={-1} onClick={run(() => client.call('simOutage', { on: true }))}>平台断网</button>
        <button type="button" tabIndex={-1} onClick={run(() => client.call('simOutage', { on: false }))}>平台恢复</button>
      </div>
      {msg && <div className="sim-msg">{msg}</div>}
    </aside>
  );
}
