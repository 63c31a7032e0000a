// Card-reader framing: STX(0x02) LEN(2 bytes, big-endian) PAYLOAD XOR(payload) ETX(0x03).
// The framer resynchronises byte by byte: any STX may start a frame, so a valid frame
// after garbage, a cut-off frame or a bad checksum is still found.
import { hexPreview } from '../mask';

export const STX = 0x02;
export const ETX = 0x03;
/** A card record is ~200 bytes; anything much longer is not a frame start. */
export const DEFAULT_MAX_PAYLOAD = 1024;

export type FrameResult =
  | { type: 'frame'; payload: Buffer }
  | { type: 'rejected'; reason: string; preview: string };

export function xorChecksum(payload: Uint8Array): number {
  let x = 0;
  for (const b of payload) x ^= b;
  return x;
}

/** Build a frame around a payload (virtual card reader, tests). */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > 0xffff) throw new RangeError('payload too long for a 2-byte length');
  const out = Buffer.alloc(payload.length + 5);
  out[0] = STX;
  out.writeUInt16BE(payload.length, 1);
  out.set(payload, 3);
  out[payload.length + 3] = xorChecksum(payload);
  out[payload.length + 4] = ETX;
  return out;
}

export class CardFramer {
  private buf: Buffer = Buffer.alloc(0);
  private garbage: number[] = []; // first bytes of the current garbage run, for the preview
  private garbageCount = 0;
  private quiet = 0; // bytes of an already-reported bad frame: not reported again as garbage
  readonly maxPayload: number;

  constructor(opts: { maxPayload?: number } = {}) {
    this.maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Bytes held while waiting for the rest of a frame (never more than maxPayload + 4). */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): FrameResult[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    return this.process(false);
  }

  /** End of stream or the line went idle: a partial frame is reported as truncated. */
  flush(): FrameResult[] {
    return this.process(true);
  }

  private process(final: boolean): FrameResult[] {
    const out: FrameResult[] = [];
    const buf = this.buf;
    let i = 0;
    while (i < buf.length) {
      if (buf[i] !== STX) {
        const next = buf.indexOf(STX, i);
        const end = next < 0 ? buf.length : next;
        this.skip(buf, i, end);
        i = end;
        continue;
      }
      const step = this.tryFrame(buf, i, final, out);
      if (step === 0) break; // wait for more bytes
      i += step;
    }
    this.buf = buf.subarray(i);
    this.emitGarbage(out);
    return out;
  }

  /** Returns how many bytes to consume at `i` (0 = incomplete, wait). */
  private tryFrame(buf: Buffer, i: number, final: boolean, out: FrameResult[]): number {
    const avail = buf.length - i;
    if (avail < 3) return final ? this.truncated(buf, i, avail, out) : 0;
    const len = buf.readUInt16BE(i + 1);
    if (len === 0 || len > this.maxPayload) return this.skip(buf, i, i + 1);
    const total = len + 5;
    if (avail < total) return final ? this.truncated(buf, i, avail, out) : 0;
    if (buf[i + total - 1] !== ETX) return this.skip(buf, i, i + 1);
    const payload = buf.subarray(i + 3, i + 3 + len);
    this.emitGarbage(out);
    if (xorChecksum(payload) !== buf[i + 3 + len]) {
      out.push({
        type: 'rejected',
        reason: `读卡器数据校验和错误 (card frame checksum mismatch, ${len}-byte payload dropped)`,
        preview: hexPreview(buf.subarray(i, i + 3)),
      });
      // Resync from the next byte in case a real frame hides inside, without re-reporting these bytes.
      this.quiet = total - 1;
      return 1;
    }
    out.push({ type: 'frame', payload: Buffer.from(payload) });
    this.quiet = Math.max(0, this.quiet - total);
    return total;
  }

  private truncated(buf: Buffer, i: number, avail: number, out: FrameResult[]): number {
    this.emitGarbage(out);
    out.push({
      type: 'rejected',
      reason: `读卡器数据帧不完整 (truncated card frame: ${avail} bytes, no end)`,
      preview: hexPreview(buf.subarray(i, i + 3)),
    });
    this.quiet = avail - 1;
    return 1;
  }

  /** Count bytes [from, to) as garbage; returns the count consumed. */
  private skip(buf: Buffer, from: number, to: number): number {
    for (let k = from; k < to; k++) {
      if (this.quiet > 0) {
        this.quiet--;
        continue;
      }
      if (this.garbage.length < 8) this.garbage.push(buf[k] ?? 0);
      this.garbageCount++;
    }
    return to - from;
  }

  private emitGarbage(out: FrameResult[]): void {
    if (this.garbageCount === 0) return;
    const head = Buffer.from(this.garbage);
    out.push({
      type: 'rejected',
      reason: `读卡器收到无法识别的字节 (garbage outside a card frame: ${this.garbageCount} bytes)`,
      preview: hexPreview(head).replace(/^\d+ bytes/, `${this.garbageCount} bytes`),
    });
    this.garbage = [];
    this.garbageCount = 0;
  }
}
