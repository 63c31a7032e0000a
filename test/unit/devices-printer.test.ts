import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../devices/printer/money';
import { receiptEscPos, receiptLines, receiptPreview, SAMPLE_RECEIPT, type Receipt } from '../../devices/printer/receipt';
import { displayWidth, leftRight, wrap } from '../../devices/printer/text-width';

describe('money', () => {
  it('formats fen with integer arithmetic', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(1230)).toBe('12.30');
    expect(formatFen(-101)).toBe('-1.01');
    expect(formatFen(9007199254740991)).toBe('90071992547409.91');
    expect(() => formatFen(1.5)).toThrow(/whole fen/);
  });
});

describe('display width', () => {
  it('counts CJK as 2 columns and pads by width', () => {
    expect(displayWidth('合计')).toBe(4);
    expect(displayWidth('A1（')).toBe(4);
    expect(leftRight('合计', '43.40', 32)).toEqual(['合计' + ' '.repeat(32 - 4 - 5) + '43.40']);
    expect(wrap('阿莫西林胶囊阿莫西林胶囊阿莫西林胶囊', 32)).toEqual(['阿莫西林胶囊阿莫西林胶囊阿莫西林', '胶囊']);
  });
});

describe('receipt', () => {
  it('fits every line into 32 columns', () => {
    const long: Receipt = {
      ...SAMPLE_RECEIPT,
      storeName: '一个名字特别特别特别长的连锁大药房有限公司第一百二十三分店',
      items: [{ name: '名字很长的药品名称'.repeat(4), qty: 120, priceFen: 123456789, amountFen: 14814814680 }],
    };
    for (const l of receiptLines(long)) expect(displayWidth(l)).toBeLessThanOrEqual(32);
  });

  it('shows the split, balances, masked person and the offline marker', () => {
    const text = receiptPreview(SAMPLE_RECEIPT);
    for (const s of ['统筹基金', '个人账户', '其中家庭共济', '医保钱包', '现金', '离线待上传', '张*', '1101**********002X', '43.40', '123.45']) {
      expect(text).toContain(s);
    }
    const online = receiptPreview({ ...SAMPLE_RECEIPT, offline: false, settlementId: 'S0001' });
    expect(online).not.toContain('离线');
    expect(online).toContain('结算号: S0001');
  });

  it('prints the same text as the preview: ESC @, GB18030, cut', () => {
    const bytes = receiptEscPos(SAMPLE_RECEIPT);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect([...bytes.subarray(-3)]).toEqual([0x1d, 0x56, 0x01]);
    const body = bytes.subarray(4, bytes.length - 6);
    expect(iconv.decode(body, 'gb18030')).toBe(receiptPreview(SAMPLE_RECEIPT));
  });
});
