// Generates the simulator's default fixture and the terminal's own copies of the data
// (main/config/catalog.default.json, main/config/regions.default.json). The billing desk keeps its own
// catalog (main/outpatient/desk-catalog.default.json), checked against this fixture by its own test. Deterministic:
// the same seed always writes the same bytes. Run: npx tsx scripts/gen-fixture.ts [--seed N]
// This script belongs to the simulator side; it imports nothing from main/.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { idCheckChar } from '../simulator/idcard';
import { prng } from '../simulator/faults';
import { validateFixture, type Diagnosis, type Fixture, type Item, type Person, type Region, type Drug } from '../simulator/fixture';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const REGIONS: Region[] = [
  {
    admdvs: '330100', name: '杭州市', payment_order: ['own_acct', 'mulaid', 'wallet'], wallet_enabled: true,
    acct_pays_class_c: true, class_b_preself_bp: 1000,
    fund: { '310': { deductible: 0, ratio_bp: 5000, annual_cap: 5_000_000 }, '390': { deductible: 0, ratio_bp: 4000, annual_cap: 2_000_000 } },
    // Only persons enrolled in a supplementary fund (person.supplementary) get these.
    supplementary: { hifob_bp: 8000, cvlserv_bp: 5000, hifmi: { threshold: 1_500_000, ratio_bp: 6000 }, maf_bp: 5000 },
    outpatient: {
      class_b_preself_bp: 1000,
      fund: { '310': { deductible: 10_000, ratio_bp: 6000, annual_cap: 2_000_000 }, '390': { deductible: 5_000, ratio_bp: 5000, annual_cap: 500_000 } },
      chronic: { '310': { deductible: 0, ratio_bp: 8500, annual_cap: 3_000_000 }, '390': { deductible: 0, ratio_bp: 7000, annual_cap: 1_000_000 } },
    },
  },
  {
    admdvs: '440100', name: '广州市', payment_order: ['mulaid', 'own_acct', 'wallet'], wallet_enabled: true,
    acct_pays_class_c: false, class_b_preself_bp: 500,
    fund: { '310': { deductible: 20_000, ratio_bp: 6000, annual_cap: 4_000_000 }, '390': { deductible: 30_000, ratio_bp: 5000, annual_cap: 1_500_000 } },
    outpatient: {
      class_b_preself_bp: 500,
      fund: { '310': { deductible: 0, ratio_bp: 7000, annual_cap: 1_000_000 }, '390': { deductible: 0, ratio_bp: 5500, annual_cap: 300_000 } },
      chronic: { '310': { deductible: 0, ratio_bp: 9000, annual_cap: 2_000_000 }, '390': { deductible: 0, ratio_bp: 7500, annual_cap: 800_000 } },
    },
  },
  {
    admdvs: '510100', name: '成都市', payment_order: ['own_acct', 'mulaid', 'wallet'], wallet_enabled: false,
    acct_pays_class_c: true, class_b_preself_bp: 1500,
    fund: { '310': { deductible: 10_000, ratio_bp: 5500, annual_cap: 3_000_000 }, '390': { deductible: 20_000, ratio_bp: 4500, annual_cap: 1_000_000 } },
    outpatient: {
      class_b_preself_bp: 1500,
      fund: { '310': { deductible: 20_000, ratio_bp: 5000, annual_cap: 800_000 }, '390': { deductible: 10_000, ratio_bp: 5000, annual_cap: 400_000 } },
      chronic: { '310': { deductible: 0, ratio_bp: 8000, annual_cap: 1_500_000 }, '390': { deductible: 0, ratio_bp: 6500, annual_cap: 600_000 } },
    },
  },
];

/**
 * Outpatient service items a hospital bills by 2204 (医疗服务项目 and one 医用耗材), with 甲乙丙 class,
 * the 乙类 self-pay share when it is the item's own, and a per-unit price ceiling (fen).
 */
