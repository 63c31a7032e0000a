import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../main/api/contract';
import { errorText } from '../api/client';
import { useClient } from '../api/context';
import { saveTextFile } from '../save-file';

type Plan = Result<'planExport'>;
type ExportRow = Result<'listExports'>['exports'][number];

/**
 * 队列文件 on the technician screen: export asks first (how many sales, that they stay 已导出 until the
 * file is acknowledged or the export withdrawn), then hands the file over (download / save dialog); the
 * exports are listed with their checksum and can be withdrawn; a file (a queue, or an acknowledgement)
 * is imported, and the acknowledgement to carry back is offered.
 */
export function QueueFiles({ onChanged }: { onChanged: () => void }) {
  const client = useClient();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [exports, setExports] = useState<ExportRow[]>([]);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const [ack, setAck] = useState<{ fileName: string; content: string } | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  // Keyboard only: a confirmation takes the focus, so Enter confirms and Tab reaches 取消.
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), [plan, withdrawing]);

  const reload = () => client.call('listExports', {}).then((r) => setExports(r.exports), (e: unknown) => setMsg(errorText(e)));
  useEffect(() => void reload(), [client]); // eslint-disable-line react-hooks/exhaustive-deps
  const done = (text: string) => {
    setMsg(text);
    void reload();
    onChanged();
  };
  const fail = (e: unknown) => setMsg(errorText(e));

  const start = () => {
    setMsg(null);
    client.call('planExport', {}).then((p) => (p.count === 0 ? setMsg(`没有可导出的离线交易${p.busy ? ` (${p.busy} 笔正在上传)` : ''}`) : setPlan(p)), fail);
  };
  const confirm = () => {
    setPlan(null);
    client
      .call('exportQueue', { confirm: true })
      .then(async (r) => {
        const saved = await saveTextFile(r.fileName, r.content).catch((e: unknown) => `文件未保存: ${errorText(e)}`);
        done(`已导出 ${r.count} 笔 (校验和 ${r.sha256.slice(0, 12)}). ${saved}. 在他处导入并带回回执前, 这些交易为"已导出"; 文件没用上可撤回`);
      }, fail);
  };
  const withdraw = (sha256: string) => {
    setWithdrawing(null);
    client.call('unexportQueue', { sha256 }).then((r) => done(r.message), fail);
  };
  const importFile = (file: File | undefined) => {
    if (!file) return;
    setMsg(null);
    setAck(null);
    file
      .text()
      .then((content) => client.call('importQueue', { content }))
      .then((r) => {
        setAck(r.ack);
        done(r.message);
      }, fail);
  };

  return (
    <div data-testid="queue-files">
      <div className="panel-title">队列文件</div>
      <div className="row">
        <button type="button" data-testid="export-start" onClick={start}>
          导出…
        </button>
        <label className="file-pick">
          导入文件… <input type="file" aria-label="导入队列文件或回执" accept=".json,application/json" data-testid="import-file" onChange={(e) => {
              importFile(e.target.files?.[0]);
              e.target.value = ''; // the same file may be chosen again
            }}
          />
        </label>
      </div>
      {plan && (
        <div className="confirm" role="alertdialog" data-testid="export-confirm" onKeyDown={(e) => e.key === 'Escape' && setPlan(null)}>
          <div>
            将导出 <b data-testid="export-count">{plan.count}</b> 笔离线交易 (合计 ¥{plan.amount}){plan.busy ? `, ${plan.busy} 笔正在上传不导出` : ''}.
            导出后本机不再上传它们, 直到在他处导入 (带回回执) 或在此撤回.
          </div>
          <div className="row">
            <button type="button" ref={yes} data-testid="export-yes" onClick={confirm}>
              确认导出 (Enter)
            </button>
            <button type="button" data-testid="export-no" onClick={() => setPlan(null)}>
              取消 (Esc)
            </button>
          </div>
        </div>
      )}
      {msg && <div className="muted small" data-testid="queue-files-msg">{msg}</div>}
      {ack && (
        <button type="button" data-testid="save-ack" onClick={() => saveTextFile(ack.fileName, ack.content).then(setMsg, fail)}>
          保存回执 {ack.fileName} (带回导出的收银台导入)
        </button>
      )}
      {exports.length > 0 && (
        <table>
          <tbody>
            {exports.map((e) => (
              <tr key={e.sha256} data-testid="export-row" data-sha256={e.sha256} data-status={e.status}>
                <td>{e.exportedAt}</td>
                <td className="num">{e.count} 笔</td>
                <td title={e.sha256}>{e.sha256.slice(0, 12)}</td>
                <td>{e.statusText}</td>
                <td>
                  {e.status === 'outstanding' &&
                    (withdrawing === e.sha256 ? (
                      <span data-testid="unexport-confirm">
                        该文件没有在他处导入?{' '}
                        <button type="button" ref={yes} data-testid="unexport-yes" onClick={() => withdraw(e.sha256)}>
                          确认撤回
                        </button>{' '}
                        <button type="button" onClick={() => setWithdrawing(null)}>
                          取消
                        </button>
                      </span>
                    ) : (
                      <button type="button" data-testid="unexport" onClick={() => setWithdrawing(e.sha256)}>
                        撤回导出
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
