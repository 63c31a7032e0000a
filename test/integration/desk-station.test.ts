/**
 * A terminal that is both a pharmacy counter and a billing desk (counter.kind both), with a real serial card
 * reader, scanner and receipt printer (socat pseudo-terminals): the screen says which station is in use
 * (setStation), and a card read or a 医保码 goes to that one only. On the desk it identifies the patient and
 * registers the visit with the open form's department and doctor; on the counter the same read still begins
 * a sale. The desk's F6 (deskPrint) prints the 门诊收费票据 and, after 2208, the cancel receipt on the printer,
 * and says so when the printer is unplugged.
 * Real simulator over HTTP, real ledger.
 */
import iconv from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CardRecord } from '../../devices/types';
import { cardBytes, scannerBytes } from '../../devices/virtual';
import type { CounterState, DeskEventDto, VisitDto } from '../../main/api/contract';
import { createPosApi, invoke, type PosApi } from '../../main/api/service';
import { startCounter, type Counter } from '../helpers/counter';
import { exampleExport } from '../helpers/outpatient';
import { makeLinkDir, removeDir, startSocatPair, stopAllSocat } from '../helpers/socat-pair';

let dir = '';
let counter: Counter;
let api: PosApi;
const ports: SerialPort[] = [];
const desk: DeskEventDto[] = [];
const counterStates: CounterState[] = [];
const connected = new Set<string>();
let unplugPrinter: () => Promise<void>;
let printed = Buffer.alloc(0);
let cardEnd: SerialPort;
let scanEnd: SerialPort;

async function openEnd(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  ports.push(port);
  return port;
}

function write(port: SerialPort, bytes: Uint8Array): Promise<void> {
  return new Promise((res, rej) => port.write(Buffer.from(bytes), (e) => (e ? rej(e) : port.drain(() => res()))));
}

// The bound only turns a hang into a named failure; sized for a loaded machine.
async function until<T>(what: string, get: () => T | undefined | null | false, ms = 25_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  dir = makeLinkDir('desk-station-');
  const [card, scan, printer] = await Promise.all(['card', 'scan', 'printer'].map((n) => startSocatPair(join(dir, `${n}-a`), join(dir, `${n}-b`))));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      counter: { fixmedinsCode: 'H33010200001', fixmedinsName: '杭州市第一人民医院', mdtrtareaAdmvs: '330100', opter: 'clerk01', opterName: '收费员01', kind: 'both' },
      devices: [
        { id: 'card', kind: 'serial', profile: 'card', path: card!.a, encoding: 'gbk' },
        { id: 'scan', kind: 'serial', profile: 'scanner', path: scan!.a, suffix: 'cr' },
        { id: 'printer', kind: 'serial', profile: 'printer', path: printer!.a },
      ],
    }),
  );
  counter = await startCounter({ configFile });
  api = await createPosApi(counter.terminal, { log: () => undefined });
  api.events.on('desk', (e) => desk.push(e));
  api.events.on('counter', (s) => counterStates.push(s));
  api.events.on('device', (e) => e.type === 'status' && e.text.startsWith('正常') && connected.add(e.device));
  unplugPrinter = () => printer!.stop();
  cardEnd = await openEnd(card!.b);
  scanEnd = await openEnd(scan!.b);
  (await openEnd(printer!.b)).on('data', (d: Buffer) => (printed = Buffer.concat([printed, d])));
  await until('the three devices connected', () => connected.size === 3);
  await counter.terminal.operators.add({ code: '6001', name: '测试收费', role: 'cashier', pin: '600160016001' });
  await invoke(api.handlers, 'operatorSignIn', { code: '6001', pin: '600160016001' });
}, 60_000);
afterEach(() => {
  desk.length = 0;
  counterStates.length = 0;
});
afterAll(async () => {
  for (const p of ports) await new Promise<void>((res) => (p.isOpen ? p.close(() => res()) : res()));
  await api?.close();
  await counter?.close();
  await stopAllSocat();
  removeDir(dir);
});

const call = <T>(method: string, args: unknown) => invoke(api.handlers, method as never, args as never) as Promise<T>;

async function cardOf(label: string): Promise<CardRecord> {
  const p = (await (await fetch(`${counter.sim.url}/sim/persons/${label}`)).json()) as {
    psn_name: string; certno: string; insuplc_admdvs: string; cards: { card_no: string; card_sn: string }[];
  };
  const c = p.cards[0]!;
  return {
    issuerAdmdvs: p.insuplc_admdvs, certno: p.certno, cardNo: c.card_no, cardSn: c.card_sn, name: p.psn_name,
    resetInfo: '3B6C0000C4A5', specVersion: '3.00', issueDate: '20200101', expiryDate: '20300101', terminalNo: '', deviceNo: '',
  };
}

const openedVisit = () => until('the desk event with the opened visit', () => desk.find((e) => e.visit)?.visit);
const deskError = () => until('the desk event with a refusal', () => desk.find((e) => e.error)?.error);
const visitCount = () => counter.terminal.outpatient.list({ limit: 200 }).length;

async function waitingForm() {
  const info = await call<{ departments: { code: string }[]; doctors: { code: string; dept: string }[] }>('deskInfo', {});
  const dept = info.departments[1]!.code;
  return { deptCode: dept, doctorCode: info.doctors.find((d) => d.dept === dept)!.code };
}

