import type { Receipt } from '../../devices/printer';
import { maskCertno, maskName } from '../../devices/mask';
import type { CounterIdentity } from '../platform/client';
import { fundLines } from '../platform/funds';
import type { SettlementFigures } from '../platform/domain';
import { collectionOf, TENDER_TEXT } from '../settlement/tender';
import type { SaleView } from './sale-view';
import { chinaDateTime } from '../platform/china-time';

const INSUTYPE_TEXT: Record<string, string> = { '310': '职工基本医疗保险', '390': '城乡居民基本医疗保险' };

/** 应收, each tender, 实收, 找零: once the cash part was tendered at the counter. */
function tenderOf(sale: SaleView, dueFen: number): Pick<Receipt, 'tender'> {
  const tenders = sale.tenders ?? [];
  if (tenders.length === 0) return {};
  const c = collectionOf(dueFen, tenders);
  if (!c.complete) return {};
  const lines = tenders.map((t) => ({ name: TENDER_TEXT[t.kind], amountFen: t.tenderedFen, ...(t.reference ? { reference: t.reference } : {}) }));
  return { tender: { dueFen, lines, receivedFen: c.receivedFen, changeFen: c.changeFen } };
}

function fundSplit(f: SettlementFigures) {
  const funds = fundLines(f);
  return { fundFen: funds.poolFen, otherFunds: funds.others.map((d) => ({ name: d.name, amountFen: d.amountFen })) };
}

/**
 * The receipt of a settled (or offline-queued) sale. The patient's name and ID are masked here, so
 * neither the preview nor the printer ever sees them whole.
 */
export function receiptFor(sale: SaleView, counter: CounterIdentity, offline = false, demo = false): Receipt {
  const figures = sale.settlement ?? sale.presettle;
  return {
    storeName: counter.fixmedinsName,
    fixmedinsCode: counter.fixmedinsCode,
    time: sale.settlement?.setlTime ?? chinaDateTime(sale.updatedAt),
    cashier: sale.cashier?.name ?? counter.opterName,
    items: sale.lines.map((l) => ({ name: l.name, qty: l.split ? l.quantity : l.cnt, priceFen: l.pricFen, amountFen: l.amountFen })),
    split: figures
      ? { ...fundSplit(figures), acctFen: figures.acctPay, acctMulaidFen: figures.acctMulaidPay, walletFen: figures.walletPay, cashFen: figures.psnCashPay }
      : { fundFen: 0, acctFen: 0, acctMulaidFen: 0, walletFen: 0, cashFen: sale.medfeeFen },
    balancesAfter: {
      acctFen: figures?.balcAfter,
      walletFen: figures?.walletBalcAfter ?? undefined,
    },
    maskedName: maskName(sale.patient.psnName),
    maskedCertno: sale.patient.maskedCertno.includes('*') ? sale.patient.maskedCertno : maskCertno(sale.patient.maskedCertno),
    settlementId: sale.settlement?.setlId,
    offline,
    demo,
    ...(sale.state === 'self_paid'
      ? { selfPay: true }
      : { insutypeText: INSUTYPE_TEXT[sale.patient.insutype] ?? sale.patient.insutype, ...(figures ? { fulamtOwnpayFen: figures.fulamtOwnpayAmt } : {}) }),
    ...(figures ? tenderOf(sale, figures.psnCashPay) : {}),
  };
}
