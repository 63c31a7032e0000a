import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan, eanCheckDigit } from '../../devices/classify';
import { CardFramer, encodeFrame } from '../../devices/decoders/card-frame';
import { HidPosDecoder } from '../../devices/decoders/hid-pos';
import { KeyboardReportDecoder } from '../../devices/decoders/keyboard';
import { ScanLineSplitter } from '../../devices/decoders/scan-lines';
import { cardReaderDecoder, serialScannerDecoder } from '../../devices/pipeline';

const SEED = { seed: 20240501, numRuns: 300 };
const bytes = fc.uint8Array({ maxLength: 600 });

/** Split a buffer into chunks at the given cut points. */
function chunks(buf: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, buf.length]) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('decoders on random bytes', () => {
  it('card reader, scanner, HID and keyboard decoders never throw and stay bounded', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 8 }), (b, cuts) => {
        const card = cardReaderDecoder({ maxLength: 256 });
        const framer = new CardFramer({ maxPayload: 256 });
        const lines = new ScanLineSplitter({ suffix: 'crlf', maxLength: 128 });
        const scan = serialScannerDecoder({ suffix: 'cr', encoding: 'gbk' });
        for (const c of chunks(b, cuts)) {
          card.push(c);
          framer.push(c);
          lines.push(c);
          scan.push(c);
          expect(framer.buffered).toBeLessThanOrEqual(256 + 4);
          expect(lines.buffered).toBeLessThanOrEqual(128);
        }
        card.flush();
        framer.flush();
        expect(framer.buffered).toBe(0);
        scan.flush();
        const hid = new HidPosDecoder({ maxLength: 256 });
        const kb = new KeyboardReportDecoder({ maxLength: 64 });
        for (let i = 0; i < b.length; i += 8) {
          hid.push(b.subarray(i, i + 16));
          kb.push(b.subarray(i, i + 8));
        }
        hid.flush();
      }),
      SEED,
    );
  });

  it('finds every valid frame embedded in noise, however the stream is chunked', () => {
    const payload = fc.uint8Array({ minLength: 1, maxLength: 80 });
    // Noise rich in STX/ETX bytes, so false frame starts and cut frames are common.
    const noise = fc
      .array(fc.oneof(fc.constantFrom(0x02, 0x03), fc.integer({ min: 0, max: 255 })), { maxLength: 40 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, payload), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const stream = Buffer.concat(parts.flatMap(([noise, p]) => [Buffer.from(noise), encodeFrame(p)]));
          const framer = new CardFramer({ maxPayload: 1024 });
          const found = [...chunks(stream, cuts).flatMap((c) => framer.push(c)), ...framer.flush()]
            .flatMap((r) => (r.type === 'frame' ? [Buffer.from(r.payload).toString('hex')] : []));
          // Noise could form an extra valid frame by chance; every real one must be there, in order.
          const want = parts.map(([, p]) => Buffer.from(p).toString('hex'));
          let k = 0;
          for (const f of found) if (f === want[k]) k++;
          expect(k).toBe(want.length);
        },
      ),
      SEED,
    );
  });
});

describe('classifier properties', () => {
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
  const ean13 = digits(12).map((b) => b + eanCheckDigit(b));

  it('recognises every valid EAN-13', () => {
    fc.assert(
      fc.property(ean13, (code) => {
        expect(classifyScan(code)).toMatchObject({ ok: true, kind: 'ean13', code });
      }),
      SEED,
    );
  });

  it('refuses any single-digit change of a valid EAN-13', () => {
    fc.assert(
      fc.property(ean13, fc.nat(12), fc.integer({ min: 1, max: 9 }), (code, pos, delta) => {
        const d = (Number(code[pos]) + delta) % 10;
        const changed = code.slice(0, pos) + d + code.slice(pos + 1);
        expect(classifyScan(changed).ok).toBe(false);
      }),
      SEED,
    );
  });

  it('never throws on any string, and always gives a reason when it refuses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600, unit: 'binary' }), (s) => {
        const r = classifyScan(s);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
      }),
      SEED,
    );
  });
});
