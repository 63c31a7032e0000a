/**
 * 3201 对总账 (reference §2.17) and 3202 对明细账 (§2.18). The 3202 detail travels as files: the terminal's
 * rows go up through 9101 and the platform's result comes down through 9102 (see files.ts).
 */
import { z } from 'zod';
import { STMT_RSLT, describeCode } from '../codes';
import type { DetailRow, ReconcileRow, ReconcileTotals, TotalsAnswer } from '../domain';
import { flag, optionalText, text, yuan } from '../wire';

const CLR_TYPE_PHARMACY = '41';

export function totalsInput(t: ReconcileTotals, setlOptins: string) {
  return {
    data: {
      insutype: t.insutype,
      clr_type: CLR_TYPE_PHARMACY,
      setl_optins: setlOptins,
      stmt_begndate: t.begnDate,
      stmt_enddate: t.endDate,
      medfee_sumamt: yuan(t.medfeeSumamt),
      fund_pay_sumamt: yuan(t.fundPaySumamt),
      acct_pay: yuan(t.acctPay),
      fixmedins_setl_cnt: t.count,
      // Totals of live settlements only; cancelled ones are netted out by the terminal.
      refd_setl_flag: '0',
    },
  };
}

export const totalsOutputSchema = z
  .object({ stmtinfo: z.object({ setl_optins: optionalText, stmt_rslt: text, stmt_rslt_dscr: optionalText }) })
  .transform(
    ({ stmtinfo: s }): TotalsAnswer => ({
      balanced: s.stmt_rslt === '0',
      stmtRslt: s.stmt_rslt,
      description: s.stmt_rslt_dscr || describeCode(STMT_RSLT, s.stmt_rslt),
    }),
  );

export function detailInput(t: ReconcileTotals, setlOptins: string, fileQuryNo: string) {
  return {
    data: {
      setl_optins: setlOptins,
      file_qury_no: fileQuryNo,
      stmt_begndate: t.begnDate,
      stmt_enddate: t.endDate,
      medfee_sumamt: yuan(t.medfeeSumamt),
      fund_pay_sumamt: yuan(t.fundPaySumamt),
      cash_payamt: yuan(t.cashPayamt),
      fixmedins_setl_cnt: t.count,
      clr_type: CLR_TYPE_PHARMACY,
      refd_setl_flag: '1',
    },
  };
}

export const detailOutputSchema = z
  .object({ fileinfo: z.object({ file_qury_no: text.pipe(z.string().min(1, 'required')), filename: text, dld_endtime: optionalText }) })
  .transform(({ fileinfo: f }) => ({ fileQuryNo: f.file_qury_no, filename: f.filename }));

/** One line of the upload file, amounts signed. */
export interface DetailFileRow {
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  refund: boolean;
}

/**
 * The rows of the upload file: each settlement as it was made (flag 0, positive); a cancelled one also
 * has its refund row (flag 1, the same setl_id, negative amounts), as clients report 2103/2208 (§2.18).
 */
export function detailFileRows(rows: DetailRow[]): DetailFileRow[] {
  return rows.flatMap((r) => {
    const made = { setlId: r.setlId, mdtrtId: r.mdtrtId, psnNo: r.psnNo, medfeeFen: r.medfeeSumamt, fundFen: r.fundPaySumamt, acctFen: r.acctPay, refund: false };
    return r.cancelled ? [made, { ...made, medfeeFen: -made.medfeeFen, fundFen: -made.fundFen, acctFen: -made.acctFen, refund: true }] : [made];
  });
}

/** The file's totals, which 3202's own figures must equal. */
export function fileTotals(rows: DetailFileRow[]): { medfeeFen: number; fundFen: number; acctFen: number; count: number } {
  return rows.reduce(
    (t, r) => ({ medfeeFen: t.medfeeFen + r.medfeeFen, fundFen: t.fundFen + r.fundFen, acctFen: t.acctFen + r.acctFen, count: t.count + 1 }),
    { medfeeFen: 0, fundFen: 0, acctFen: 0, count: 0 },
  );
}

/** The upload file: 7 TAB-separated columns, `\n` line ends, no header. */
export function detailFileText(rows: DetailFileRow[]): string {
  return rows
    .map((r) => [r.setlId, r.mdtrtId, r.psnNo, yuan(r.medfeeFen), yuan(r.fundFen), yuan(r.acctFen), flag(r.refund)].map(cell).join('\t'))
    .map((line) => `${line}\n`)
    .join('');
}

function cell(value: string): string {
  if (/[\t\r\n]/.test(value)) throw new Error(`对账明细字段含制表符或换行: ${JSON.stringify(value)}`);
  return value;
}

const RESULT: Record<string, ReconcileRow['result']> = { '0': 'match', '1': 'platform_only', '2': 'terminal_only', '3': 'amounts_differ' };
const RESULT_COLUMNS = ['psn_no', 'mdtrt_id', 'setl_id', 'msgid', 'stmt_rslt', 'refd_setl_flag', 'memo', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay'] as const;

const resultRowSchema = z.object({
  psn_no: z.string(),
  mdtrt_id: z.string(),
  setl_id: z.string(),
  msgid: z.string(),
  stmt_rslt: z.enum(['0', '1', '2', '3'], 'expected 0, 1, 2 or 3'),
  refd_setl_flag: z.enum(['', '0', '1'], 'expected 0 or 1'),
  memo: optionalText,
  medfee_sumamt: z.string(),
  fund_pay_sumamt: z.string(),
  acct_pay: z.string(),
});

/** The 9102 result file: TAB-separated rows in the reference's column order; "null" or "" for empty. */
export function parseResultFile(content: string, toFen: (yuan: string) => number): ReconcileRow[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.map((line, index) => {
    const cells = line.split('\t').map((c) => (c === 'null' ? '' : c.trim()));
    if (cells.length < RESULT_COLUMNS.length) {
      throw new Error(`对账结果第 ${index + 1} 行: 应有 ${RESULT_COLUMNS.length} 列, 实有 ${cells.length} 列`);
    }
    const raw = Object.fromEntries(RESULT_COLUMNS.map((name, i) => [name, cells[i] ?? '']));
    const parsed = resultRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`对账结果第 ${index + 1} 行 ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`);
    }
    const r = parsed.data;
    const amount = (name: string, v: string) => {
      try {
        return v === '' ? 0 : Math.abs(toFen(v));
      } catch (error) {
        throw new Error(`对账结果第 ${index + 1} 行 ${name}: ${(error as Error).message}`);
      }
    };
    return {
      msgid: r.msgid,
      setlId: r.setl_id,
      mdtrtId: r.mdtrt_id,
      psnNo: r.psn_no,
      medfeeSumamt: amount('medfee_sumamt', r.medfee_sumamt),
      fundPaySumamt: amount('fund_pay_sumamt', r.fund_pay_sumamt),
      acctPay: amount('acct_pay', r.acct_pay),
      cancelled: r.refd_setl_flag === '1',
      memo: r.memo,
      result: RESULT[r.stmt_rslt] ?? 'amounts_differ',
    };
  });
}
