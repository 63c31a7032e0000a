// Virtual scanner and card reader for the embedded default, demos and tests.
// They produce the bytes a real device would send and feed them through the same decoders.
import type { DeviceEntry } from './config';
import { encodeFrame } from './decoders/card-frame';
import { formatCardRecord } from './decoders/card-record';
import { SUFFIX_BYTES } from './decoders/scan-lines';
import type { Emit } from './driver';
import { cardReaderDecoder, DecoderTransform, serialScannerDecoder } from './pipeline';
import { encodeText } from './text';
import { withDevice, type CardRecord, type Decoded, type LineSuffix, type TextEncoding } from './types';

/** The bytes a serial scanner sends for a code. */
export function scannerBytes(code: string, suffix: LineSuffix = 'cr', encoding: TextEncoding = 'utf8'): Buffer {
  return Buffer.concat([encodeText(code, encoding), SUFFIX_BYTES[suffix]]);
}

/** The frame a card reader sends for a record (or a raw record string). */
export function cardBytes(record: CardRecord | string, encoding: TextEncoding = 'gbk'): Buffer {
  const text = typeof record === 'string' ? record : formatCardRecord(record);
  return encodeFrame(encodeText(text, encoding));
}

abstract class VirtualDevice {
  protected readonly parser: DecoderTransform;

  constructor(readonly entry: DeviceEntry, emit: Emit, parser: DecoderTransform) {
    this.parser = parser;
    this.parser.on('data', (d: Decoded) => emit(withDevice(d, entry.id)));
  }

  get id(): string {
    return this.entry.id;
  }

  /** Raw bytes, as if they came over the wire (garbage, split frames...). */
  feed(bytes: Uint8Array): void {
    this.parser.write(Buffer.from(bytes));
  }

  stop(): void {
    this.parser.destroy();
  }
}

export class VirtualScanner extends VirtualDevice {
  constructor(entry: DeviceEntry, emit: Emit) {
    super(entry, emit, new DecoderTransform(serialScannerDecoder({ suffix: entry.suffix, encoding: entry.encoding })));
  }

  scan(code: string): void {
    this.feed(scannerBytes(code, this.entry.suffix, this.entry.encoding));
  }
}

export class VirtualCardReader extends VirtualDevice {
  constructor(entry: DeviceEntry, emit: Emit) {
    super(entry, emit, new DecoderTransform(cardReaderDecoder({ encoding: entry.encoding })));
  }

  /** A card is presented: the reader sends one frame with its record. */
  insert(record: CardRecord | string): void {
    this.feed(cardBytes(record, this.entry.encoding));
  }
}

/** A valid sample card (fictitious person; the ID number has a correct check digit). */
export const SAMPLE_CARD: CardRecord = {
  issuerAdmdvs: '110100',
  certno: '11010519491231002X',
  cardNo: 'A12345678',
  cardSn: '110100D15600000500A1B2C3D4E5F6',
  name: '张三',
  resetInfo: '3B6C0000C4A5',
  specVersion: '3.00',
  issueDate: '20200101',
  expiryDate: '20300101',
  terminalNo: '110100000001',
  deviceNo: '00000001',
};
