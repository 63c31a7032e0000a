/** 查询: finding past sales, their detail, cancelling (2103), resolving one in doubt (2601), reprinting. */
import { SaleError } from '../../settlement/sale-error';
import { ok, type Feature } from '../feature';
import { printSale } from '../printing';
import { toSaleDto, toSummary } from '../views';

export const salesHandlers: Feature<'findSales' | 'getSale' | 'cancelSale' | 'resolveSale' | 'printReceipt'> = (ctx) => {
  const { counter, terminal } = ctx;
  return {
    findSales: async ({ query, limit }) => {
      const q = (query ?? '').trim();
      const all = terminal.sales.list({ limit: q ? 500 : (limit ?? 50) });
      const hits = q
        ? all.filter((v) => String(v.id) === q || v.patient.psnName.includes(q) || (v.settlement?.setlId ?? '').includes(q) || v.patient.maskedCertno.endsWith(q))
        : all;
      return { sales: hits.slice(0, limit ?? 50).map(toSummary) };
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
