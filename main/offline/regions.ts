// The terminal's copy of the regional policies, for offline estimates. The platform's answer always wins.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { regionPolicySchema, type RegionPolicy } from '../settlement/policy';
import { parseOrThrow } from '../validation';

export type Regions = ReadonlyMap<string, RegionPolicy>;

export function loadRegions(path: string): Regions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`地区政策文件无法读取 (${path}): ${(error as Error).message}`);
  }
  const list = parseOrThrow(z.array(regionPolicySchema), raw, `regions(${path})`);
  return new Map(list.map((r) => [r.admdvs, r]));
}
