/**
 * The IPC binding of the contract: one ipcMain.handle per method, arguments and results validated by
 * the same schemas as the HTTP binding, answered only for the app's own top frame. Events go to the
 * window with webContents.send on one channel.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, ipcChannel, METHOD_NAMES, type IpcReply } from '../api/contract';
import { toApiError } from '../api/errors';
import { invoke, type PosApi } from '../api/service';
import { isTrustedSender } from './security';

export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, api: Pick<PosApi, 'handlers' | 'events'>, window: () => BrowserWindow | null, log: (line: string) => void): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, args: unknown): Promise<IpcReply<unknown>> => {
      if (!isTrustedSender(event.senderFrame)) {
        log(`ipc: refused ${method} from ${event.senderFrame?.url ?? '(unknown frame)'}`);
        return { ok: false, error: { code: 'FORBIDDEN', message: '请求来源不被接受' } };
      }
      try {
        return { ok: true, value: await invoke(api.handlers, method, args) };
      } catch (error) {
        const e = toApiError(error, log);
        return { ok: false, error: { code: e.code, message: e.message } };
      }
    });
  }
  const offs = EVENT_NAMES.map((name) => {
    const listener = (payload: unknown) => {
      const w = window();
      if (w && !w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    };
    api.events.on(name, listener);
    return () => api.events.off(name, listener);
  });
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
    offs.forEach((off) => off());
  };
}
