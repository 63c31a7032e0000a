// @vitest-environment happy-dom
// The technician's log panel with a fake client: newest line first, its times in China time whatever the
// process's zone (this file runs with TZ=UTC, a fork of its own), export reports where the file went.
process.env.TZ = 'UTC';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PosClient } from '../../main/api/contract';
import { ApiCallError } from '../../renderer/src/api/client';
import { ClientContext } from '../../renderer/src/api/context';
import { chinaLogLine } from '../../main/platform/china-time';
import { LogsPanel } from '../../renderer/src/screens/LogsPanel';

afterEach(cleanup);

function client(answers: Record<string, (args: unknown) => Promise<unknown>>): PosClient {
  return { call: ((m: string, a: unknown) => answers[m]!(a)) as PosClient['call'], on: () => () => {} };
}

describe('log panel', () => {
  it('shows the newest line first and exports into the data directory', async () => {
    const asked: unknown[] = [];
    render(
      <ClientContext.Provider
        value={client({
          getLogs: async (a) => (asked.push(a), { dir: '/data/logs', lines: ['older line', 'newest line'] }),
          exportLogs: async () => ({ file: '/data/exports/logs-x.log', lines: 2 }),
        })}
      >
        <LogsPanel />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId('log-lines').textContent).toBe('newest lineolder line'));
    expect(asked).toEqual([{ limit: 200 }]);
    fireEvent.click(screen.getByText('导出'));
    await waitFor(() => expect(screen.getByTestId('logs-message').textContent).toBe('已导出 2 行到 /data/exports/logs-x.log'));
  });

  it('shows each line’s stored UTC time in China time (UTC+8), the rest of the line as it was', async () => {
    expect(new Date('2026-11-23T20:05:09.123Z').getHours()).toBe(20); // the process really runs in UTC
    const lines = [
      '2026-11-23T20:05:09.123Z INFO  [api 4242] sale settled {"saleId":7}',
      'not a log line 2026-11-23T20:05:09.123Z',
    ];
    render(
      <ClientContext.Provider value={client({ getLogs: async () => ({ dir: '/data/logs', lines }) })}>
        <LogsPanel />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('log-line')).toHaveLength(2));
    expect(screen.getAllByTestId('log-line').map((li) => li.textContent)).toEqual([
      'not a log line 2026-11-23T20:05:09.123Z',
      '2026-11-24 04:05:09 INFO  [api 4242] sale settled {"saleId":7}',
    ]);
    expect(chinaLogLine('2026-01-01T00:00:00+08:00 WARN x')).toBe('2026-01-01 00:00:00 WARN x');
  });

  it('says why the log cannot be read', async () => {
    render(
      <ClientContext.Provider value={client({ getLogs: async () => { throw new ApiCallError('X', '日志读取失败'); } })}>
        <LogsPanel />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId('logs-message').textContent).toContain('日志读取失败'));
  });
});
