/**
 * Queue files on the technician screen (F8): what an export would take, the confirmed export (its text
 * goes back as a download in browser mode, through the main process's save dialog in the desktop app),
 * the exports still outstanding, un-export by checksum, and import of a queue file or an acknowledgement.
 * The rules are main/offline/transfer.ts; this file moves text in and out of temporary files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeImport } from '../../offline/transfer';
import { chinaDateTime } from '../../platform/china-time';
import { fenToYuan } from '../../platform/money';
import { compactTime } from '../../platform/time';
import { ApiError } from '../errors';
import { ok, type Feature } from '../feature';

const STATUS_TEXT = { outstanding: '待他处确认 (可撤回)', acknowledged: '他处已导入', withdrawn: '已撤回' } as const;

type TransferMethods = 'planExport' | 'exportQueue' | 'listExports' | 'unexportQueue' | 'importQueue';

export const transferHandlers: Feature<TransferMethods> = ({ terminal }) => {
  const desk = () => {
    if (!terminal.offline) throw new ApiError('NO_OFFLINE', '离线模块尚未启用: 本版本不支持离线队列操作', 501);
    return terminal.offline;
  };
  return {
    planExport: async () => {
      const plan = desk().planExport();
      return { count: plan.count, amount: fenToYuan(plan.medfeeFen), busy: plan.busy };
    },
    exportQueue: async () =>
      inTempDir('yibao-export-', (dir) => {
        const fileName = `offline-queue-${compactTime(new Date())}.json`;
        const r = desk().exportTo(join(dir, fileName), fileName);
        return { fileName, content: readFileSync(r.file, 'utf8'), sha256: r.sha256, count: r.count, batchId: r.batchId };
      }),
    listExports: async () => ({
      exports: desk()
        .exports()
        .map((e) => ({
          sha256: e.sha256,
          batchId: e.batch_id,
          fileName: e.file_name,
          exportedAt: chinaDateTime(e.exported_at),
          count: e.count,
          status: e.status,
          statusText: STATUS_TEXT[e.status],
          note: e.note,
        })),
    }),
    unexportQueue: async ({ sha256 }) => {
      const r = desk().unexport(sha256);
      return ok(`已撤回导出 (批次 ${r.batchId}): ${r.count} 笔回到本机待上传队列. 该文件作废, 不要再在他处导入`);
    },
    importQueue: async ({ content }) =>
      inTempDir('yibao-import-', (dir) => {
        const file = join(dir, 'import.json');
        writeFileSync(file, content);
        const r = desk().importFrom(file);
        return { message: describeImport(r), kind: r.kind, ack: r.kind === 'imported' ? r.ack : null };
      }),
  };
};

function inTempDir<T>(prefix: string, work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
