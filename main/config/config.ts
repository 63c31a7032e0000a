/**
 * The terminal's configuration: one JSON file, validated strictly (an unknown key anywhere is an error,
 * with a "did you mean" when it looks like a typo). Everything has a default, so a fresh machine runs
 * with no file at all: that is the embedded demo (the built-in simulator, virtual devices). A file
 * means production unless it says `"mode": "demo"`; production needs `platform.url` (see platform-choice.ts).
 * Each module owns the schema of its own settings (devices/config.ts, main/offline/settings.ts,
 * main/platform/settings.ts); this file composes them into the one file's schema.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { devicesConfigSchema } from '../../devices/config';
import { logConfigSchema } from '../log/config';
import { offlineConfigSchema } from '../offline/settings';
import { headquartersConfigSchema } from '../chain/settings';
import { platformConfigSchema } from '../platform/settings';
import { operatorsConfigSchema } from '../operators/settings';
import { InputError, readJsonFile } from '../validation';
import { closestKey } from './suggest';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CATALOG_FILE = join(here, 'catalog.default.json');
export const DEFAULT_REGIONS_FILE = join(here, 'regions.default.json');

const admdvs = z.string().regex(/^\d{6}$/, 'expected a 6-digit region code');

const counterSchema = z.strictObject({
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
  /** What this terminal serves: a pharmacy counter (2101/2102), a hospital billing desk (2201–2208), or both. */
  kind: z.enum(['pharmacy', 'desk', 'both']).default('pharmacy'),
});

export const CONFIG_MODES = ['demo', 'production'] as const;
export type ConfigMode = (typeof CONFIG_MODES)[number];

export const configSchema = z.strictObject({
  /** demo: the built-in simulator; production: the platform at platform.url. Default with a file: production. */
  mode: z.enum(CONFIG_MODES).default('production'),
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
    kind: 'pharmacy',
  }),
  platform: platformConfigSchema.strict().default(platformConfigSchema.parse({})),
  catalogFile: z.string().nullable().default(null),
  regionsFile: z.string().nullable().default(null),
  /** The billing desk's item and diagnosis list (main/outpatient/desk-catalog.ts); null: the bundled one. */
  deskCatalogFile: z.string().nullable().default(null),
  sale: z
    .strictObject({
      /** 药品追溯码: one per box before a sale may be settled. */
      requireTraceCodes: z.boolean().default(true),
    })
    .default({ requireTraceCodes: true }),
  devices: devicesConfigSchema.default([]),
  offline: offlineConfigSchema.default(offlineConfigSchema.parse({})),
  log: logConfigSchema.default(logConfigSchema.parse({})),
  headquarters: headquartersConfigSchema.nullable().default(null),
  operators: operatorsConfigSchema.default(operatorsConfigSchema.parse({})),
});
export type TerminalConfig = z.output<typeof configSchema>;

export function defaultDataDir(): string {
  if (process.env.YIBAO_POS_DATA) return resolve(process.env.YIBAO_POS_DATA);
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'yibao-pos');
}

/** The config file a terminal reads: `file` if given, else `<dataDir>/config.json`. */
export function configPath(file: string | null, dataDir: string): string {
  return file ?? join(dataDir, 'config.json');
}

/**
 * Reads `file` if given, else `<dataDir>/config.json` if present, else the defaults in demo mode.
 * Anything wrong with the file is an InputError naming the file and the field: nothing has been written yet.
 */
export function loadConfig(file: string | null, dataDir: string): TerminalConfig {
  const path = configPath(file, dataDir);
  if (!file && !existsSync(path)) return configSchema.parse({ mode: 'demo' });
  return parseConfig(readJsonFile(path, '配置文件'), path);
}

/** Validates a parsed config; `path` names the file in the message. */
export function parseConfig(raw: unknown, path: string): TerminalConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new InputError(`配置文件 ${path}: ${describeConfigIssue(result.error)}`);
  return result.data;
}

/** One line for the first problem; an unknown key gets the nearest known one as a suggestion. */
export function describeConfigIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const near = closestKey(key, objectKeysAt(configSchema, issue.path));
    return `${[...at, key].join('.')}: unknown key${near ? `; did you mean ${near}?` : ''}`;
  }
  return at.length ? `${at.join('.')}: ${issue.message}` : issue.message;
}

/** The keys the schema knows at `path` (objects inside defaults, nullables, arrays, pipes). */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const step of [...path, null]) {
    node = unwrap(node);
    if (step === null) break;
    if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(step)];
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  while (node) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodNullable || node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
    else if (node instanceof z.ZodPipe) node = node.in as z.ZodType;
    else return node;
  }
  return node;
}

/** Reads a file the config names (catalogFile, regionsFile): its failure also names the config file and key. */
export function readNamedFile<T>(configFile: string, key: string, named: string | null, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (named === null || !(error instanceof InputError)) throw error;
    throw new InputError(`配置文件 ${configFile}: ${key}: ${error.message}`);
  }
}

/**
 * The technician screen saves a setting: the file is re-read, changed, validated whole and written
 * atomically (a temporary file renamed over the old one), so a crash never leaves half a config.
 * A terminal that ran on the built-in default keeps doing so: the new file says `"mode": "demo"`.
 */
export function saveConfigChange(path: string, change: (raw: Record<string, unknown>) => void, modeIfNew: ConfigMode): void {
  const raw = existsSync(path) ? (readJsonFile(path, '配置文件') as Record<string, unknown>) : { mode: modeIfNew };
  change(raw);
  parseConfig(raw, path);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(raw, null, 2) + '\n');
  renameSync(temp, path);
}
