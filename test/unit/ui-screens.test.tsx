// @vitest-environment happy-dom
// The screens' states (empty, loading, error) rendered with a fake client: no server, no devices.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterState, PosClient, SaleDto, StatusDto } from '../../main/api/contract';
import { ApiCallError } from '../../renderer/src/api/client';
import { ClientContext } from '../../renderer/src/api/context';
import { OfflineBanner } from '../../renderer/src/App';
import { StatusBar } from '../../renderer/src/components/StatusBar';
import { CashierView } from '../../renderer/src/screens/Cashier';
import { FindScreen } from '../../renderer/src/screens/Find';
import { TechnicianScreen } from '../../renderer/src/screens/Technician';

afterEach(cleanup);

function fakeClient(answers: Partial<Record<string, () => Promise<unknown>>>): PosClient {
  return {
    call: ((method: string) => (answers[method] ?? (() => new Promise(() => {})))()) as PosClient['call'],
    on: () => () => {},
  };
}
const act = async () => ({ sale: null, busy: null, notice: null }) as CounterState;

const status: StatusDto = {
  online: true, mode: 'online', modeText: '在线', queued: 0, exceptions: 0, syncing: false, offlineAvailable: true,
  devices: [{ id: 'scanner', kind: 'virtual', profile: 'scanner', profileText: '扫码枪', state: 'connected', stateText: '正常', message: '' }],
  storeName: '店', cashier: '收银员', demo: false, printer: false,
};

const sale: SaleDto = {
  id: 7, state: 'draft', stateLabel: '录入中', createdAt: '2025-01-01T00:00:00Z',
  patient: {
    psnName: '王建国', maskedCertno: '3301**********0033', age: 44, gendText: '男', insutype: '310', insutypeText: '职工基本医疗保险',
    insuplcAdmdvs: '510100', insuplcText: '成都市 (510100)', certTypeText: '社保卡', crossRegion: true, ownAcct: '2000.00', mulaid: '0.00',
    wallet: '300.00', walletUsable: false, walletWarning: '医保钱包只能在参保地使用',
  },
  lines: [{ lineNo: 1, barcode: '6945210000010', name: '阿莫西林口服溶液', spec: '100ml', classText: '乙类', price: '27.10', cnt: 2, quantity: '2', amount: '54.20', traceCount: 1, traceMissing: 1, traceCodes: ['85400010000000000001'] }],
  total: '54.20', boxes: 2, traceMissingTotal: 1, traceRequired: true,
  choices: { useAccount: true, useWallet: true, walletCap: null },
  preview: null, settlement: null, refund: null, receipt: null, lastError: null, offlineText: null, done: false,
  editable: true, canSettle: false, canCancel: false, inDoubt: false,
};

describe('cashier screen states', () => {
  it('loading', () => {
    render(<CashierView state={null} loadError={null} typed="" act={act} />);
    expect(screen.getByTestId('loading').textContent).toContain('正在读取');
  });

  it('empty: waiting for a card or a 医保码, with key hints', () => {
    render(<CashierView state={{ sale: null, busy: null, notice: null }} loadError={null} typed="" act={act} />);
    expect(screen.getByTestId('waiting').textContent).toContain('请读社保卡 或 扫医保码');
    expect(screen.getByTestId('keyhints').textContent).toContain('F6');
  });

  it('error: the service cannot be reached, said plainly', () => {
    render(<CashierView state={null} loadError="连不上收银服务: 请确认程序仍在运行, 稍后重试" typed="" act={act} />);
    expect(screen.getByRole('alert').textContent).toBe('连不上收银服务: 请确认程序仍在运行, 稍后重试');
  });

  it('busy while the platform answers', () => {
    render(<CashierView state={{ sale: null, busy: '正在读取参保信息…', notice: null }} loadError={null} typed="" act={act} />);
    expect(screen.getByTestId('busy').textContent).toBe('正在读取参保信息…');
  });

  it('a refused scan is explained', () => {
    const notice = { level: 'error' as const, text: '条码 6901234567892 不在本店药品目录中', at: '' };
    render(<CashierView state={{ sale: null, busy: null, notice }} loadError={null} typed="" act={act} />);
    expect(screen.getByTestId('notice').textContent).toContain('不在本店药品目录');
  });

  it('a sale: patient panel with the wallet warning, a cart line missing a trace code, an empty preview', () => {
    render(<CashierView state={{ sale, busy: null, notice: null }} loadError={null} typed="690" act={act} />);
    expect(screen.getByTestId('patient-name').textContent).toBe('王建国');
    expect(screen.getByTestId('wallet-warning').textContent).toContain('只能在参保地使用');
    expect(screen.getByTestId('line-trace').textContent).toBe('1/2 缺 1');
    expect(screen.getByTestId('trace-missing').textContent).toContain('还缺 1 个');
    expect(screen.getByTestId('split-empty').textContent).toContain('F4');
    expect(screen.getByTestId('typed').textContent).toContain('690');
  });

  it('an empty cart asks for a drug scan', () => {
    render(<CashierView state={{ sale: { ...sale, lines: [], total: '0.00', boxes: 0, traceMissingTotal: 0 }, busy: null, notice: null }} loadError={null} typed="" act={act} />);
    expect(screen.getByTestId('cart-empty').textContent).toBe('请扫药品条码');
  });
});

