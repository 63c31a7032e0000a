/**
 * The HIS export (docs/outpatient.md): the fee items of one outpatient visit as the hospital information
 * system hands them to the billing desk, by file or by HTTP post. Validated whole before anything is
 * uploaded: a bad file gets ONE message naming the document, the item and the field, and changes nothing.
 * Amounts are yuan text/numbers here (at most 2 decimals, the item's amount = unit price × quantity rounded
 * half up); inside they become fen, ten-thousandths (quantity) and millionths of a yuan (price).
 */
import { z } from 'zod';
import type { Clinician } from '../platform/outpatient-domain';
import { lineAmountFen } from '../settlement/split-pack';
import { InputError } from '../validation';
import type { DeskCatalog } from './desk-catalog';
import type { FeeInput } from './fee-input';

export const HIS_FORMAT = 'his-outpatient-fees/1';
/** Far above any one visit's bill; a file beyond it is a mistake, not a visit. */
const MAX_ITEMS = 500;

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** A non-negative decimal with at most `scale` decimals, as integer units of 10^-scale. */
function decimal(scale: number, what: string) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const text = String(v);
    if (/^-/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `${what}不能为负数 (${text})` });
      return z.NEVER;
    }
    const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `${what}应为数字, 如 12.30 (${JSON.stringify(v)})` });
      return z.NEVER;
    }
    if ((m[2] ?? '').length > scale) {
      ctx.addIssue({ code: 'custom', message: `${what}最多 ${scale} 位小数 (${text})` });
      return z.NEVER;
    }
    const units = BigInt(m[1]!) * 10n ** BigInt(scale) + BigInt((m[2] ?? '').padEnd(scale, '0') || '0');
    if (units > 1_000_000_000_000n) {
      ctx.addIssue({ code: 'custom', message: `${what}过大 (${text})` });
      return z.NEVER;
    }
    return Number(units);
  });
}

const code = (max: number) => z.string().trim().min(1, '不能为空').max(max, `最长 ${max} 个字符`);
const clinician = z.strictObject({ code: code(30), name: code(50) });
const dept = z.strictObject({ code: code(30), name: code(100) });

const itemSchema = z.strictObject({
  code: code(150),
  name: code(200),
  quantity: decimal(4, '数量').refine((n) => n > 0, '数量应大于 0'),
  unitPrice: decimal(6, '单价'),
  amount: decimal(2, '金额'),
});

const documentSchema = z.strictObject({
  kind: z.enum(['prescription', 'examination']),
  /** 处方号 / 检查申请单号. */
  no: code(30),
  time: z.string().regex(DATETIME, '应为 yyyy-MM-dd HH:mm:ss'),
  dept,
  doctor: clinician,
  items: z.array(itemSchema).min(1, '至少一项'),
});

export const hisExportSchema = z.strictObject({
  format: z.literal(HIS_FORMAT, { error: `应为 "${HIS_FORMAT}"` }),
  /** Optional: what registration (2201) and diagnosis (2203) need when the desk opens the visit from this file. */
  visit: z
    .strictObject({
      iptOtpNo: code(30).optional(),
      dept: dept.extend({ caty: code(6) }).strict(),
      doctor: clinician,
      medType: z.enum(['11', '14']).default('11'),
      diagnoses: z.array(z.strictObject({ code: code(20), name: code(100) })).default([]),
    })
    .optional(),
  documents: z.array(documentSchema).min(1, '至少一张处方或检查单'),
});
export type HisExport = z.output<typeof hisExportSchema>;

export interface HisVisit {
  iptOtpNo?: string;
  dept: { code: string; name: string; caty: string };
  doctor: Clinician;
  medType: '11' | '14';
  diagnoses: Array<{ code: string; name: string }>;
}

/** Validates an export (already JSON-parsed) against the format and the catalog; throws one InputError. */
export function readHisExport(raw: unknown, catalog: DeskCatalog, source: string): { visit: HisVisit | null; items: FeeInput[] } {
  const parsed = hisExportSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${source}: ${describeIssue(parsed.error, raw)}`);
  const his = parsed.data;
  const count = his.documents.reduce((n, d) => n + d.items.length, 0);
  if (count > MAX_ITEMS) throw new InputError(`${source}: documents: 共 ${count} 项, 一次最多 ${MAX_ITEMS} 项`);
  const items: FeeInput[] = [];
  his.documents.forEach((doc, d) => {
    doc.items.forEach((item, i) => {
      const where = `${source}: ${itemLabel(d, i, raw)}`;
      const known = catalog.item(item.code);
      if (!known) throw new InputError(`${where}: code: 未知的收费项目编码 ${item.code} (不在门诊收费目录中)`);
      const expected = lineAmountFen(item.unitPrice, item.quantity);
      if (item.amount !== expected) {
        throw new InputError(`${where}: amount: ${formatFen(item.amount)} ≠ 单价 × 数量 = ${formatFen(expected)}`);
      }
      items.push({
        rxno: doc.no,
        kind: known.kind,
        name: item.name,
        code: item.code,
        medListCodg: known.med_list_codg,
        cntE4: item.quantity,
        pricMicros: item.unitPrice,
        amountFen: item.amount,
        time: doc.time,
        dept: doc.dept,
        doctor: doc.doctor,
      });
    });
  });
  for (const [i, dx] of (his.visit?.diagnoses ?? []).entries()) {
    if (!catalog.diagnosis(dx.code)) throw new InputError(`${source}: visit.diagnoses[${i}] (${dx.code}): code: 未知的诊断编码`);
  }
  return { visit: his.visit ?? null, items };
}

function formatFen(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** "documents[1] 检查单 EX0001 第 2 项 (JC000002)" from the raw input, as far as it can be read. */
function itemLabel(d: number, i: number, raw: unknown): string {
  const doc = (raw as { documents?: Array<Record<string, unknown>> })?.documents?.[d];
  const kind = doc?.kind === 'examination' ? '检查单' : doc?.kind === 'prescription' ? '处方' : '单据';
  const no = typeof doc?.no === 'string' ? ` ${doc.no}` : '';
  const item = (doc?.items as Array<Record<string, unknown>> | undefined)?.[i];
  const itemCode = typeof item?.code === 'string' ? ` (${item.code})` : '';
  return `documents[${d}] ${kind}${no} 第 ${i + 1} 项${itemCode}`;
}

/** The first problem, naming the document, the item and the field. */
function describeIssue(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0];
  if (!issue) return '格式错误';
  const path = issue.path.map(String);
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0] ?? '' : '';
  const message = issue.code === 'unrecognized_keys' ? `未知字段 ${field}` : issue.message;
  if (path[0] === 'documents' && path[2] === 'items' && path[3] !== undefined) {
    const rest = path.slice(4).join('.');
    return `${itemLabel(Number(path[1]), Number(path[3]), raw)}: ${rest || field || 'item'}: ${message}`;
  }
  if (path[0] === 'documents' && path[1] !== undefined) {
    const doc = (raw as { documents?: Array<Record<string, unknown>> })?.documents?.[Number(path[1])];
    const no = typeof doc?.no === 'string' ? ` ${doc.no}` : '';
    return `documents[${path[1]}]${no}: ${path.slice(2).join('.') || field || 'document'}: ${message}`;
  }
  return `${path.join('.') || field || 'file'}: ${message}`;
}
