import { describe, expect, it } from 'vitest';
import { ScanLineSplitter } from '../../devices/decoders/scan-lines';
import { serialScannerDecoder } from '../../devices/pipeline';
import { scannerBytes } from '../../devices/virtual';

const lines = (rs: ReturnType<ScanLineSplitter['push']>) => rs.map((r) => (r.type === 'line' ? r.bytes.toString() : `!${r.reason}`));

describe('scanner line splitter', () => {
  it.each(['cr', 'lf', 'crlf'] as const)('splits on %s, across chunk boundaries', (suffix) => {
    const s = new ScanLineSplitter({ suffix });
    const bytes = Buffer.concat([scannerBytes('111', suffix), scannerBytes('222', suffix)]);
    const out = [...bytes].flatMap((b) => lines(s.push(Buffer.from([b]))));
    expect(out).toEqual(['111', '222']);
  });

  it('cuts a line without terminator at maxLength, once, and recovers at the next suffix', () => {
    const s = new ScanLineSplitter({ suffix: 'cr', maxLength: 16 });
    const out: string[] = [];
    for (let i = 0; i < 100; i++) out.push(...lines(s.push(Buffer.from('XXXXXXXXXX'))));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/过长/);
    expect(s.buffered).toBeLessThanOrEqual(16);
    expect(lines(s.push(Buffer.from('tail\rGOOD\r')))).toEqual(['GOOD']);
  });

  it('reports an unterminated line at end of stream', () => {
    const s = new ScanLineSplitter({ suffix: 'lf' });
    s.push(Buffer.from('partial'));
    expect(lines(s.flush())[0]).toMatch(/没有结束符/);
  });

  it('gives a scan event through the decoder, and a reason for a wrong suffix setting', () => {
    const d = serialScannerDecoder({ suffix: 'cr' });
    expect(d.push(scannerBytes('6901234567892', 'cr'))).toEqual([{ type: 'scan', kind: 'ean13', code: '6901234567892' }]);
    // Scanner sends CRLF, terminal set to CR: the LF lands in front of the next code.
    const out = d.push(Buffer.concat([scannerBytes('6901234567892', 'crlf'), scannerBytes('96385074', 'crlf')]));
    expect(out[1]).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/控制字符/) });
  });

  it('decodes GBK scanner text by config', () => {
    const d = serialScannerDecoder({ suffix: 'cr', encoding: 'gbk' });
    const [ev] = d.push(scannerBytes('药品', 'cr', 'gbk'));
    expect(ev).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/非 ASCII/), preview: '药品' });
  });
});
