/**
 * The terminal's configuration: one JSON file, validated. Everything has a default, so a fresh machine
 * runs with no file at all (the embedded default: the built-in simulator, virtual devices).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { devicesConfigSchema } from '../../devices/config';
import { logConfigSchema } from '../log/config';
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
});

const platformSchema = z.object({
  /** null: start the built-in simulator (the embedded default). */
  url: z.url().nullable().default(null),
  qrGatewayUrl: z.url().nullable().default(null),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retries: z.number().int().min(0).max(5).default(2),
  /** The province profile (main/platform/profile.ts); null: the built-in national profile. */
  profileFile: z.string().min(1).nullable().default(null),
});

const fen = z.number().int().min(0);

/** Store-and-forward: caps like a card terminal's, in fen; ages in minutes. */
export const offlineConfigSchema = z.object({
  /** The most the platform may owe for one offline sale (fund + accounts + wallet). */
  maxSaleFen: fen.default(50_000),
  /** The same, summed over one person's offline sales of one day. */
  maxPersonDayFen: fen.default(100_000),
  /** The same, summed over everything this terminal has not sent yet. */
  maxTotalExposureFen: fen.default(2_000_000),
  /** No new offline sale once the oldest unsent one is older than this. */
  maxQueueAgeMinutes: z.number().int().min(1).default(72 * 60),
  /** Sell offline only to persons identified online (1101) within this age. */
  maxIdentityAgeMinutes: z.number().int().min(1).default(7 * 24 * 60),
  /** Health probe while offline (and as a heartbeat while online). */
  probeIntervalMs: z.number().int().min(100).default(15_000),
  /** Persons synced in parallel; one person's sales always go one at a time, in order. */
  concurrency: z.number().int().min(1).max(64).default(4),
  backoffBaseMs: z.number().int().min(1).default(1_000),
  backoffMaxMs: z.number().int().min(1).default(5 * 60_000),
  /** How long a sync claim holds without its process; a dead process's claim is taken over at once. */
  leaseMs: z.number().int().min(1_000).default(2 * 60_000),
});
export type OfflineConfig = z.output<typeof offlineConfigSchema>;

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
  }),
  platform: platformSchema.default(platformSchema.parse({})),
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
