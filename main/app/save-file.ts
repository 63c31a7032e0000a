/**
 * The desktop app's save dialog: the renderer hands a file's name and text (a queue export) to the main
 * process, which asks the technician where to put it and writes it there (a temporary file renamed over
 * the target, so a crash never leaves half a file). Answered only for the app's own top frame, arguments
 * validated like every IPC input. Browser mode downloads the same text instead (renderer/src/save-file.ts).
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { z } from 'zod';
import { isTrustedSender } from './security';

export const SAVE_FILE_CHANNEL = 'pos:save-file';

const argsSchema = z
  .object({
    fileName: z.string().regex(/^[\w.-]{1,120}$/, '文件名只能含字母、数字、点、横线和下划线'),
    content: z.string().max(20_000_000),
  })
  .strict();

export type SaveFileReply = { ok: true; saved: boolean; path: string | null } | { ok: false; error: { code: string; message: string } };

export interface SaveFileDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  showSaveDialog: (window: BrowserWindow, options: SaveDialogOptions) => Promise<SaveDialogReturnValue>;
  window: () => BrowserWindow | null;
  log: (line: string) => void;
}

export function bindSaveFile(deps: SaveFileDeps): () => void {
  deps.ipcMain.handle(SAVE_FILE_CHANNEL, async (event: IpcMainInvokeEvent, raw: unknown): Promise<SaveFileReply> => {
    if (!isTrustedSender(event.senderFrame)) {
      deps.log(`ipc: refused save-file from ${event.senderFrame?.url ?? '(unknown frame)'}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: '请求来源不被接受' } };
    }
    const args = argsSchema.safeParse(raw);
    if (!args.success) return { ok: false, error: { code: 'BAD_INPUT', message: `参数错误 ${args.error.issues[0]?.path.join('.')}: ${args.error.issues[0]?.message}` } };
    const window = deps.window();
    if (!window) return { ok: false, error: { code: 'NO_WINDOW', message: '窗口已关闭' } };
    const choice = await deps.showSaveDialog(window, {
      title: '保存文件',
      defaultPath: args.data.fileName,
      filters: [{ name: 'JSON', extensions: ['json'] }],
    });
    if (choice.canceled || !choice.filePath) return { ok: true, saved: false, path: null };
    try {
      const temp = `${choice.filePath}.tmp-${process.pid}`;
      writeFileSync(temp, args.data.content);
      renameSync(temp, choice.filePath);
    } catch (error) {
      return { ok: false, error: { code: 'WRITE_FAILED', message: `文件未能保存 (${choice.filePath}): ${(error as Error).message}` } };
    }
    deps.log(`saved ${args.data.fileName} to ${choice.filePath}`);
    return { ok: true, saved: true, path: choice.filePath };
  });
  return () => deps.ipcMain.removeHandler(SAVE_FILE_CHANNEL);
}