describe('find screen states', () => {
  const wrap = (client: PosClient) => render(<ClientContext.Provider value={client}><FindScreen /></ClientContext.Provider>);

  it('loading', () => {
    wrap(fakeClient({}));
    expect(screen.getByTestId('find-loading')).toBeTruthy();
  });

  it('empty', async () => {
    wrap(fakeClient({ findSales: async () => ({ sales: [] }) }));
    await waitFor(() => expect(screen.getByTestId('find-empty').textContent).toBe('没有找到销售'));
  });

  it('error', async () => {
    wrap(fakeClient({ findSales: async () => { throw new ApiCallError('NO_SERVICE', '连不上收银服务: 请确认程序仍在运行, 稍后重试'); } }));
    await waitFor(() => expect(screen.getByTestId('find-error').textContent).toContain('连不上收银服务'));
  });
});

describe('technician screen states', () => {
  const wrap = (client: PosClient) => render(<ClientContext.Provider value={client}><TechnicianScreen keyboardScans={[]} /></ClientContext.Provider>);

  it('loading', () => {
    wrap(fakeClient({}));
    expect(screen.getByTestId('tech-loading')).toBeTruthy();
  });

  it('empty queue, no exceptions', async () => {
    wrap(fakeClient({ getQueue: async () => ({ available: true, queue: [], exceptions: [] }), getDeviceConfig: async () => ({ devices: [], file: '/x/config.json' }) }));
    await waitFor(() => expect(screen.getByTestId('queue-empty')).toBeTruthy());
    expect(screen.getByTestId('exceptions-empty')).toBeTruthy();
  });

  it('error', async () => {
    wrap(fakeClient({ getQueue: async () => { throw new ApiCallError('X', '离线队列读取失败: 请重试'); }, getDeviceConfig: async () => ({ devices: [], file: '' }) }));
    await waitFor(() => expect(screen.getByTestId('tech-error').textContent).toContain('离线队列读取失败'));
  });
});

describe('status bar and offline banner', () => {
  it('connecting, then failed', () => {
    const { rerender } = render(<StatusBar status={null} />);
    expect(screen.getByTestId('status-bar').textContent).toContain('正在连接');
    rerender(<StatusBar status={null} error="连不上收银服务" />);
    expect(screen.getByTestId('status-bar').textContent).toContain('状态读取失败');
  });

  it('online with devices; offline with the queued count and an exceptions badge', () => {
    const { rerender } = render(<StatusBar status={status} />);
    expect(screen.getByTestId('status-online').textContent).toContain('在线');
    expect(screen.getByTestId('device-scanner').textContent).toContain('正常');
    rerender(<StatusBar status={{ ...status, online: false, mode: 'offline', modeText: '离线', queued: 3, exceptions: 2 }} />);
    expect(screen.getByTestId('status-online').textContent).toContain('离线');
    expect(screen.getByTestId('status-queued').textContent).toContain('3');
    expect(screen.getByTestId('status-exceptions').className).toContain('badge');
  });

  it('the banner shows only when offline', () => {
    const { rerender, container } = render(<OfflineBanner status={status} />);
    expect(container.textContent).toBe('');
    rerender(<OfflineBanner status={{ ...status, online: false, mode: 'offline', queued: 2 }} />);
    expect(screen.getByTestId('offline-banner').textContent).toContain('已有 2 笔待上传');
  });
});
