/** One fee item as the desk takes it (from the HIS export or keyed), validated, before it is uploaded. */
import type { Clinician, FeeKind } from '../platform/outpatient-domain';

export interface FeeInput {
  /** 处方号 / 检查申请单号. */
  rxno: string;
  kind: FeeKind;
  name: string;
  /** The hospital's item code (medins_list_codg). */
  code: string;
  medListCodg: string;
  /** Quantity in ten-thousandths (cnt N(16,4)). */
  cntE4: number;
  /** Unit price in millionths of a yuan (pric N(16,6)). */
  pricMicros: number;
  amountFen: number;
  /** 费用发生时间, yyyy-MM-dd HH:mm:ss (China time). */
  time: string;
  dept: { code: string; name: string };
  doctor: Clinician;
}
