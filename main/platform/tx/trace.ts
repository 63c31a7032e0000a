/**
 * 3505 商品销售 and 3506 商品销售退货 (reference §2.21, §2.22): input `selinfo` (built by the trace-report
 * queue), output `{retRslt, msgRslt}` — "1" accepted; a missing pair counts as accepted (IT), and some
 * gateways nest it under `result` (MOCK).
 */
import { z } from 'zod';
import { optionalText } from '../wire';

const pair = z.object({ retRslt: optionalText, msgRslt: optionalText });

export const traceOutputSchema = z
  .object({ retRslt: optionalText, msgRslt: optionalText, result: pair.nullable().optional() })
  .nullable()
  .optional()
  .transform((o) => {
    const r = o?.result ?? o ?? { retRslt: '', msgRslt: '' };
    return { accepted: r.retRslt === '' || r.retRslt === '1', message: r.msgRslt };
  });
