/**
 * `pos` — the terminal's command line, for operators and technicians.
 * With no configuration it runs on the embedded demo (the built-in simulator, a data directory
 * under ~/.local/share/yibao-pos); `--platform URL` points it at a running platform, `--demo` forces the
 * simulator. On the simulator every answer says 演示 (on stderr with --json, so stdout stays JSON).
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad argument or input file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runDevicesCommand } from './devices-command';
import { runQueueCommand, runReconcileCommand } from './queue-command';
import { runLogsCommand } from './logs-command';
import { runAuditCommand } from './audit-command';
import { OUTPATIENT_USAGE, runOutpatientCommand } from './outpatient-command';
import { cashierFor, PIN_ENV, runOperatorsCommand, technicianFor } from './operators-command';
import { runShiftCommand } from './shift-command';
import { formatPerson, formatSale, formatSaleList } from './format';
import { findPersona, listPersonas, personaQrCode } from './persona';
import { classifyScan } from '../../devices/classify';
import { parseCardRecord } from '../../devices/decoders/card-record';
import { receiptPreview } from '../../devices/printer';
import { yuanToFen, MoneyFormatError } from '../platform/money';
import { formatQuote, QuoteError, runQuote } from '../settlement/quote';
import { SaleError } from '../settlement/sale-error';
import type { IdentifySource } from '../sales/sale-service';
import { receiptFor } from '../sales/receipt';
import type { Choices } from '../settlement/choices';
import type { SaleView } from '../sales/sale-view';
import { openTerminal, type Terminal } from '../terminal';
import { defaultDataDir } from '../config/config';
import { InputError } from '../validation';
import type { Io } from './io';

export type { Io } from './io';

const USAGE = `用法 usage: pos [--data DIR] [--config FILE] [--platform URL | --demo] [--operator CODE] [--json] COMMAND ...

  signin                                   签到 (9001)
  identify  PATIENT                        识别患者 (1101), PATIENT 见下
  sell      PATIENT (--scan CODE | --item BARCODE[*N])... [CHOICES] [--presettle-only]
                                           一次完成: 识别, 扫药, 预结算, 结算, 打印小票预览
  sale begin PATIENT                       开始一笔销售 (草稿)
  sale scan ID CODE...                     扫码: 药品条码加一盒, 20 位追溯码挂到对应药品
  sale add ID BARCODE [--qty N]            按条码加药
  sale qty ID LINE N                       改数量 (0 = 删除该行)
  sale presettle ID [CHOICES]              预结算 (2101)
  sale settle ID                           结算 (2102)
  sale cancel ID                           撤销 (2103)
  sale resolve ID                          结果未知的结算/撤销: 冲正 (2601)
  sale discard ID                          作废未结算的销售
  sale show ID | sale receipt ID | sale list [--state S] [--limit N]
${OUTPATIENT_USAGE}
  quote FILE                               只运行分账引擎 (见 docs/quote.md)
  personas                                 内置模拟平台的示例参保人
  demo                                     演示: 在内置模拟平台上为几位示例参保人各完成一笔销售
  queue status|list|show|sync|retry|resolve|export|import ...
                                           离线队列与异常 (pos queue help)
  reconcile DAY                            与平台对账 (3201 总账, 3202 明细)
  shift close [--json] [--csv FILE]        交班: 交班报表 (按资金、按收款方式); 有未完成的销售时拒绝
  shift report ID | shift show             已交班的报表 / 本班至今 (pos shift --help)
  devices ...                              读卡器/扫码枪/打印机 (pos devices help)
  logs [--limit N] | logs --export FILE    本机日志 (已脱敏; pos logs --help)
  audit verify                             校验审计记录的哈希链, 指出第一条被改动或删除处
  operators list|add|disable|reset-pin     操作员管理 (管理员; pos operators help)

  --operator CODE: 以该操作员身份运行 (PIN 在终端提示输入, 或环境变量 ${PIN_ENV}; 不能作为参数).
           销售与门诊命令在生产模式下需要它 (演示时默认演示收银员); 队列同步/重试/处理/导出/导入/联网切换与对账需要运维.

  PATIENT: --card RECORD (社保卡基本信息, 以 | 分隔) | --qr PAYLOAD (医保码)
           | --idno ID --id-checked [--name NAME] (凭身份证号: 仅当省份配置允许, 且须已核验患者本人证件)
           | --persona LABEL (仅内置模拟平台: employee, retiree, resident, cross_province ...)
  CHOICES: --no-account (不使用个人账户) --no-wallet (不使用医保钱包) --wallet-cap YUAN (钱包最多支付)`;

const OPTIONS = {
  data: { type: 'string' },
  config: { type: 'string' },
  operator: { type: 'string' },
  platform: { type: 'string' },
  demo: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  card: { type: 'string' },
  qr: { type: 'string' },
  idno: { type: 'string' },
  'id-checked': { type: 'boolean' },
  name: { type: 'string' },
  persona: { type: 'string' },
  scan: { type: 'string', multiple: true },
  item: { type: 'string', multiple: true },
  qty: { type: 'string' },
  'no-account': { type: 'boolean' },
  'no-wallet': { type: 'boolean' },
  'wallet-cap': { type: 'string' },
  'presettle-only': { type: 'boolean' },
  state: { type: 'string' },
  limit: { type: 'string' },
  fees: { type: 'string' },
  'self-pay': { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** Commands that parse their own arguments: they get the rest of the line untouched. */
