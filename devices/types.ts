// Event types shared by decoders, drivers, the device manager and virtual devices.

/** What a scanned code was recognised as. */
export type ScanKind = 'medical-qr' | 'ean13' | 'ean8' | 'trace-code';

/** The basic-info record of a 社保卡, as read by the card reader. */
export interface CardRecord {
  issuerAdmdvs: string; // 发卡地区行政区划代码 (6 digits)
  certno: string; // 社会保障号码 (18-char ID number)
  cardNo: string; // 卡号 (1101 mdtrt_cert_no for type 03)
  cardSn: string; // 卡识别码 (1101 card_sn)
  name: string; // 姓名
  resetInfo: string; // 卡复位信息
  specVersion: string; // 规范版本
  issueDate: string; // 发卡日期
  expiryDate: string; // 卡有效期
  terminalNo: string; // 终端机编号
  deviceNo: string; // 终端设备号
}

/** What a decoder produces, before the device id is attached. */
export type Decoded =
  | { type: 'scan'; kind: ScanKind; code: string; symbology?: string }
  | { type: 'card'; record: CardRecord }
  | { type: 'rejected'; reason: string; preview: string; text?: string };

export type DeviceState = 'connected' | 'disconnected' | 'error' | 'reconnecting';

export type ScanEvent = { type: 'scan'; kind: ScanKind; code: string; symbology?: string; device: string };
export type CardEvent = { type: 'card'; record: CardRecord; device: string };
/** `text`: the decoded code when the bytes were text (the counter may know it: a 付款码 during 收款). */
export type RejectedEvent = { type: 'rejected'; reason: string; preview: string; text?: string; device: string };
export type StatusEvent = { type: 'status'; device: string; state: DeviceState; message: string };

export type DeviceEvent = ScanEvent | CardEvent | RejectedEvent | StatusEvent;

export type TextEncoding = 'gbk' | 'utf8';
export type LineSuffix = 'cr' | 'lf' | 'crlf';

/** Attach a device id to a decoder result. */
export function withDevice(d: Decoded, device: string): DeviceEvent {
  return { ...d, device } as DeviceEvent;
}
