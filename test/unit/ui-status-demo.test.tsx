// @vitest-environment happy-dom
// The status bar says 演示 exactly when the platform is the built-in simulator.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { StatusDto } from '../../main/api/contract';
import { StatusBar } from '../../renderer/src/components/StatusBar';

afterEach(cleanup);

const base: StatusDto = {
  online: true, mode: 'online', modeText: '在线', queued: 0, exceptions: 0, syncing: false, offlineAvailable: true,
  devices: [], storeName: '店', cashier: '收银员', demo: false, printer: false,
};

it('shows 演示 on the simulator', () => {
  render(<StatusBar status={{ ...base, demo: true }} />);
  expect(screen.getByTestId('status-demo').textContent).toBe('演示');
});

it('shows nothing of the kind against a real platform', () => {
  render(<StatusBar status={base} />);
  expect(screen.queryByTestId('status-demo')).toBeNull();
});
