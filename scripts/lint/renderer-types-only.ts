/**
 * `npm run lint:renderer`: the renderer names the API contract's TYPES only. A value import (`import {
 * methods }` without `type`) would bundle zod and every schema into the screens, and let presentation code
 * start validating or computing on its own. dependency-cruiser parses with swc, which does not tell
 * type-only imports apart, so this check reads each renderer file's import declarations with swc itself.
 *   npx tsx scripts/lint/renderer-types-only.ts [DIR]   (DIR defaults to renderer/src)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from '@swc/core';

const CONTRACT = /(^|\/)main\/api\/contract(\.ts)?$/;

/** The value imports (and re-exports) of the contract in one file's source, named for the message. */
export function valueImportsOfContract(source: string, tsx: boolean): string[] {
  const module = parseSync(source, { syntax: 'typescript', tsx });
  const found: string[] = [];
  for (const item of module.body) {
    if (item.type !== 'ImportDeclaration' && item.type !== 'ExportNamedDeclaration' && item.type !== 'ExportAllDeclaration') continue;
    const from = 'source' in item && item.source ? item.source.value : null;
    if (!from || !CONTRACT.test(from)) continue;
    if (isTypeOnly(item)) continue;
    const names = ('specifiers' in item ? item.specifiers : []).filter((sp) => !('isTypeOnly' in sp && sp.isTypeOnly)).map(specifierName);
    found.push(`{ ${names.join(', ') || '*'} } from '${from}'`);
  }
  return found;
}

function isTypeOnly(item: { type: string; typeOnly?: boolean; specifiers?: { type: string; isTypeOnly?: boolean }[] }): boolean {
  if (item.typeOnly) return true;
  const specifiers = item.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.type === 'ImportSpecifier' || s.type === 'ExportSpecifier' ? s.isTypeOnly === true : false);
}

function specifierName(s: { type: string; local?: { value: string }; orig?: { value: string } }): string {
  return s.local?.value ?? s.orig?.value ?? s.type;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

if (process.argv[1]?.endsWith('renderer-types-only.ts')) {
  const dir = process.argv[2] ?? 'renderer/src';
  let bad = 0;
  for (const file of sourceFiles(dir)) {
    for (const statement of valueImportsOfContract(readFileSync(file, 'utf8'), file.endsWith('.tsx'))) {
      console.error(`${relative(process.cwd(), file)}: the renderer imports the contract's types only (write \`import type\`): ${statement}`);
      bad++;
    }
  }
  if (bad > 0) process.exit(1);
  console.log(`renderer-types-only: ${dir} imports the contract's types only`);
}
