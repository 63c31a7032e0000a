// The terminal's copy of the regional policies, for offline estimates. The platform's answer always wins.
import { z } from 'zod';
import { regionPolicySchema, type RegionPolicy } from '../settlement/policy';
import { parseOrThrow, readJsonFile } from '../validation';

export type Regions = ReadonlyMap<string, RegionPolicy>;

export function loadRegions(path: string): Regions {
  const raw = readJsonFile(path, '地区政策文件');
  const list = parseOrThrow(z.array(regionPolicySchema), raw, `regions(${path})`);
  return new Map(list.map((r) => [r.admdvs, r]));
}
