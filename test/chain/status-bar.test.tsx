// @vitest-environment happy-dom
// The counter's status bar says how many events headquarters does not hold yet, and why it refuses.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { StatusDto } from '../../main/api/contract';
import { StatusBar } from '../../renderer/src/components/StatusBar';

afterEach(cleanup);

const base: StatusDto = {
  online: true, mode: 'online', modeText: '在线', queued: 0, exceptions: 0, syncing: false, offlineAvailable: true,
  devices: [], storeName: '店', cashier: '收银员', demo: false, printer: false,
};

it('shows 总部 未同步 N, warning while N > 0', () => {
  render(<StatusBar status={{ ...base, headquarters: { pending: 12, reachable: false, problem: null } }} />);
  const pill = screen.getByTestId('status-headquarters');
  expect(pill.textContent).toBe('总部 未同步 12');
  expect(pill.className).toContain('warn');
});

it('shows why headquarters refuses, in full on hover', () => {
  const problem = '总部拒绝: 终端令牌无效或已吊销, 未保存任何数据';
  render(<StatusBar status={{ ...base, headquarters: { pending: 3, reachable: true, problem } }} />);
  const pill = screen.getByTestId('status-headquarters');
  expect(pill.textContent).toBe(`总部 未同步 3 (${problem})`);
  expect(pill.className).toContain('bad');
  expect(pill.getAttribute('title')).toBe(problem);
});

it('a terminal without headquarters shows nothing about it', () => {
  render(<StatusBar status={base} />);
  expect(screen.queryByTestId('status-headquarters')).toBeNull();
});
