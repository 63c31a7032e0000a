// The layer checker (npm run lint:layers) fails on a bad import: it runs here on a small tree of
// deliberately bad files (test/fixtures/layers) with the project's own rules, and must name each one.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueImportsOfContract } from '../../scripts/lint/renderer-types-only';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'layers');

function checkLayers(...paths: string[]): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--require', join(ROOT, 'scripts', 'lint', 'swc-tsx.cjs'),
      join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config', join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type', 'err',
      ...paths,
    ],
    { cwd: FIXTURE, encoding: 'utf8' },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('layer checker', () => {
  it('fails on each deliberately bad import, naming the rule and the file', () => {
    const r = checkLayers('main', 'renderer', 'devices', 'db');
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('renderer: renderer/src/keyboard.ts → devices/decoder.ts');
    expect(r.out).toContain('offline: main/offline/desk.ts → main/sales/counter.ts');
    expect(r.out).toMatch(/no-file-cycles: main\/(offline\/desk|sales\/counter)\.ts/);
    expect(r.out).toMatch(/no-folder-cycles: main\/(offline|sales)/);
    expect(r.out).toMatch(/sql-only-in-db: main\/api\/names\.ts → \S*node_modules\/better-sqlite3\//);
    expect(r.out).toContain('ledger-handle-only-in-db: main/api/ledger.ts → db/sqlite.ts');
    expect(r.out).toContain('config: main/config/config.ts → main/platform/fields.ts');
  });

  it('passes a file that keeps to its layer', () => {
    const r = checkLayers('devices/decoder.ts', 'main/platform/fields.ts');
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });
});

describe('the renderer imports the contract as types only (npm run lint:renderer)', () => {
  it('names each value import and re-export of the contract', () => {
    const source = [
      "import { methods, type Method } from '../../../main/api/contract';",
      "export { describeIssues } from '../../main/api/contract';",
      "import * as contract from '../../main/api/contract';",
    ].join('\n');
    expect(valueImportsOfContract(source, true)).toEqual([
      "{ methods } from '../../../main/api/contract'",
      "{ describeIssues } from '../../main/api/contract'",
      "{ contract } from '../../main/api/contract'",
    ]);
  });

  it('passes type-only imports, written either way, and other modules', () => {
    const source = [
      "import type { SaleDto } from '../../main/api/contract';",
      "import { type Method, type Notice } from '../main/api/contract';",
      "export type { StatusDto } from '../../main/api/contract';",
      "import { useState } from 'react';",
    ].join('\n');
    expect(valueImportsOfContract(source, true)).toEqual([]);
  });
});
