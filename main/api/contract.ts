/**
 * The terminal's API, written once: method names, zod schemas of arguments and results, and events.
 * Bound twice: to Electron IPC (main/app/ipc + preload exposing window.pos) and to HTTP on 127.0.0.1
 * (main/api/http.ts, browser mode). The renderer talks to either through one client interface.
 *
 * Renderer-safe: this file imports zod only (no Node, no services). Amounts cross the boundary as
 * display text ("12.30", made by fenToYuan on the server), never as numbers for the renderer to add up.
 */
import { z } from 'zod';
import { recoveryMethods } from './contract-recovery';
import { outpatientMethods } from './contract-outpatient';
import { deskEventSchema, stationMethods } from './contract-station';
import { CASHIER, id, money, refundSchema, splitSchema, TECHNICIAN, yuanText } from './contract-parts';

export { money, refundSchema, splitSchema } from './contract-parts';
export type { RefundDto, SplitDto } from './contract-parts';

export type { FeeDto, VisitDto, VisitSummary } from './contract-outpatient';
export type { DeskEventDto, StationDto } from './contract-station';

// ---------- building blocks ----------


export const noticeSchema = z.object({
  level: z.enum(['info', 'ok', 'warn', 'error']),
  /** What happened and what to do next, in Chinese. Never a stack trace. */
  text: z.string(),
  at: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const patientSchema = z.object({
  psnName: z.string(),
  maskedCertno: z.string(),
  age: z.number().int().nullable(),
  gendText: z.string(),
  insutype: z.string(),
  insutypeText: z.string(),
  insuplcAdmdvs: z.string(),
  insuplcText: z.string(),
  certTypeText: z.string(),
  crossRegion: z.boolean(),
  ownAcct: money.nullable(),
  mulaid: money.nullable(),
  wallet: money.nullable(),
  walletUsable: z.boolean(),
  /** Why the wallet cannot pay at this counter, or null. */
  walletWarning: z.string().nullable(),
});
export type PatientDto = z.infer<typeof patientSchema>;

export const lineSchema = z.object({
  lineNo: z.number().int(),
  barcode: z.string(),
  name: z.string(),
  spec: z.string(),
  classText: z.string(),
  price: money,
  cnt: z.number().int(),
  /** The quantity to show: whole boxes ("2") or part of a box ("0.25", 拆零). */
  quantity: z.string(),
  amount: money,
  traceCount: z.number().int(),
  traceMissing: z.number().int(),
  traceCodes: z.array(z.string()),
});
export type LineDto = z.infer<typeof lineSchema>;



export const TENDER_KIND_NAMES = ['cash', 'wechat', 'alipay', 'card'] as const;

/** How the cash part is being (or was) collected: every figure computed by the server. */
export const tenderSchema = z.object({
  /** 应收: the cash part (psn_cash_pay), or the whole amount of a 全自费 sale. */
  due: money,
  /** 还应收: what is still to collect. */
  remaining: money,
  /** 实收: cash and other tenders handed over in total. */
  received: money,
  /** 找零: cash handed back. */
  change: money,
  complete: z.boolean(),
  lines: z.array(z.object({ kind: z.enum(TENDER_KIND_NAMES), kindText: z.string(), amount: money, tendered: money, change: money, reference: z.string().nullable() })),
  /** What a cancel hands back (a settled or cancelled sale), by tender, cash net of change; null otherwise. */
  handBack: z.array(z.object({ kindText: z.string(), amount: money, reference: z.string().nullable() })).nullable(),
});
export type TenderDto = z.infer<typeof tenderSchema>;

export const saleSchema = z.object({
  id,
  state: z.string(),
  stateLabel: z.string(),
  createdAt: z.string(),
  patient: patientSchema,
  lines: z.array(lineSchema),
  total: money,
  boxes: z.number().int(),
  traceMissingTotal: z.number().int(),
  traceRequired: z.boolean(),
  choices: z.object({ useAccount: z.boolean(), useWallet: z.boolean(), walletCap: money.nullable() }),
  /** The split the patient agrees to (2101), null until presettled or after a cart change. */
  preview: splitSchema.nullable(),
  settlement: splitSchema.extend({ setlId: z.string(), setlTime: z.string() }).nullable(),
  refund: refundSchema.nullable(),
  receipt: z.array(z.string()).nullable(),
  lastError: z.string().nullable(),
  /** Sold offline: what happens next ("离线结算, 待上传"), or null for an online sale. */
  offlineText: z.string().nullable(),
  /** Nothing more to do at the counter for this sale: the next patient may come. */
  done: z.boolean(),
  editable: z.boolean(),
  canSettle: z.boolean(),
  canCancel: z.boolean(),
  inDoubt: z.boolean(),
  /** The collection of the cash part (收款), once there is something to collect; absent before. */
  tender: tenderSchema.nullable().optional(),
  /** 全自费: the patient pays it all, no insurance settlement. */
  selfPay: z.boolean().optional(),
  /** Begun without a patient card (a walk-in 全自费 sale): Enter sells it self-pay. */
  walkIn: z.boolean().optional(),
});
export type SaleDto = z.infer<typeof saleSchema>;

export const saleSummarySchema = z.object({
  id,
  createdAt: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  psnName: z.string(),
  maskedCertno: z.string(),
  total: money,
  setlId: z.string().nullable(),
  canCancel: z.boolean(),
});
export type SaleSummary = z.infer<typeof saleSummarySchema>;

export const counterStateSchema = z.object({
  sale: saleSchema.nullable(),
  /** What the counter is doing right now ("正在读取参保信息…"), or null. */
  busy: z.string().nullable(),
  notice: noticeSchema.nullable(),
  /**
   * The last 微信/支付宝 付款码 a scanner read while the sale awaits collection (main/api/payment-scan.ts):
   * the 收款 dialog fills its reference with it (seq tells a new scan from the same one shown again).
   */
  paymentScan: z.object({ kind: z.enum(['wechat', 'alipay']), code: z.string(), seq: z.number().int() }).nullable().optional(),
});
export type CounterState = z.infer<typeof counterStateSchema>;

export const deviceStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  profile: z.string(),
  profileText: z.string(),
  state: z.enum(['connected', 'disconnected', 'error', 'reconnecting']),
  stateText: z.string(),
  message: z.string(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const statusSchema = z.object({
  online: z.boolean(),
  /** online | offline (line down) | manual (switched off by a technician). */
  mode: z.enum(['online', 'offline', 'manual']),
  modeText: z.string(),
  queued: z.number().int(),
  exceptions: z.number().int(),
  syncing: z.boolean(),
  offlineAvailable: z.boolean(),
  devices: z.array(deviceStatusSchema),
  storeName: z.string(),
  cashier: z.string(),
  /** The built-in simulator is the platform: the status bar says 演示 and the 模拟设备 panel may be shown. */
  demo: z.boolean(),
  printer: z.boolean(),
  /** The chain headquarters link (docs/chain.md); absent when the terminal has none configured. */
  headquarters: z.object({ pending: z.number().int(), reachable: z.boolean(), problem: z.string().nullable() }).optional(),
});
export type StatusDto = z.infer<typeof statusSchema>;

export const queueItemSchema = z.object({
  id: z.string(),
  saleId: z.number().int().nullable(),
  createdAt: z.string(),
  psnName: z.string(),
  amount: money.nullable(),
  stateText: z.string(),
  detail: z.string(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

/** One 3505/3506 trace-code report: pending ones first, then refused, then the latest sent. */
export const traceReportSchema = z.object({
  id: z.string(),
  saleId: z.number().int(),
  kindText: z.string(),
  createdAt: z.string(),
  psnName: z.string(),
  drugName: z.string(),
  codes: z.number().int(),
  stateText: z.string(),
  detail: z.string(),
  retryable: z.boolean(),
});
export type TraceReportDto = z.infer<typeof traceReportSchema>;

export const exceptionSchema = z.object({
  id: z.string(),
  saleId: z.number().int().nullable(),
  createdAt: z.string(),
  psnName: z.string(),
  kindText: z.string(),
  detail: z.string(),
  /** Owed to the patient (positive) or by the patient (negative), as text with its sense. */
  amountText: z.string().nullable(),
  resolved: z.boolean(),
});
export type ExceptionDto = z.infer<typeof exceptionSchema>;

export const deviceEntrySchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['serial', 'hid', 'virtual']),
  profile: z.enum(['scanner', 'card', 'printer', 'keyboard-scanner']),
  path: z.string().min(1).optional(),
  vendorId: z.union([z.number().int(), z.string()]).optional(),
  productId: z.union([z.number().int(), z.string()]).optional(),
  baud: z.number().int().positive().optional(),
  suffix: z.enum(['cr', 'lf', 'crlf']).optional(),
  encoding: z.enum(['gbk', 'utf8']).optional(),
});
export type DeviceEntryDto = z.infer<typeof deviceEntrySchema>;

const operatorSchema = z.object({
  code: z.string(),
  name: z.string(),
  role: z.enum(['cashier', 'technician', 'administrator']),
  roleText: z.string(),
});

/** Who is at the counter (main/operators/counter-desk.ts). */
export const sessionSchema = z.object({
  operator: operatorSchema.nullable(),
  /** The screen is locked: the open sale is kept, the operator's PIN unlocks. */
  locked: z.boolean(),
  /** Who may do technician actions now (the operator himself or a technician signed in at F8), or null. */
  technician: operatorSchema.nullable(),
  /** What the last 9001 sign-in at the platform did, or null. */
  platformText: z.string().nullable(),
  /** Demo only (the built-in simulator): the demo operators and their PINs, shown marked 演示. */
  demoOperators: z.array(operatorSchema.extend({ pin: z.string() })),
  /** Production with no operator yet: how to create the administrator; else null. */
  setupHint: z.string().nullable(),
});
export type SessionDto = z.infer<typeof sessionSchema>;
/** The reconciliation (3201 per insurance type, then 3202 details) as a table: one row per insurance type. */
export const reconcileTableSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  /** The detail comparison (3202) in one sentence per finding. */
  details: z.array(z.string()),
});
export type ReconcileTable = z.infer<typeof reconcileTableSchema>;

/** A shift report (交班) as shown, printed and exported: every amount is text made by the server. */
export const shiftReportSchema = z.object({
  id: z.number().int().positive(),
  opter: z.string(),
  opterName: z.string(),
  /** China time, yyyy-MM-dd HH:mm:ss. */
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  rows: z.array(z.object({ section: z.string(), item: z.string(), count: z.string(), amount: z.string() })),
  exceptions: z.array(z.string()),
  /** The receipt printer's layout (what 打印 prints). */
  lines: z.array(z.string()),
});
export type ShiftReportDto = z.infer<typeof shiftReportSchema>;

const empty = z.object({}).strict();
const saleArg = z.object({ saleId: id }).strict();
const ok = z.object({ ok: z.literal(true), message: z.string() });
const operatorCode = z.string().regex(/^[0-9A-Za-z]{1,20}$/, '工号应为 1 到 20 位字母或数字');
const pin = z.string().regex(/^\d{4,12}$/, 'PIN 应为 4 到 12 位数字');

/** Every operation: its arguments and its result. */
export const methods = {
  // --- who is at the counter (sign-in with code and PIN, screen lock, technician session) ---
  getSession: { args: empty, result: sessionSchema },
  operatorSignIn: { args: z.object({ code: operatorCode, pin }).strict(), result: sessionSchema },
  operatorSignOut: { args: empty, result: sessionSchema },
  lockScreen: { args: empty, result: sessionSchema },
  unlockScreen: { args: z.object({ pin }).strict(), result: sessionSchema },
  technicianSignIn: { args: z.object({ code: operatorCode, pin }).strict(), result: sessionSchema },
  technicianSignOut: { args: empty, result: sessionSchema },
  // --- the counter ---
  getState: { args: empty, result: counterStateSchema },
  getStatus: { args: empty, result: statusSchema },
  /** A code typed by a keyboard-wedge scanner (or entered by hand): routed like any scan. */
  submitScan: { role: CASHIER, args: z.object({ code: z.string().min(1).max(512) }).strict(), result: counterStateSchema },
  setQuantity: { role: CASHIER,
    args: z
      .object({
        saleId: id,
        lineNo: z.number().int().min(1),
        /** Whole boxes, or text with up to 4 decimals for a drug sold split (拆零). */
        cnt: z.union([z.number().int().min(0).max(999), z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, '数量应为数字, 最多 4 位小数')]),
      })
      .strict(),
    result: counterStateSchema,
  },
  removeLine: { role: CASHIER, args: z.object({ saleId: id, lineNo: z.number().int().min(1) }).strict(), result: counterStateSchema },
  /** 2101 with the patient's choices; the wallet cap is yuan text, converted on the server. */
  presettle: { role: CASHIER,
    args: z
      .object({
        saleId: id,
        useAccount: z.boolean().optional(),
        useWallet: z.boolean().optional(),
        walletCap: yuanText.nullable().optional(),
      })
      .strict(),
    result: counterStateSchema,
  },
  settle: { role: CASHIER, args: saleArg, result: counterStateSchema },
  /** Esc: leave the current sale (an unsettled one is discarded) and wait for the next patient. */
  nextPatient: { role: CASHIER, args: empty, result: counterStateSchema },
  /**
   * A bare ID number (no card, no 医保码): refused unless the province profile allows it, and then only with
   * the cashier's confirmation that the patient's own ID document was checked (recorded in the audit trail).
   */
  identifyByIdNumber: { role: CASHIER,
    args: z.object({ certno: z.string().trim().regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位'), idDocumentChecked: z.boolean() }).strict(),
    result: counterStateSchema,
  },
  // --- tender (收款) and 全自费 ---
  /**
   * One tender of the current sale's cash part: 现金 with 实收 (null = exactly what is still due), or
   * 微信/支付宝/银行卡 with an amount (null = what is still due) and its reference. `thenNext`: go on to the
   * next patient once the sale is collected (Enter with nothing typed).
   */
  tender: {
    role: CASHIER,
    args: z
      .object({
        saleId: id,
        kind: z.enum(TENDER_KIND_NAMES),
        amount: yuanText.nullable(),
        reference: z.string().trim().max(64).optional(),
        partial: z.boolean().optional(),
        thenNext: z.boolean().optional(),
      })
      .strict(),
    result: counterStateSchema,
  },
  /** 全自费: the current sale (not yet settled) is paid entirely by the patient; no platform call. */
  selfPay: { role: CASHIER, args: saleArg, result: counterStateSchema },
  /** 全自费 without a patient card: opens a walk-in sale on the counter. */
  beginSelfPay: { role: CASHIER, args: empty, result: counterStateSchema },
  // --- the shift (交班) and the day (日结) ---
  /** The open shift's report so far (no id), or a closed shift's report as it closed. */
  getShift: { role: CASHIER, args: z.object({ id: id.optional() }).strict(), result: shiftReportSchema },
  /** Closes the open shift: refused while a sale is open (the sale named). */
  closeShift: { role: CASHIER, args: empty, result: shiftReportSchema },
  printShift: { role: CASHIER, args: z.object({ id }).strict(), result: ok },
  /** CSV (UTF-8 with BOM) of a shift's report, to save as a file. */
  exportShift: { role: CASHIER, args: z.object({ id }).strict(), result: z.object({ fileName: z.string(), content: z.string() }) },
  // --- past sales ---
  findSales: { role: CASHIER,
    args: z.object({ query: z.string().max(64).optional(), limit: z.number().int().min(1).max(200).optional() }).strict(),
    result: z.object({ sales: z.array(saleSummarySchema) }),
  },
  getSale: { role: CASHIER, args: saleArg, result: saleSchema },
  cancelSale: { role: CASHIER, args: saleArg, result: saleSchema },
  resolveSale: { role: CASHIER, args: saleArg, result: saleSchema },
  printReceipt: { role: CASHIER, args: saleArg, result: ok },
  // --- devices ---
  getDeviceConfig: { args: empty, result: z.object({ devices: z.array(deviceEntrySchema), file: z.string() }) },
  saveDeviceConfig: { role: TECHNICIAN, args: z.object({ devices: z.array(deviceEntrySchema) }).strict(), result: ok },
  // --- virtual devices (demo / browser mode / tests): they go through the same decoders ---
  listPersonas: {
    args: empty,
    result: z.object({
      personas: z.array(z.object({ label: z.string(), psnName: z.string(), insutypeText: z.string(), insuplcText: z.string(), hasCard: z.boolean() })),
    }),
  },
  /** 药品查找: the catalog's drugs matching a name, 拼音 initials, full 拼音 or barcode digits, best first. */
  findDrugs: {
    args: z.object({ query: z.string().trim().min(1, '请输入药名、拼音首字母或条码').max(32, '最多 32 个字') }).strict(),
    result: z.object({ drugs: z.array(z.object({ barcode: z.string(), name: z.string(), spec: z.string(), price: money, initials: z.string() })) }),
  },
  listDrugs: {
    args: empty,
    result: z.object({ drugs: z.array(z.object({ barcode: z.string(), name: z.string(), spec: z.string(), price: money })) }),
  },
  virtualCard: { role: CASHIER, args: z.object({ persona: z.string().min(1).max(64) }).strict(), result: ok },
  virtualQr: { role: CASHIER, args: z.object({ persona: z.string().min(1).max(64) }).strict(), result: ok },
  virtualScan: { role: CASHIER, args: z.object({ code: z.string().min(1).max(512) }).strict(), result: ok },
  /** Scans a fresh 药品追溯码 for a drug of the catalog (one box). */
  virtualTrace: { role: CASHIER, args: z.object({ barcode: z.string().regex(/^\d{8}(\d{5})?$/, '应为药品条码') }).strict(), result: ok },
  simOutage: { args: z.object({ on: z.boolean() }).strict(), result: ok },
  // --- technician: offline queue ---
  getQueue: {
    args: empty,
    result: z.object({
      available: z.boolean(),
      queue: z.array(queueItemSchema),
      exceptions: z.array(exceptionSchema),
      traceReports: z.array(traceReportSchema).default([]),
    }),
  },
  retryTraceReport: { role: TECHNICIAN, args: z.object({ id: z.string().regex(/^\d{1,12}$/, '应为上报编号') }).strict(), result: ok },
  resolveException: { role: TECHNICIAN, args: z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/, 'expected the number of an exception'), note: z.string().min(1).max(200) }).strict(), result: ok },
  syncNow: { role: TECHNICIAN, args: empty, result: ok },
  setManualOffline: { role: TECHNICIAN, args: z.object({ on: z.boolean() }).strict(), result: ok },
  reconcileDay: { role: TECHNICIAN,
    args: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期 yyyy-MM-dd') }).strict(),
    result: z.object({ ok: z.boolean(), message: z.string(), lines: z.array(z.string()), table: reconcileTableSchema.optional() }),
  },
  /** 日结: the day's reconciliation (3201/3202) for a China date (default: today in China) as a table. */
  closeDay: {
    role: CASHIER,
    args: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期 yyyy-MM-dd').optional() }).strict(),
    result: z.object({ date: z.string(), ok: z.boolean(), message: z.string(), table: reconcileTableSchema }),
  },
  ...recoveryMethods(counterStateSchema),
  // --- technician: the log on disk (already redacted) ---
  getLogs: {
    args: z.object({ limit: z.number().int().min(1).max(2000).default(200) }).strict(),
    result: z.object({ dir: z.string(), lines: z.array(z.string()) }),
  },
  exportLogs: { role: TECHNICIAN, args: empty, result: z.object({ file: z.string(), lines: z.number().int().min(0) }) },
  // --- the hospital billing desk (门诊收费处), contract-outpatient.ts ---
  ...outpatientMethods,
  // --- which station the devices read for (counter.kind both), contract-station.ts ---
  ...stationMethods,
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType; role?: 'cashier' | 'technician' }>;

