// Decoder pipelines: bytes in, typed results out. The serial driver, the HID driver, the
// virtual devices, `devices emit` and the benchmark all go through these same functions.
import { Transform, type TransformCallback } from 'node:stream';
import { classifyScan } from './classify';
import { CardFramer } from './decoders/card-frame';
import { parseCardRecord } from './decoders/card-record';
import { HidPosDecoder } from './decoders/hid-pos';
import { KeyboardReportDecoder } from './decoders/keyboard';
import { ScanLineSplitter } from './decoders/scan-lines';
import { hexPreview, textPreview } from './mask';
import { decodeText } from './text';
import type { Decoded, LineSuffix, TextEncoding } from './types';

export interface ByteDecoder {
  /** Feed a chunk of bytes (serial) or one report (HID). */
  push(chunk: Uint8Array): Decoded[];
  /** End of stream or idle line: finish or reject what is pending. */
  flush(): Decoded[];
  /** Call flush() after this long without input (0 = never). */
  readonly idleMs: number;
}

export interface DecoderOptions {
  suffix?: LineSuffix;
  encoding?: TextEncoding;
  maxLength?: number;
}

/** A scanned code's bytes -> scan or rejected. */
export function decodeScan(bytes: Uint8Array, encoding: TextEncoding = 'utf8'): Decoded {
  const text = decodeText(bytes, encoding);
  if (text === null) {
    return { type: 'rejected', reason: `扫码数据不是有效的 ${encoding.toUpperCase()} 文本 (invalid ${encoding} text)`, preview: hexPreview(bytes, 16) };
  }
  return classifiedToDecoded(text);
}

export function classifiedToDecoded(text: string): Decoded {
  const c = classifyScan(text);
  if (!c.ok) return { type: 'rejected', reason: c.reason, preview: textPreview(text), text };
  return c.symbology ? { type: 'scan', kind: c.kind, code: c.code, symbology: c.symbology } : { type: 'scan', kind: c.kind, code: c.code };
}

/** A card frame's payload -> card or rejected. */
export function decodeCardPayload(payload: Uint8Array, encoding: TextEncoding = 'gbk'): Decoded {
  const text = decodeText(payload, encoding);
  if (text === null) {
    return { type: 'rejected', reason: `卡信息不是有效的 ${encoding.toUpperCase()} 文本 (card payload is not valid ${encoding}; check the encoding setting)`, preview: hexPreview(payload, 3) };
  }
  const r = parseCardRecord(text);
  // The preview of a bad record must not show the person's data: the length only.
  return r.ok ? { type: 'card', record: r.record } : { type: 'rejected', reason: r.reason, preview: `${payload.length} bytes` };
}

export function serialScannerDecoder(opts: DecoderOptions = {}): ByteDecoder {
  const splitter = new ScanLineSplitter({ suffix: opts.suffix ?? 'cr', maxLength: opts.maxLength });
  const map = (rs: ReturnType<ScanLineSplitter['push']>): Decoded[] =>
    rs.map((r) => (r.type === 'line' ? decodeScan(r.bytes, opts.encoding ?? 'utf8') : r));
  return { idleMs: 0, push: (c) => map(splitter.push(c)), flush: () => map(splitter.flush()) };
}

export function cardReaderDecoder(opts: DecoderOptions = {}): ByteDecoder {
  const framer = new CardFramer({ maxPayload: opts.maxLength });
  const map = (rs: ReturnType<CardFramer['push']>): Decoded[] =>
    rs.map((r) => (r.type === 'frame' ? decodeCardPayload(r.payload, opts.encoding ?? 'gbk') : r));
  // A reader sends a frame in one burst; a frame still incomplete after 500 ms is cut off.
  return { idleMs: 500, push: (c) => map(framer.push(c)), flush: () => map(framer.flush()) };
}

export function hidPosDecoder(opts: DecoderOptions = {}): ByteDecoder {
  const dec = new HidPosDecoder({ maxLength: opts.maxLength });
  const map = (rs: ReturnType<HidPosDecoder['push']>): Decoded[] =>
    rs.map((r) => (r.type === 'code' ? decodeScan(r.bytes, opts.encoding ?? 'utf8') : r));
  return { idleMs: 50, push: (c) => map(dec.push(c)), flush: () => map(dec.flush()) };
}

export function keyboardScannerDecoder(opts: DecoderOptions = {}): ByteDecoder {
  const dec = new KeyboardReportDecoder({ maxLength: opts.maxLength });
  const map = (rs: ReturnType<KeyboardReportDecoder['push']>): Decoded[] =>
    rs.map((r) => (r.type === 'code' ? classifiedToDecoded(r.text) : r));
  return { idleMs: 0, push: (c) => map(dec.push(c)), flush: () => [] };
}

/**
 * Stream form of a decoder: bytes in, Decoded objects out; flushes after idleMs of silence.
 * Decoders never throw on bad input; a throw here would be a bug, reported as a rejected event.
 */
export class DecoderTransform extends Transform {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly decoder: ByteDecoder) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.emitAll(() => this.decoder.push(chunk));
    this.armIdle();
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.clearIdle();
    this.emitAll(() => this.decoder.flush());
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.clearIdle();
    cb(err);
  }

  private emitAll(run: () => Decoded[]): void {
    try {
      for (const d of run()) this.push(d);
    } catch (e) {
      this.push({ type: 'rejected', reason: `解码出错 (decoder error: ${(e as Error).message})`, preview: '' } satisfies Decoded);
    }
  }

  private armIdle(): void {
    if (this.decoder.idleMs <= 0) return;
    this.clearIdle();
    this.timer = setTimeout(() => this.emitAll(() => this.decoder.flush()), this.decoder.idleMs);
    this.timer.unref();
  }

  private clearIdle(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
