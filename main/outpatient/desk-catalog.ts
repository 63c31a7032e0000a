/**
 * The billing desk's price list and diagnosis list: what a hospital item code (medins_list_codg) means
 * (its national code, name, kind, price) and the ICD-10 diagnoses the desk may key (and which of them are
 * 门诊慢特病, med_type 14), and the departments and doctors the desk registers with. A JSON file (config
 * `deskCatalogFile`), validated strictly; the default (desk-catalog.default.json beside this file, matching
 * the built-in simulator's fixture: test/unit/outpatient-his.test.ts checks it) is imported into the code, so
 * bundles need no copy.
 */
import { z } from 'zod';
import { SaleError } from '../settlement/sale-error';
import { parseOrThrow, readJsonFile } from '../validation';
import bundled from './desk-catalog.default.json';

const itemSchema = z
  .strictObject({
    /** The hospital's own item code (医药机构目录编码). */
    medins_list_codg: z.string().min(1).max(150),
    /** The national code (医疗目录编码). */
    med_list_codg: z.string().min(1).max(50),
    name: z.string().min(1),
    /** drug 药品; exam 检查、检验、治疗等诊疗项目. */
    kind: z.enum(['drug', 'exam']),
    pric_fen: z.number().int().nonnegative(),
  })
  .transform(({ medins_list_codg, ...rest }) => ({ code: medins_list_codg, ...rest }));
export type DeskItem = z.output<typeof itemSchema>;

const diagnosisSchema = z.strictObject({
  code: z.string().min(1).max(20),
  name: z.string().min(1).max(100),
  /** A 门诊慢特病: may open a med_type 14 visit. */
  chronic: z.boolean().default(false),
});
export type DeskDiagnosis = z.output<typeof diagnosisSchema>;

/** A hospital names its own in the file; these let the demo register without one. */
const DEFAULT_DEPARTMENTS = [
  { code: 'A03', name: '内科', caty: 'A03' },
  { code: 'A04', name: '外科', caty: 'A04' },
  { code: 'A07', name: '儿科', caty: 'A07' },
  { code: 'A50', name: '中医科', caty: 'A50' },
];
const DEFAULT_DOCTORS = [
  { code: 'D0001', name: '李医生', dept: 'A03' },
  { code: 'D0002', name: '王医生', dept: 'A03' },
  { code: 'D0003', name: '赵医生', dept: 'A04' },
  { code: 'D0004', name: '孙医生', dept: 'A07' },
  { code: 'D0005', name: '周医生', dept: 'A50' },
];

const departmentSchema = z.strictObject({ code: z.string().min(1).max(30), name: z.string().min(1).max(100), caty: z.string().min(1).max(6) });
const doctorSchema = z.strictObject({ code: z.string().min(1).max(30), name: z.string().min(1).max(50), dept: z.string().min(1).max(30) });
export type DeskDepartment = z.output<typeof departmentSchema>;
export type DeskDoctor = z.output<typeof doctorSchema>;

const catalogSchema = z
  .strictObject({
    items: z.array(itemSchema),
    diagnoses: z.array(diagnosisSchema),
    /** The departments and doctors the desk registers with (2201 dept_code, atddr_no). */
    departments: z.array(departmentSchema).default(DEFAULT_DEPARTMENTS),
    doctors: z.array(doctorSchema).default(DEFAULT_DOCTORS),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.items.forEach((item, i) => {
      if (seen.has(item.code)) ctx.addIssue({ code: 'custom', path: ['items', i, 'medins_list_codg'], message: `duplicate code ${item.code}` });
      seen.add(item.code);
    });
  });

export class DeskCatalog {
  private readonly items: Map<string, DeskItem>;
  private readonly diagnosisByCode: Map<string, DeskDiagnosis>;

  constructor(readonly entries: { items: DeskItem[]; diagnoses: DeskDiagnosis[]; departments: DeskDepartment[]; doctors: DeskDoctor[] }) {
    this.items = new Map(entries.items.map((i) => [i.code, i]));
    this.diagnosisByCode = new Map(entries.diagnoses.map((d) => [d.code.toUpperCase(), d]));
  }

  /** The bundled default, or the file the config names. */
  static load(path: string | null): DeskCatalog {
    if (path === null) return new DeskCatalog(parseOrThrow(catalogSchema, bundled, 'deskCatalog(default)'));
    return DeskCatalog.fromFile(path);
  }

  static fromFile(path: string): DeskCatalog {
    return new DeskCatalog(parseOrThrow(catalogSchema, readJsonFile(path, '门诊收费目录文件'), `deskCatalog(${path})`));
  }

  item(code: string): DeskItem | undefined {
    return this.items.get(code);
  }

  diagnosis(code: string): DeskDiagnosis | undefined {
    return this.diagnosisByCode.get(code.toUpperCase());
  }

  /**
   * A visit's diagnoses (2203) from the keyed codes: each in this catalog, at least one, and a 门诊慢特病
   * visit's (med_type 14) main diagnosis a chronic one. The online desk and an offline visit check alike.
   */
  diagnosesFor(medType: string, codes: readonly string[]): Array<{ code: string; name: string }> {
    if (codes.length === 0) throw new SaleError('NO_DIAGNOSIS', '请至少录入一个诊断');
    const diagnoses = codes.map((code) => {
      const found = this.diagnosis(code);
      if (!found) throw new SaleError('UNKNOWN_DIAGNOSIS', `诊断编码 ${code} 不在诊断目录中`);
      return found;
    });
    if (medType === '14' && !diagnoses[0]!.chronic) {
      throw new SaleError('NOT_CHRONIC', `门诊慢特病 (14) 的主诊断应为慢特病病种: ${diagnoses[0]!.name} 不是`);
    }
    return diagnoses.map((d) => ({ code: d.code, name: d.name }));
  }

  /** Diagnoses whose code or name contains the text (case-insensitive), at most `limit`. */
  searchDiagnoses(text: string, limit = 20): DeskDiagnosis[] {
    const q = text.trim().toUpperCase();
    if (!q) return this.entries.diagnoses.slice(0, limit);
    return this.entries.diagnoses.filter((d) => d.code.toUpperCase().includes(q) || d.name.includes(text.trim())).slice(0, limit);
  }

  /** Items whose code or name contains the text, at most `limit`. */
  searchItems(text: string, limit = 20): DeskItem[] {
    const q = text.trim().toUpperCase();
    return this.entries.items.filter((i) => !q || i.code.toUpperCase().includes(q) || i.name.includes(text.trim())).slice(0, limit);
  }
}
