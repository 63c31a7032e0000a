// The fixture: regions with policies, persons, mutual-aid bindings, the drug catalog and, for hospital
// outpatient desks, the service-item and diagnosis catalogs.
// Validated with zod on load, then cross-checked (references, relations, ID numbers).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { idBirthDate, idGender, idProblem } from './idcard';
import { isDate } from './time';

/** Near relatives allowed for family mutual aid (since 2024-07). */
export const NEAR_RELATIVES = ['配偶', '父母', '子女', '兄弟姐妹', '祖父母', '外祖父母', '孙子女', '外孙子女'] as const;

const admdvs = z.string().regex(/^\d{6}$/, 'must be a 6-digit region code');
const fen = z.number().int('must be an integer (fen)').nonnegative('must not be negative');
const date = z.string().refine(isDate, 'must be a date yyyy-MM-dd');

const bp = z.number().int().min(0).max(10000);
const fundSchema = z.object({ deductible: fen, ratio_bp: bp, annual_cap: fen });

// Outpatient (门诊, 2206/2207) policy of a region: its own fund rules for ordinary visits and for
// 门诊慢特病 (med_type 14 with a chronic/special diagnosis), and the default 乙类 self-pay share.
const outpatientSchema = z.object({
  class_b_preself_bp: bp,
  fund: z.object({ '310': fundSchema, '390': fundSchema }),
  chronic: z.object({ '310': fundSchema, '390': fundSchema }),
});

export const regionSchema = z.object({
  admdvs,
  name: z.string().min(1),
  payment_order: z
    .array(z.enum(['own_acct', 'mulaid', 'wallet']))
    .length(3)
    .refine((a) => new Set(a).size === 3, 'must be a permutation of own_acct, mulaid, wallet'),
  wallet_enabled: z.boolean(),
  acct_pays_class_c: z.boolean(),
  class_b_preself_bp: z.number().int().min(0).max(10000),
  fund: z.object({ '310': fundSchema, '390': fundSchema }),
  // Rates of the supplementary funds; they pay only for persons enrolled (person.supplementary).
  supplementary: z.object({
    hifob_bp: bp.optional(), cvlserv_bp: bp.optional(), maf_bp: bp.optional(),
    hifmi: z.object({ threshold: fen, ratio_bp: bp }).optional(),
  }).optional(),
  // Absent: the region's patients cannot settle at a hospital outpatient desk.
  outpatient: outpatientSchema.optional(),
});

export const SUPPLEMENTARY = ['hifob', 'cvlserv', 'hifmi', 'maf'] as const;

const personSchema = z.object({
  psn_no: z.string().regex(/^[0-9A-Za-z]{6,30}$/, 'must be 6-30 letters or digits'),
  label: z.string().min(1).optional(),
  certno: z.string().refine((s) => idProblem(s) === null, { error: (iss) => `invalid ID number: ${idProblem(String(iss.input))}` }),
  psn_name: z.string().min(1),
  gend: z.enum(['1', '2']),
  brdy: date,
  insutype: z.enum(['310', '390']),
  psn_type: z.string().min(1),
  psn_insu_stas: z.enum(['1', '2', '4']),
  psn_insu_date: date,
  insuplc_admdvs: admdvs,
  emp_name: z.string(),
  acct_balc: fen,
  wallet: z.object({ open: z.boolean(), balance: fen }),
  cards: z.array(z.object({
    card_no: z.string().regex(/^[0-9A-Z]{6,20}$/, 'must be 6-20 uppercase letters or digits'),
    card_sn: z.string().regex(/^[0-9A-Z]{8,32}$/, 'must be 8-32 uppercase letters or digits'),
  })),
  filings: z.array(z.object({ mdtrtarea_admvs: admdvs, begndate: date, enddate: date })),
  // Supplementary funds the person is enrolled in (大额 hifob, 公务员补助 cvlserv, 大病 hifmi, 救助 maf).
  supplementary: z.array(z.enum(['hifob', 'cvlserv', 'hifmi', 'maf'])).optional(),
});

const bindingSchema = z.object({ giver: z.string(), receiver: z.string(), relation: z.string() });

const drugSchema = z.object({
  med_list_codg: z.string().regex(/^[A-Z][A-Z0-9]{9,29}$/, 'must be a national code like XA01ABD075A002010100483'),
  name: z.string().min(1),
  spec: z.string().optional(),
  chrgitm_lv: z.enum(['01', '02', '03']),
  trace_prefix: z.string().regex(/^\d{7}$/, 'must be 7 digits').optional(),
});

/** Medical service items (医疗服务项目, 医用耗材) a hospital bills by 2204; drugs come from `drugs`. */
const itemSchema = z.object({
  med_list_codg: z.string().regex(/^[0-9A-Z]{9,50}$/, 'must be a national item code like 002202010010000'),
  name: z.string().min(1),
  med_chrgitm_type: z.enum(['01', '02', '03', '04', '05', '06', '07', '08', '10', '12', '13', '14']),
  chrgitm_lv: z.enum(['01', '02', '03']),
  // 乙类 self-pay share; absent: the insured region's outpatient class_b_preself_bp.
  selfpay_prop_bp: bp.optional(),
  // Price ceiling per unit (fen); absent: none (answered as 999999, as the reference sample shows).
  pric_uplmt_fen: fen.optional(),
});

/** ICD-10 (医保版) diagnoses; chronic and special ones open 门诊慢特病 (med_type 14). */
const diagnosisSchema = z.object({
  code: z.string().regex(/^[A-Z][0-9A-Za-z.+*]{2,19}$/, 'must be an ICD-10 code like I10.x00'),
  name: z.string().min(1),
  kind: z.enum(['ordinary', 'chronic', 'special']),
});