export const ITEMS: Item[] = [
  { med_list_codg: '001102000010000', name: '普通门诊诊查费', med_chrgitm_type: '02', chrgitm_lv: '01', pric_uplmt_fen: 1_000 },
  { med_list_codg: '001102000020000', name: '副主任医师门诊诊查费', med_chrgitm_type: '02', chrgitm_lv: '01', pric_uplmt_fen: 2_500 },
  { med_list_codg: '002202010010000', name: '血细胞分析(血常规)', med_chrgitm_type: '04', chrgitm_lv: '01', pric_uplmt_fen: 2_000 },
  { med_list_codg: '002501010010000', name: '尿液分析', med_chrgitm_type: '04', chrgitm_lv: '01', pric_uplmt_fen: 1_500 },
  { med_list_codg: '002201010050000', name: '糖化血红蛋白测定', med_chrgitm_type: '04', chrgitm_lv: '02', pric_uplmt_fen: 6_000 },
  { med_list_codg: '002101010010000', name: '常规心电图检查(十二导)', med_chrgitm_type: '03', chrgitm_lv: '01', pric_uplmt_fen: 2_500 },
  { med_list_codg: '002103010010000', name: '胸部X线摄影(DR)', med_chrgitm_type: '03', chrgitm_lv: '02', pric_uplmt_fen: 8_000 },
  { med_list_codg: '002104020010000', name: '上腹部彩色超声检查', med_chrgitm_type: '03', chrgitm_lv: '02', pric_uplmt_fen: 12_000 },
  { med_list_codg: '002103030100000', name: '颅脑CT平扫', med_chrgitm_type: '03', chrgitm_lv: '02', selfpay_prop_bp: 2000, pric_uplmt_fen: 20_000 },
  { med_list_codg: '002105010010000', name: '头颅磁共振平扫(MRI)', med_chrgitm_type: '03', chrgitm_lv: '02', selfpay_prop_bp: 3000, pric_uplmt_fen: 50_000 },
  { med_list_codg: '003103000010000', name: '静脉注射', med_chrgitm_type: '05', chrgitm_lv: '01', pric_uplmt_fen: 500 },
  { med_list_codg: '003103000040000', name: '静脉输液', med_chrgitm_type: '05', chrgitm_lv: '01', pric_uplmt_fen: 1_000 },
  { med_list_codg: '003101000020000', name: '雾化吸入', med_chrgitm_type: '05', chrgitm_lv: '01', pric_uplmt_fen: 800 },
  { med_list_codg: '003107000010000', name: '普通针刺', med_chrgitm_type: '05', chrgitm_lv: '02', pric_uplmt_fen: 3_000 },
  { med_list_codg: '003311000010000', name: '门诊伤口换药', med_chrgitm_type: '05', chrgitm_lv: '01', pric_uplmt_fen: 1_500 },
  { med_list_codg: 'C14010100100100000', name: '一次性使用输液器', med_chrgitm_type: '08', chrgitm_lv: '02', pric_uplmt_fen: 500 },
  { med_list_codg: '003000000990000', name: '健康体检(非医保)', med_chrgitm_type: '14', chrgitm_lv: '03' },
  { med_list_codg: '003310000020000', name: '激光美容治疗', med_chrgitm_type: '06', chrgitm_lv: '03' },
];

/** A small ICD-10 (医保版) catalog; chronic and special diagnoses open 门诊慢特病 (med_type 14). */
export const DIAGNOSES: Diagnosis[] = [
  { code: 'I10.x00', name: '原发性高血压', kind: 'chronic' },
  { code: 'E11.900', name: '2型糖尿病', kind: 'chronic' },
  { code: 'J44.900', name: '慢性阻塞性肺疾病', kind: 'chronic' },
  { code: 'I25.103', name: '冠状动脉粥样硬化性心脏病', kind: 'chronic' },
  { code: 'N18.500', name: '慢性肾脏病5期', kind: 'special' },
  { code: 'C34.900', name: '肺恶性肿瘤', kind: 'special' },
  { code: 'F20.900', name: '精神分裂症', kind: 'special' },
  { code: 'J06.900', name: '急性上呼吸道感染', kind: 'ordinary' },
  { code: 'J02.900', name: '急性咽炎', kind: 'ordinary' },
  { code: 'J18.900', name: '肺炎', kind: 'ordinary' },
  { code: 'K29.700', name: '胃炎', kind: 'ordinary' },
  { code: 'A09.900', name: '胃肠炎', kind: 'ordinary' },
  { code: 'M54.500', name: '下背痛', kind: 'ordinary' },
  { code: 'R51.x00', name: '头痛', kind: 'ordinary' },
  { code: 'S61.000', name: '手指开放性伤口', kind: 'ordinary' },
  { code: 'Z00.000', name: '一般医学检查', kind: 'ordinary' },
];

