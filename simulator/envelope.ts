// The request envelope (reference §1.1). Required fields must be present and non-empty; the optional
// ones (dev_no, dev_safe_info, cainfo, signtype, sign_no) may be absent, null or "". Keys the reference
// saw in provinces (serv_code, serv_sign, enc_type) and any others are ignored, as gateways do.
import { z } from 'zod';
import { admdvs, dateTime, optional, text } from './fields';

const compactStamp = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** yyyyMMddHHmmss naming a real moment (no 2025-02-30, no 24:00:00). */
export function isCompactStamp(s: string): boolean {
  const m = compactStamp.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  const t = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, se!));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo! - 1 && t.getUTCDate() === d && t.getUTCHours() === h
    && t.getUTCMinutes() === mi && t.getUTCSeconds() === se;
}

export const envelopeSchema = z.object({
  infno: z.string({ error: 'must be a string' }).regex(/^\d{4}[A-Z]?$/, 'must be a transaction code like "2102" or "3505A"'),
  msgid: z.string({ error: 'must be a string' }).max(30, 'at most 30 characters'),
  mdtrtarea_admvs: admdvs,
  // Required when the input carries psn_no (checked per transaction); "" or absent otherwise.
  insuplc_admdvs: optional(admdvs),
  recer_sys_code: text(10),
  dev_no: optional(z.string().max(100, 'at most 100 characters')),
  dev_safe_info: optional(z.string().max(2000, 'at most 2000 characters')),
  cainfo: optional(z.string().max(1024, 'at most 1024 characters')),
  signtype: optional(z.string().max(10, 'at most 10 characters')),
  infver: text(6),
  opter_type: z.enum(['1', '2', '3'], { error: 'must be "1", "2" or "3" (经办人/自助终端/移动终端)' }),
  opter: text(30),
  opter_name: text(50),
  inf_time: dateTime,
  fixmedins_code: text(30),
  fixmedins_name: text(200),
  sign_no: optional(z.string().max(30, 'at most 30 characters')),
  input: z.record(z.string(), z.unknown(), { error: 'must be a JSON object (encrypted input is not supported here)' }),
}).superRefine((env, ctx) => {
  // msgid = fixmedins_code + yyyyMMddHHmmss + 4-digit sequence (reference §1.1 #2, §1.3)
  const code = env.fixmedins_code;
  if (!env.msgid.startsWith(code)) {
    ctx.addIssue({ code: 'custom', path: ['msgid'], message: 'must start with fixmedins_code' });
    return;
  }
  const rest = env.msgid.slice(code.length);
  if (!/^\d{18}$/.test(rest)) {
    ctx.addIssue({ code: 'custom', path: ['msgid'], message: 'must be fixmedins_code + yyyyMMddHHmmss + 4 digits' });
  } else if (!isCompactStamp(rest.slice(0, 14))) {
    ctx.addIssue({ code: 'custom', path: ['msgid'], message: `time ${rest.slice(0, 14)} is not a real date and time` });
  }
});
export type Envelope = z.infer<typeof envelopeSchema>;
