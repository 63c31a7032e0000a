/**
 * 收款 and 全自费 at the counter: each tender of the current sale's cash part (the change is computed
 * here, in the main process, never on the screen), a self-pay sale with or without a patient card. The
 * receipt prints when the sale is collected (at once when nothing is due).
 */
import type { TenderRequest } from '../../counter';
import { fenToYuan, yuanToFen } from '../../platform/money';
import { SaleError } from '../../settlement/sale-error';
import { EDITABLE } from '../../settlement/sale-state';
import { TENDER_TEXT } from '../../settlement/tender';
import type { ApiContext, Feature } from '../feature';
import { printSale } from '../printing';
import { DONE_STATES } from '../views';

const y = (fen: number) => `${fenToYuan(fen)} 元`;

/**
 * What the notice says once a sale is settled (or collected offline, or 全自费): what to collect next, or,
 * with nothing to collect, that the receipt printed.
 */
export async function afterSettleNotice(ctx: ApiContext, saleId: number, what: string): Promise<string> {
  const collection = ctx.terminal.desks.tenders.collection(saleId);
  if (collection && !collection.complete) {
    return `${what}: 请收款 ${y(collection.remainingFen)}. 实收已填应收: Enter = 现金收讫 (无找零); 收到整钞先输入实收再按 Enter; Tab 切换微信/支付宝/银行卡`;
  }
  return `${what}, 无需收现金. ${await printSale(ctx, saleId)}. 按 Enter 接待下一位`;
}

export const tenderHandlers: Feature<'tender' | 'selfPay' | 'beginSelfPay'> = (ctx) => {
  const { counter, terminal } = ctx;
  const { desks } = terminal;
  return {
    tender: async ({ saleId, kind, amount, reference, partial, thenNext }) =>
      counter.step(null, async () => {
        counter.checkCurrent(saleId);
        const fen = amount === null ? null : yuanToFen(amount);
        const request: TenderRequest =
          kind === 'cash' ? { kind, tenderedFen: fen, partial } : { kind, amountFen: fen, reference: reference ?? '' };
        const { tender, collection } = desks.tenders.collect(saleId, request);
        if (!collection.complete) {
          const last = tender ? `已收${TENDER_TEXT[tender.kind]} ${y(tender.amountFen)}` : '';
          return `${last}, 还应收 ${y(collection.remainingFen)}: 继续收款`;
        }
        const printed = tender ? await printSale(ctx, saleId) : '';
        if (thenNext) {
          counter.show(null);
          return `收款完成 (实收 ${y(collection.receivedFen)}). ${printed ? `${printed}. ` : ''}请识别下一位患者`;
        }
        const change = collection.changeFen > 0 ? `找零 ${y(collection.changeFen)}` : '无需找零';
        return `收款完成: 实收 ${y(collection.receivedFen)}, ${change}. ${printed ? `${printed}. ` : ''}按 Enter 接待下一位`;
      }),
    selfPay: async ({ saleId }) =>
      counter.step(null, async () => {
        counter.checkCurrent(saleId);
        desks.selfPay.turn(saleId);
        return afterSettleNotice(ctx, saleId, '已改为全自费 (不走医保)');
      }),
    beginSelfPay: async () =>
      counter.step(null, () => {
        const v = counter.currentView();
        if (v && !DONE_STATES.includes(v.state)) {
          if (!(EDITABLE.includes(v.state) && v.lines.length === 0)) {
            throw new SaleError('SALE_OPEN', `${v.patient.psnName} 的销售尚未完成: 按 F11 可把它改为全自费, 或按 Esc 作废后再开始`);
          }
          terminal.sales.discard(v.id);
        }
        counter.show(desks.selfPay.begin());
        return '全自费销售 (无需社保卡): 请扫药品条码和追溯码, 按 Enter 收款';
      }),
  };
};
