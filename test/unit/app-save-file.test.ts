// The desktop's save dialog for exported files (main/app/save-file.ts), against a fake ipcMain and dialog:
// only the app's own frame is answered, the file name is validated, a cancel saves nothing, a chosen
// path gets exactly the text.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindSaveFile, SAVE_FILE_CHANNEL, type SaveFileReply } from '../../main/app/save-file';
import { APP_ORIGIN } from '../../main/app/security';

type Handler = (event: unknown, args: unknown) => Promise<SaveFileReply>;

function setup(choose: () => { canceled: boolean; filePath?: string }) {
  const handlers = new Map<string, Handler>();
  const asked: unknown[] = [];
  const unbind = bindSaveFile({
    ipcMain: { handle: (c: string, h: unknown) => void handlers.set(c, h as Handler), removeHandler: (c: string) => void handlers.delete(c) },
    showSaveDialog: async (_w, options) => {
      asked.push(options);
      return choose() as never;
    },
    window: () => ({}) as never,
    log: () => {},
  });
  const call = (args: unknown, url = `${APP_ORIGIN}/index.html`) => handlers.get(SAVE_FILE_CHANNEL)!({ senderFrame: { url, parent: null } }, args);
  return { call, asked, handlers, unbind };
}

describe('desktop save dialog', () => {
  it('writes the text where the technician chose, and nothing on a cancel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'save-file-'));
    const target = join(dir, 'chosen.json');
    let cancel = true;
    const s = setup(() => (cancel ? { canceled: true } : { canceled: false, filePath: target }));
    expect(await s.call({ fileName: 'offline-queue-20261123.json', content: '{"a":1}' })).toEqual({ ok: true, saved: false, path: null });
    expect(readdirSync(dir)).toEqual([]);
    cancel = false;
    expect(await s.call({ fileName: 'offline-queue-20261123.json', content: '{"a":1}' })).toEqual({ ok: true, saved: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(readdirSync(dir)).toEqual(['chosen.json']); // no temporary file left
    expect(s.asked[0]).toMatchObject({ defaultPath: 'offline-queue-20261123.json' });
    s.unbind();
    expect(s.handlers.size).toBe(0);
  });

  it('refuses another frame and a file name that is a path, without asking', async () => {
    const s = setup(() => ({ canceled: true }));
    expect(await s.call({ fileName: 'q.json', content: '' }, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s.call({ fileName: '../../etc/passwd', content: '' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('fileName') } });
    expect(await s.call({ fileName: 'q.json', content: '', extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(s.asked).toEqual([]);
  });
});
