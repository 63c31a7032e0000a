/**
 * A code scanned while the sale on the counter awaits collection (收款): the patient's 微信/支付宝 付款码 is
 * the tender's reference, whichever scanner read it (serial, HID, virtual or an uncaptured keyboard wedge).
 * Recognised by the very shape check the tender itself applies (settlement/tender.ts checkReference), so a
 * code taken here is never refused there; anything else is named in Chinese, and the cart is not touched.
 */
import { classifyScan } from '../../devices/classify';
import { SaleError } from '../settlement/sale-error';
import { checkReference, TENDER_TEXT } from '../settlement/tender';

export type PaymentCodeKind = 'wechat' | 'alipay';

/** 微信 or 支付宝 by the code's shape (付款码 or 交易单号), or null. */
export function paymentCodeKind(raw: string): { kind: PaymentCodeKind; code: string } | null {
  for (const kind of ['wechat', 'alipay'] as const) {
    try {
      return { kind, code: checkReference(kind, raw) };
    } catch {
      // not this kind's shape
    }
  }
  return null;
}

/** What a scanned code that is not a payment code is, for the refusal. */
function whatItIs(raw: string): string {
  const c = classifyScan(raw);
  if (!c.ok) return `无法识别的码 (${raw.length} 字符)`;
  if (c.kind === 'trace-code') return '药品追溯码';
  if (c.kind === 'medical-qr') return '医保码';
  return '药品条码';
}

/** The refusal of a code scanned during 收款 that is not a 微信/支付宝 付款码. */
export function notPaymentCode(raw: string): SaleError {
  return new SaleError(
    'NOT_PAYMENT_CODE',
    `正在收款: 扫到的是${whatItIs(raw)}, 不是${TENDER_TEXT.wechat}或${TENDER_TEXT.alipay}付款码 (微信 18 位 10-15 开头, 支付宝 16-24 位 25-30 开头). 购物车未变; 请让顾客打开付款码重扫, 或收现金`,
  );
}