const PASS_THROUGH = new Set(['devices', 'queue', 'reconcile', 'logs', 'audit', 'operators', 'shift']);
/** Queue commands that change something: a technician's (issue 9). Status, list, show and reports only read. */
const TECHNICIAN_QUEUE = new Set(['sync', 'retry', 'resolve', 'export', 'unexport', 'import', 'retry-report', 'online', 'offline']);
/** What only an insured bill uses: a patient and the split's choices (a 全自费 bill refuses them). */
const INSURANCE_OPTIONS = ['card', 'qr', 'idno', 'id-checked', 'name', 'persona', 'no-account', 'no-wallet', 'wallet-cap'] as const;
/** Commands that sell (a visit at the billing desk too): they run for an operator (cashierFor). */
const SALE_COMMANDS = new Set(['signin', 'identify', 'sell', 'demo', 'sale', 'outpatient']);

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const at = argv.findIndex(isCommandWord);
    const word = argv[at];
    if (at >= 0 && word && PASS_THROUGH.has(word)) return await passThrough(word, argv.slice(0, at), argv.slice(at + 1), io);
    const { values, positionals } = parse(argv);
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    if (command === 'quote') return quote(rest, values, io);
    return await withTerminal(values, io, (t) => run(t, command, rest, values, io));
  } catch (error) {
    return report(error, io);
  }
}

async function passThrough(command: string, globals: string[], rest: string[], io: Io): Promise<number> {
  const { values } = parse(globals);
  // `devices` needs no ledger and no platform: a technician tests a scanner before anything else works.
  if (command === 'devices') return runDevicesCommand(devicesArgs(values, rest), io);
  if (command === 'logs') return runLogsCommand(values.data ?? defaultDataDir(), rest, { ...io, json: values.json ?? false });
  if (command === 'audit') return runAuditCommand(values.data ?? defaultDataDir(), rest, { ...io, json: values.json ?? false });
  const queueIo = { ...io, json: values.json ?? false };
  if (command === 'operators') return withTerminal(values, io, (t) => runOperatorsCommand(t, values.operator, rest, queueIo));
  return withTerminal(values, io, async (t) => {
    if (command === 'reconcile' || TECHNICIAN_QUEUE.has(rest[0] ?? '')) await technicianFor(t, values.operator);
    if (command === 'shift') return runShiftCommand(t, rest, queueIo, () => cashierFor(t, values.operator));
    return command === 'queue' ? runQueueCommand(t, rest, queueIo) : runReconcileCommand(t, rest, queueIo);
  });
}

async function withTerminal(values: Flags, io: Io, work: (t: Terminal) => Promise<number>): Promise<number> {
  const terminal = await openTerminal({
    dataDir: values.data, configFile: values.config ?? null, platformUrl: values.platform, demo: values.demo, component: 'cli',
  });
  try {
    if (terminal.demo) (values.json ? io.err : io.out)(DEMO_NOTICE);
    return await work(terminal);
  } finally {
    await terminal.close();
  }
}

const DEMO_NOTICE = '[演示] 内置模拟平台, 不是真实的医保结算 (demo: built-in simulator)';

/** The first word that is neither an option nor the value of a global option. */
function isCommandWord(arg: string, index: number, all: string[]): boolean {
  return !arg.startsWith('-') && !['--data', '--config', '--platform', '--operator'].includes(all[index - 1] ?? '');
}

/** `devices` reads the terminal's own config file unless told otherwise (--config, --port). */
function devicesArgs(values: Flags, rest: string[]): string[] {
  if (rest.includes('--config') || rest.includes('--port')) return rest;
  const file = values.config ?? join(values.data ?? defaultDataDir(), 'config.json');
  return values.config || existsSync(file) ? [...rest, '--config', file] : rest;
}

