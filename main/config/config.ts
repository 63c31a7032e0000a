/**
 * The terminal's configuration: one JSON file, validated. Everything has a default, so a fresh machine
 * runs with no file at all (the embedded default: the built-in simulator, virtual devices).
 * Each module owns the schema of its own settings (devices/config.ts, main/offline/settings.ts,
 * main/platform/settings.ts); this file composes them into the one file's schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { devicesConfigSchema } from '../../devices/config';
import { logConfigSchema } from '../log/config';
import { offlineConfigSchema } from '../offline/settings';
import { headquartersConfigSchema } from '../chain/settings';
import { platformConfigSchema } from '../platform/settings';
import { parseOrThrow } from '../validation';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CATALOG_FILE = join(here, 'catalog.default.json');
export const DEFAULT_REGIONS_FILE = join(here, 'regions.default.json');

const admdvs = z.string().regex(/^\d{6}$/, 'expected a 6-digit region code');

const counterSchema = z.object({
  fixmedinsCode: z.string().regex(/^[A-Za-z0-9]{12}$/, 'expected the 12-character fixmedins_code'),
  fixmedinsName: z.string().min(1),
  mdtrtareaAdmvs: admdvs,
  opter: z.string().min(1),
  opterName: z.string().min(1),
  devNo: z.string().default(''),
  mac: z.string().default('00-00-00-00-00-00'),
  ip: z.string().default('127.0.0.1'),
  /** The pharmacist on duty, named by 3505 商品销售 (药师姓名, 药师执业资格证号). */
  pharName: z.string().min(1).max(50).default('药师01'),
  pharPracCertNo: z.string().min(1).max(50).default('YS3301000001'),
});

export const configSchema = z.object({
  counter: counterSchema.default({
    fixmedinsCode: 'P33010500123',
    fixmedinsName: '杭州市仁和大药房',
    mdtrtareaAdmvs: '330100',
    opter: 'cashier01',
    opterName: '收银员01',
    devNo: 'POS-01',
    mac: '00-00-00-00-00-00',
    ip: '127.0.0.1',
    pharName: '药师01',
    pharPracCertNo: 'YS3301000001',
  }),
  platform: platformConfigSchema.default(platformConfigSchema.parse({})),
  catalogFile: z.string().nullable().default(null),
  regionsFile: z.string().nullable().default(null),
  sale: z
    .object({
      /** 药品追溯码: one per box before a sale may be settled. */
      requireTraceCodes: z.boolean().default(true),
    })
    .default({ requireTraceCodes: true }),
  devices: devicesConfigSchema.default([]),
  offline: offlineConfigSchema.default(offlineConfigSchema.parse({})),
  log: logConfigSchema.default(logConfigSchema.parse({})),
  headquarters: headquartersConfigSchema.nullable().default(null),
});
export type TerminalConfig = z.output<typeof configSchema>;

export function defaultDataDir(): string {
  if (process.env.YIBAO_POS_DATA) return resolve(process.env.YIBAO_POS_DATA);
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'yibao-pos');
}

/** Reads `file` if given, else `<dataDir>/config.json` if present, else the defaults. */
export function loadConfig(file: string | null, dataDir: string): TerminalConfig {
  const path = file ?? join(dataDir, 'config.json');
  if (!file && !existsSync(path)) return configSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`配置文件无法读取 (${path}): ${(error as Error).message}`);
  }
  return parseOrThrow(configSchema, raw, 'config');
}
