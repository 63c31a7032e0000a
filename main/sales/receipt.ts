import type { Receipt } from '../../devices/printer';
import { maskCertno, maskName } from '../../devices/mask';
import type { CounterIdentity } from '../platform/client';
import type { SaleView } from './sale-view';

/**
 * The receipt of a settled (or offline-queued) sale. The patient's name and ID are masked here, so
 * neither the preview nor the printer ever sees them whole.
 */
export function receiptFor(sale: SaleView, counter: CounterIdentity, offline = false): Receipt {
  const figures = sale.settlement ?? sale.presettle;
  return {
    storeName: counter.fixmedinsName,
    fixmedinsCode: counter.fixmedinsCode,
    time: sale.settlement?.setlTime ?? sale.updatedAt.replace('T', ' ').slice(0, 19),
    cashier: counter.opterName,
    items: sale.lines.map((l) => ({ name: l.name, qty: l.split ? l.quantity : l.cnt, priceFen: l.pricFen, amountFen: l.amountFen })),
    split: {
      fundFen: figures?.fundPaySumamt ?? 0,
      acctFen: figures?.acctPay ?? 0,
      acctMulaidFen: figures?.acctMulaidPay ?? 0,
      walletFen: figures?.walletPay ?? 0,
      cashFen: figures?.psnCashPay ?? sale.medfeeFen,
    },
    balancesAfter: {
      acctFen: figures?.balcAfter,
      walletFen: figures?.walletBalcAfter ?? undefined,
    },
    maskedName: maskName(sale.patient.psnName),
    maskedCertno: sale.patient.maskedCertno.includes('*') ? sale.patient.maskedCertno : maskCertno(sale.patient.maskedCertno),
    settlementId: sale.settlement?.setlId,
    offline,
  };
}