const DISTRICTS: Record<string, string[]> = {
  '330100': ['330102', '330105', '330106', '330108'],
  '440100': ['440103', '440104', '440106', '440111'],
  '510100': ['510104', '510105', '510106', '510107'],
};
const EMPLOYERS: Record<string, string[]> = {
  '330100': ['杭州西湖电子有限公司', '浙江钱塘建设集团', '杭州市第一人民医院', '杭州滨江科技有限公司'],
  '440100': ['广州珠江物流有限公司', '广东南粤银行广州分行', '广州天河软件园管理公司', '广州市越秀区教育局'],
  '510100': ['成都锦江酒店管理有限公司', '四川天府电力公司', '成都高新区管委会', '成都市武侯区人民医院'],
};
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘'.split('');
const GIVEN_M = '伟强磊军勇杰涛明超辉刚健国峰建华平志宇浩'.split('');
const GIVEN_F = '芳娜敏静丽艳娟霞燕玲秀英慧洁婷雪琳颖萍红'.split('');

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function makeId(district: string, brdy: string, gend: '1' | '2', seq: number): string {
  // 3-digit order code: odd for men, even for women.
  const order = (seq % 500) * 2 + (gend === '1' ? 1 : 0);
  const first17 = `${district}${brdy.replace(/-/g, '')}${pad(order, 3)}`;
  return first17 + idCheckChar(first17);
}

interface PersonSpec {
  label?: string; name?: string; gend: '1' | '2'; brdy: string; insutype: '310' | '390'; retired?: boolean;
  stas?: '1' | '2' | '4'; region: string; acct: number; wallet?: number | null; filings?: string[];
  supplementary?: NonNullable<Person['supplementary']>;
}

class PersonFactory {
  readonly persons: Person[] = [];
  constructor(private readonly r: Rand, private seq = 0) {}

  add(s: PersonSpec): Person {
    this.seq += 1;
    const r = this.r;
    const district = pick(r, DISTRICTS[s.region] ?? [s.region]);
    const certno = makeId(district, s.brdy, s.gend, this.seq);
    const name = s.name ?? pick(r, SURNAMES) + pick(r, s.gend === '1' ? GIVEN_M : GIVEN_F) + (r() < 0.5 ? pick(r, s.gend === '1' ? GIVEN_M : GIVEN_F) : '');
    const insuYear = Math.max(Number(s.brdy.slice(0, 4)) + 20, 1998);
    const p: Person = {
      psn_no: `${s.region}${pad(this.seq, 14)}`,
      ...(s.label ? { label: s.label } : {}),
      certno, psn_name: name, gend: s.gend, brdy: s.brdy, insutype: s.insutype,
      psn_type: s.insutype === '390' ? '1501' : s.retired ? '1102' : '1101',
      psn_insu_stas: s.stas ?? '1',
      psn_insu_date: `${Math.min(insuYear, 2024)}-${pad(int(r, 1, 12), 2)}-01`,
      insuplc_admdvs: s.region,
      emp_name: s.insutype === '310' ? pick(r, EMPLOYERS[s.region] ?? ['']) : '',
      acct_balc: s.insutype === '310' ? s.acct : 0,
      wallet: s.wallet === undefined || s.wallet === null ? { open: false, balance: 0 } : { open: true, balance: s.wallet },
      cards: [{
        card_no: `${String.fromCharCode(65 + (this.seq % 26))}${pad(int(r, 10_000_000, 99_999_999), 8)}`,
        card_sn: `${s.region}D156000005${pad(this.seq, 4)}${Array.from({ length: 12 }, () => '0123456789ABCDEF'[int(r, 0, 15)]).join('')}`,
      }],
      filings: (s.filings ?? []).map((a) => ({ mdtrtarea_admvs: a, begndate: '2024-01-01', enddate: '2035-12-31' })),
      ...(s.supplementary ? { supplementary: s.supplementary } : {}),
    };
    this.persons.push(p);
    return p;
  }
}

function randomBirth(r: Rand, fromYear: number, toYear: number): string {
  return `${int(r, fromYear, toYear)}-${pad(int(r, 1, 12), 2)}-${pad(int(r, 1, 28), 2)}`;
}

