/**
 * The national platform client: one method per transaction code. It builds envelopes, converts
 * yuan<->fen through fields.ts, applies deadlines, and turns infcode != 0 into PlatformRefusal.
 *
 * Only idempotent calls (9001, 1101, 2101, ec.query) are retried here. 2102/2103/2601 take a msgid the
 * caller has already stored, and are sent exactly once: what happens when their outcome is unknown is
 * the sale service's decision (in doubt -> 2601), never a blind resend.
 */
import type { z } from 'zod';
import { describeZodError } from '../validation';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from './errors';
import * as F from './fields';
import { infTime } from './time';
import { traceInput, traceOutputSchema, type TraceAnswer, type TraceReport } from './tx/trace';
import { postJson } from './transport';

export const CALL_SERVICE_PATH = '/fsi/api/rsfComIfsService/callService';
export const QR_QUERY_PATH = '/localcfc/api/hsecfc/localQrCodeQuery';

export interface CounterIdentity {
  fixmedinsCode: string;
  fixmedinsName: string;
  mdtrtareaAdmvs: string;
  opter: string;
  opterName: string;
  devNo: string;
  mac: string;
  ip: string;
}

/** Hands out msgids that are already persisted, so none is ever issued twice, even across restarts. */
export interface MsgidSource {
  next(): string;
}

export interface PlatformClientOptions {
  baseUrl: string;
  /** The 医保码 gateway; defaults to baseUrl (the simulator serves both). */
  qrGatewayUrl?: string;
  counter: CounterIdentity;
  msgids: MsgidSource;
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  retryDelayMs?: number;
  fieldNames?: F.FieldNameOverrides;
  now?: () => Date;
  /** Told of every message sent and how it ended (the terminal writes it to its log). */
  observe?: (exchange: Exchange) => void;
}

export interface Exchange {
  infno: string;
  msgid: string;
  ms: number;
  outcome: 'ok' | 'refused' | 'not_delivered' | 'unknown';
  input: object;
  error?: Error;
}

type Infno = '9001' | '1101' | '2101' | '2102' | '2103' | '2601' | '3201' | '3202' | '3505' | '3506';
const IDEMPOTENT = new Set<string>(['9001', '1101', '2101', 'ec.query']);

