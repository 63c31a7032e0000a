import type { CancelRecord, SettlementFigures, SettlementRecord } from '../platform/domain';
import type { LineRow, SaleRow, TraceRow } from '../../db/sales-repo';
import type { PersonRow } from '../../db/persons-repo';
import { maskCertno } from '../../devices/mask';
import type { Choices } from '../settlement/choices';
import type { Tender } from '../settlement/tender';
import { STATE_LABELS, type SaleState } from '../settlement/sale-state';
import { traceMissing } from '../ledger/sale-record';
import { formatScaled, priceMicros, quantityE4 } from '../settlement/split-pack';

export interface SaleLineView {
  lineNo: number;
  barcode: string;
  name: string;
  spec: string;
  chrgitmLv: string;
  pricFen: number;
  cnt: number;
  /** The quantity as the cashier reads it: whole boxes ("2") or part of a box ("0.25", 拆零). */
  quantity: string;
  split: boolean;
  amountFen: number;
  traceCodes: string[];
  traceMissing: number;
}

export interface PatientView {
  psnNo: string;
  psnName: string;
  maskedCertno: string;
  age: number | null;
  gend: string;
  insutype: string;
  insuplcAdmdvs: string;
  certType: string;
  ownAcctFen: number | null;
  mulaidFen: number | null;
  walletFen: number | null;
  walletOpen: boolean | null;
  seenAt: string | null;
}

/** Everything a screen or the command line shows about a sale. Personal ID is masked here already. */
export interface SaleView {
  id: number;
  state: SaleState;
  stateLabel: string;
  createdAt: string;
  updatedAt: string;
  patient: PatientView;
  lines: SaleLineView[];
  medfeeFen: number;
  traceMissingTotal: number;
  choices: Choices;
  presettle: SettlementFigures | null;
  settlement: SettlementRecord | null;
  cancellation: CancelRecord | null;
  lastError: string | null;
  /** The operator who opened the sale (issue 9); null for sales made before operators signed in. */
  cashier: { code: string; name: string } | null;
  /** How its cash part was collected at the counter (migration 010), in order; absent when not read. */
  tenders?: Tender[];
}

export function toSaleView(row: SaleRow, lines: LineRow[], traces: TraceRow[], person: PersonRow | undefined): SaleView {
  const lineViews = lines.map((l): SaleLineView => {
    const mine = traces.filter((t) => t.line_no === l.line_no);
    const codes = mine.map((t) => t.code);
    const split = l.trdn_flag === 1;
    return {
      lineNo: l.line_no,
      barcode: l.barcode,
      name: l.name,
      spec: l.spec,
      chrgitmLv: l.chrgitm_lv,
      // A split line's price is its box price (taken from the catalog in fen); its amount is pric_fen x cnt.
      pricFen: split ? Math.round(priceMicros(l) / 10_000) : l.pric_fen,
      cnt: l.cnt,
      quantity: formatScaled(quantityE4(l), 4),
      split,
      amountFen: l.pric_fen * l.cnt,
      traceCodes: codes,
      traceMissing: traceMissing(l, mine),
    };
  });
  const state = row.state as SaleState;
  return {
    id: row.id,
    state,
    stateLabel: STATE_LABELS[state] ?? row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    patient: {
      psnNo: row.psn_no,
      psnName: row.psn_name,
      maskedCertno: maskCertno(row.certno),
      age: person?.age ?? null,
      gend: person?.gend ?? '',
      insutype: row.insutype,
      insuplcAdmdvs: row.insuplc_admdvs,
      certType: row.mdtrt_cert_type,
      ownAcctFen: person?.own_acct_fen ?? null,
      mulaidFen: person?.mulaid_fen ?? null,
      walletFen: person?.wallet_fen ?? null,
      walletOpen: person ? person.wallet_open === 1 : null,
      seenAt: person?.seen_at ?? null,
    },
    lines: lineViews,
    medfeeFen: lineViews.reduce((sum, l) => sum + l.amountFen, 0),
    traceMissingTotal: lineViews.reduce((sum, l) => sum + l.traceMissing, 0),
    choices: { useAccount: row.use_account === 1, useWallet: row.use_wallet === 1, walletCapFen: row.wallet_cap_fen },
    presettle: parseJson<SettlementFigures>(row.presettle_json),
    settlement: parseJson<SettlementRecord>(row.settle_json),
    cancellation: parseJson<CancelRecord>(row.cancel_json),
    lastError: row.last_error,
    cashier: row.opter ? { code: row.opter, name: row.opter_name ?? row.opter } : null,
  };
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