function buildPersons(r: Rand): { persons: Person[]; bindings: Fixture['bindings'] } {
  const f = new PersonFactory(r);
  const bindings: Fixture['bindings'] = [];
  const bind = (giver: Person, receiver: Person, relation: string) => bindings.push({ giver: giver.psn_no, receiver: receiver.psn_no, relation });

  // Named personas, used by label in tests and demos.
  f.add({ label: 'employee', name: '王建国', gend: '1', brdy: '1982-05-14', insutype: '310', region: '330100', acct: 200_000 });
  const retiree = f.add({ label: 'retiree', name: '李秀英', gend: '2', brdy: '1952-03-08', insutype: '310', retired: true, region: '330100', acct: 3_000 });
  const daughter = f.add({ label: 'daughter', name: '张丽', gend: '2', brdy: '1979-11-23', insutype: '310', region: '330100', acct: 150_000 });
  bind(daughter, retiree, '子女'); // relation = what the giver is to the receiver
  f.add({ label: 'resident', name: '陈小明', gend: '1', brdy: '1995-07-02', insutype: '390', region: '330100', acct: 0, wallet: 20_000 });
  f.add({ label: 'cross_province', name: '刘志强', gend: '1', brdy: '1975-09-30', insutype: '310', region: '510100', acct: 80_000, wallet: 30_000, filings: ['330100'] });
  const gzReceiver = f.add({ label: 'gz_family_receiver', name: '黄美玲', gend: '2', brdy: '1986-02-17', insutype: '390', region: '440100', acct: 0, wallet: 5_000 });
  const gzGiver = f.add({ label: 'gz_family_giver', name: '梁伟', gend: '1', brdy: '1984-12-01', insutype: '310', region: '440100', acct: 120_000 });
  bind(gzGiver, gzReceiver, '配偶');
  f.add({ label: 'suspended', name: '赵勇', gend: '1', brdy: '1970-04-19', insutype: '310', stas: '2', region: '330100', acct: 50_000 });
  f.add({ label: 'no_filing', name: '郑敏', gend: '2', brdy: '1990-08-25', insutype: '310', region: '440100', acct: 50_000 });
  f.add({ label: 'terminated', name: '孙平', gend: '1', brdy: '1965-01-11', insutype: '310', stas: '4', region: '330100', acct: 0 });

  // Generated families: a couple, a retired parent and a child, in one region; some parents
  // live in another province (bindings across provinces).
  const regions = ['330100', '440100', '510100'];
  for (let i = 0; i < 12; i++) {
    const region = regions[i % 3] as string;
    const parentRegion = i % 4 === 0 ? (regions[(i + 1) % 3] as string) : region;
    const husband = f.add({ gend: '1', brdy: randomBirth(r, 1970, 1990), insutype: '310', region, acct: int(r, 0, 400) * 500, wallet: r() < 0.5 ? int(r, 0, 100) * 300 : null });
    const wife = f.add({ gend: '2', brdy: randomBirth(r, 1972, 1992), insutype: r() < 0.6 ? '310' : '390', region, acct: int(r, 0, 300) * 500, wallet: r() < 0.5 ? int(r, 0, 100) * 300 : null });
    const child = f.add({ gend: r() < 0.5 ? '1' : '2', brdy: randomBirth(r, 2008, 2020), insutype: '390', region, acct: 0, wallet: r() < 0.3 ? int(r, 0, 50) * 200 : null });
    const parent = f.add({ gend: r() < 0.5 ? '1' : '2', brdy: randomBirth(r, 1940, 1958), insutype: '310', retired: true, region: parentRegion, acct: int(r, 0, 100) * 100 });
    bind(husband, wife, '配偶');
    bind(husband, child, '父母');
    if (wife.insutype === '310') bind(wife, child, '父母');
    bind(husband, parent, '子女');
  }
  // Singles: employees, retirees and residents without bindings.
  for (let i = 0; i < 8; i++) {
    const region = regions[i % 3] as string;
    const resident = i % 3 === 2;
    f.add({
      gend: i % 2 ? '2' : '1', brdy: randomBirth(r, 1945, 2000), insutype: resident ? '390' : '310',
      retired: i % 4 === 1, region, acct: resident ? 0 : int(r, 0, 500) * 500,
      wallet: r() < 0.5 ? int(r, 0, 100) * 500 : null, filings: i === 4 ? ['330100'] : [],
    });
  }
  return { persons: f.persons, bindings };
}

