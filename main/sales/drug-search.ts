/**
 * Finding a drug of the catalog by what a cashier can type: its name (or part of it), its 拼音 initials
 * ("blf" for 布洛芬), its full 拼音 ("buluofen") or the digits of its barcode. The pinyin of every name is
 * computed once per catalog load (pinyin-pro, a maintained library that reads words in context, so a
 * polyphonic character gets the reading of the word it is in), then each search is a scan of short strings.
 */
import { pinyin } from 'pinyin-pro';
import type { Catalog, CatalogEntry } from './catalog';

interface Indexed {
  entry: CatalogEntry;
  /** Lower-case 拼音 initials of the name, one letter per character ("amxlkfry"). */
  initials: string;
  /** Lower-case full 拼音 without tones or spaces ("amoxilinkoufurongye"). */
  full: string;
}

export interface DrugHit {
  entry: CatalogEntry;
  initials: string;
}

const indexes = new WeakMap<Catalog, Indexed[]>();

/** The catalog's names with their 拼音, computed the first time this catalog is searched. */
function indexOf(catalog: Catalog): Indexed[] {
  let index = indexes.get(catalog);
  if (!index) {
    index = catalog.entries.map((entry) => ({
      entry,
      initials: pinyin(entry.name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase().replace(/\s+/g, ''),
      full: pinyin(entry.name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase().replace(/\s+/g, ''),
    }));
    indexes.set(catalog, index);
  }
  return index;
}

/**
 * The drugs matching `query`, best first: a barcode's digits, a name containing the text, 拼音 initials
 * or full 拼音 from the start, then anywhere. At most `limit`; none for an empty query.
 */
export function searchDrugs(catalog: Catalog, query: string, limit = 20): DrugHit[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (q === '') return [];
  const scored: { hit: DrugHit; score: number; order: number }[] = [];
  indexOf(catalog).forEach((d, order) => {
    const score = rank(d, q);
    if (score > 0) scored.push({ hit: { entry: d.entry, initials: d.initials }, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.hit);
}

function rank(d: Indexed, q: string): number {
  if (/^\d+$/.test(q)) return d.entry.barcode === q ? 100 : d.entry.barcode.includes(q) ? 50 : 0;
  const name = d.entry.name.toLowerCase();
  if (name === q || d.initials === q) return 90;
  if (name.startsWith(q) || d.initials.startsWith(q)) return 80;
  if (d.full.startsWith(q)) return 70;
  if (name.includes(q) || d.initials.includes(q)) return 60;
  if (d.full.includes(q)) return 40;
  return 0;
}
