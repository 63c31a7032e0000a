import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CardFramer, encodeFrame, STX, ETX } from '../../devices/decoders/card-frame';
import { certnoProblem, formatCardRecord, parseCardRecord } from '../../devices/decoders/card-record';
import { cardReaderDecoder } from '../../devices/pipeline';
import { cardBytes, SAMPLE_CARD } from '../../devices/virtual';

const frame = (s: string) => encodeFrame(Buffer.from(s));

describe('card framer', () => {
  it('reads a whole frame', () => {
    const f = new CardFramer();
    expect(f.push(frame('hello'))).toEqual([{ type: 'frame', payload: Buffer.from('hello') }]);
    expect(f.buffered).toBe(0);
  });

  it('reads a frame split into single bytes', () => {
    const f = new CardFramer();
    const bytes = frame('split me');
    const out = [...bytes].flatMap((b) => f.push(Buffer.from([b])));
    expect(out).toEqual([{ type: 'frame', payload: Buffer.from('split me') }]);
  });

  it('reports garbage once and still reads the frame after it', () => {
    const f = new CardFramer();
    const out = f.push(Buffer.concat([Buffer.from([0xff, 0x00, STX, 0x7f, 0x7f, 0x41]), frame('ok')]));
    expect(out.map((r) => r.type)).toEqual(['rejected', 'frame']);
    expect(out[0]).toMatchObject({ reason: expect.stringMatching(/garbage.*6 bytes/) });
  });

  it('rejects a bad checksum and reads the next frame', () => {
    const bad = frame('abc');
    bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0xff;
    const out = new CardFramer().push(Buffer.concat([bad, frame('next')]));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/校验和错误/) });
    expect(out[1]).toEqual({ type: 'frame', payload: Buffer.from('next') });
  });

  it('finds a frame hidden inside a truncated one', () => {
    const f = new CardFramer();
    // A frame cut short (claims 40 bytes), then a full frame, then the line goes quiet.
    const cut = Buffer.from([STX, 0x00, 40, 0x41, 0x42]);
    expect(f.push(Buffer.concat([cut, frame('real')]))).toEqual([]);
    const out = f.flush();
    expect(out.map((r) => r.type)).toEqual(['rejected', 'frame']);
    expect(out[0]).toMatchObject({ reason: expect.stringMatching(/不完整|truncated/) });
  });

  it('skips impossible lengths and a missing ETX without getting stuck', () => {
    const f = new CardFramer({ maxPayload: 64 });
    const out = f.push(Buffer.concat([Buffer.from([STX, 0xff, 0xff]), Buffer.from([STX, 0, 1, 0x41, 0x41, 0x00]), frame('x')]));
    expect(out.filter((r) => r.type === 'frame')).toEqual([{ type: 'frame', payload: Buffer.from('x') }]);
    expect(f.buffered).toBe(0);
  });

  it('keeps its buffer bounded while waiting for a long frame', () => {
    const f = new CardFramer({ maxPayload: 100 });
    f.push(Buffer.from([STX, 0, 100]));
    for (let i = 0; i < 1000; i++) f.push(Buffer.from([0x41]));
    expect(f.buffered).toBeLessThanOrEqual(105);
  });

  it('frames ETX/STX bytes inside the payload correctly', () => {
    const payload = Buffer.from([STX, ETX, 0x10, STX]);
    expect(new CardFramer().push(encodeFrame(payload))).toEqual([{ type: 'frame', payload }]);
  });
});

describe('card record', () => {
  it('parses and validates the sample record', () => {
    expect(parseCardRecord(formatCardRecord(SAMPLE_CARD))).toEqual({ ok: true, record: SAMPLE_CARD });
  });

  it('checks the ID number check digit', () => {
    expect(certnoProblem('11010519491231002X')).toBeNull();
    expect(certnoProblem('110105194912310021')).toMatch(/校验位错误/);
    expect(certnoProblem('1101051949123100')).toMatch(/18 位/);
    expect(certnoProblem('11010519491231002Y')).toMatch(/格式错误/);
  });

  it('refuses a wrong field count, a bad region, an empty card number', () => {
    const text = formatCardRecord(SAMPLE_CARD);
    expect(parseCardRecord('a|b|c|')).toMatchObject({ ok: false, reason: expect.stringMatching(/字段数/) });
    expect(parseCardRecord(text.replace('110100|', '1101|'))).toMatchObject({ ok: false, reason: expect.stringMatching(/6 位数字/) });
    expect(parseCardRecord(text.replace('|A12345678|', '||'))).toMatchObject({ ok: false, reason: expect.stringMatching(/卡号为空/) });
  });

  it('decodes GBK and UTF-8 payloads by config, and says when the encoding is wrong', () => {
    const gbk = cardReaderDecoder({ encoding: 'gbk' });
    expect(gbk.push(cardBytes(SAMPLE_CARD, 'gbk'))).toEqual([{ type: 'card', record: SAMPLE_CARD }]);
    const utf8 = cardReaderDecoder({ encoding: 'utf8' });
    expect(utf8.push(cardBytes(SAMPLE_CARD, 'utf8'))).toEqual([{ type: 'card', record: SAMPLE_CARD }]);
    // GBK bytes read as UTF-8: invalid text, reason names the encoding.
    const wrong = cardReaderDecoder({ encoding: 'utf8' }).push(encodeFrame(iconv.encode(formatCardRecord(SAMPLE_CARD), 'gbk')));
    expect(wrong[0]).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/UTF8/) });
  });

  it('never puts the person in a rejected preview', () => {
    const bad = formatCardRecord({ ...SAMPLE_CARD, certno: '110105194912310021' });
    const [ev] = cardReaderDecoder().push(cardBytes(bad));
    expect(ev?.type).toBe('rejected');
    expect(JSON.stringify(ev)).not.toContain('110105194912310021');
    expect(JSON.stringify(ev)).not.toContain('张三');
  });
});
