// Field types of the national interface (reference §0), as zod schemas with the refusal texts the
// simulator answers. Optional fields ("—" in the reference) may be absent, null or "" (real clients
// send all three); they come out as undefined.
import { z } from 'zod';
import { isDate, isDateTime } from './time';

/** First problem of a failed parse as "input.druginfo.psn_no: required". */
export function describeIssue(error: z.ZodError, prefix: string, root: unknown): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix || 'request'}: invalid`;
  const path = [...(prefix ? [prefix] : []), ...issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : String(k)))]
    .join('.').replace(/\.\[/g, '[');
  const missing = valueAt(root, issue.path) === undefined || valueAt(root, issue.path) === null;
  const rule = issue.code === 'invalid_type' && missing ? 'required' : issue.message;
  return `${path || 'request'}: ${rule}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** C(n), required: a non-empty string of at most n characters. */
export function text(max: number) {
  return z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(max, `at most ${max} characters`);
}

/** Absent, null and "" all mean "not given". */
export function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === null || v === '' ? undefined : v), schema.optional());
}

/** A code from a code table (reference §3). */
export function code(values: readonly string[], name: string) {
  return z.string({ error: 'must be a string' }).refine((v) => values.includes(v), `must be one of the ${name} codes ${values.join('/')}`);
}

export const dateTime = z.string({ error: 'must be a string' }).refine(isDateTime, 'must be yyyy-MM-dd HH:mm:ss');
export const date = z.string({ error: 'must be a string' }).refine(isDate, 'must be yyyy-MM-dd');
export const admdvs = z.string({ error: 'must be a string' }).regex(/^\d{6}$/, 'must be a 6-digit region code');
export const flag01 = code(['0', '1'], '0/1 flag');

// Code tables (reference §3).
export const MDTRT_CERT_TYPES = ['01', '02', '03'] as const;
export const INSUTYPES = ['310', '320', '330', '340', '350', '360', '370', '380', '390', '391', '392', '399', '410'] as const;
export const MED_TYPES_PHARMACY = ['41', '14'] as const; // 定点药店购药, 门诊慢特病 (needs dise_codg)
export const PSN_CERT_TYPES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '90', '99'] as const;
export const CLR_TYPES = ['11', '21', '41', '99'] as const;
export const RX_FLAGS = ['0', '1', '2'] as const;