describe('the station in use takes the device reads (counter.kind both)', () => {
  it('a card read on the desk opens the visit of the card holder with the form department; the counter is not touched', async () => {
    const form = await waitingForm();
    expect(await call('setStation', { station: 'desk', deskForm: form })).toEqual({ station: 'desk', deskWaiting: true });
    const record = await cardOf('employee');
    await write(cardEnd, cardBytes(record, 'gbk'));
    const visit = await openedVisit();
    expect(visit.patient.name).toBe(record.name);
    expect(visit.state).toBe('registered');
    const stored = counter.terminal.outpatient.get(visit.id);
    expect(stored.dept.code).toBe(form.deptCode);
    expect(stored.patient.mdtrtCertType).toBe('03'); // by the social security card
    expect(((await call<CounterState>('getState', {})).sale)).toBeNull();
    expect(counterStates.filter((s) => s.sale)).toEqual([]);

    // The visit is now on the desk's screen (the form no longer waits): a second read opens nothing.
    await call('setStation', { station: 'desk', deskForm: null });
    desk.length = 0;
    const before = visitCount();
    await write(cardEnd, cardBytes(record, 'gbk'));
    expect(await deskError()).toContain('当前就诊尚未完成');
    expect(visitCount()).toBe(before);
  });

  it('a 医保码 on the serial scanner opens the visit on the desk; a drug barcode there is refused, nothing opened', async () => {
    await call('setStation', { station: 'desk', deskForm: await waitingForm() });
    const before = visitCount();
    await write(scanEnd, scannerBytes('6901234567892', 'cr'));
    expect(await deskError()).toContain('门诊收费处只认医保码和社保卡');
    expect(visitCount()).toBe(before);
    desk.length = 0;
    await write(scanEnd, scannerBytes(await counter.qr('retiree'), 'cr'));
    const visit = await openedVisit();
    const retiree = (await (await fetch(`${counter.sim.url}/sim/persons/retiree`)).json()) as { psn_name: string };
    expect(visit.patient.name).toBe(retiree.psn_name);
    expect(counter.terminal.outpatient.get(visit.id).patient.mdtrtCertType).toBe('01');
    expect(visitCount()).toBe(before + 1);
  });

  it('the same card read with the counter in use begins a sale at the counter; the desk hears nothing', async () => {
    await call('setStation', { station: 'counter' });
    const before = visitCount();
    const record = await cardOf('employee');
    await write(cardEnd, cardBytes(record, 'gbk'));
    const state = await until('the counter with the patient', () => counterStates.find((s) => s.sale));
    expect(state.sale!.patient.psnName).toBe(record.name);
    expect(desk).toEqual([]);
    expect(visitCount()).toBe(before);
    await call('nextPatient', {});
  });

  it('the station is checked: unknown names and a foreign department refused, nothing changed', async () => {
    await call('setStation', { station: 'counter' });
    await expect(call('setStation', { station: 'pharmacy' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(call('setStation', { station: 'desk', deskForm: { deptCode: 'NOPE', doctorCode: 'X' } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('deskForm.deptCode'),
    });
    // Still the counter: a card read begins a sale there.
    await write(cardEnd, cardBytes(await cardOf('retiree'), 'gbk'));
    await until('the counter with the patient', () => counterStates.find((s) => s.sale));
    expect(desk).toEqual([]);
    await call('nextPatient', {});
  });
});

describe('printing on the desk (F6)', () => {
  it('the 门诊收费票据 of a settled visit, then the cancel receipt after 2208, on the serial printer', async () => {
    const form = await waitingForm();
    await call('setStation', { station: 'desk', deskForm: form });
    await write(scanEnd, scannerBytes(await counter.qr('employee'), 'cr'));
    const opened = await openedVisit();
    await call<VisitDto>('deskDiagnose', { visitId: opened.id, medType: '11', codes: ['J06.900'] });
    await call<VisitDto>('deskImportFees', { visitId: opened.id, export: exampleExport() });
    await call<VisitDto>('deskPresettle', { visitId: opened.id });
    expect((await call<VisitDto>('deskSettle', { visitId: opened.id })).state).toBe('settled');

    printed = Buffer.alloc(0);
    expect(await call('deskPrint', { visitId: opened.id })).toMatchObject({ outcome: 'printed', message: '门诊收费票据已打印' });
    const receipt = await until('the receipt on the printer', () => printed.length > 0 && iconv.decode(printed, 'gbk').includes('门诊收费票据') && iconv.decode(printed, 'gbk'));
    expect(receipt).toContain(opened.mdtrtId);
    expect(receipt).not.toContain('已撤销');

    expect((await call<VisitDto>('deskCancel', { visitId: opened.id })).state).toBe('cancelled');
    printed = Buffer.alloc(0);
    expect(await call('deskPrint', { visitId: opened.id })).toMatchObject({ outcome: 'printed', message: '撤销 (退费) 票据已打印' });
    await until('the cancel receipt on the printer', () => iconv.decode(printed, 'gbk').includes('退还'));
    expect(iconv.decode(printed, 'gbk')).toContain('已撤销 (退费)');

    // Unplugged: the clerk is told to check the printer (the screen shows it as an error).
    await unplugPrinter();
    expect(await call('deskPrint', { visitId: opened.id })).toMatchObject({ outcome: 'failed', message: expect.stringContaining('打印失败: 请检查打印机') });
  });
});