export const fixtureSchema = z.object({
  version: z.literal(1),
  regions: z.array(regionSchema).min(1),
  persons: z.array(personSchema),
  bindings: z.array(bindingSchema),
  drugs: z.array(drugSchema),
  // District (区县) codes -> the pooled region (统筹区) they belong to: a counter at 330106 is in 330100.
  districts: z.record(admdvs, admdvs).optional(),
  // A sale above this is refused as absurd (fen).
  limits: z.object({ max_medfee_per_sale: fen.positive('must be positive') }).optional(),
  items: z.array(itemSchema).optional(),
  diagnoses: z.array(diagnosisSchema).optional(),
});

export type Region = z.infer<typeof regionSchema>;
export type Person = z.infer<typeof personSchema>;
export type Binding = z.infer<typeof bindingSchema>;
export type Drug = z.infer<typeof drugSchema>;
export type Item = z.infer<typeof itemSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type OutpatientPolicy = z.infer<typeof outpatientSchema>;
export type Fixture = z.infer<typeof fixtureSchema>;

export class FixtureError extends Error {}

/** "persons[3].certno" from a zod path. */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/** Validate fixture data; throws FixtureError with "fixture <field>: <problem>". */
export function validateFixture(data: unknown): Fixture {
  const parsed = fixtureSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FixtureError(`fixture ${pathText(issue?.path ?? []) || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  crossCheck(parsed.data);
  return parsed.data;
}

function fail(field: string, problem: string): never {
  throw new FixtureError(`fixture ${field}: ${problem}`);
}

function checkUnique<T>(items: T[], key: (t: T) => string | undefined, field: (i: number) => string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    if (seen.has(k)) fail(field(i), `duplicate ${k}`);
    seen.add(k);
  });
}

function crossCheck(f: Fixture): void {
  checkUnique(f.regions, (r) => r.admdvs, (i) => `regions[${i}].admdvs`);
  checkUnique(f.persons, (p) => p.psn_no, (i) => `persons[${i}].psn_no`);
  checkUnique(f.persons, (p) => p.certno, (i) => `persons[${i}].certno`);
  checkUnique(f.persons, (p) => p.label, (i) => `persons[${i}].label`);
  checkUnique(f.persons.flatMap((p) => p.cards), (c) => c.card_no, () => 'persons.cards.card_no');
  checkUnique(f.drugs, (d) => d.med_list_codg, (i) => `drugs[${i}].med_list_codg`);
  const drugCodes = new Set(f.drugs.map((d) => d.med_list_codg));
  checkUnique(f.items ?? [], (t) => t.med_list_codg, (i) => `items[${i}].med_list_codg`);
  (f.items ?? []).forEach((t, i) => {
    if (drugCodes.has(t.med_list_codg)) fail(`items[${i}].med_list_codg`, `${t.med_list_codg} is already a drug`);
  });
  checkUnique(f.diagnoses ?? [], (d) => d.code, (i) => `diagnoses[${i}].code`);
  const regions = new Set(f.regions.map((r) => r.admdvs));
  f.persons.forEach((p, i) => checkPerson(p, `persons[${i}]`, regions));
  for (const [district, pool] of Object.entries(f.districts ?? {})) {
    if (!regions.has(pool)) fail(`districts.${district}`, `pooled region ${pool} is not in regions`);
  }
  const byNo = new Map(f.persons.map((p) => [p.psn_no, p]));
  checkUnique(f.bindings, (b) => `${b.giver}->${b.receiver}`, (i) => `bindings[${i}]`);
  f.bindings.forEach((b, i) => checkBinding(b, `bindings[${i}]`, byNo));
}

function checkPerson(p: Person, at: string, regions: Set<string>): void {
  if (idBirthDate(p.certno) !== p.brdy) fail(`${at}.brdy`, `must match the ID number (${idBirthDate(p.certno)})`);
  if (idGender(p.certno) !== p.gend) fail(`${at}.gend`, `must match the ID number (${idGender(p.certno)})`);
  if (!regions.has(p.insuplc_admdvs)) fail(`${at}.insuplc_admdvs`, `region ${p.insuplc_admdvs} is not in regions`);
  // Only employee insurance has a personal account.
  if (p.insutype === '390' && p.acct_balc !== 0) fail(`${at}.acct_balc`, 'a resident (390) has no personal account; must be 0');
  if (!p.wallet.open && p.wallet.balance !== 0) fail(`${at}.wallet.balance`, 'a closed wallet must have balance 0');
}

function checkBinding(b: Binding, at: string, byNo: Map<string, Person>): void {
  const giver = byNo.get(b.giver);
  const receiver = byNo.get(b.receiver);
  if (!giver) fail(`${at}.giver`, `unknown psn_no ${b.giver}`);
  if (!receiver) fail(`${at}.receiver`, `unknown psn_no ${b.receiver}`);
  if (b.giver === b.receiver) fail(`${at}.receiver`, 'a person cannot aid himself');
  if (!(NEAR_RELATIVES as readonly string[]).includes(b.relation)) {
    fail(`${at}.relation`, `"${b.relation}" is not a near relative (${NEAR_RELATIVES.join(', ')})`);
  }
  if (giver.insutype !== '310') fail(`${at}.giver`, 'the giver must be an employee (310) with a personal account');
}

/** Read and validate a fixture file. */
export function loadFixtureFile(file: string): Fixture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FixtureError(`fixture file ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FixtureError(`fixture file ${file}: not JSON (${(e as Error).message})`);
  }
  return validateFixture(data);
}
