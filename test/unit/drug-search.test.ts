// 药品查找 over the default catalog: 拼音 initials, full 拼音, a part of the name, barcode digits; the
// 拼音 computed once per catalog.
import * as pinyinPro from 'pinyin-pro';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CATALOG_FILE } from '../../main/config/config';
import { Catalog } from '../../main/sales/catalog';
import { searchDrugs } from '../../main/sales/drug-search';

vi.mock('pinyin-pro', async (original) => {
  const real = await original<typeof import('pinyin-pro')>();
  return { ...real, pinyin: vi.fn(real.pinyin) };
});

const catalog = Catalog.fromFile(DEFAULT_CATALOG_FILE);
const names = (q: string) => searchDrugs(catalog, q).map((h) => h.entry.name);

describe('drug lookup', () => {
  it('finds by 拼音 initials, best (from the start) first', () => {
    const hits = searchDrugs(catalog, 'blf');
    expect(hits.length).toBe(5);
    expect(hits.every((h) => h.entry.name.startsWith('布洛芬') && h.initials.startsWith('blf'))).toBe(true);
    expect(names('blfp')).toEqual(['布洛芬片']);
    expect(names('AMXLP')).toEqual(['阿莫西林片']); // case and spaces do not matter
  });

  it('finds by full 拼音, by a part of the name, and by barcode digits', () => {
    expect(names('buluofenpian')).toEqual(['布洛芬片']);
    expect(names('布洛芬片')).toEqual(['布洛芬片']);
    expect(names('阿莫西林')).toHaveLength(5);
    expect(names('6945210000010')).toEqual(['阿莫西林口服溶液']);
    expect(names('碳酸钙d3p')).toEqual([]);
    expect(names('tsgd3p')).toEqual(['碳酸钙D3片']);
  });

  it('finds nothing for an empty query or text no drug has', () => {
    expect(names('  ')).toEqual([]);
    expect(names('zzzz')).toEqual([]);
  });

  it('computes the 拼音 once per catalog: later searches reuse it, a new catalog gets its own', () => {
    const fresh = new Catalog(catalog.entries);
    const calls = () => vi.mocked(pinyinPro.pinyin).mock.calls.length;
    const before = calls();
    searchDrugs(fresh, 'blf');
    const perLoad = calls() - before;
    expect(perLoad).toBe(2 * fresh.entries.length); // initials and full 拼音, per name
    for (const q of ['amxl', '布洛芬', 'tsgd3p']) searchDrugs(fresh, q);
    expect(calls() - before).toBe(perLoad);
    searchDrugs(new Catalog(catalog.entries), 'blf');
    expect(calls() - before).toBe(2 * perLoad);
  });
});
