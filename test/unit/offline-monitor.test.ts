// The connectivity monitor: failures that mean "unreachable" flip it, refusals do not; the manual switch;
// after a probe interval the next sale tries the platform again.
import { describe, expect, it } from 'vitest';
import { ConnectivityMonitor } from '../../main/offline/monitor';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from '../../main/platform/errors';

function monitor(probe: () => Promise<unknown> = async () => undefined) {
  let t = 0;
  const saved: string[] = [];
  const changes: boolean[] = [];
  const m = new ConnectivityMonitor({ probe, intervalMs: 1000, initialMode: 'auto', saveMode: (x) => void saved.push(x), now: () => new Date(t) });
  m.events.on('change', (c) => void changes.push(c.online));
  return { m, saved, changes, advance: (ms: number) => void (t += ms) };
}

describe('ConnectivityMonitor', () => {
  it('goes offline on unreachable, not on a refusal or an unreadable answer', () => {
    const { m, changes } = monitor();
    m.noteFailure(new PlatformRefusal('2101', -1, '余额不足', 'BALANCE_SHORT'));
    m.noteFailure(new OutcomeUnknownError('2102', 'bad_response', 'x'));
    expect(m.online).toBe(true);
    m.noteFailure(new NotDeliveredError('1101', 'ECONNREFUSED'));
    expect(m.online).toBe(false);
    m.noteSuccess();
    expect(changes).toEqual([false, true]);
  });

  it('tries the platform again after a probe interval', () => {
    const { m, advance } = monitor();
    m.noteFailure(new OutcomeUnknownError('1101', 'timeout', 'x'));
    expect(m.shouldTryPlatform).toBe(false);
    advance(1000);
    expect(m.shouldTryPlatform).toBe(true);
  });

  it('the manual switch wins and is saved', async () => {
    const { m, saved } = monitor(async () => {
      throw new NotDeliveredError('9001', 'ECONNREFUSED');
    });
    m.setMode('offline');
    expect([m.online, m.shouldTryPlatform, saved]).toEqual([false, false, ['offline']]);
    m.setMode('auto');
    expect(await m.probe()).toBe(false);
    expect(m.online).toBe(false);
  });
});
