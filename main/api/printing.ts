/** Printing a sale's receipt on the configured serial printer; without one the screen's preview is the receipt. */
import { receiptEscPos } from '../../devices/printer';
import { SaleError } from '../settlement/sale-error';
import type { ApiContext } from './feature';
import { offlineReceiptModel, receiptOf } from './views';

/** Prints and says what happened; a printer fault is reported, never thrown (the sale is done either way). */
export async function printSale(ctx: ApiContext, id: number): Promise<string> {
  if (!ctx.devices.printerId()) return '未配置打印机: 仅显示小票预览';
  const view = ctx.terminal.sales.get(id);
  const receipt = receiptOf(ctx.view, view) ?? offlineReceiptModel(ctx.view, view);
  if (!receipt) throw new SaleError('NO_RECEIPT', '该销售还没有结算, 没有小票');
  try {
    await ctx.devices.print(receiptEscPos(receipt));
    return '小票已打印';
  } catch (error) {
    ctx.log(`print failed: ${(error as Error).message}`);
    return '小票打印失败: 请检查打印机 (纸、电源、连线), 可在查询页重打';
  }
}
