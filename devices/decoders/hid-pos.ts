// HID POS scanner reports (usage page 0x8C): [report id, length, data...].
// The first report of a code may start with an AIM id (]Q1, ]E0...). A report whose data
// fills it completely is continued by the next report; a shorter one ends the code.
// A code that exactly fills its last report is ended by flush() (called on idle).
import { hexPreview } from '../mask';

export type HidPosResult =
  | { type: 'code'; bytes: Buffer }
  | { type: 'rejected'; reason: string; preview: string };

export class HidPosDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  readonly maxLength: number;

  constructor(opts: { maxLength?: number } = {}) {
    this.maxLength = opts.maxLength ?? 2048;
  }

  push(report: Uint8Array): HidPosResult[] {
    if (report.length < 2) return [reject('HID 报告过短 (HID POS report shorter than 2 bytes)', report)];
    const capacity = report.length - 2;
    const len = report[1] ?? 0;
    if (len > capacity) {
      this.reset();
      return [reject(`HID 报告长度字节错误 (length byte ${len} > ${capacity} data bytes)`, report)];
    }
    if (len === 0) return this.flush(); // an empty report ends whatever is pending
    this.parts.push(Buffer.from(report.subarray(2, 2 + len)));
    this.size += len;
    if (this.size > this.maxLength) {
      this.reset();
      return [reject(`扫码数据过长 (HID code longer than ${this.maxLength} bytes: dropped)`, report)];
    }
    return len < capacity ? this.flush() : [];
  }

  flush(): HidPosResult[] {
    if (this.size === 0) return [];
    const bytes = Buffer.concat(this.parts);
    this.reset();
    return [{ type: 'code', bytes }];
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
  }
}

function reject(reason: string, report: Uint8Array): HidPosResult {
  return { type: 'rejected', reason, preview: hexPreview(report) };
}
