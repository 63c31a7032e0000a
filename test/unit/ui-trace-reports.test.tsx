// @vitest-environment happy-dom
// The technician sees the 3505/3506 trace-code reports not yet accepted, with the platform's reason, and
// can send a refused one again.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PosClient, TraceReportDto } from '../../main/api/contract';
import { ClientContext } from '../../renderer/src/api/context';
import { TechnicianScreen } from '../../renderer/src/screens/Technician';

afterEach(cleanup);

const refused: TraceReportDto = {
  id: '12', saleId: 7, kindText: '3505 商品销售', createdAt: '2026-03-02T02:00:00.000Z', psnName: '张三', drugName: '阿莫西林片',
  codes: 2, stateText: '平台未接收', detail: '尝试 1 次 · 平台未接收: 追溯码已销售', retryable: true,
};
const pending: TraceReportDto = { ...refused, id: '13', kindText: '3506 商品销售退货', stateText: '待上报', detail: '尝试 0 次', retryable: false };

describe('trace-code reports on the technician screen', () => {
  it('lists them with the reason, and resends a refused one', async () => {
    const calls: { method: string; args: unknown }[] = [];
    const client: PosClient = {
      call: (async (method: string, args: unknown) => {
        calls.push({ method, args });
        if (method === 'getQueue') return { available: true, queue: [], exceptions: [], traceReports: [refused, pending] };
        if (method === 'getDeviceConfig') return { devices: [], file: '' };
        if (method === 'retryTraceReport') return { ok: true, message: '追溯码上报 12 将在下次同步时重新发送' };
        return new Promise(() => {});
      }) as PosClient['call'],
      on: () => () => {},
    };
    render(<ClientContext.Provider value={client}><TechnicianScreen keyboardScans={[]} /></ClientContext.Provider>);
    await waitFor(() => expect(screen.getAllByTestId('trace-report-row')).toHaveLength(2));
    const panel = screen.getByTestId('tech-trace-reports');
    expect(panel.textContent).toContain('未完成 2');
    expect(panel.textContent).toContain('追溯码已销售');
    expect(screen.getAllByTestId('trace-report-retry')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('trace-report-retry'));
    await waitFor(() => expect(screen.getByTestId('tech-msg').textContent).toContain('重新发送'));
    expect(calls.find((c) => c.method === 'retryTraceReport')?.args).toEqual({ id: '12' });
  });
});