async function run(t: Terminal, command: string, rest: string[], f: Flags, io: Io): Promise<number> {
  const show = (sale: SaleView) => io.out(f.json ? JSON.stringify(sale) : formatSale(sale));
  if (SALE_COMMANDS.has(command)) await cashierFor(t, f.operator);
  switch (command) {
    case 'signin': {
      const result = await t.platform.signIn();
      io.out(f.json ? JSON.stringify(result) : `签到成功 sign_no ${result.signNo} (${result.signTime})`);
      return 0;
    }
    case 'identify': {
      const { person } = await t.sales.identify(await patientSource(t, f));
      io.out(f.json ? JSON.stringify({ ...person, certno: undefined }) : formatPerson(person));
      return 0;
    }
    case 'personas': {
      const persons = await listPersonas(t.platformUrl);
      for (const p of persons.filter((p) => p.label)) io.out(`${p.label}\t${p.psn_name}\t${p.insutype}\t${p.insuplc_admdvs}`);
      return 0;
    }
    case 'sell':
      return sell(t, f, io, show);
    case 'demo':
      return demo(t, io);
    case 'sale':
      return saleCommand(t, rest, f, io, show);
    case 'outpatient':
      return runOutpatientCommand(t, rest, {
        json: f.json ?? false, fees: f.fees, presettleOnly: f['presettle-only'] ?? false, state: f.state, selfPay: f['self-pay'] ?? false,
        insuranceOptions: INSURANCE_OPTIONS.filter((k) => f[k] !== undefined).map((k) => `--${k}`),
        limit: f.limit ? positiveInt(f.limit, '--limit') : undefined, source: () => patientSource(t, f), choices: () => choicesFrom(f),
      }, io);
    default:
      throw new InputError(`unknown command "${command}" (pos --help)`);
  }
}

async function sell(t: Terminal, f: Flags, io: Io, show: (s: SaleView) => void): Promise<number> {
  // Every argument is checked before the sale is opened: a bad one leaves nothing behind.
  if (!f.scan?.length && !f.item?.length) throw new InputError('--scan or --item: at least one drug is needed');
  const items = (f.item ?? []).map((spec) => {
    const [barcode = '', count] = spec.split('*');
    return { barcode, count: count === undefined ? 1 : positiveInt(count, '--item') };
  });
  for (const code of f.scan ?? []) {
    const scanned = classifyScan(code);
    if (!scanned.ok || scanned.kind === 'medical-qr') throw new InputError(`--scan ${code}: ${scanned.ok ? '医保码不能作为药品扫码' : scanned.reason}`);
  }
  const choices = choicesFrom(f);
  const source = await patientSource(t, f);

  let sale = await t.sales.beginSale(source);
  try {
    for (const { barcode, count } of items) sale = t.sales.addItem(sale.id, barcode, count);
    for (const code of f.scan ?? []) sale = t.sales.scan(sale.id, code);
    sale = await t.sales.presettle(sale.id, choices);
  } catch (error) {
    t.sales.discard(sale.id); // refused before any money moved: give the boxes back
    throw error;
  }
  if (!f['presettle-only']) sale = await t.sales.settle(sale.id);
  show(sale);
  if (sale.state === 'settled' && !f.json) io.out('\n' + receiptPreview(receiptFor(sale, t.platform.counter, false, t.demo)));
  return sale.state === 'settled' || f['presettle-only'] ? 0 : 1;
}

/**
 * A first look at the counter on the embedded default: one sale each for an employee, a retiree helped
 * by his daughter's account, a resident paying from her wallet and a patient from another province.
 */
async function demo(t: Terminal, io: Io): Promise<number> {
  const drugs = t.catalog.entries.filter((d) => d.chrgitm_lv !== '03' && d.pric_fen >= 3000).slice(0, 4);
  // Trace codes must be new on every run (the ledger persists): box serials from the clock.
  let serial = Date.now() * 10;
  for (const [label, title] of DEMO_PATIENTS) {
    const persona = await findPersona(t.platformUrl, label);
    let sale = await t.sales.beginSale({ kind: 'qr', payload: await personaQrCode(t.platformUrl, persona.psn_no) });
    for (const d of drugs.slice(0, 2)) {
      sale = t.sales.scan(sale.id, d.barcode);
      sale = t.sales.scan(sale.id, `${d.trace_prefix}${String(serial++).slice(-13).padStart(13, '0')}`);
    }
    await t.sales.presettle(sale.id);
    sale = await t.sales.settle(sale.id);
    io.out(`\n=== ${title} ===\n${formatSale(sale)}`);
  }
  io.out(`\n平台: ${t.platformUrl}  数据目录: ${t.dataDir}`);
  return 0;
}

const DEMO_PATIENTS: Array<[string, string]> = [
  ['employee', '职工: 个人账户支付'],
  ['retiree', '退休职工: 个人账户不足, 女儿的家庭共济支付其余'],
  ['resident', '居民: 医保钱包支付'],
  ['cross_province', '异地参保 (成都): 在杭州不能用医保钱包'],
];

