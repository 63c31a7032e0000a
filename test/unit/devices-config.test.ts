import { describe, expect, it } from 'vitest';
import { devicesConfigSchema } from '../../devices/config';

describe('devices config schema', () => {
  it('accepts serial, hid (hex ids) and virtual entries', () => {
    const cfg = devicesConfigSchema.parse([
      { id: 'scan1', kind: 'serial', profile: 'scanner', path: '/dev/ttyACM0', baud: 115200, suffix: 'crlf' },
      { id: 'card', kind: 'serial', profile: 'card', path: '/dev/ttyUSB0', encoding: 'gbk' },
      { id: 'hidscan', kind: 'hid', profile: 'scanner', vendorId: '0x0c2e', productId: '0b61' },
      { id: 'kb', kind: 'hid', profile: 'keyboard-scanner', vendorId: 1155, productId: 22352 },
      { id: 'vscan', kind: 'virtual', profile: 'scanner' },
      { id: 'printer', kind: 'serial', profile: 'printer', path: '/dev/ttyS1' },
    ]);
    expect(cfg[2]).toMatchObject({ vendorId: 0x0c2e, productId: 0x0b61 });
  });

  it('refuses incomplete or contradictory entries, naming the field', () => {
    const bad = (e: unknown) => {
      const r = devicesConfigSchema.safeParse([e]);
      return r.success ? '' : `${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`;
    };
    expect(bad({ id: 's', kind: 'serial', profile: 'scanner' })).toMatch(/^0\.path: .*needs "path"/);
    expect(bad({ id: 'h', kind: 'hid', profile: 'scanner', vendorId: 1 })).toMatch(/vendorId/);
    expect(bad({ id: 'h', kind: 'hid', profile: 'card', path: '/dev/hidraw0' })).toMatch(/profile/);
    expect(bad({ id: 's', kind: 'serial', profile: 'scanner', path: '/x', suffix: 'tab' })).toMatch(/suffix/);
    const dup = devicesConfigSchema.safeParse([{ id: 'a', kind: 'virtual', profile: 'card' }, { id: 'a', kind: 'virtual', profile: 'scanner' }]);
    expect(dup.success).toBe(false);
  });
});
