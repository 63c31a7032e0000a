import { describe, expect, it } from 'vitest';
import { HidPosDecoder } from '../../devices/decoders/hid-pos';
import { KeyboardReportDecoder } from '../../devices/decoders/keyboard';
import { KeystrokeTimingDecoder } from '../../renderer/src/keystroke-timing';
import { hidPosDecoder, keyboardScannerDecoder } from '../../devices/pipeline';

/** A recorded report: the meaningful leading bytes in hex, zero-padded to the report size. */
function rep(hex: string, size = 64): Buffer {
  const b = Buffer.alloc(size);
  Buffer.from(hex.replace(/\s+/g, ''), 'hex').copy(b);
  return b;
}

// Recorded from a HID POS scanner (64-byte input reports, report id 0x02):
// EAN-13 "6901234567892" with AIM id ]E0 -> one report.
const EAN_REPORTS = [rep('02 10 5d4530 36393031323334353637383932')];
// A 70-character 医保码 with ]Q1 (73 data bytes): a full report (62 bytes) + the rest (11 bytes).
const QR = 'EC01ABCDEFGHIJKL1714550000A1B2C3D4' + 'X'.repeat(36);
const QR_DATA = Buffer.from(']Q1' + QR);
const QR_REPORTS = [
  Buffer.concat([Buffer.from([0x02, 62]), QR_DATA.subarray(0, 62)]),
  rep('02 0b' + QR_DATA.subarray(62).toString('hex')),
];

describe('HID POS decoder', () => {
  it('decodes a single-report EAN-13 with its AIM id', () => {
    const d = hidPosDecoder();
    expect(EAN_REPORTS.flatMap((r) => d.push(r))).toEqual([{ type: 'scan', kind: 'ean13', code: '6901234567892', symbology: ']E0' }]);
  });

  it('joins a code spanning several reports', () => {
    const d = hidPosDecoder();
    expect(d.push(QR_REPORTS[0]!)).toEqual([]);
    expect(d.push(QR_REPORTS[1]!)).toEqual([{ type: 'scan', kind: 'medical-qr', code: QR, symbology: ']Q1' }]);
  });

  it('ends a code that exactly fills its report on flush (idle)', () => {
    const d = hidPosDecoder();
    const code59 = QR.slice(0, 59); // ]Q1 + 59 chars = 62 bytes: the report is full
    expect(d.push(Buffer.concat([Buffer.from([0x02, 62]), Buffer.from(']Q1' + code59)]))).toEqual([]);
    expect(d.flush()).toEqual([{ type: 'scan', kind: 'medical-qr', code: code59, symbology: ']Q1' }]);
    expect(d.flush()).toEqual([]);
  });

  it('rejects a report whose length byte is larger than the report', () => {
    const d = new HidPosDecoder();
    expect(d.push(rep('02 ff 41', 8))).toMatchObject([{ type: 'rejected', reason: expect.stringMatching(/长度字节/) }]);
    expect(d.push(rep('02 01', 1))).toMatchObject([{ type: 'rejected' }]);
  });
});

// Recorded boot-keyboard reports of a keyboard-mode scanner typing "Ab1]" + Enter, and "11" + Enter.
const KB_REPORTS = [
  '02 00 04 00 00 00 00 00', // Shift + a -> "A"
  '00 00 00 00 00 00 00 00',
  '00 00 05 00 00 00 00 00', // b
  '00 00 00 00 00 00 00 00',
  '00 00 1e 00 00 00 00 00', // 1
  '00 00 1e 30 00 00 00 00', // 1 still held, ] pressed (rollover)
  '00 00 00 00 00 00 00 00',
  '00 00 28 00 00 00 00 00', // Enter
  '00 00 00 00 00 00 00 00',
  '00 00 1e 00 00 00 00 00', // 1
  '00 00 00 00 00 00 00 00',
  '00 00 1e 00 00 00 00 00', // 1 again (released in between)
  '00 00 00 00 00 00 00 00',
  '00 00 58 00 00 00 00 00', // keypad Enter
].map((h) => Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('keyboard-mode scanner decoder', () => {
  it('maps usages with Shift, detects key presses and ends codes on Enter', () => {
    const d = new KeyboardReportDecoder();
    expect(KB_REPORTS.flatMap((r) => d.push(r))).toEqual([{ type: 'code', text: 'Ab1]' }, { type: 'code', text: '11' }]);
  });

  it('classifies the typed code', () => {
    const d = keyboardScannerDecoder();
    const digits = '6901234567892'.split('').map((c) => (c === '0' ? 0x27 : 0x1e + Number(c) - 1));
    const reports = digits.flatMap((u) => [Buffer.from([0, 0, u, 0, 0, 0, 0, 0]), Buffer.alloc(8)]);
    reports.push(Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]));
    expect(reports.flatMap((r) => d.push(r))).toEqual([{ type: 'scan', kind: 'ean13', code: '6901234567892' }]);
  });

  it('ignores phantom (rollover error) reports and rejects unmapped keys', () => {
    const d = new KeyboardReportDecoder();
    expect(d.push(Buffer.from('0000010101010101', 'hex'))).toEqual([]);
    d.push(Buffer.from('00003a0000000000', 'hex')); // F1
    expect(d.push(Buffer.from('0000280000000000', 'hex'))).toMatchObject([{ type: 'rejected', reason: expect.stringMatching(/无法映射/) }]);
    expect(d.push(Buffer.from('00', 'hex'))).toMatchObject([{ type: 'rejected' }]);
  });
});

describe('keystroke timing decoder', () => {
  const feed = (d: KeystrokeTimingDecoder, text: string, start: number, gap: number) => {
    let t = start;
    for (const c of text) {
      expect(d.push(c, t)).toBeNull();
      t += gap;
    }
    return d.push('Enter', t);
  };

  it('tells a scan (fast burst ending in Enter) from typing', () => {
    const d = new KeystrokeTimingDecoder();
    expect(feed(d, '6901234567892', 1000, 8)).toEqual({ type: 'scan', code: '6901234567892' });
    expect(feed(d, 'hello', 5000, 150)).toEqual({ type: 'typing', text: 'hello' });
  });

  it('treats a short fast burst as typing, and separates typed text before a scan', () => {
    const d = new KeystrokeTimingDecoder({ minLength: 6 });
    expect(feed(d, '12', 0, 5)).toEqual({ type: 'typing', text: '12' });
    d.push('x', 10_000);
    expect(feed(d, '96385074', 10_500, 5)).toEqual({ type: 'scan', code: '96385074' });
  });
});
