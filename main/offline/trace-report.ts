/**
 * What one 3505/3506 row says, built from the ledger when it is sent (pure). The sale, its lines and its
 * trace codes no longer change once the sale is settled, cancelled or sold for cash, so building late
 * sends what the receipt showed.
 */
import type { LineRow, SaleRow } from '../../db/sales-repo';
import type { TraceReport } from '../platform/tx/trace';
import { infTime } from '../platform/time';
import { priceMicros, quantityE4 } from '../settlement/split-pack';

/** Batch data of a drug, from the catalog when it has them (3505 requires 生产批号 and 生产日期). */
export interface DrugBatch {
  manuLotnum?: string;
  manuDate?: string;
  expyEnd?: string;
  rxFlag?: '0' | '1' | '2';
}

export interface ReportSource {
  infno: '3505' | '3506';
  /** When the sale was settled or cancelled (the row's creation), ISO. */
  at: string;
  sale: SaleRow;
  line: LineRow & { trdn_flag?: number; cnt_e4?: number | null; pric_micros?: number | null };
  codes: readonly string[];
  batch: DrugBatch;
  opterName: string;
  pharmacist: { name: string; pracCertNo: string };
}

/** 零售单据号 and 就医流水号 when the platform gave none: the terminal's sale number. */
export const saleDocNo = (saleId: number) => `S${String(saleId).padStart(10, '0')}`;

export function buildReport(src: ReportSource): TraceReport {
  const { sale, line } = src;
  return {
    infno: src.infno,
    medListCodg: line.med_list_codg,
    medinsListCodg: line.medins_list_codg,
    drugName: line.name,
    batchSn: `${saleDocNo(sale.id)}-${line.line_no}`,
    setlId: sale.setl_id,
    mdtrtSn: sale.mdtrt_id ?? saleDocNo(sale.id),
    psnNo: sale.psn_no,
    certno: sale.certno,
    psnName: sale.psn_name,
    manuLotnum: src.batch.manuLotnum ?? '',
    manuDate: src.batch.manuDate ?? '',
    expyEnd: src.batch.expyEnd ?? '',
    rxFlag: src.batch.rxFlag ?? '0',
    split: line.trdn_flag === 1,
    pricMicros: priceMicros(line),
    cntTenThousandths: quantityE4(line),
    time: infTime(new Date(src.at)),
    opterName: src.opterName,
    pharName: src.pharmacist.name,
    pharPracCertNo: src.pharmacist.pracCertNo,
    docNo: saleDocNo(sale.id),
    setlType: sale.setl_id ? '1' : '2',
    traceCodes: [...src.codes],
    saleSn: src.infno === '3506' ? `${saleDocNo(sale.id)}-${line.line_no}` : null,
  };
}
