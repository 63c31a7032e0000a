/** 药品查找: a drug found by name or 拼音 initials when its barcode will not scan (the line is then added by its barcode). */
import { fenToYuan } from '../../platform/money';
import { searchDrugs } from '../../sales/drug-search';
import type { Feature } from '../feature';

export const drugHandlers: Feature<'findDrugs'> = ({ terminal }) => {
  // The 拼音 of the catalog is computed once; do it now, not on the cashier's first lookup.
  setTimeout(() => searchDrugs(terminal.catalog, 'a'), 0).unref();
  return {
    findDrugs: async ({ query }) => ({
      drugs: searchDrugs(terminal.catalog, query).map(({ entry, initials }) => ({
        barcode: entry.barcode,
        name: entry.name,
        spec: entry.spec,
        price: fenToYuan(entry.pric_fen),
        initials,
      })),
    }),
  };
};
