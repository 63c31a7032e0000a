// What is attached: serial ports and HID devices, each listing independent of the other.
import { loadHid, hex4 } from './hid';

export interface SerialPortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
}

export interface HidInfo {
  path?: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
  usage?: number;
  product?: string;
  manufacturer?: string;
  /** HID POS scanner (0x8C) or a keyboard (page 1 usage 6). */
  guess?: 'scanner' | 'keyboard-scanner';
}

export interface DeviceListing {
  serial: SerialPortInfo[];
  hid: HidInfo[];
  problems: string[]; // missing system libraries etc., in plain words
}

export async function listDevices(): Promise<DeviceListing> {
  const problems: string[] = [];
  const serial = await listSerial().catch((e: Error) => {
    problems.push(`无法列出串口 (SerialPort.list failed: ${e.message}; is udevadm (package udev) installed?)`);
    return [];
  });
  const hid = await listHid().catch((e: Error) => {
    problems.push(e.message);
    return [];
  });
  return { serial, hid, problems };
}

async function listSerial(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  return ports.map((p) => ({
    path: p.path,
    vendorId: p.vendorId,
    productId: p.productId,
    manufacturer: p.manufacturer,
    serialNumber: p.serialNumber,
  }));
}

async function listHid(): Promise<HidInfo[]> {
  const loaded = await loadHid();
  if (!loaded.ok) throw new Error(loaded.message);
  const devs = await loaded.hid.devicesAsync();
  return devs.map((d) => ({
    path: d.path,
    vendorId: d.vendorId,
    productId: d.productId,
    usagePage: d.usagePage,
    usage: d.usage,
    product: d.product,
    manufacturer: d.manufacturer,
    guess: d.usagePage === 0x8c ? 'scanner' : d.usagePage === 1 && d.usage === 6 ? 'keyboard-scanner' : undefined,
  }));
}

export function formatListing(l: DeviceListing): string[] {
  const lines: string[] = [];
  lines.push(`串口 serial ports: ${l.serial.length}`);
  for (const p of l.serial) {
    const ids = p.vendorId ? ` vendorId=0x${p.vendorId} productId=0x${p.productId ?? '?'}` : '';
    lines.push(`  serial ${p.path}${ids}${p.manufacturer ? ` "${p.manufacturer}"` : ''}`);
  }
  lines.push(`HID 设备 HID devices: ${l.hid.length}`);
  for (const d of l.hid) {
    const page = d.usagePage !== undefined ? ` usagePage=0x${d.usagePage.toString(16)}` : '';
    const guess = d.guess ? ` (profile? ${d.guess})` : '';
    lines.push(`  hid vendorId=0x${hex4(d.vendorId)} productId=0x${hex4(d.productId)}${page}${d.path ? ` path=${d.path}` : ''}${d.product ? ` "${d.product}"` : ''}${guess}`);
  }
  for (const p of l.problems) lines.push(`! ${p}`);
  return lines;
}
