/**
 * Moving a queue by file, from a site with no network to one that has it (the file formats:
 * main/offline/transfer-file.ts).
 *
 * Export: the queued sales move to `exported` (this terminal will not send them) in the transaction that
 * records the export (its checksum and its sales, migration 011) and writes the file under a temporary
 * name, renamed once the ledger committed. The sales stay `exported` until the file is acknowledged (the
 * importing terminal's acknowledgement file, imported here) or the export is withdrawn (un-export, naming
 * the file's checksum): then they are queued here again. So a file lost, never imported, or never
 * downloaded strands nothing: its export is listed as outstanding until one of the two happens.
 * Un-exporting a file that was imported elsewhere would let both terminals send the same sales: the
 * technician withdraws only a file he holds the only copy of, and an acknowledged export cannot be withdrawn.
 *
 * Import: the file is validated (schema, SHA-256, same fixmedins_code) and applied in one transaction.
 * Every sale carries its uid: a sale already known is skipped, so importing twice queues nothing twice.
 * A terminal's own file imported back is refused with the reason (withdraw it instead, by its checksum).
 * The 家庭共济 holds travel with their sales: a giver's account is one balance, and the importing
 * terminal must count what these sales already promised from it before it sells offline to him or his
 * relatives (main/offline/mutual-aid.ts).
 * Names and ID numbers are masked in the file: settling needs only psn_no and the card.
 */
import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../../db/connection';
import { AuditRepo } from '../../db/audit-repo';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { OfflineExportsRepo, type ExportRow } from '../../db/offline-exports-repo';
import { OfflineQueueRepo, type QueueEntry } from '../../db/offline-queue-repo';
import { SalesRepo, TraceCodeTakenError, type SaleRow } from '../../db/sales-repo';
import { maskCertno, maskName } from '../../devices/mask';
import { chinaDateTime } from '../platform/china-time';
import { SaleError } from '../settlement/sale-error';
import { ownerAlive } from '../sending/owner';
import { InputError } from '../validation';
import { ACK_FORMAT, EXPORT_FORMAT, readTransferFile, withChecksum, type AckFile, type ExportFile, type ExportedSale } from './transfer-file';

export { EXPORT_FORMAT, checksum, exportFileSchema } from './transfer-file';

export interface TransferDeps {
  db: Db;
  now: () => Date;
  fixmedinsCode: string;
}

export interface ExportResult {
  file: string;
  batchId: string;
  count: number;
  sha256: string;
}

export interface ExportPlan {
  count: number;
  medfeeFen: number;
  /** Sales being uploaded right now stay here (exported later). */
  busy: number;
}

/** What an import did: sales added (and the acknowledgement to carry back), or an own export acknowledged. */
export type ImportResult =
  | { kind: 'imported'; batchId: string; added: number; skipped: number; again: boolean; ack: { fileName: string; content: string } }
  | { kind: 'acknowledged'; batchId: string; count: number };

/** What would be exported now: queued sales nobody is uploading. */
export function planExport(deps: TransferDeps): ExportPlan {
  const queued = new OfflineQueueRepo(deps.db).inStates(['queued']);
  const free = queued.filter(exportable);
  return { count: free.length, medfeeFen: free.reduce((sum, e) => sum + e.medfee_fen, 0), busy: queued.length - free.length };
}

