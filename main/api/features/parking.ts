/**
 * 挂单: the sale on the counter is parked with one key so the next patient can be served, and recalled
 * from a list (main/sales/parking.ts). The counter keeps its one current sale: parking empties it,
 * recalling fills it (refused while another sale with drugs is open).
 */
import { fenToYuan } from '../../platform/money';
import { chinaDateTime } from '../../platform/china-time';
import { SaleError } from '../../settlement/sale-error';
import { EDITABLE } from '../../settlement/sale-state';
import type { Feature } from '../feature';

export const parkingHandlers: Feature<'parkSale' | 'listParked' | 'recallSale'> = ({ counter, terminal }) => ({
  parkSale: async ({ saleId }) =>
    counter.step(null, () => {
      counter.checkCurrent(saleId);
      const v = terminal.sales.park(saleId);
      counter.show(null);
      return `已挂单: ${v.patient.psnName} 的 ${v.lines.length} 种药品 (¥${fenToYuan(v.medfeeFen)}). 可接待下一位; 取单按 F7`;
    }),
  listParked: async () => ({
    sales: terminal.sales.parked().map((v) => ({
      saleId: v.id,
      parkedAt: chinaDateTime(v.updatedAt),
      psnName: v.patient.psnName,
      maskedCertno: v.patient.maskedCertno,
      amount: fenToYuan(v.medfeeFen),
      lineCount: v.lines.length,
      summary: v.lines.map((l) => `${l.name}×${l.quantity}`).join(', '),
    })),
  }),
  recallSale: async ({ saleId }) =>
    counter.step(null, () => {
      const open = counter.currentView();
      if (open && EDITABLE.includes(open.state) && open.lines.length > 0 && open.id !== saleId) {
        throw new SaleError('SALE_OPEN', `${open.patient.psnName} 的销售尚未完成: 请先结算, 或按 F7 挂单后再取单`);
      }
      counter.makeRoomForPatient();
      const v = terminal.sales.recall(saleId);
      counter.show(v.id);
      return `已取单: ${v.patient.psnName} 的 ${v.lines.length} 种药品. 请按 F4 重新预结算`;
    }),
});