export type Methods = typeof methods;
export type Method = keyof Methods;
export type Args<M extends Method> = z.input<Methods[M]['args']>;
export type Result<M extends Method> = z.output<Methods[M]['result']>;
export const METHOD_NAMES = Object.keys(methods) as Method[];

export function isMethod(name: string): name is Method {
  return Object.hasOwn(methods, name);
}

/** Who may call `method` (main/api/service.ts checks it for both bindings); null: anyone. */
export function requiredRole(method: Method): 'cashier' | 'technician' | null {
  const def = methods[method];
  return 'role' in def ? def.role : null;
}

/** Live scan test: what a device just sent, decoded (codes of drugs are shown, cards are masked). */
export const deviceEventSchema = z.object({
  device: z.string(),
  type: z.enum(['scan', 'card', 'rejected', 'status']),
  text: z.string(),
  at: z.string(),
});
export type DeviceEventDto = z.infer<typeof deviceEventSchema>;

/** Events pushed to the screens (IPC: webContents.send; HTTP: Server-Sent Events). */
export const events = {
  counter: counterStateSchema,
  session: sessionSchema,
  status: statusSchema,
  device: deviceEventSchema,
  /** A card read or 医保码 scanned on a device while the billing desk is the station in use. */
  desk: deskEventSchema,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** An error as it crosses the boundary: a code and a sentence for the cashier. */
export const apiErrorSchema = z.object({ code: z.string(), message: z.string() });
export type ApiErrorDto = z.infer<typeof apiErrorSchema>;

/** The one interface the renderer uses, whichever binding is underneath. */
export interface PosClient {
  call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The IPC channel of a method; the preload and main/app agree through this. */
export const ipcChannel = (method: Method): string => `pos:${method}`;
export const IPC_EVENT_CHANNEL = 'pos:event';

/** window.pos as the preload exposes it: one function per operation, plus `on` for events. */
export type PosBridge = { [M in Method]: (args: Args<M>) => Promise<IpcReply<Result<M>>> } & {
  on(listener: (event: EventName, payload: unknown) => void): () => void;
  /** Desktop only: the main process's save dialog (main/app/save-file.ts). */
  saveFile?(fileName: string, content: string): Promise<{ ok: true; saved: boolean; path: string | null } | { ok: false; error: ApiErrorDto }>;
  /** Desktop only: this window printed to PDF (print stylesheet) and saved (main/app/save-pdf.ts). */
  savePdf?(fileName: string): Promise<{ ok: true; saved: boolean; path: string | null } | { ok: false; error: ApiErrorDto }>;
};

/** Replies over IPC carry errors as values (Electron would otherwise wrap the message). */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorDto };

/** One line naming the first bad field. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
