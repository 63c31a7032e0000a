// The one formatter of times people read: China time (UTC+8) from stored UTC instants, whatever the
// process's zone (the spawned-process check is test/e2e/china-time.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaClock, chinaDateTime, chinaDay, chinaMinute } from '../../main/platform/china-time';

const byArithmetic = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const instants = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });

describe('China time', () => {
  it('shows any stored instant (ISO with Z, with an offset, or a Date) as UTC+8', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(chinaDateTime(iso)).toBe(byArithmetic(ms));
        expect(chinaDateTime(new Date(ms))).toBe(byArithmetic(ms));
        expect(chinaDateTime(iso.replace('Z', '+00:00'))).toBe(byArithmetic(ms));
        expect(chinaDay(iso)).toBe(byArithmetic(ms).slice(0, 10));
        expect(chinaClock(iso)).toBe(byArithmetic(ms).slice(11));
        expect(chinaMinute(iso)).toBe(byArithmetic(ms).slice(0, 16));
      }),
    );
  });

  it('turns the day at 16:00 UTC, and midnight is 00, not 24', () => {
    expect(chinaDay('2026-11-23T15:59:59.999Z')).toBe('2026-11-23');
    expect(chinaDay('2026-11-23T16:00:00.000Z')).toBe('2026-11-24');
    expect(chinaDateTime('2026-11-23T16:00:00Z')).toBe('2026-11-24 00:00:00');
    expect(chinaDateTime('2026-11-23T12:00:00-05:00')).toBe('2026-11-24 01:00:00');
  });

  it('shows a platform time (China time, no zone) as it is, and odd text unchanged rather than crashing', () => {
    expect(chinaDateTime('2026-11-23 14:05:00')).toBe('2026-11-23 14:05:00');
    expect(chinaClock('2026-11-23 14:05:00')).toBe('14:05:00');
    expect(chinaDateTime('')).toBe('');
    expect(chinaDateTime('不是时间')).toBe('不是时间');
    expect(chinaDay('2026-13-45T99:00:00Z')).toBe('2026-13-45T99:00:00Z');
  });
});
