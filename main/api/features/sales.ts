/** 查询: finding past sales, their detail, cancelling (2103), resolving one in doubt (2601), reprinting. */
import { SaleError } from '../../settlement/sale-error';
import { ok, type Feature } from '../feature';
import { printSale } from '../printing';
import type { Terminal } from '../../terminal';
import type { SaleView } from '../../sales/sale-view';
import { toSaleDto, toSummary } from '../views';

/**
 * What 查询 matches, exactly (never a part of a number: "1" is sale 1, not every 结算号 with a 1 in it):
 * the 结算号, the last 4 characters of the patient's ID, or the patient's name (a part of a name is
 * enough: no number can be mistaken for one).
 */
function matches(v: SaleView, q: string): boolean {
  const upper = q.toUpperCase();
  if (v.settlement?.setlId && v.settlement.setlId.toUpperCase() === upper) return true;
  if (/^[\dXx]{4}$/.test(q) && v.patient.maskedCertno.toUpperCase().endsWith(upper)) return true;
  return /\p{Script=Han}/u.test(q) && v.patient.psnName.includes(q);
}

function saleNumbered(terminal: Terminal, id: number): SaleView | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  try {
    return terminal.sales.get(id);
  } catch {
    return null; // no sale of that number
  }
}

export const salesHandlers: Feature<'findSales' | 'getSale' | 'cancelSale' | 'resolveSale' | 'printReceipt'> = (ctx) => {
  const { counter, terminal } = ctx;
  return {
    findSales: async ({ query, limit }) => {
      const q = (query ?? '').trim();
      const max = limit ?? 50;
      if (!q) return { sales: terminal.sales.list({ limit: max }).map(toSummary) };
      // The sale of that number first, found whatever its age; then the recent sales matching exactly.
      const byNumber = /^\d{1,12}$/.test(q) ? saleNumbered(terminal, Number(q)) : null;
      const hits = terminal.sales.list({ limit: 500 }).filter((v) => v.id !== byNumber?.id && matches(v, q));
      return { sales: [...(byNumber ? [byNumber] : []), ...hits].slice(0, max).map(toSummary) };
    },
    getSale: async ({ saleId }) => toSaleDto(ctx.view, terminal.sales.get(saleId)),
    cancelSale: async ({ saleId }) =>
      counter.serial(async () => {
        try {
          const v = await terminal.sales.cancel(saleId);
          ctx.status.markPlatform(true);
          return toSaleDto(ctx.view, v);
        } catch (error) {
          if (error instanceof SaleError && error.code.startsWith('PLATFORM_UN')) ctx.status.markPlatform(false);
          throw error;
        }
      }),
    resolveSale: async ({ saleId }) => counter.serial(async () => toSaleDto(ctx.view, await terminal.sales.resolve(saleId))),
    printReceipt: async ({ saleId }) => ok(await printSale(ctx, saleId)),
  };
};
