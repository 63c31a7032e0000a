// 3201 对总账 (reference §2.17) and 3202 对明细账 (§2.18): the platform's rows are every settlement
// (2102, 2207) of the institution, clearing agency and clr_type dated in the range (positive,
// refd_setl_flag 0) and every 2103/2208 cancellation dated in the range (negative, flag 1); a 2601 reversal removes its rows altogether.
import { z } from 'zod';
import { count, decimal } from '../decimal';
import { admdvs, code, CLR_TYPES, date, flag01, INSUTYPES, optional, text } from '../fields';
import { fenToYuan } from '../money';
import type { SettlementRow } from '../repo/ledger';
import { parseInput, Refusal, type Handler, type TxContext } from './context';
import { readUploadedDetail, saveResultFile, type DetailRow } from './files';

const total = decimal({ scale: 2, negative: true });

const totalsSchema = z.object({
  data: z.object({
    insutype: code(INSUTYPES, 'insutype'), clr_type: code(CLR_TYPES, 'clr_type'), setl_optins: admdvs,
    stmt_begndate: date, stmt_enddate: date, medfee_sumamt: total, fund_pay_sumamt: total, acct_pay: total,
    fixmedins_setl_cnt: count, refd_setl_flag: optional(flag01),
  }),
});

const detailSchema = z.object({
  data: z.object({
    setl_optins: admdvs, file_qury_no: text(30), stmt_begndate: date, stmt_enddate: date, medfee_sumamt: total,
    fund_pay_sumamt: total, cash_payamt: total, fixmedins_setl_cnt: count, clr_type: optional(code(CLR_TYPES, 'clr_type')),
    refd_setl_flag: optional(flag01),
  }),
});

interface PlatformRow { s: SettlementRow; flag: '0' | '1'; msgid: string; medfee: number; fund: number; acct: number }

/** The platform's rows for a range; refunds left out when refd_setl_flag is "0" (NW note in §2.17). */
function platformRows(ctx: TxContext, fixmedins: string, optins: string, begn: string, end: string, clrType?: string, refunds = true): PlatformRow[] {
  const rows: PlatformRow[] = [];
  const inRange = (t: string | null) => t !== null && t.slice(0, 10) >= begn && t.slice(0, 10) <= end;
  for (const s of ctx.ledger.inRange(fixmedins, optins, begn, end)) {
    // pharmacy settlements clear as 41 药店购药, outpatient ones as 11 门诊; no clr_type: both
    if (clrType && s.clr_type !== clrType) continue;
    if (inRange(s.setl_time)) rows.push({ s, flag: '0', msgid: s.msgid, medfee: s.medfee, fund: s.fund, acct: s.acct_pay });
    if (refunds && s.status === 'cancelled' && inRange(s.cancel_time)) {
      rows.push({ s, flag: '1', msgid: s.cancel_msgid ?? '', medfee: -s.medfee, fund: -s.fund, acct: -s.acct_pay });
    }
  }
  return rows;
}

