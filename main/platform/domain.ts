/**
 * What the rest of the terminal sees of the national platform: camelCase, integer fen, no wire names.
 * The wire shapes (snake_case, yuan) live in main/platform/tx/*, one file per transaction.
 */

export type Insutype = '310' | '390';
export type MdtrtCertType = '01' | '02' | '03';

export interface Credential {
  mdtrtCertType: MdtrtCertType;
  /** ecToken (01), ID number (02) or card number (03). */
  mdtrtCertNo: string;
  cardSn?: string;
  certno?: string;
  psnName?: string;
  /** The patient's insured place when known before 1101: the QR's insuOrg, the card's issuing region, a filing. */
  insuplcAdmdvs?: string;
}

export interface PersonInfo {
  psnNo: string;
  certno: string;
  psnName: string;
  gend: string;
  brdy: string;
  age: number;
  insutype: Insutype;
  psnType: string;
  insuStas: string;
  insuplcAdmdvs: string;
  empName: string;
  ownAcctFen: number;
  mulaidFen: number;
  walletFen: number;
  walletOpen: boolean;
  /** Extension: the givers whose accounts back the mutual aid, in debit order; null when not told. */
  mulaidGivers: Array<{ psnNo: string; balanceFen: number }> | null;
}

export interface QrIdentity {
  ecToken: string;
  idNo: string;
  idType: string;
  userName: string;
  insuOrg: string;
}

export interface DrugLine {
  feedetlSn: string;
  medListCodg: string;
  medinsListCodg: string;
  pricFen: number;
  cnt: number;
  /**
   * 拆零 (split packs, cart's part): when set, the exact quantity in ten-thousandths (cnt N(16,4)), the unit
   * price in millionths of a yuan (pric N(16,6)) and the line's amount in fen as the settlement rounds it.
   * They win over cnt/pricFen on the wire.
   */
  cntTenThousandths?: number;
  pricMicros?: number;
  amountFen?: number;
  traceCodes: string[];
  feeOcurTime: string;
}

export interface SettleRequest {
  psnNo: string;
  credential: Credential;
  insutype: Insutype;
  insuplcAdmdvs: string;
  mdtrtareaAdmvs: string;
  useAccount: boolean;
  useWallet: boolean;
  walletCapFen: number | null;
  lines: DrugLine[];
  begntime: string;
  /** 14 门诊慢特病 needs a disease code; default 41 定点药店购药. */
  medType?: '41' | '14';
  diseCodg?: string;
  diseName?: string;
  invono?: string;
}

/** One fund that paid (setldetail[]): 统筹, 大病, 公务员补助, 医疗救助, the account (310200) ... */
export interface FundPayment {
  fundPayType: string;
  /** The platform's name, or the code table's, or "<code> 未知". */
  name: string;
  amountFen: number;
}

/** The rest of the specification's setlinfo, kept with the sale as the platform sent it. */
export interface SettlementExtra {
  actPayDedc: number | null;
  /** N(5,4) ratio as text, e.g. "0.9000"; never used for money. */
  poolPropSelfpay: string | null;
  cvlservPay: number;
  hifesPay: number;
  hifmiPay: number;
  hifobPay: number;
  mafPay: number;
  othPay: number;
  hifdmPay: number;
  clrOptins: string;
  clrWay: string;
  clrType: string;
  medinsSetlId: string;
  medType: string;
  psnType: string;
  funds: FundPayment[];
}

export interface SettlementFigures {
  medfeeSumamt: number;
  fulamtOwnpayAmt: number;
  overlmtSelfpay: number;
  preselfpayAmt: number;
  inscpScpAmt: number;
  hifpPay: number;
  fundPaySumamt: number;
  psnPartAmt: number;
  acctPay: number;
  acctMulaidPay: number;
  walletPay: number;
  psnCashPay: number;
  balcAfter: number;
  walletBalcAfter: number | null;
  /** Present when the figures came from the platform (absent in offline estimates). */
  extra?: SettlementExtra;
}

export interface SettlementRecord extends SettlementFigures {
  setlId: string;
  mdtrtId: string;
  setlTime: string;
}

export interface CancelRecord {
  setlId: string;
  mdtrtId: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  acctMulaidPay: number;
  walletPay: number;
  psnPay: number;
  cashPayamt: number;
}

/**
 * 2601 as the terminal reads it: infcode 0 = "reversed" (the original has no effect now); a refusal whose
 * err_msg says the original was never received = "never_committed"; one saying it was already reversed =
 * "already_reversed". Any other refusal leaves the outcome unknown (PlatformRefusal is thrown).
 */
export type ReversalStatus = 'reversed' | 'already_reversed' | 'never_committed';

export interface ReconcileTotals {
  insutype: Insutype;
  begnDate: string;
  endDate: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  cashPayamt: number;
  count: number;
}

export interface TotalsAnswer {
  balanced: boolean;
  stmtRslt: string;
  description: string;
}

export interface DetailRow {
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  medfeeSumamt: number;
  fundPaySumamt: number;
  acctPay: number;
  cancelled: boolean;
}

/** A 3202 result row: the detail row the platform holds, with its msgid and verdict. */
export interface ReconcileRow extends DetailRow {
  msgid: string;
  memo: string;
  result: 'match' | 'platform_only' | 'terminal_only' | 'amounts_differ';
}