export function exportQueue(deps: TransferDeps, file: string, fileName = basename(file)): ExportResult {
  const sales = new SalesRepo(deps.db);
  const queue = new OfflineQueueRepo(deps.db);
  const at = deps.now().toISOString();
  const batchId = randomUUID();
  const temp = `${file}.tmp-${process.pid}`;
  const result = sales.transaction(() => {
    const entries = queue.inStates(['queued']).filter(exportable);
    if (entries.length === 0) throw new SaleError('NOTHING_TO_EXPORT', '没有待上传的离线交易, 无需导出');
    const holds = new MutualAidRepo(deps.db);
    const exported = entries.map((e) => toExported(sales, holds, e));
    for (const e of entries) {
      if (!sales.transition(e.sale_id, 'queued', 'exported', at, { last_error: `已导出 (批次 ${batchId})` })) {
        throw new SaleError('CHANGED_MEANWHILE', `销售 ${e.sale_id} 正在上传: 请稍后再导出`);
      }
    }
    const body = { format: EXPORT_FORMAT, version: 1 as const, batchId, fixmedinsCode: deps.fixmedinsCode, exportedAt: at, count: exported.length, sales: exported };
    const { text, sha256 } = withChecksum(body);
    new OfflineExportsRepo(deps.db).record({ sha256, batch_id: batchId, file_name: fileName, exported_at: at, count: exported.length }, entries.map((e) => e.sale_id));
    writeFileSync(temp, text);
    return { count: exported.length, sha256 };
  });
  renameSync(temp, file);
  new AuditRepo(deps.db).append(at, 'offline.export', `batch ${batchId}: ${result.count} sales, sha256 ${result.sha256}`);
  return { file, batchId, ...result };
}

/** Exports of this terminal, newest first. */
export function listExports(deps: TransferDeps, limit = 50): ExportRow[] {
  return new OfflineExportsRepo(deps.db).list(limit);
}

/**
 * Withdraws an outstanding export named by its checksum (the whole SHA-256, or a prefix of at least 8 hex
 * digits naming one export): its sales still `exported` are queued here again. Returns how many.
 */
export function unexport(deps: TransferDeps, named: string): { batchId: string; sha256: string; count: number } {
  const exports = new OfflineExportsRepo(deps.db);
  const sales = new SalesRepo(deps.db);
  const at = deps.now().toISOString();
  const found = findExport(exports, named);
  const count = sales.transaction(() => {
    const row = exports.get(found.sha256)!;
    if (row.status === 'acknowledged') throw new SaleError('EXPORT_ACKNOWLEDGED', `批次 ${row.batch_id} 已在他处导入并确认 (${chinaTime(row.closed_at)}): 不能撤回, 那里会上传这些交易`);
    if (row.status === 'withdrawn') throw new SaleError('EXPORT_WITHDRAWN', `批次 ${row.batch_id} 已于 ${chinaTime(row.closed_at)} 撤回, 交易已回到本机队列`);
    let back = 0;
    for (const id of exports.saleIds(row.sha256)) {
      if (sales.transition(id, 'exported', 'queued', at, { last_error: `撤回导出 (批次 ${row.batch_id})` })) back++;
    }
    exports.close(row.sha256, 'withdrawn', at, `${back} 笔回到待上传队列`);
    return back;
  });
  new AuditRepo(deps.db).append(at, 'offline.unexport', `batch ${found.batch_id} sha256 ${found.sha256}: ${count} sales queued again`);
  return { batchId: found.batch_id, sha256: found.sha256, count };
}

/** Imports a queue file (from another terminal) or the acknowledgement of one of this terminal's exports. */
export function importQueue(deps: TransferDeps, path: string): ImportResult {
  const read = readTransferFile(path);
  if (read.file.fixmedinsCode !== deps.fixmedinsCode) {
    throw new InputError(`file.fixmedinsCode: 该文件属于机构 ${read.file.fixmedinsCode}, 本机为 ${deps.fixmedinsCode}`);
  }
  return read.kind === 'ack' ? acknowledge(deps, read.file) : importSales(deps, read.file);
}

function importSales(deps: TransferDeps, file: ExportFile): ImportResult {
  const own = new OfflineExportsRepo(deps.db).get(file.sha256);
  if (own) throw ownFileRefusal(own);
  const sales = new SalesRepo(deps.db);
  const queue = new OfflineQueueRepo(deps.db);
  const holds = new MutualAidRepo(deps.db);
  const at = deps.now().toISOString();
  let added = 0;
  let skipped = 0;
  const again = queue.importedBefore(file.sha256);
  sales.transaction(() => {
    for (const s of file.sales) {
      if (queue.byUid(s.uid)) skipped++;
      else {
        addImported(sales, queue, holds, s, file.batchId);
        added++;
      }
    }
    queue.recordImport({ checksum: file.sha256, batchId: file.batchId, at, added, skipped });
  });
  new AuditRepo(deps.db).append(at, 'offline.import', `batch ${file.batchId}: +${added} skip ${skipped}`);
  const ackBody = { format: ACK_FORMAT, version: 1 as const, batchId: file.batchId, queueSha256: file.sha256, fixmedinsCode: deps.fixmedinsCode, importedAt: at, added, skipped };
  const ack = { fileName: `offline-queue-${file.batchId}.ack.json`, content: withChecksum(ackBody).text };
  return { kind: 'imported', batchId: file.batchId, added, skipped, again, ack };
}

