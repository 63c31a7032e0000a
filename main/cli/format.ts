/** Readable Chinese tables for the terminal's command line. Display only: amounts come in fen. */
import { displayWidth, padEnd, padStart } from '../../devices/printer';
import { fenToYuan } from '../platform/money';
import type { PersonInfo, SettlementFigures } from '../platform/domain';
import type { SaleView } from '../sales/sale-view';
import { maskCertno } from '../../devices/mask';
import { chinaDateTime } from '../platform/china-time';

const INSUTYPE: Record<string, string> = { '310': '职工医保', '390': '居民医保' };

export function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '-' : fenToYuan(fen);
}

/** Two columns, labels padded by display width (CJK characters are two columns wide). */
export function keyValues(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([k]) => displayWidth(k)));
  return rows.map(([k, v]) => `${padEnd(k, width)}  ${v}`).join('\n');
}

export function table(header: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned.includes(i) ? padStart(c, widths[i]!) : padEnd(c, widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatPerson(p: PersonInfo): string {
  return keyValues([
    ['姓名', p.psnName],
    ['身份证号', maskCertno(p.certno)],
    ['年龄', String(p.age)],
    ['险种', INSUTYPE[p.insutype] ?? p.insutype],
    ['参保地', p.insuplcAdmdvs],
    ['个人账户余额', yuan(p.ownAcctFen)],
    ['可用家庭共济', yuan(p.mulaidFen)],
    ['医保钱包', p.walletOpen ? yuan(p.walletFen) : '未开通'],
  ]);
}

export function formatSale(s: SaleView): string {
  const parts = [
    keyValues([
      ['销售单号', String(s.id)],
      ['状态', s.stateLabel],
      ['患者', `${s.patient.psnName}  ${s.patient.maskedCertno}  ${INSUTYPE[s.patient.insutype] ?? s.patient.insutype}  参保地 ${s.patient.insuplcAdmdvs}`],
    ]),
  ];
  if (s.lines.length > 0) {
    parts.push(
      table(
        ['行', '药品', '单价', '数量', '金额', '追溯码'],
        s.lines.map((l) => [
          String(l.lineNo),
          l.name,
          yuan(l.pricFen),
          String(l.cnt),
          yuan(l.amountFen),
          l.traceMissing > 0 ? `${l.traceCodes.length}/${l.cnt} 缺${l.traceMissing}` : `${l.cnt}/${l.cnt}`,
        ]),
        [2, 3, 4],
      ),
    );
  }
  const f = s.settlement ?? s.presettle;
  if (f) {
    parts.push(splitKeyValues(f, s.settlement?.setlId ?? null, { walletBalance: true }));
  }
  if (s.cancellation) parts.push(`已撤销: 退回统筹 ${yuan(s.cancellation.fundPaySumamt)}, 个人账户 ${yuan(s.cancellation.acctPay)}, 钱包 ${yuan(s.cancellation.walletPay)}, 现金 ${yuan(s.cancellation.cashPayamt)}`);
  if (s.lastError) parts.push(`提示: ${s.lastError}`);
  return parts.join('\n\n');
}

/** The split as the CLI shows it (a sale's or a visit's): each part, the balances after, the 结算编号 once settled. */
export function splitKeyValues(f: SettlementFigures, setlId: string | null, options: { walletBalance?: boolean } = {}): string {
  return keyValues([
    ['医疗费总额', yuan(f.medfeeSumamt)],
    ['统筹基金支付', yuan(f.fundPaySumamt)],
    ['个人账户支付', yuan(f.acctPay)],
    ['  其中家庭共济', yuan(f.acctMulaidPay)],
    ['医保钱包支付', yuan(f.walletPay)],
    ['现金支付', yuan(f.psnCashPay)],
    ['个人账户余额', yuan(f.balcAfter)],
    ...(options.walletBalance ? ([['医保钱包余额', yuan(f.walletBalcAfter)]] as Array<[string, string]>) : []),
    ...(setlId ? ([['结算编号', setlId]] as Array<[string, string]>) : []),
  ]);
}

export function formatSaleList(sales: SaleView[]): string {
  if (sales.length === 0) return '(没有销售记录)';
  return table(
    ['单号', '时间', '患者', '状态', '金额', '结算编号'],
    sales.map((s) => [String(s.id), chinaDateTime(s.createdAt), s.patient.psnName, s.stateLabel, yuan(s.medfeeFen), s.settlement?.setlId ?? '']),
    [4],
  );
}