function checkRange(begn: string, end: string): void {
  if (begn > end) throw new Refusal('INVALID_FIELD', 'input.data.stmt_enddate: must not be before stmt_begndate');
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

export const totals: Handler = (ctx, env) => {
  const { data: d } = parseInput(totalsSchema, env.input);
  checkRange(d.stmt_begndate, d.stmt_enddate);
  const rows = platformRows(ctx, env.fixmedins_code, d.setl_optins, d.stmt_begndate, d.stmt_enddate, d.clr_type, d.refd_setl_flag !== '0')
    .filter((r) => r.s.insutype === d.insutype);
  const mine = { medfee: sum(rows, (r) => r.medfee), fund: sum(rows, (r) => r.fund), acct: sum(rows, (r) => r.acct), cnt: rows.length };
  const diffs: string[] = [];
  if (mine.medfee !== d.medfee_sumamt) diffs.push(`医疗费总额 中心${fenToYuan(mine.medfee)} 机构${fenToYuan(d.medfee_sumamt)}`);
  if (mine.fund !== d.fund_pay_sumamt) diffs.push(`基金支付 中心${fenToYuan(mine.fund)} 机构${fenToYuan(d.fund_pay_sumamt)}`);
  if (mine.acct !== d.acct_pay) diffs.push(`个人账户支付 中心${fenToYuan(mine.acct)} 机构${fenToYuan(d.acct_pay)}`);
  if (mine.cnt !== d.fixmedins_setl_cnt) diffs.push(`结算笔数 中心${mine.cnt} 机构${d.fixmedins_setl_cnt}`);
  // stmt_rslt as §3 (3202 table, applied to totals as NW does): 0 对平, 1 中心多, 2 医药机构多, 3 数据不一致
  const rslt = diffs.length === 0 ? '0' : mine.cnt > d.fixmedins_setl_cnt ? '1' : mine.cnt < d.fixmedins_setl_cnt ? '2' : '3';
  return { stmtinfo: { setl_optins: d.setl_optins, stmt_rslt: rslt, stmt_rslt_dscr: diffs.length ? `对账不平: ${diffs.join('; ')}` : '对账平衡' } };
};

export const detail: Handler = (ctx, env) => {
  const { data: d } = parseInput(detailSchema, env.input);
  checkRange(d.stmt_begndate, d.stmt_enddate);
  const sent = readUploadedDetail(ctx, env.fixmedins_code, d.file_qury_no);
  if (sent.length !== d.fixmedins_setl_cnt) throw new Refusal('INVALID_FIELD', `input.data.fixmedins_setl_cnt: must equal the file's ${sent.length} rows`);
  const medfee = sum(sent, (r) => r.medfee);
  if (medfee !== d.medfee_sumamt) throw new Refusal('INVALID_FIELD', `input.data.medfee_sumamt: must equal the file's total ${fenToYuan(medfee)}`);
  const fund = sum(sent, (r) => r.fund);
  if (fund !== d.fund_pay_sumamt) throw new Refusal('INVALID_FIELD', `input.data.fund_pay_sumamt: must equal the file's total ${fenToYuan(fund)}`);
  const mine = platformRows(ctx, env.fixmedins_code, d.setl_optins, d.stmt_begndate, d.stmt_enddate, d.clr_type, d.refd_setl_flag !== '0');
  const lines = compare(sent, mine);
  return { fileinfo: saveResultFile(ctx, env.fixmedins_code, lines) };
};

/** Result rows (reference §2.18): psn_no mdtrt_id setl_id msgid stmt_rslt refd_setl_flag memo medfee fund acct. */
function compare(sent: DetailRow[], mine: PlatformRow[]): string[][] {
  const key = (setlId: string, flag: string) => `${setlId}\t${flag}`;
  const byKey = new Map(mine.map((r) => [key(r.s.setl_id, r.flag), r]));
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const t of sent) {
    const k = key(t.setl_id, t.refd_setl_flag);
    seen.add(k);
    const p = byKey.get(k);
    if (!p) {
      out.push([t.psn_no, t.mdtrt_id, t.setl_id, '', '2', t.refd_setl_flag, '医药机构多: 中心无此结算', '', '', '']);
      continue;
    }
    const diffs: string[] = [];
    if (p.medfee !== t.medfee) diffs.push(`医疗费总额 中心${fenToYuan(p.medfee)} 机构${fenToYuan(t.medfee)}`);
    if (p.fund !== t.fund) diffs.push(`基金支付 中心${fenToYuan(p.fund)} 机构${fenToYuan(t.fund)}`);
    if (p.acct !== t.acct) diffs.push(`个人账户支付 中心${fenToYuan(p.acct)} 机构${fenToYuan(t.acct)}`);
    out.push(platformLine(p, diffs.length ? '3' : '0', diffs.join('; ')));
  }
  for (const p of mine) if (!seen.has(key(p.s.setl_id, p.flag))) out.push(platformLine(p, '1', '中心多: 机构未上传此结算'));
  return out;
}

function platformLine(p: PlatformRow, rslt: string, memo: string): string[] {
  return [p.s.psn_no, p.s.mdtrt_id, p.s.setl_id, p.msgid, rslt, p.flag, memo, fenToYuan(p.medfee), fenToYuan(p.fund), fenToYuan(p.acct)];
}