function acknowledge(deps: TransferDeps, ack: AckFile): ImportResult {
  const exports = new OfflineExportsRepo(deps.db);
  const row = exports.get(ack.queueSha256);
  if (!row || row.batch_id !== ack.batchId) throw new InputError(`file.queueSha256: 本机没有导出过该文件 (批次 ${ack.batchId})`);
  const at = deps.now().toISOString();
  if (row.status === 'withdrawn') {
    // Both terminals now hold these sales: only a person can sort it out; say so loudly.
    new AuditRepo(deps.db).append(at, 'offline.ack_after_withdraw', `batch ${row.batch_id}`);
    throw new SaleError('EXPORT_WITHDRAWN', `警告: 批次 ${row.batch_id} 已于 ${chinaTime(row.closed_at)} 撤回, 但他处已于 ${chinaTime(ack.importedAt)} 导入 ${ack.added} 笔: 两处都可能上传, 请立即暂停一处的上传并联系运维核对`);
  }
  if (exports.close(row.sha256, 'acknowledged', at, `他处导入 ${ack.added} 笔 (已有 ${ack.skipped}) 于 ${chinaTime(ack.importedAt)}`)) {
    new AuditRepo(deps.db).append(at, 'offline.ack', `batch ${row.batch_id}: imported elsewhere at ${ack.importedAt}`);
  }
  return { kind: 'acknowledged', batchId: row.batch_id, count: row.count };
}

function ownFileRefusal(own: ExportRow): SaleError {
  const head = `这是本机导出的文件 (批次 ${own.batch_id}, ${own.count} 笔, ${chinaTime(own.exported_at)})`;
  if (own.status === 'withdrawn') return new SaleError('OWN_EXPORT', `${head}: 导出已于 ${chinaTime(own.closed_at)} 撤回, 交易已在本机待上传队列, 无需导入`);
  if (own.status === 'acknowledged') return new SaleError('OWN_EXPORT', `${head}: 已在他处导入并确认, 由那里上传; 本机不再导入`);
  return new SaleError(
    'OWN_EXPORT',
    `${head}: 本机不导入自己的文件. 若该文件没有在他处导入, 请撤回导出 (运维页 撤回, 或 pos queue unexport ${own.sha256.slice(0, 12)}), 交易回到本机队列`,
  );
}

function findExport(exports: OfflineExportsRepo, named: string): ExportRow {
  const text = named.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(text)) throw new InputError('sha256: 请给出导出文件的校验和 (至少 8 位十六进制)');
  const matches = exports.list(1_000_000).filter((e) => e.sha256.startsWith(text));
  if (matches.length === 0) throw new InputError(`sha256: 本机没有校验和为 ${text} 的导出`);
  if (matches.length > 1) throw new InputError(`sha256: ${text} 对应多个导出, 请给出更多位`);
  return matches[0]!;
}

function exportable(e: QueueEntry): boolean {
  return e.owner === null || !ownerAlive(e.owner);
}

