/** The config schema is strict all the way down; typos get a suggestion; saving is atomic and validated. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { receiptLines, SAMPLE_RECEIPT } from '../../devices/printer';
import { configSchema, loadConfig, saveConfigChange } from '../../main/config/config';
import { closestKey, editDistance } from '../../main/config/suggest';
import { InputError } from '../../main/validation';

const dir = mkdtempSync(join(tmpdir(), 'yibao-config-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every object schema reachable from `schema`, with its path. */
function objects(schema: z.ZodType, path = 'config'): Array<[string, z.ZodObject]> {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return objects(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodPipe) return objects(schema.in as z.ZodType, path);
  if (schema instanceof z.ZodArray) return objects(schema.element as z.ZodType, `${path}[]`);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap((o) => objects(o, path));
  if (!(schema instanceof z.ZodObject)) return [];
  const inner = Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([k, v]) => objects(v, `${path}.${k}`));
  return [[path, schema], ...inner];
}

describe('config schema', () => {
  it('refuses unknown keys in every object it has', () => {
    const found = objects(configSchema);
    expect(found.length).toBeGreaterThan(6);
    for (const [path, object] of found) expect(object.def.catchall, `${path} is not strict`).toBeInstanceOf(z.ZodNever);
  });

  it('no file is the demo; a file without a mode is production', () => {
    expect(loadConfig(null, join(dir, 'nothing-here')).mode).toBe('demo');
    const file = join(dir, 'bare.json');
    writeFileSync(file, '{}');
    expect(loadConfig(file, dir).mode).toBe('production');
  });
});

describe('did you mean', () => {
  it('counts swapped neighbours as one edit', () => {
    expect(editDistance('platfrom', 'platform')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only a near key', () => {
    const keys = ['platform', 'counter', 'catalogFile', 'regionsFile', 'mode'];
    expect(closestKey('platfrom', keys)).toBe('platform');
    expect(closestKey('Counter', keys)).toBe('counter');
    expect(closestKey('regionFile', keys)).toBe('regionsFile');
    expect(closestKey('colour', keys)).toBeNull();
  });
});

describe('saving the config (technician screen)', () => {
  it('writes through a temporary file, keeps other keys, and marks a new file as demo', () => {
    const file = join(dir, 'new', 'config.json');
    rmSync(join(dir, 'new'), { recursive: true, force: true });
    mkdirSync(join(dir, 'new'));
    saveConfigChange(file, (raw) => (raw.devices = []), 'demo');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ mode: 'demo', devices: [] });
    saveConfigChange(file, (raw) => (raw.log = { level: 'debug' }), 'production');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ mode: 'demo', devices: [], log: { level: 'debug' } });
    expect(readdirSync(join(dir, 'new'))).toEqual(['config.json']);
  });

  it('refuses a change that would make the file invalid and leaves it as it was', () => {
    const file = join(dir, 'keep.json');
    writeFileSync(file, '{"mode":"demo"}');
    expect(() => saveConfigChange(file, (raw) => (raw.devices = [{ id: 'x', kind: 'virtual', profile: 'scanner', bogus: 1 }]), 'demo')).toThrow(InputError);
    expect(readFileSync(file, 'utf8')).toBe('{"mode":"demo"}');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('receipt', () => {
  it('says 演示 when settled on the simulator, and not otherwise', () => {
    expect(receiptLines({ ...SAMPLE_RECEIPT, demo: true }).join('\n')).toContain('演示');
    expect(receiptLines({ ...SAMPLE_RECEIPT, demo: false }).join('\n')).not.toContain('演示');
  });
});
