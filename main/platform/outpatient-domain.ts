/**
 * The hospital billing desk's view of 2201–2208 (reference §2.9–2.16): camelCase, integer fen, exact
 * quantities, no wire names. The wire shapes live in tx/outpatient-*.ts.
 */
import type { Credential, Insutype } from './domain';

/** 11 普通门诊; 14 门诊慢特病 (needs a chronic-disease diagnosis, which unlocks its own ratio). */
export type OutpatientMedType = '11' | '14';

export interface Clinician {
  code: string;
  name: string;
}

export interface Department {
  code: string;
  name: string;
  /** 科别 (caty, code table). */
  caty: string;
}

/** A visit at the platform: who it belongs to and where he is insured (every 22xx names both). */
export interface VisitRef {
  mdtrtId: string;
  psnNo: string;
  insuplcAdmdvs: string;
}

export interface RegisterRequest {
  psnNo: string;
  insutype: Insutype;
  insuplcAdmdvs: string;
  credential: Credential;
  begntime: string;
  /** 门诊号: the hospital's own unique number of this visit. */
  iptOtpNo: string;
  doctor: Clinician;
  dept: Department;
}

export interface Registration {
  mdtrtId: string;
  psnNo: string;
  iptOtpNo: string;
}

export interface DiagnosisEntry {
  /** ICD-10 code, e.g. "J06.900". */
  code: string;
  name: string;
}

export interface DiagnosisRequest extends VisitRef {
  medType: OutpatientMedType;
  begntime: string;
  diagnoses: DiagnosisEntry[];
  dept: Department;
  doctor: Clinician;
  diagTime: string;
}

export type FeeKind = 'drug' | 'exam';

/** One fee item of a visit as it goes to 2204: exact quantity (ten-thousandths) and price (millionths of a yuan). */
export interface FeeItem {
  feedetlSn: string;
  /** 处方号 / 检查申请单号 of the document it came from. */
  rxno: string;
  kind: FeeKind;
  medListCodg: string;
  medinsListCodg: string;
  cntE4: number;
  pricMicros: number;
  amountFen: number;
  feeOcurTime: string;
  dept: { code: string; name: string };
  doctor: Clinician;
}

export interface FeeUpload extends VisitRef {
  chrgBchno: string;
  medType: OutpatientMedType;
  /** The chronic disease of a 14 visit (dise_codg); "" otherwise. */
  diseCodg: string;
  items: FeeItem[];
}

/** The platform's answer for one item (2204 result[]): its class and how much of it is the patient's. */
export interface FeeAnswer {
  feedetlSn: string;
  amountFen: number;
  /** 01 甲 / 02 乙 / 03 丙 (自费); "1/2/3" read as "01/02/03". */
  chrgitmLv: string;
  medChrgitmType: string;
  /** 自付比例 N(5,4) in ten-thousandths (0.05 -> 500); null when not sent. */
  selfpayPropE4: number | null;
  /** 定价上限金额 N(16,6) in millionths of a yuan; null when not sent. */
  pricUplmtMicros: number | null;
  fulamtOwnpayAmt: number;
  overlmtAmt: number;
  preselfpayAmt: number;
  inscpScpAmt: number;
  lmtUsedFlag: string;
  memo: string;
}

export interface VisitSettleRequest extends VisitRef {
  credential: Credential;
  insutype: Insutype;
  medType: OutpatientMedType;
  chrgBchno: string;
  /** Σ of the uploaded items' amounts, in fen. */
  medfeeSumamt: number;
  useAccount: boolean;
  useWallet: boolean;
  walletCapFen: number | null;
  invono?: string;
}

export interface VisitCancelTarget extends VisitRef {
  setlId: string;
  medfeeSumamt: number;
}
