/**
 * A 微信/支付宝 付款码 read by a real serial scanner (socat pseudo-terminal pair; the test plays the scanner)
 * while the sale awaits collection: the main process takes it as the tender's reference (the state the
 * 收款 dialog fills its field from), by the same shape check the tender applies; a drug barcode read then
 * is refused in Chinese and the cart is not touched; outside 收款 the same code is refused as before.
 * Browser mode over HTTP, built-in simulator, real ledger.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Args, type CounterState, type Method, type Result } from '../../main/api/contract';
import { callApi } from '../helpers/api-call';
import { startBrowserMode, type BrowserMode } from '../../main/api/serve';
import catalog from '../../main/config/catalog.default.json';
import { scannerBytes } from '../../devices/virtual';
import { makeLinkDir, removeDir, startSocatPair, stopAllSocat } from '../helpers/socat-pair';

const WECHAT_CODE = '134567890123456789'; // 18 digits, 10-15: a 微信 付款码
const ALIPAY_CODE = '284567890123456789'; // 18 digits, 25-30: a 支付宝 付款码
const syrup = catalog.find((d) => d.barcode === '6945210000010')!; // 27.10

let mode: BrowserMode;
let dataDir: string;
let linkDir: string;
let scanner: SerialPort;

beforeAll(async () => {
  linkDir = makeLinkDir();
  const pty = await startSocatPair(join(linkDir, 'scan-a'), join(linkDir, 'scan-b'));
  dataDir = mkdtempSync(join(tmpdir(), 'yibao-tender-scan-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ mode: 'demo', devices: [{ id: 'scanner', kind: 'serial', profile: 'scanner', path: pty.a, suffix: 'cr' }] }));
  mode = await startBrowserMode({ port: 0, dataDir, build: false, log: () => {} });
  await call('operatorSignIn', { code: '1001', pin: '1234' });
  await vi.waitFor(async () => expect((await call('getStatus', {})).devices.find((d) => d.id === 'scanner')?.state).toBe('connected'), { timeout: 25_000, interval: 50 });
  scanner = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
  await new Promise<void>((res, rej) => scanner.open((e) => (e ? rej(e) : res())));
}, 60_000);
afterAll(async () => {
  if (scanner?.isOpen) await new Promise<void>((res) => scanner.close(() => res()));
  await mode?.close();
  await stopAllSocat();
  removeDir(linkDir);
  rmSync(dataDir, { recursive: true, force: true });
});

const call = <M extends Method>(method: M, args: Args<M>): Promise<Result<M>> => callApi(mode.http.port, method, args);

/** The scanner reads a code: its bytes, CR-terminated, on the serial line. */
function scan(code: string): Promise<void> {
  return new Promise((res, rej) => scanner.write(Buffer.from(scannerBytes(code, 'cr')), (e) => (e ? rej(e) : scanner.drain(() => res()))));
}

/** Waits for the counter to reach a state (device reads are counter steps run in the background). */
function counterWhen(check: (s: CounterState) => boolean): Promise<CounterState> {
  return vi.waitFor(async () => {
    const s = await call('getState', {});
    if (!check(s)) throw new Error(`counter not there yet: ${JSON.stringify({ sale: s.sale?.state, notice: s.notice?.text, scan: s.paymentScan })}`);
    return s;
  }, { timeout: 20_000, interval: 50 });
}

describe('付款码 from a serial scanner during 收款', () => {
  it('fills the reference (微信 or 支付宝 by its shape); a drug barcode is refused, named; outside 收款 refused as before', async () => {
    const walkIn = (await call('beginSelfPay', {})).sale!;
    // Outside 收款 (the sale is still open) a 付款码 is no drug: refused as the counter always did.
    await scan(WECHAT_CODE);
    const refused = await counterWhen((s) => s.notice?.level === 'error');
    expect(refused.notice!.text).toContain('设备 scanner 送来的数据无法识别');
    expect(refused.paymentScan).toBeNull();

    await scan(syrup.barcode);
    await scan(`${syrup.trace_prefix}0000000000001`);
    await counterWhen((s) => s.sale?.lines.length === 1 && s.sale.traceMissingTotal === 0);
    const due = await call('selfPay', { saleId: walkIn.id });
    expect(due.sale!.tender).toMatchObject({ due: '27.10', complete: false });

    // 收款: a drug barcode is refused, named, the cart unchanged.
    await scan(syrup.barcode);
    const drug = await counterWhen((s) => s.notice?.level === 'error' && s.notice.text.startsWith('正在收款'));
    expect(drug.notice!.text).toContain('扫到的是药品条码, 不是微信或支付宝付款码');
    expect(drug.sale!.lines).toHaveLength(1);
    expect(drug.sale!.lines[0]!.cnt).toBe(1);
    expect(drug.paymentScan).toBeNull();

    // A 支付宝 付款码, then the customer switches to 微信: the last one read is the reference.
    await scan(ALIPAY_CODE);
    const ali = await counterWhen((s) => s.paymentScan?.code === ALIPAY_CODE);
    expect(ali.paymentScan).toMatchObject({ kind: 'alipay' });
    expect(ali.notice!.text).toContain('已扫到支付宝付款码');
    await scan(WECHAT_CODE);
    const wx = await counterWhen((s) => s.paymentScan?.code === WECHAT_CODE);
    expect(wx.paymentScan).toMatchObject({ kind: 'wechat' });
    expect(wx.paymentScan!.seq).toBeGreaterThan(ali.paymentScan!.seq);

    // The dialog sends it as the reference (empty amount = the rest): collected; the scan is no longer offered.
    const paid = await call('tender', { saleId: walkIn.id, kind: 'wechat', amount: null, reference: wx.paymentScan!.code });
    expect(paid.sale!.tender).toMatchObject({ complete: true, remaining: '0.00' });
    expect(paid.sale!.tender!.lines.map((l) => [l.kindText, l.amount, l.reference])).toEqual([['微信', '27.10', WECHAT_CODE]]);
    expect(paid.paymentScan).toBeNull();
  });
});
