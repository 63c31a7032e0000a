// @vitest-environment happy-dom
// The technician's log panel with a fake client: newest line first, export reports where the file went.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PosClient } from '../../main/api/contract';
import { ApiCallError } from '../../renderer/src/api/client';
import { ClientContext } from '../../renderer/src/api/context';
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

  it('says why the log cannot be read', async () => {
    render(
      <ClientContext.Provider value={client({ getLogs: async () => { throw new ApiCallError('X', '日志读取失败'); } })}>
        <LogsPanel />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId('logs-message').textContent).toContain('日志读取失败'));
  });
});
