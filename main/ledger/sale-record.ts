/**
 * The sale as the ledger holds it, shared by the online counter (main/sales) and the offline desk
 * (main/offline): guarded state moves, the settle request built from its rows, the trace-code check, the
 * patient's choices. Neither path imports the other; both import this.
 */
import { AuditRepo } from '../../db/audit-repo';
import type { Db } from '../../db/connection';
import { SalesRepo, type LineRow, type SalePatch, type SaleRow, type TraceRow } from '../../db/sales-repo';
import type { Credential, SettleRequest, SettlementFigures } from '../platform/domain';
import { leaseFrom, PROCESS_OWNER, SEND_LEASE_MS } from '../sending/owner';
import type { Choices } from '../settlement/choices';
import { SaleError } from '../settlement/sale-error';
import { canMove, type SaleState } from '../settlement/sale-state';
import { lineAmountFen, quantityE4 } from '../settlement/split-pack';

export interface SaleRecordOptions {
  db: Db;
  now: () => Date;
  /** The counter's region (mdtrtarea_admvs) for the settle request. */
  mdtrtareaAdmvs: string;
  requireTraceCodes: boolean;
}

export class SaleRecords {
  readonly sales: SalesRepo;
  readonly audit: AuditRepo;

  constructor(private readonly o: SaleRecordOptions) {
    this.sales = new SalesRepo(o.db);
    this.audit = new AuditRepo(o.db);
  }

  get now(): () => Date {
    return this.o.now;
  }

  stamp(): string {
    return this.o.now().toISOString();
  }

  require(saleId: number): SaleRow {
    const sale = this.sales.get(saleId);
    if (!sale) throw new SaleError('NO_SALE', `没有编号为 ${saleId} 的销售`);
    return sale;
  }

  /** A guarded move: allowed by the state machine, and only if nobody moved the sale meanwhile. */
  move(sale: SaleRow, to: SaleState, patch: SalePatch = {}): void {
    if (!canMove(sale.state as SaleState, to)) {
      throw new SaleError('BAD_STATE', `该销售${stateText(sale)}, 不能变为 ${to}`);
    }
    let moved: boolean;
    try {
      moved = this.sales.transition(sale.id, sale.state, to, this.stamp(), patch);
    } catch (error) {
      // Going on with a reversed/failed sale takes its boxes back (migration 011): one may be sold since.
      if (!isBoxRefusal(error)) throw error;
      const codes = this.sales.takenElsewhere(sale.id).join(', ');
      throw new SaleError('TRACE_SOLD', `追溯码 ${codes} 已被另一笔销售占用: 请移除该盒药 (Del) 后再继续`);
    }
    if (!moved) throw new SaleError('CHANGED_MEANWHILE', '该销售刚被另一处修改: 请刷新后重试');
  }

  /** The patch that marks this process as the sale's sender (see main/sending/owner.ts). */
  sendingClaim(): Pick<SalePatch, 'owner' | 'lease_until'> {
    return { owner: PROCESS_OWNER, lease_until: leaseFrom(this.o.now(), SEND_LEASE_MS) };
  }

  /** The 2101/2102 request for the sale's cart, with the patient's choices. */
  settleRequest(sale: SaleRow, choices: Choices): SettleRequest {
    const traces = this.sales.traceCodes(sale.id);
    return {
      psnNo: sale.psn_no,
      credential: {
        mdtrtCertType: sale.mdtrt_cert_type as Credential['mdtrtCertType'],
        mdtrtCertNo: sale.mdtrt_cert_no,
        cardSn: sale.card_sn,
      },
      insutype: sale.insutype as SettleRequest['insutype'],
      insuplcAdmdvs: sale.insuplc_admdvs,
      mdtrtareaAdmvs: this.o.mdtrtareaAdmvs,
      useAccount: choices.useAccount,
      useWallet: choices.useWallet,
      walletCapFen: choices.walletCapFen,
      begntime: sale.begntime,
      lines: this.sales.lines(sale.id).map((l) => ({
        feedetlSn: `${sale.id}-${l.line_no}`,
        medListCodg: l.med_list_codg,
        medinsListCodg: l.medins_list_codg,
        pricFen: l.pric_fen,
        cnt: l.cnt,
        // 拆零: the exact quantity and price go on the wire, and the amount as the platform rounds it.
        ...(l.trdn_flag === 1 && l.cnt_e4 != null && l.pric_micros != null
          ? { cntTenThousandths: l.cnt_e4, pricMicros: l.pric_micros, amountFen: lineAmountFen(l.pric_micros, l.cnt_e4) }
          : {}),
        traceCodes: traces.filter((t) => t.line_no === l.line_no).map((t) => t.code),
        feeOcurTime: sale.begntime,
      })),
    };
  }

  /** 药品追溯码: one per box before a sale may be settled (when the config asks for them). */
  requireTraceCodesComplete(saleId: number): void {
    if (!this.o.requireTraceCodes) return;
    const traces = this.sales.traceCodes(saleId);
    const missing = this.sales
      .lines(saleId)
      .map((l) => ({ name: l.name, missing: traceMissing(l, traces.filter((t) => t.line_no === l.line_no)) }))
      .filter((l) => l.missing > 0);
    if (missing.length > 0) {
      const list = missing.map((l) => `${l.name} 缺 ${l.missing} 个`).join('; ');
      throw new SaleError('TRACE_MISSING', `追溯码未扫齐 (每盒一个): ${list}`);
    }
  }
}

/**
 * Trace codes a line still needs: one per box; a split line (拆零) needs one more box's code while the
 * parts taken from its boxes do not cover its quantity.
 */
export function traceMissing(line: LineRow, codes: TraceRow[]): number {
  if (line.trdn_flag === 1) {
    const covered = codes.reduce((sum, t) => sum + (t.take_e4 ?? 0), 0);
    return covered < quantityE4(line) ? 1 : 0;
  }
  return Math.max(0, line.cnt - codes.length);
}

/** What a (re)presettled sale records: the figures the patient sees and the choices they came from. */
export function presettledPatch(figures: SettlementFigures, chosen: Choices, note: string | null): SalePatch {
  return {
    presettle_json: JSON.stringify(figures),
    use_account: chosen.useAccount ? 1 : 0,
    use_wallet: chosen.useWallet ? 1 : 0,
    wallet_cap_fen: chosen.walletCapFen,
    last_error: note,
  };
}

/** The choices stored with the sale, overridden by those given now (validated). */
export function mergeChoices(sale: SaleRow, choices: Partial<Choices> | undefined): Choices {
  const merged = {
    useAccount: choices?.useAccount ?? sale.use_account === 1,
    useWallet: choices?.useWallet ?? sale.use_wallet === 1,
    walletCapFen: choices?.walletCapFen !== undefined ? choices.walletCapFen : sale.wallet_cap_fen,
  };
  if (merged.walletCapFen !== null && (!Number.isSafeInteger(merged.walletCapFen) || merged.walletCapFen < 0)) {
    throw new SaleError('BAD_WALLET_CAP', '医保钱包限额应为不小于 0 的金额');
  }
  return merged;
}

function isBoxRefusal(error: unknown): boolean {
  const text = String(error);
  return text.includes('TRACE_CODE_') || ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && text.includes('trace_codes'));
}

export function stateText(sale: SaleRow): string {
  return `当前状态为 ${sale.state}`;
}
