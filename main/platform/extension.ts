/**
 * This project's wallet/mutual-aid extension (domain.md): the mapping files write and read the project's
 * names (wlt_used_flag, wlt_pay ...); a province's own names come from its profile and are swapped here,
 * at the transport boundary, both ways. A gateway whose profile has no extension never sees these fields,
 * and whatever it might send under those names is dropped, not trusted.
 */
import type { ExtensionNames } from './profile';

const PROJECT_NAMES = ['wlt_used_flag', 'wlt_pay_limit', 'wlt_pay', 'wlt_balc', 'wltinfo', 'wlt_open_flag', 'mulaid_balc', 'mulaid_gvr_list', 'gvr_psn_no', 'gvr_balc'] as const;

/**
 * Deep key rename; `drop` removes keys instead. A message with no key to rename or drop (most of them)
 * is returned as it is, not copied: every message of a drain passes here twice.
 */
export function renameFields(value: unknown, names: Record<string, string>, drop: ReadonlySet<string> = new Set()): unknown {
  return hasKeyToChange(value, names, drop) ? renamedCopy(value, names, drop) : value;
}

function renamedCopy(value: unknown, names: Record<string, string>, drop: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renamedCopy(v, names, drop));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !drop.has(k))
      .map(([k, v]) => [Object.hasOwn(names, k) ? names[k] : k, renamedCopy(v, names, drop)]),
  );
}

function hasKeyToChange(value: unknown, names: Record<string, string>, drop: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKeyToChange(v, names, drop));
  if (value === null || typeof value !== 'object') return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (drop.has(key) || (Object.hasOwn(names, key) && names[key] !== key)) return true;
    if (hasKeyToChange((value as Record<string, unknown>)[key], names, drop)) return true;
  }
  return false;
}

export function extensionRenamer(names: ExtensionNames | null) {
  if (names === null) {
    const drop = new Set<string>(PROJECT_NAMES);
    return { outgoing: (v: unknown) => renameFields(v, {}, drop), incoming: (v: unknown) => renameFields(v, {}, drop) };
  }
  const out: Record<string, string> = { ...names };
  const back = Object.fromEntries(Object.entries(out).map(([k, v]) => [v, k]));
  return { outgoing: (v: unknown) => renameFields(v, out), incoming: (v: unknown) => renameFields(v, back) };
}