function toExported(sales: SalesRepo, holds: MutualAidRepo, e: QueueEntry): ExportedSale {
  const sale = sales.get(e.sale_id) as SaleRow;
  return {
    uid: e.uid,
    queuedAt: e.queued_at,
    day: e.day,
    psnNo: e.psn_no,
    psnName: maskName(sale.psn_name),
    certno: maskCertno(sale.certno),
    insutype: sale.insutype as '310' | '390',
    insuplcAdmdvs: sale.insuplc_admdvs,
    begntime: sale.begntime,
    estimate: { medfee: e.medfee_fen, fund: e.fund_fen, ownAcct: e.own_acct_fen, mulaid: e.mulaid_fen, wallet: e.wallet_fen, cash: e.cash_fen },
    presettle: JSON.parse(sale.presettle_json ?? '{}') as Record<string, unknown>,
    lines: sales.lines(e.sale_id).map((l) => ({
      line_no: l.line_no, barcode: l.barcode, name: l.name, spec: l.spec, med_list_codg: l.med_list_codg,
      medins_list_codg: l.medins_list_codg, chrgitm_lv: l.chrgitm_lv as '01' | '02' | '03', pric_fen: l.pric_fen, cnt: l.cnt,
    })),
    traceCodes: sales.traceCodes(e.sale_id).map((t) => ({ lineNo: t.line_no, code: t.code })),
    request: JSON.parse(e.request_json) as ExportedSale['request'],
    mulaidHolds: holds.holdsOf(e.sale_id).map((h) => ({ giverPsnNo: h.psnNo, fen: h.fen })),
  };
}

function addImported(sales: SalesRepo, queue: OfflineQueueRepo, holds: MutualAidRepo, s: ExportFile['sales'][number], batchId: string): void {
  const saleId = sales.create({
    created_at: s.queuedAt,
    state: 'queued',
    psn_no: s.psnNo,
    psn_name: s.psnName,
    certno: s.certno,
    insutype: s.insutype,
    insuplc_admdvs: s.insuplcAdmdvs,
    mdtrt_cert_type: s.request.credential.mdtrtCertType,
    mdtrt_cert_no: s.request.credential.mdtrtCertNo,
    card_sn: s.request.credential.cardSn ?? '',
    begntime: s.begntime,
  });
  queue.markOffline(saleId);
  sales.patch(saleId, {
    presettle_json: JSON.stringify(s.presettle),
    use_account: s.request.useAccount ? 1 : 0,
    use_wallet: s.request.useWallet ? 1 : 0,
    wallet_cap_fen: s.request.walletCapFen,
  });
  for (const line of s.lines) {
    const lineNo = sales.addLine({ ...line, sale_id: saleId });
    for (const t of s.traceCodes.filter((c) => c.lineNo === line.line_no)) {
      try {
        sales.addTraceCode(saleId, lineNo, t.code);
      } catch (error) {
        // A box this counter also sold: the platform decides (TRACE_CODE_SOLD becomes an exception).
        if (!(error instanceof TraceCodeTakenError)) throw error;
      }
    }
  }
  const e = s.estimate;
  queue.insert({
    sale_id: saleId, uid: s.uid, psn_no: s.psnNo, queued_at: s.queuedAt, day: s.day,
    medfee_fen: e.medfee, fund_fen: e.fund, own_acct_fen: e.ownAcct, mulaid_fen: e.mulaid, wallet_fen: e.wallet, cash_fen: e.cash,
    request_json: JSON.stringify(s.request), next_at: s.queuedAt, origin: batchId,
  });
  holds.addHolds(saleId, s.mulaidHolds.map((h) => ({ psnNo: h.giverPsnNo, fen: h.fen })));
}

/** What an import did, in the technician's words (CLI and screen). */
export function describeImport(r: ImportResult, ackName = r.kind === 'imported' ? r.ack.fileName : ''): string {
  if (r.kind === 'acknowledged') return `批次 ${r.batchId} 的导出已被他处导入确认: ${r.count} 笔由那里上传, 本机不再撤回`;
  const head = r.again ? `该文件 (批次 ${r.batchId}) 之前已导入过: ` : `已导入批次 ${r.batchId}: `;
  return `${head}新增 ${r.added} 笔, 已有跳过 ${r.skipped} 笔. 请把回执文件 ${ackName} 带回导出的收银台导入, 那里才算交接完成`;
}

/** An ISO instant as a person in China reads it (main/platform/china-time.ts); empty when there is none. */
export function chinaTime(iso: string | null): string {
  return iso ? chinaDateTime(iso) : '';
}
