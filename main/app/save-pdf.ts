/**
 * The desktop app's PDF export (the 交班报表): the renderer asks, the main process prints the asking window
 * to PDF with Chromium's own engine (webContents.printToPDF), which lays the page out with the print
 * stylesheet (renderer/src/styles.css `@media print`: only the report's print sheet) and embeds the CJK
 * font the page uses (fonts-wqy-microhei, installed by scripts/setup.sh), so Chinese renders as on screen;
 * then asks where to save it. Browser mode gets the same PDF from the browser's print dialog (另存为 PDF).
 * No PDF library: docs/architecture.md says why. Answered only for the app's own top frame.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { z } from 'zod';
import type { SaveFileReply } from './save-file';
import { isTrustedSender } from './security';

export const SAVE_PDF_CHANNEL = 'pos:save-pdf';

const argsSchema = z.object({ fileName: z.string().regex(/^[\w.-]{1,120}\.pdf$/, '文件名只能含字母、数字、点、横线和下划线, 以 .pdf 结尾') }).strict();

/** What printing needs of the asking window's contents (Electron's WebContents has it). */
export interface PdfSource {
  printToPDF(options: { pageSize: 'A4'; printBackground: boolean; margins: { marginType: 'default' } }): Promise<Uint8Array>;
}

export interface SavePdfDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  showSaveDialog: (window: BrowserWindow, options: SaveDialogOptions) => Promise<SaveDialogReturnValue>;
  window: () => BrowserWindow | null;
  log: (line: string) => void;
}

export function bindSavePdf(deps: SavePdfDeps): () => void {
  deps.ipcMain.handle(SAVE_PDF_CHANNEL, async (event: IpcMainInvokeEvent, raw: unknown): Promise<SaveFileReply> => {
    if (!isTrustedSender(event.senderFrame)) {
      deps.log(`ipc: refused save-pdf from ${event.senderFrame?.url ?? '(unknown frame)'}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: '请求来源不被接受' } };
    }
    const args = argsSchema.safeParse(raw);
    if (!args.success) return { ok: false, error: { code: 'BAD_INPUT', message: `参数错误 ${args.error.issues[0]?.path.join('.')}: ${args.error.issues[0]?.message}` } };
    const window = deps.window();
    if (!window) return { ok: false, error: { code: 'NO_WINDOW', message: '窗口已关闭' } };
    let pdf: Uint8Array;
    try {
      pdf = await (event.sender as unknown as PdfSource).printToPDF({ pageSize: 'A4', printBackground: false, margins: { marginType: 'default' } });
    } catch (error) {
      return { ok: false, error: { code: 'PDF_FAILED', message: `PDF 生成失败: ${(error as Error).message}` } };
    }
    const choice = await deps.showSaveDialog(window, { title: '保存 PDF', defaultPath: args.data.fileName, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (choice.canceled || !choice.filePath) return { ok: true, saved: false, path: null };
    try {
      const temp = `${choice.filePath}.tmp-${process.pid}`;
      writeFileSync(temp, pdf);
      renameSync(temp, choice.filePath);
    } catch (error) {
      return { ok: false, error: { code: 'WRITE_FAILED', message: `文件未能保存 (${choice.filePath}): ${(error as Error).message}` } };
    }
    deps.log(`saved ${args.data.fileName} (${pdf.length} bytes) to ${choice.filePath}`);
    return { ok: true, saved: true, path: choice.filePath };
  });
  return () => deps.ipcMain.removeHandler(SAVE_PDF_CHANNEL);
}