// Generic names with their ATC class (first 5 characters of the national code after "X").
const GENERICS: [string, string][] = [
  ['阿莫西林', 'J01CA'], ['头孢克肟', 'J01DD'], ['头孢呋辛酯', 'J01DC'], ['阿奇霉素', 'J01FA'], ['左氧氟沙星', 'J01MA'],
  ['布洛芬', 'M01AE'], ['对乙酰氨基酚', 'N02BE'], ['双氯芬酸钠', 'M01AB'], ['塞来昔布', 'M01AH'], ['氨氯地平', 'C08CA'],
  ['硝苯地平', 'C08CA'], ['缬沙坦', 'C09CA'], ['厄贝沙坦', 'C09CA'], ['美托洛尔', 'C07AB'], ['阿托伐他汀钙', 'C10AA'],
  ['瑞舒伐他汀钙', 'C10AA'], ['二甲双胍', 'A10BA'], ['格列美脲', 'A10BB'], ['阿卡波糖', 'A10BF'], ['奥美拉唑', 'A02BC'],
  ['雷贝拉唑钠', 'A02BC'], ['铝碳酸镁', 'A02AD'], ['蒙脱石', 'A07BC'], ['氯雷他定', 'R06AX'], ['西替利嗪', 'R06AE'],
  ['孟鲁司特钠', 'R03DC'], ['氨溴索', 'R05CB'], ['右美沙芬', 'R05DA'], ['阿司匹林', 'B01AC'], ['氯吡格雷', 'B01AC'],
  ['甲钴胺', 'B03BA'], ['叶酸', 'B03BB'], ['碳酸钙D3', 'A12AX'], ['维生素C', 'A11GA'], ['复合维生素B', 'A11EA'],
  ['莫匹罗星', 'D06AX'], ['糠酸莫米松', 'D07AC'], ['红霉素', 'D10AF'], ['左甲状腺素钠', 'H03AA'], ['坦索罗辛', 'G04CA'],
];
const FORMS: { form: string; spec: (r: Rand) => string }[] = [
  { form: '片', spec: (r) => `${pick(r, ['0.1g', '0.25g', '0.5g', '10mg', '20mg', '5mg'])}*${pick(r, [12, 24, 30, 36, 48])}片` },
  { form: '胶囊', spec: (r) => `${pick(r, ['0.25g', '0.15g', '20mg', '0.3g'])}*${pick(r, [10, 20, 24, 30])}粒` },
  { form: '缓释片', spec: (r) => `${pick(r, ['0.3g', '30mg', '47.5mg', '0.5g'])}*${pick(r, [7, 14, 28])}片` },
  { form: '颗粒', spec: (r) => `${pick(r, ['3g', '5g', '10g'])}*${pick(r, [6, 9, 12])}袋` },
  { form: '口服溶液', spec: (r) => `${pick(r, ['100ml', '120ml', '60ml'])}*1瓶` },
  { form: '软膏', spec: (r) => `${pick(r, ['10g', '15g', '5g'])}*1支` },
];
const CLASS_C: [string, string][] = [
  ['维生素E软胶囊', 'A11HA'], ['鱼油软胶囊', 'C10AX'], ['葡萄糖酸锌口服溶液', 'A12CB'], ['褪黑素片', 'N05CH'],
  ['氨基葡萄糖硫酸盐胶囊', 'M01AX'], ['复方甘草口服溶液', 'R05FA'], ['乳酸菌素片', 'A07FA'], ['多维元素片', 'A11AA'],
];

export interface CatalogItem {
  barcode: string; name: string; spec: string; pric_fen: number; med_list_codg: string; medins_list_codg: string;
  chrgitm_lv: '01' | '02' | '03'; trace_prefix: string;
  /** Batch data for 3505 and the 拆零 flag; derived from n (no draw), so the other fields keep their bytes. */
  manu_lotnum: string; manu_date: string; expy_end: string; trdn: boolean;
}

/** A drug sold in pieces (片, 粒, 袋) may be sold split (拆零): part of a box, the box's trace code reused. */
const SPLITTABLE = /(^|\*)\d+(片|粒|袋)$/;

function batchOf(n: number, spec: string) {
  const month = pad(1 + (n % 12), 2);
  const day = pad(1 + (n % 28), 2);
  return { manu_lotnum: `B2025${month}${pad(n, 4)}`, manu_date: `2025-${month}-${day}`, expy_end: `2028-${month}-${day}`, trdn: SPLITTABLE.test(spec) };
}

function ean13(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return first12 + String((10 - (sum % 10)) % 10);
}

