// 9101 文件上传 and 9102 文件下载 (reference §2.19, §2.20), and the 3202 files that travel through them:
// the institution's detail file (zip of one TAB-separated text, 7 columns, no header) and the
// platform's result file (zip of one TAB-separated text, 10 columns, no header).
import { z } from 'zod';
import { parseDecimal } from '../decimal';
import { text } from '../fields';
import { fmtCompact, fmtDateTime } from '../time';
import { unzip, zipOne } from '../zip';
import { FileAnswer, fieldRefusal, parseInput, Refusal, type Handler, type Out, type TxContext } from './context';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DAY_MS = 24 * 3600 * 1000;

const uploadSchema = z.object({
  fsUploadIn: z.object({
    // 字节数组: JSON clients send Base64 (reference §2.19)
    in: z.string({ error: 'must be the file bytes in Base64' }).min(1, 'must not be empty').regex(BASE64, 'must be Base64'),
    filename: text(200),
    fixmedins_code: text(30),
  }),
});

const downloadSchema = z.object({
  fsDownloadIn: z.object({ file_qury_no: text(30), filename: text(200), fixmedins_code: text(30) }),
});

function newFileNo(ctx: TxContext): string {
  return `F${fmtCompact(ctx.now())}${String(ctx.ledger.countFiles() + 1).padStart(8, '0')}`;
}

export const upload: Handler = (ctx, env) => {
  const { fsUploadIn: f } = parseInput(uploadSchema, env.input);
  if (f.fixmedins_code !== env.fixmedins_code) throw fieldRefusal('input.fsUploadIn.fixmedins_code', 'must equal the envelope fixmedins_code');
  const fileNo = newFileNo(ctx);
  const dld = fmtDateTime(ctx.now() + DAY_MS);
  ctx.ledger.saveFile({ file_qury_no: fileNo, fixmedins_code: env.fixmedins_code, filename: f.filename, kind: 'upload', bytes: Buffer.from(f.in, 'base64'), dld_endtime: dld });
  return { file_qury_no: fileNo, filename: f.filename, fixmedins_code: env.fixmedins_code, dld_endtime: dld };
};

export const download: Handler = (ctx, env) => {
  const { fsDownloadIn: f } = parseInput(downloadSchema, env.input);
  if (f.fixmedins_code !== env.fixmedins_code) throw fieldRefusal('input.fsDownloadIn.fixmedins_code', 'must equal the envelope fixmedins_code');
  const file = ctx.ledger.file(f.file_qury_no);
  if (!file || file.fixmedins_code !== env.fixmedins_code) throw new Refusal('FILE_NOT_FOUND', `文件查询号${f.file_qury_no}不存在`);
  if (f.filename !== file.filename && f.filename !== 'plc') throw fieldRefusal('input.fsDownloadIn.filename', `must be the file's name ${file.filename}`);
  if (fmtDateTime(ctx.now()) > file.dld_endtime) throw new Refusal('FILE_EXPIRED', `已超过下载截止时间${file.dld_endtime}`);
  return new FileAnswer(file.filename, file.bytes);
};

export interface DetailRow { setl_id: string; mdtrt_id: string; psn_no: string; medfee: number; fund: number; acct: number; refd_setl_flag: '0' | '1' }

const COLUMNS = ['setl_id', 'mdtrt_id', 'psn_no', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'refd_setl_flag'] as const;

/** The rows of an uploaded 3202 detail file; a refusal names the line and column. */
export function readUploadedDetail(ctx: TxContext, fixmedins: string, fileNo: string): DetailRow[] {
  const file = ctx.ledger.file(fileNo);
  if (file?.kind !== 'upload' || file.fixmedins_code !== fixmedins) {
    throw fieldRefusal('input.data.file_qury_no', 'no file uploaded by 9101 with this number for this institution', 'FILE_NOT_FOUND');
  }
  const z = unzip(file.bytes);
  if ('problem' in z) throw fieldRefusal(`file ${file.filename}`, z.problem);
  if (z.files.length !== 1) throw fieldRefusal(`file ${file.filename}`, `must hold exactly one file, holds ${z.files.length}`);
  const entry = z.files[0]!;
  const lines = entry.content.toString('utf8').split(/\r?\n/).filter((l) => l.length > 0);
  return lines.map((line, i) => parseDetailLine(`file ${entry.name} line ${i + 1}`, line));
}

function parseDetailLine(at: string, line: string): DetailRow {
  const cells = line.split('\t');
  if (cells.length !== COLUMNS.length) throw fieldRefusal(at, `must have ${COLUMNS.length} TAB-separated columns (${COLUMNS.join(', ')}), has ${cells.length}`);
  const [setlId = '', mdtrtId = '', psnNo = '', , , , flag = ''] = cells;
  if (!setlId) throw fieldRefusal(`${at} setl_id`, 'required');
  if (flag !== '0' && flag !== '1') throw fieldRefusal(`${at} refd_setl_flag`, 'must be 0 or 1');
  const amount = (col: 3 | 4 | 5) => {
    const r = parseDecimal(cells[col], { scale: 2, negative: flag === '1' });
    if ('problem' in r) throw fieldRefusal(`${at} ${COLUMNS[col]}`, r.problem);
    return r.units;
  };
  return { setl_id: setlId, mdtrt_id: mdtrtId, psn_no: psnNo, medfee: amount(3), fund: amount(4), acct: amount(5), refd_setl_flag: flag };
}

/** Store the 3202 result file; its fileinfo (reference §2.18). */
export function saveResultFile(ctx: TxContext, fixmedins: string, rows: string[][]): Out {
  const fileNo = newFileNo(ctx);
  const body = Buffer.from(rows.map((r) => r.join('\t')).join('\n') + (rows.length ? '\n' : ''), 'utf8');
  const filename = `${fileNo}.zip`;
  const dld = fmtDateTime(ctx.now() + DAY_MS);
  ctx.ledger.saveFile({ file_qury_no: fileNo, fixmedins_code: fixmedins, filename, kind: 'result', bytes: zipOne(`${fileNo}.txt`, body), dld_endtime: dld });
  return { file_qury_no: fileNo, filename, dld_endtime: dld };
}
