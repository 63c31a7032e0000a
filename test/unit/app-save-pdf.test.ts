// The desktop's PDF export (main/app/save-pdf.ts), against a fake ipcMain, dialog and window contents:
// only the app's own frame is answered, the file name must be a .pdf name, the asking window is printed
// with the print stylesheet's page (A4) and the bytes land exactly where the cashier chose; a cancel writes
// nothing. (The PDF Chromium makes of the print sheet is checked for real in test/e2e/tender.test.ts.)
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SaveFileReply } from '../../main/app/save-file';
import { bindSavePdf, SAVE_PDF_CHANNEL } from '../../main/app/save-pdf';
import { APP_ORIGIN } from '../../main/app/security';

type Handler = (event: unknown, args: unknown) => Promise<SaveFileReply>;
const PDF = new TextEncoder().encode('%PDF-1.4 fake');

function setup(choose: () => { canceled: boolean; filePath?: string }) {
  const handlers = new Map<string, Handler>();
  const asked: unknown[] = [];
  const printed: unknown[] = [];
  const unbind = bindSavePdf({
    ipcMain: { handle: (c: string, h: unknown) => void handlers.set(c, h as Handler), removeHandler: (c: string) => void handlers.delete(c) },
    showSaveDialog: async (_w, options) => {
      asked.push(options);
      return choose() as never;
    },
    window: () => ({}) as never,
    log: () => {},
  });
  const sender = { printToPDF: async (o: unknown) => (printed.push(o), PDF) };
  const call = (args: unknown, url = `${APP_ORIGIN}/index.html`) => handlers.get(SAVE_PDF_CHANNEL)!({ senderFrame: { url, parent: null }, sender }, args);
  return { call, asked, printed, handlers, unbind };
}

describe('desktop PDF export', () => {
  it('prints the window to PDF (A4) and writes the bytes where the cashier chose; nothing on a cancel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'save-pdf-'));
    const target = join(dir, '交班.pdf');
    let cancel = true;
    const s = setup(() => (cancel ? { canceled: true } : { canceled: false, filePath: target }));
    expect(await s.call({ fileName: 'shift-3.pdf' })).toEqual({ ok: true, saved: false, path: null });
    expect(readdirSync(dir)).toEqual([]);
    cancel = false;
    expect(await s.call({ fileName: 'shift-3.pdf' })).toEqual({ ok: true, saved: true, path: target });
    expect(new Uint8Array(readFileSync(target))).toEqual(PDF);
    expect(readdirSync(dir)).toEqual(['交班.pdf']);
    expect(s.printed[0]).toEqual({ pageSize: 'A4', printBackground: false, margins: { marginType: 'default' } });
    expect(s.asked[0]).toMatchObject({ defaultPath: 'shift-3.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    s.unbind();
    expect(s.handlers.size).toBe(0);
  });

  it('refuses another frame and a name that is not a plain .pdf name, without printing', async () => {
    const s = setup(() => ({ canceled: true }));
    expect(await s.call({ fileName: 'shift-1.pdf' }, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s.call({ fileName: '../x.pdf' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('fileName') } });
    expect(await s.call({ fileName: 'shift-1.csv' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(s.printed).toEqual([]);
  });
});
