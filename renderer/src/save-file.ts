/**
 * Hands a file to the person: in the desktop app the main process's save dialog (window.pos.saveFile,
 * main/app/save-file.ts), in browser mode a download. Returns what happened, in Chinese.
 */
import type { PosBridge } from '../../main/api/contract';

export async function saveTextFile(fileName: string, content: string): Promise<string> {
  const bridge = (window as { pos?: PosBridge }).pos;
  if (bridge?.saveFile) {
    const r = await bridge.saveFile(fileName, content);
    if (!r.ok) throw new Error(r.error.message);
    return r.saved ? `已保存到 ${r.path}` : '未保存 (已取消)';
  }
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return `已下载 ${fileName}`;
}