function buildDrugs(r: Rand): { drugs: Drug[]; catalog: CatalogItem[] } {
  const drugs: Drug[] = [];
  const catalog: CatalogItem[] = [];
  const add = (name: string, atc: string, spec: string, lv: '01' | '02' | '03') => {
    const n = drugs.length + 1;
    const code = `X${atc}D${pad(int(r, 1, 999), 3)}A${pad(int(r, 1, 999), 3)}${pad(n, 4)}${pad(int(r, 0, 99999), 5)}`;
    const trace = `8${pad(int(r, 0, 99), 2)}${pad(n, 4)}`; // unique per drug by n
    drugs.push({ med_list_codg: code, name, spec, chrgitm_lv: lv, trace_prefix: trace });
    catalog.push({
      barcode: ean13(`69${pad(int(r, 0, 9999), 4)}${pad(n, 6)}`), name, spec,
      pric_fen: int(r, 25, 3000) * 10, med_list_codg: code, medins_list_codg: `YP${pad(n, 6)}`, chrgitm_lv: lv, trace_prefix: trace,
      ...batchOf(n, spec),
    });
  };
  for (const [generic, atc] of GENERICS) {
    for (let k = 0; k < 5; k++) {
      const form = FORMS[(k + generic.length) % FORMS.length] as (typeof FORMS)[number];
      const lv: '01' | '02' = r() < 0.5 ? '01' : '02';
      add(`${generic}${form.form}`, atc, form.spec(r), lv);
    }
  }
  for (const [name, atc] of CLASS_C) {
    for (let k = 0; k < 3; k++) add(name, atc, pick(r, ['30粒', '60粒', '100ml', '24片', '90片']), '03');
  }
  return { drugs, catalog };
}

/**
 * Personas added for issue 8 (several funds, mutual aid across provinces). Drawn from their own PRNG
 * after everything else, so the older persons, drugs and the terminal's catalog keep their bytes.
 */
function buildIssue8Personas(r: Rand, after: number): { persons: Person[]; bindings: Fixture['bindings'] } {
  const f = new PersonFactory(r, after);
  f.add({ label: 'civil_servant', name: '周文斌', gend: '1', brdy: '1978-06-12', insutype: '310', region: '330100', acct: 100_000, supplementary: ['hifob', 'cvlserv'] });
  f.add({ label: 'serious_illness', name: '吴桂芳', gend: '2', brdy: '1960-10-03', insutype: '390', region: '330100', acct: 0, supplementary: ['hifmi', 'maf'] });
  const parent = f.add({ label: 'xp_parent', name: '冯秀兰', gend: '2', brdy: '1950-02-14', insutype: '310', retired: true, region: '330100', acct: 0, wallet: 0 });
  const son = f.add({ label: 'xp_son', name: '冯志刚', gend: '1', brdy: '1976-08-09', insutype: '310', region: '440100', acct: 300_000 });
  return { persons: f.persons, bindings: [{ giver: son.psn_no, receiver: parent.psn_no, relation: '子女' }] };
}

/** District (区县) codes of the fixture's cities, for counters below the pooled region. */
function districtTable(): Record<string, string> {
  return Object.fromEntries(Object.entries(DISTRICTS).flatMap(([pool, codes]) => codes.map((c) => [c, pool])));
}

export function generate(seed = 20240701): { fixture: Fixture; catalog: CatalogItem[]; regions: Region[] } {
  const r = prng(seed);
  const { persons, bindings } = buildPersons(r);
  const { drugs, catalog } = buildDrugs(r);
  const extra = buildIssue8Personas(prng(seed + 8), persons.length);
  const fixture = validateFixture({
    version: 1, regions: REGIONS, persons: [...persons, ...extra.persons], bindings: [...bindings, ...extra.bindings], drugs,
    districts: districtTable(), limits: { max_medfee_per_sale: 5_000_000 }, items: ITEMS, diagnoses: DIAGNOSES,
  });
  // The terminal's copy keeps its own shape: the supplementary rates are the simulator's; of the outpatient
  // policy the terminal keeps the fund rules (its offline visit estimate; the 乙类 share comes from 2204).
  const regions = REGIONS.map(({ supplementary: _s, outpatient, ...rest }) =>
    outpatient ? { ...rest, outpatient: { fund: outpatient.fund, chronic: outpatient.chronic } } : rest) as Region[];
  return { fixture, catalog, regions };
}

function writeJson(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

function main(): void {
  const i = process.argv.indexOf('--seed');
  const seed = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  const out = generate(seed);
  writeJson(join(ROOT, 'simulator', 'fixtures', 'default.json'), out.fixture);
  writeJson(join(ROOT, 'main', 'config', 'catalog.default.json'), out.catalog);
  writeJson(join(ROOT, 'main', 'config', 'regions.default.json'), out.regions);
  process.stdout.write(`wrote ${out.fixture.persons.length} persons, ${out.fixture.bindings.length} bindings, ${out.fixture.drugs.length} drugs\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