export class PlatformClient {
  private signNo = '';
  private readonly outgoingNames: Record<string, string>;
  private readonly incomingNames: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: PlatformClientOptions) {
    this.outgoingNames = { ...(options.fieldNames ?? {}) } as Record<string, string>;
    this.incomingNames = F.invertNames(this.outgoingNames);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.now = options.now ?? (() => new Date());
  }

  get signedIn(): boolean {
    return this.signNo !== '';
  }

  /** A fresh msgid, already persisted: store it with the message before sending. */
  newMsgid(): string {
    return this.options.msgids.next();
  }

  get counter(): CounterIdentity {
    return this.options.counter;
  }

  /** 9001 签到: the sign_no every later message carries. */
  async signIn(): Promise<{ signNo: string; signTime: string }> {
    const c = this.options.counter;
    const out = await this.idempotent('9001', '', F.signInInput(c.opter, c.mac, c.ip), F.signInOutputSchema);
    this.signNo = out.signinoutb.sign_no;
    return { signNo: this.signNo, signTime: out.signinoutb.sign_time };
  }

  /** ec.query: decode a 医保码 payload into an ecToken (online only). */
  async queryQrCode(payload: string): Promise<F.QrIdentity> {
    return this.withRetries('ec.query', async () => {
      const url = (this.options.qrGatewayUrl ?? this.options.baseUrl) + QR_QUERY_PATH;
      const raw = await postJson(url, F.qrQueryBody(this.options.counter.fixmedinsCode, payload), this.timeoutMs, 'ec.query');
      const response = parseAnswer(F.qrQueryResponseSchema, raw, 'ec.query');
      if (response.code !== 0) {
        throw new PlatformRefusal('ec.query', response.code, response.message || '医保码无效', null);
      }
      return parseAnswer(F.qrQueryDataSchema, response.data, 'ec.query');
    });
  }

  /** 1101 人员信息获取. */
  async getPerson(credential: F.Credential): Promise<F.PersonInfo> {
    const input = F.personQueryInput(credential, infTime(this.now()));
    return this.idempotent('1101', credential.insuplcAdmdvs ?? '', input, F.personOutputSchema);
  }

  /** 2101 药店预结算: no money moves, so it is safe to retry. */
  async presettle(request: F.SettleRequest): Promise<F.SettlementFigures> {
    return this.idempotent('2101', request.insuplcAdmdvs, F.settleInput(request), F.presettleOutputSchema);
  }

  /** 2102 药店结算, under a msgid the caller stored before calling. Sent once. */
  async settle(request: F.SettleRequest, msgid: string): Promise<F.SettlementRecord> {
    return this.once('2102', msgid, request.insuplcAdmdvs, F.settleInput(request), F.settleOutputSchema);
  }

  /** 2103 药店结算撤销, under a stored msgid. Sent once. */
  async cancel(
    target: { setlId: string; mdtrtId: string; psnNo: string; insuplcAdmdvs: string },
    msgid: string,
  ): Promise<F.CancelRecord> {
    const input = F.cancelInput(target.setlId, target.mdtrtId, target.psnNo);
    return this.once('2103', msgid, target.insuplcAdmdvs, input, F.cancelOutputSchema);
  }

  /** 2601 冲正 of an earlier 2102/2103 message. Safe to repeat: a second reversal is harmless. */
  async reverse(
    target: { psnNo: string; omsgid: string; oinfno: '2102' | '2103'; insuplcAdmdvs: string },
    msgid: string,
  ): Promise<F.ReversalStatus> {
    const input = F.reversalInput(target.psnNo, target.omsgid, target.oinfno);
    return this.once('2601', msgid, target.insuplcAdmdvs, input, F.reversalOutputSchema);
  }

  /** 3201 对总账. */
  async reconcileTotals(totals: F.ReconcileTotals, msgid: string) {
    return this.once('3201', msgid, '', F.totalsInput(totals, this.options.counter.mdtrtareaAdmvs), F.totalsOutputSchema);
  }

  /** 3202 明细对账. */
  async reconcileDetails(totals: F.ReconcileTotals, rows: F.DetailRow[], msgid: string): Promise<F.ReconcileRow[]> {
    const input = F.detailInput(totals, this.options.counter.mdtrtareaAdmvs, rows);
    return this.once('3202', msgid, '', input, F.detailOutputSchema);
  }

  /** 3505 商品销售 / 3506 商品销售退货 under a stored msgid (main/offline/trace-outbox.ts retries with its own backoff). */
  async reportTrace(report: TraceReport, insuplcAdmdvs: string, msgid: string): Promise<TraceAnswer> {
    return this.once(report.infno, msgid, insuplcAdmdvs, traceInput(report), traceOutputSchema);
  }

  // ---------- plumbing ----------

  private async idempotent<S extends z.ZodType>(infno: Infno, insuplc: string, input: object, schema: S) {
    return this.withRetries(infno, () => this.once(infno, this.options.msgids.next(), insuplc, input, schema));
  }

  private async once<S extends z.ZodType>(
    infno: Infno,
    msgid: string,
    insuplc: string,
    input: object,
    schema: S,
  ): Promise<z.output<S>> {
    if (infno !== '9001' && !this.signNo) await this.signIn();
    const started = Date.now();
    const observe = (outcome: Exchange['outcome'], error?: Error) =>
      this.options.observe?.({ infno, msgid, ms: Date.now() - started, outcome, input, ...(error ? { error } : {}) });
    try {
      const output = await this.exchange(infno, msgid, insuplc, input, schema);
      observe('ok');
      return output;
    } catch (error) {
      const outcome = error instanceof PlatformRefusal ? 'refused' : error instanceof NotDeliveredError ? 'not_delivered' : 'unknown';
      observe(outcome, error as Error);
      throw error;
    }
  }

  private async exchange<S extends z.ZodType>(infno: Infno, msgid: string, insuplc: string, input: object, schema: S): Promise<z.output<S>> {
    const envelope = F.renameFields(this.envelope(infno, msgid, insuplc, input), this.outgoingNames);
    const raw = F.renameFields(
      await postJson(this.options.baseUrl + CALL_SERVICE_PATH, envelope, this.timeoutMs, infno),
      this.incomingNames,
    );
    const answer = parseAnswer(F.responseEnvelopeSchema, raw, infno);
    if (answer.infcode !== 0) {
      throw new PlatformRefusal(infno, answer.infcode, answer.err_msg, answer.err_code || null);
    }
    return parseAnswer(schema, answer.output ?? {}, infno);
  }

  private envelope(infno: Infno, msgid: string, insuplc: string, input: object): F.RequestEnvelope {
    const c = this.options.counter;
    return {
      infno,
      msgid,
      mdtrtarea_admvs: c.mdtrtareaAdmvs,
      insuplc_admdvs: insuplc,
      recer_sys_code: 'YBPOS',
      dev_no: c.devNo,
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '1',
      opter: c.opter,
      opter_name: c.opterName,
      inf_time: infTime(this.now()),
      fixmedins_code: c.fixmedinsCode,
      fixmedins_name: c.fixmedinsName,
      sign_no: this.signNo,
      input: input as Record<string, unknown>,
    };
  }

  private async withRetries<T>(label: string, attempt: () => Promise<T>): Promise<T> {
    if (!IDEMPOTENT.has(label)) return attempt();
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const transient = error instanceof NotDeliveredError || error instanceof OutcomeUnknownError;
        if (!transient || n >= this.retries) throw error;
        await sleep(this.retryDelayMs * 2 ** n);
      }
    }
  }
}

/** An answer we cannot read is an unknown outcome: for a settlement the platform may have committed. */
function parseAnswer<S extends z.ZodType>(schema: S, raw: unknown, infno: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new OutcomeUnknownError(infno, 'bad_response', `应答格式错误: ${describeZodError(result.error)}`);
  }
  return result.data;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