async function saleCommand(t: Terminal, rest: string[], f: Flags, io: Io, show: (s: SaleView) => void): Promise<number> {
  const [sub, idText, ...args] = rest;
  if (sub === 'begin') return show(await t.sales.beginSale(await patientSource(t, f))), 0;
  if (sub === 'list') {
    const sales = t.sales.list({ state: f.state, limit: f.limit ? positiveInt(f.limit, '--limit') : 50 });
    io.out(f.json ? JSON.stringify(sales) : formatSaleList(sales));
    return 0;
  }
  if (idText === undefined) throw new InputError(`sale ${sub ?? ''}: a sale id is needed (pos --help)`);
  const id = positiveInt(idText, 'sale id');
  switch (sub) {
    case 'show':
      return show(t.sales.get(id)), 0;
    case 'receipt':
      return io.out(receiptPreview(receiptFor(t.sales.get(id), t.platform.counter, false, t.demo))), 0;
    case 'scan': {
      if (args.length === 0) throw new InputError('sale scan: CODE is needed');
      let sale = t.sales.get(id);
      for (const code of args) sale = t.sales.scan(id, code);
      return show(sale), 0;
    }
    case 'add':
      return show(t.sales.addItem(id, args[0] ?? '', f.qty ? positiveInt(f.qty, '--qty') : 1)), 0;
    case 'qty':
      return show(t.sales.setQuantity(id, positiveInt(args[0] ?? '', 'LINE'), nonNegativeInt(args[1] ?? '', 'N'))), 0;
    case 'presettle':
      return show(await t.sales.presettle(id, choicesFrom(f))), 0;
    case 'settle': {
      const sale = await t.sales.settle(id);
      show(sale);
      return sale.state === 'settled' ? 0 : 1;
    }
    case 'cancel': {
      const sale = await t.sales.cancel(id);
      show(sale);
      return sale.state === 'cancelled' ? 0 : 1;
    }
    case 'resolve':
      return show(await t.sales.resolve(id)), 0;
    case 'discard':
      return show(t.sales.discard(id)), 0;
    default:
      throw new InputError(`unknown sale command "${sub}" (pos --help)`);
  }
}

async function patientSource(t: Terminal, f: Flags): Promise<IdentifySource> {
  const given = (['card', 'qr', 'idno', 'persona'] as const).filter((k) => f[k] !== undefined);
  if (given.length !== 1) throw new InputError('patient: give exactly one of --card, --qr, --idno, --persona');
  if (f['id-checked'] && f.idno === undefined) throw new InputError('--id-checked: only with --idno (the ID document checked for a bare ID number)');
  if (f.card !== undefined) {
    const parsed = parseCardRecord(f.card.endsWith('|') ? f.card : `${f.card}|`);
    if (!parsed.ok) throw new InputError(`--card: ${parsed.reason}`);
    return { kind: 'card', record: parsed.record };
  }
  if (f.qr !== undefined) return { kind: 'qr', payload: f.qr };
  if (f.idno !== undefined) return { kind: 'idno', certno: f.idno, psnName: f.name, idDocumentChecked: f['id-checked'] ?? false };
  const persona = await findPersona(t.platformUrl, f.persona!);
  return { kind: 'qr', payload: await personaQrCode(t.platformUrl, persona.psn_no) };
}

function choicesFrom(f: Flags): Partial<Choices> {
  const choices: Partial<Choices> = {};
  if (f['no-account']) choices.useAccount = false;
  if (f['no-wallet']) choices.useWallet = false;
  if (f['wallet-cap'] !== undefined) {
    try {
      choices.walletCapFen = yuanToFen(f['wallet-cap']);
    } catch (error) {
      if (error instanceof MoneyFormatError) throw new InputError(`--wallet-cap: ${error.message}`);
      throw error;
    }
    if (choices.walletCapFen < 0) throw new InputError('--wallet-cap: must not be negative');
  }
  return choices;
}

function quote(rest: string[], f: Flags, io: Io): number {
  const [file] = rest;
  if (!file) throw new InputError('quote: FILE is needed (see docs/quote.md)');
  let scenario: unknown;
  try {
    scenario = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`quote: ${file}: ${(error as Error).message}`);
  }
  const result = runQuote(scenario);
  io.out(f.json ? JSON.stringify(result) : formatQuote(result));
  return 0;
}

function positiveInt(text: string, name: string): number {
  const n = nonNegativeInt(text, name);
  if (n === 0) throw new InputError(`${name}: expected a positive whole number, got "${text}"`);
  return n;
}

function nonNegativeInt(text: string, name: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new InputError(`${name}: expected a whole number, got "${text}"`);
  return Number(text);
}

function report(error: unknown, io: Io): number {
  if (error instanceof InputError || error instanceof QuoteError) {
    io.err(`错误 error: ${error.message}`);
    return 2;
  }
  if (error instanceof SaleError) {
    io.err(`未完成: ${error.message} [${error.code}]`);
    return 1;
  }
  io.err(`失败: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
