import { describe, expect, it } from 'vitest';
import { classifyScan, eanCheckDigit } from '../../devices/classify';
import { stripAim } from '../../devices/decoders/aim';

const QR = 'EC01' + 'ABCDEFGHIJKL' + '1714550000' + 'A1B2C3D4';

describe('scan classifier', () => {
  it('recognises a 医保码 payload', () => {
    expect(classifyScan(QR)).toEqual({ ok: true, kind: 'medical-qr', code: QR });
  });

  it('recognises EAN-13 and EAN-8 with valid check digits', () => {
    expect(classifyScan('6901234567892')).toMatchObject({ ok: true, kind: 'ean13' });
    expect(classifyScan('96385074')).toMatchObject({ ok: true, kind: 'ean8' });
    expect(eanCheckDigit('690123456789')).toBe(2);
  });

  it('refuses an EAN-13 with a wrong check digit, saying which digit was expected', () => {
    const r = classifyScan('6901234567893');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/校验位错误.*expected 2, got 3/);
  });

  it('recognises a 20-digit trace code and refuses 19 digits', () => {
    expect(classifyScan('81234567890123456789')).toMatchObject({ ok: true, kind: 'trace-code' });
    const r = classifyScan('8123456789012345678');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/19 位数字.*19 digits/);
  });

  it('strips AIM ids first and keeps the symbology', () => {
    expect(classifyScan(']E06901234567892')).toEqual({ ok: true, kind: 'ean13', code: '6901234567892', symbology: ']E0' });
    expect(classifyScan(']Q1' + QR)).toMatchObject({ ok: true, kind: 'medical-qr', code: QR, symbology: ']Q1' });
    expect(stripAim('plain')).toEqual({ code: 'plain' });
  });

  it('gives clear reasons for garbage', () => {
    const reason = (s: string) => {
      const r = classifyScan(s);
      return r.ok ? '' : r.reason;
    };
    expect(reason('ABC\u0007DEF')).toMatch(/控制字符.*control/);
    expect(reason('')).toMatch(/空码/);
    expect(reason('EC01 ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toMatch(/空格/);
    expect(reason('EC01ABC')).toMatch(/太短.*too short/);
    expect(reason('A'.repeat(513))).toMatch(/太长.*too long/);
    expect(reason('医保码中文内容很长很长很长很长很长很长很长很长')).toMatch(/非 ASCII/);
    expect(reason('123-456-789-000-111-222-333')).toMatch(/无法识别/);
  });
});
