/**
 * Moving a queue by file, from a site with no network to one that has it.
 *
 * Export: the queued sales move to `exported` (this terminal will not send them) in the transaction that
 * writes the file; the file is written to a temporary name first and renamed once the ledger committed,
 * so a crash never leaves a complete file for sales this terminal still considers its own.
 * Import: the file is validated (schema, SHA-256, same fixmedins_code) and applied in one transaction.
 * Every sale carries its uid: a sale already known is skipped, so importing twice queues nothing twice,
 * and importing a file back at its origin queues nothing either (the other site may have sent them).
 * Names and ID numbers are masked in the file: settling needs only psn_no and the card.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { OfflineQueueRepo, type QueueEntry } from '../../db/offline-queue-repo';
import { AuditRepo } from '../../db/audit-repo';
import { SalesRepo, TraceCodeTakenError, type SaleRow } from '../../db/sales-repo';
import { maskCertno, maskName } from '../../devices/mask';
import { SaleError } from '../settlement/sale-error';
import { InputError, parseOrThrow } from '../validation';
import { ownerAlive } from '../sending/owner';

export const EXPORT_FORMAT = 'yibao-pos/offline-queue' as const;

const fen = z.number().int().min(0);
const lineSchema = z.object({
  line_no: z.number().int().min(1),
  barcode: z.string().min(1),
  name: z.string(),
  spec: z.string(),
  med_list_codg: z.string().min(1),
  medins_list_codg: z.string().min(1),
  chrgitm_lv: z.enum(['01', '02', '03']),
  pric_fen: fen,
  cnt: z.number().int().min(1),
});
const requestSchema = z.object({
  psnNo: z.string().min(1),
  credential: z.object({ mdtrtCertType: z.enum(['01', '02', '03']), mdtrtCertNo: z.string().min(1), cardSn: z.string().optional() }),
  insutype: z.enum(['310', '390']),
  insuplcAdmdvs: z.string().regex(/^\d{6}$/),
  mdtrtareaAdmvs: z.string().regex(/^\d{6}$/),
  useAccount: z.boolean(),
  useWallet: z.boolean(),
  walletCapFen: fen.nullable(),
  begntime: z.string(),
  invono: z.string().optional(),
  lines: z.array(
    z.object({
      feedetlSn: z.string(),
      medListCodg: z.string(),
      medinsListCodg: z.string(),
      pricFen: fen,
      cnt: z.number().int().min(1),
      traceCodes: z.array(z.string().regex(/^\d{20}$/)),
      feeOcurTime: z.string(),
    }),
  ).min(1),
});
const saleSchema = z.object({
  uid: z.uuid(),
  queuedAt: z.iso.datetime(),
  day: z.iso.date(),
  psnNo: z.string().min(1),
  psnName: z.string(),
  certno: z.string(),
  insutype: z.enum(['310', '390']),
  insuplcAdmdvs: z.string().regex(/^\d{6}$/),
  begntime: z.string(),
  estimate: z.object({ medfee: fen, fund: fen, ownAcct: fen, mulaid: fen, wallet: fen, cash: fen }),
  presettle: z.record(z.string(), z.unknown()),
  lines: z.array(lineSchema).min(1),
  traceCodes: z.array(z.object({ lineNo: z.number().int().min(1), code: z.string().regex(/^\d{20}$/) })),
  request: requestSchema,
});
export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  batchId: z.uuid(),
  fixmedinsCode: z.string().length(12),
  exportedAt: z.iso.datetime(),
  count: z.number().int().min(0),
  sales: z.array(saleSchema),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
type ExportFile = z.infer<typeof exportFileSchema>;
type ExportedSale = z.infer<typeof saleSchema>;

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

export interface ImportResult {
  batchId: string;
  added: number;
  skipped: number;
}

export function checksum(body: Omit<ExportFile, 'sha256'>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export function exportQueue(deps: TransferDeps, file: string): ExportResult {
  const sales = new SalesRepo(deps.db);
  const queue = new OfflineQueueRepo(deps.db);
  const at = deps.now().toISOString();
  const batchId = randomUUID();
  const temp = `${file}.tmp-${process.pid}`;
  const result = sales.transaction(() => {
    const entries = queue.inStates(['queued']).filter((e) => e.owner === null || !ownerAlive(e.owner));
    const exported = entries.map((e) => toExported(sales, e));
    for (const e of entries) {
      if (!sales.transition(e.sale_id, 'queued', 'exported', at, { last_error: `已导出 (批次 ${batchId})` })) {
        throw new SaleError('CHANGED_MEANWHILE', `销售 ${e.sale_id} 正在上传: 请稍后再导出`);
      }
    }
    const body = { format: EXPORT_FORMAT, version: 1 as const, batchId, fixmedinsCode: deps.fixmedinsCode, exportedAt: at, count: exported.length, sales: exported };
    const sha256 = checksum(body);
    writeFileSync(temp, JSON.stringify({ ...body, sha256 }, null, 1));
    return { count: exported.length, sha256 };
  });
  renameSync(temp, file);
  new AuditRepo(deps.db).append(at, 'offline.export', `batch ${batchId}: ${result.count} sales`);
  return { file, batchId, ...result };
}

function toExported(sales: SalesRepo, e: QueueEntry): ExportedSale {
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
    lines: sales.lines(e.sale_id).map((l) => ({ ...l, chrgitm_lv: l.chrgitm_lv as '01' | '02' | '03' })).map(({ sale_id: _, ...l }) => l),
    traceCodes: sales.traceCodes(e.sale_id).map((t) => ({ lineNo: t.line_no, code: t.code })),
    request: JSON.parse(e.request_json) as ExportedSale['request'],
  };
}

export function readExportFile(path: string): ExportFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`导入文件无法读取 (${path}): ${(error as Error).message}`);
  }
  const parsed = parseOrThrow(exportFileSchema, raw, 'file');
  // The checksum covers the text as written (key order included), so it is computed on the raw JSON.
  const { sha256, ...body } = raw as Record<string, unknown>;
  if (checksum(body as Omit<ExportFile, 'sha256'>) !== sha256) throw new InputError('file.sha256: 校验和不符, 文件已被修改或损坏');
  if (parsed.count !== parsed.sales.length) throw new InputError('file.count: 与销售条数不符');
  return parsed;
}

export function importQueue(deps: TransferDeps, path: string): ImportResult {
  const file = readExportFile(path);
  if (file.fixmedinsCode !== deps.fixmedinsCode) {
    throw new InputError(`file.fixmedinsCode: 该文件属于机构 ${file.fixmedinsCode}, 本机为 ${deps.fixmedinsCode}`);
  }
  const sales = new SalesRepo(deps.db);
  const queue = new OfflineQueueRepo(deps.db);
  const at = deps.now().toISOString();
  const result: ImportResult = { batchId: file.batchId, added: 0, skipped: 0 };
  sales.transaction(() => {
    for (const s of file.sales) {
      if (queue.byUid(s.uid)) result.skipped++;
      else {
        addImported(sales, queue, s, file.batchId);
        result.added++;
      }
    }
    queue.recordImport({ checksum: file.sha256, batchId: file.batchId, at, added: result.added, skipped: result.skipped });
  });
  new AuditRepo(deps.db).append(at, 'offline.import', `batch ${file.batchId}: +${result.added} skip ${result.skipped}`);
  return result;
}

function addImported(sales: SalesRepo, queue: OfflineQueueRepo, s: ExportedSale, batchId: string): void {
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
}
