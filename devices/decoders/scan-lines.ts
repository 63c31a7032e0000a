// Scanner lines over serial: the code, then a configurable suffix (CR, LF or CRLF).
// @serialport/parser-delimiter splits the same way but keeps an unbounded buffer; a scanner
// that never sends its suffix must not grow memory, so this splitter cuts at maxLength.
import { textPreview } from '../mask';
import type { LineSuffix } from '../types';

export const SUFFIX_BYTES: Record<LineSuffix, Buffer> = {
  cr: Buffer.from([0x0d]),
  lf: Buffer.from([0x0a]),
  crlf: Buffer.from([0x0d, 0x0a]),
};

/** A 医保码 is at most 512 characters; leave room for an AIM id and multi-byte text. */
export const DEFAULT_MAX_LINE = 2048;

export type LineResult =
  | { type: 'line'; bytes: Buffer }
  | { type: 'rejected'; reason: string; preview: string };

export class ScanLineSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private discarding = false; // inside an over-long line: drop bytes until the next suffix
  private readonly delim: Buffer;
  readonly maxLength: number;

  constructor(opts: { suffix?: LineSuffix; maxLength?: number } = {}) {
    this.delim = SUFFIX_BYTES[opts.suffix ?? 'cr'];
    this.maxLength = opts.maxLength ?? DEFAULT_MAX_LINE;
  }

  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): LineResult[] {
    const out: LineResult[] = [];
    let buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    for (let at = buf.indexOf(this.delim); at >= 0; at = buf.indexOf(this.delim)) {
      this.emitLine(buf.subarray(0, at), out);
      buf = buf.subarray(at + this.delim.length);
    }
    // Keep a possible first half of a CRLF; anything past maxLength is cut.
    if (buf.length > this.maxLength) {
      if (!this.discarding) out.push(tooLong(buf, this.maxLength));
      this.discarding = true;
      buf = buf.subarray(buf.length - (this.delim.length - 1));
    }
    this.buf = Buffer.from(buf);
    return out;
  }

  /** End of stream: a line without its suffix is reported, not guessed. */
  flush(): LineResult[] {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    const wasDiscarding = this.discarding;
    this.discarding = false;
    if (rest.length === 0 || wasDiscarding) return [];
    return [{
      type: 'rejected',
      reason: '扫码数据没有结束符 (scanner line without its suffix; check the suffix setting)',
      preview: textPreview(rest.toString('latin1')),
    }];
  }

  private emitLine(line: Buffer, out: LineResult[]): void {
    if (this.discarding) {
      this.discarding = false; // the tail of a cut line ends here
      return;
    }
    if (line.length > this.maxLength) {
      out.push(tooLong(line, this.maxLength));
      return;
    }
    if (line.length > 0) out.push({ type: 'line', bytes: Buffer.from(line) });
  }
}

function tooLong(bytes: Buffer, max: number): LineResult {
  return {
    type: 'rejected',
    reason: `扫码数据过长，已截断丢弃 (scanner line longer than ${max} bytes without suffix: dropped)`,
    preview: textPreview(bytes.subarray(0, 40).toString('latin1')),
  };
}
