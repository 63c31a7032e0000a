/**
 * The national platform client: one method per transaction code. It builds envelopes through the
 * per-transaction mapping files in tx/, applies deadlines, turns infcode != 0 into PlatformRefusal, and
 * checks every settlement answer against its request (answer-check.ts) before anyone may record it.
 *
 * Only idempotent calls (9001, 1101, 2101, 2206, ec.query) are retried here. 2102/2103/2207/2208/2601 take a msgid the
 * caller has already stored, and are sent exactly once: what happens when their outcome is unknown is
 * the caller's decision (in doubt -> 2601), never a blind resend.
 */
import type { z } from 'zod';
import { describeZodError } from '../validation';
import { AnswerMismatchError, checkDrugSettleAnswer } from './answer-check';
import type * as D from './domain';
import type * as O from './outpatient-domain';
import { checkFeeAnswers, checkVisitSettleAnswer, visitCancelProblems } from './outpatient-check';
import { NotDeliveredError, OutcomeUnknownError, PlatformRefusal } from './errors';
import { extensionRenamer } from './extension';
import { yuanToFen } from './money';
import type { ProvinceProfile } from './profile';
import { infTime } from './time';
import { cancelOutputSchema, cancelInput, cancelProblems } from './tx/cancel';
import { drugSettleInput, presettleOutputSchema, settleOutputSchema } from './tx/drug-settle';
import { downloadInput, unzipText, uploadInput, uploadOutputSchema, zipText } from './tx/files';
import { personOutputSchema, personQueryInput, qrQueryBody, qrQueryDataSchema, qrQueryResponseSchema } from './tx/person';
import { detailFileRows, detailFileText, detailInput, detailOutputSchema, fileTotals, parseResultFile, totalsInput, totalsOutputSchema } from './tx/reconcile';
import { readReversalRefusal, reversalInput } from './tx/reversal';
import { visitCancelInput, visitCancelOutputSchema } from './tx/outpatient-cancel';
import { diagnosisInput } from './tx/outpatient-diagnosis';
import { feeRemoveInput, feeUploadInput, feeUploadOutputSchema } from './tx/outpatient-fees';
import { registerInput, registerOutputSchema, unregisterInput } from './tx/outpatient-register';
import { visitPresettleInput, visitPresettleOutputSchema, visitSettleInput, visitSettleOutputSchema } from './tx/outpatient-settle';
import { traceInput, traceOutputSchema, type TraceAnswer, type TraceReport } from './tx/trace';
import { signInInput, signInOutputSchema, signOutInput, signOutOutputSchema } from './tx/sign';
import { postForFile, postJson } from './transport';
import { buildEnvelope, type CounterIdentity } from './envelope';
import type { GatewaySecurity, SealedRequest } from './security/gateway';
import { noOutput, responseEnvelopeSchema } from './wire';

export type { CounterIdentity } from './envelope';
export const CALL_SERVICE_PATH = '/fsi/api/rsfComIfsService/callService';
export const QR_QUERY_PATH = '/localcfc/api/hsecfc/localQrCodeQuery';

/** Hands out msgids that are already persisted, so none is ever issued twice, even across restarts. */
export interface MsgidSource {
  next(): string;
}

export interface PlatformClientOptions {
  baseUrl: string;
  /** The 医保码 gateway; defaults to baseUrl (the simulator serves both). */
  qrGatewayUrl?: string;
  counter: CounterIdentity;
  profile: ProvinceProfile;
  msgids: MsgidSource;
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  retryDelayMs?: number;
  now?: () => Date;
  /** The province gateway's signing/encryption/headers (profile `security`); absent: plain envelopes. */
  security?: GatewaySecurity | null;
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

type Infno = '9001' | '9002' | '1101' | '2101' | '2102' | '2103' | '2201' | '2202' | '2203' | '2204' | '2205' | '2206' | '2207' | '2208'
  | '2601' | '3201' | '3202' | '3505' | '3506' | '9101' | '9102';
const IDEMPOTENT = new Set<string>(['9001', '1101', '2101', '2206', 'ec.query']);
/** The transactions a 2601 may reverse (reference §2.8). */
export type ReversibleInfno = '2102' | '2103' | '2207' | '2208';

/** The operator a message is sent for (envelope opter/opter_name, 9001/9002 opter_no). */
export interface MessageOperator {
  code: string;
  name: string;
}

export class PlatformClient {
  private signNo = '';
  /** The operator signed in at the counter; null: the terminal's configured one (config.counter.opter). */
  private signedOperator: MessageOperator | null = null;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly now: () => Date;
  private readonly names: ReturnType<typeof extensionRenamer>;

  constructor(private readonly options: PlatformClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.now = options.now ?? (() => new Date());
    this.names = extensionRenamer(options.profile.extensionFields);
  }

  get signedIn(): boolean {
    return this.signNo !== '';
  }

  get profile(): ProvinceProfile {
    return this.options.profile;
  }

  /** Whether this gateway knows the wallet extension at all (else a wallet is never offered). */
  get walletSupported(): boolean {
    return this.options.profile.extensionFields !== null;
  }

  /** A fresh msgid, already persisted: store it with the message before sending. */
  newMsgid(): string {
    return this.options.msgids.next();
  }

  /** The counter's identity with the operator messages are sent for now. */
  get counter(): CounterIdentity {
    const op = this.signedOperator;
    return op ? { ...this.options.counter, opter: op.code, opterName: op.name } : this.options.counter;
  }

  /** The operator signed in at the counter, or null (messages then carry the configured operator). */
  get operator(): MessageOperator | null {
    return this.signedOperator;
  }

  /**
   * Another operator takes the counter: the leaving one's sign-in ends with 9002 (when the platform is
   * away, his sign_no is dropped all the same: it was his), and the next message signs in (9001) for the
   * new one. Call signIn() right after to sign in at once.
   */
  async useOperator(next: MessageOperator | null): Promise<void> {
    if (next?.code === this.signedOperator?.code && next?.name === this.signedOperator?.name) return;
    try {
      await this.signOut();
    } catch {
      // Unreachable or refused: the platform ends a sign-in nobody uses; it is never reused for another operator.
    } finally {
      this.signNo = '';
    }
    this.signedOperator = next;
  }

  /** 9001 签到: the sign_no every later message carries. */
  async signIn(): Promise<{ signNo: string; signTime: string }> {
    const c = this.counter;
    const out = await this.idempotent('9001', '', signInInput(c.opter, c.mac, c.ip), signInOutputSchema);
    this.signNo = out.signNo;
    return out;
  }

  /** 9002 签退, when the operator leaves or the app closes. Nothing to do when not signed in. */
  async signOut(): Promise<{ signTime: string } | null> {
    if (!this.signNo) return null;
    const input = signOutInput(this.signNo, this.counter.opter);
    const out = await this.once('9002', this.newMsgid(), '', input, signOutOutputSchema);
    this.signNo = '';
    return out;
  }

  /** ec.query: decode a 医保码 payload into an ecToken (online only). */
  async queryQrCode(payload: string): Promise<D.QrIdentity> {
    return this.withRetries('ec.query', async () => {
      const url = (this.options.qrGatewayUrl ?? this.options.baseUrl) + QR_QUERY_PATH;
      const raw = await postJson(url, qrQueryBody(this.options.counter.fixmedinsCode, payload), this.timeoutMs, 'ec.query');
      const response = parseAnswer(qrQueryResponseSchema, raw, 'ec.query');
      if (response.code !== 0) {
        throw new PlatformRefusal('ec.query', response.code, response.message || '医保码无效', null);
      }
      return parseAnswer(qrQueryDataSchema, response.data, 'ec.query');
    });
  }

  /** 1101 人员信息获取; insuplc_admdvs travels in the envelope when known, so an out-of-region patient is found. */
  async getPerson(credential: D.Credential): Promise<D.PersonInfo> {
    const input = personQueryInput(credential, infTime(this.now()), this.options.profile);
    return this.idempotent('1101', credential.insuplcAdmdvs ?? '', input, personOutputSchema);
  }

  /** 2101 药店预结算: no money moves, so it is safe to retry. The answer is checked against the request. */
  async presettle(request: D.SettleRequest): Promise<D.SettlementFigures> {
    this.refuseBareId(request, '2101');
    return this.withRetries('2101', async () => {
      const msgid = this.newMsgid();
      const answer = await this.once('2101', msgid, request.insuplcAdmdvs, this.drugInput(request, '2101'), presettleOutputSchema);
      checkDrugSettleAnswer('2101', request, msgid, answer, this.options.profile);
      return answer.figures;
    });
  }

  /**
   * 2102 药店结算, under a msgid the caller stored before calling. Sent once. `agreed` is the 2101 the
   * patient accepted: a split differing from it beyond the profile's tolerance is not recorded as settled.
   */
  async settle(request: D.SettleRequest, msgid: string, agreed?: D.SettlementFigures): Promise<D.SettlementRecord> {
    this.refuseBareId(request, '2102');
    const answer = await this.once('2102', msgid, request.insuplcAdmdvs, this.drugInput(request, '2102'), settleOutputSchema);
    checkDrugSettleAnswer('2102', request, msgid, answer, this.options.profile, agreed);
    return answer.record;
  }

  /** 2103 药店结算撤销, under a stored msgid. Sent once; the refund is checked against the settlement. */
  async cancel(
    target: { setlId: string; mdtrtId: string; psnNo: string; insuplcAdmdvs: string; medfeeSumamt?: number },
    msgid: string,
  ): Promise<D.CancelRecord> {
    const input = cancelInput(target.setlId, target.mdtrtId, target.psnNo);
    const record = await this.once('2103', msgid, target.insuplcAdmdvs, input, cancelOutputSchema);
    if (target.medfeeSumamt !== undefined) {
      const problems = cancelProblems(record, { setlId: target.setlId, medfeeSumamt: target.medfeeSumamt });
      if (problems.length > 0) throw new AnswerMismatchError('2103', problems, null);
    }
    return record;
  }

  /**
   * 2601 冲正 of an earlier 2102/2103/2207/2208 message (infcode only). A refusal that names the original as never
   * received or already reversed is an answer; any other refusal is thrown (the original stays unknown).
   */
  async reverse(
    target: { psnNo: string; omsgid: string; oinfno: ReversibleInfno; insuplcAdmdvs: string },
    msgid: string,
  ): Promise<D.ReversalStatus> {
    const input = reversalInput(target.psnNo, target.omsgid, target.oinfno);
    try {
      await this.once('2601', msgid, target.insuplcAdmdvs, input, noOutput);
      return 'reversed';
    } catch (error) {
      const meaning = error instanceof PlatformRefusal ? readReversalRefusal(error.errMsg, this.options.profile) : null;
      if (meaning) return meaning;
      throw error;
    }
  }

  // ---------- the hospital billing desk (2201–2208; checks in outpatient-check.ts) ----------

  /**
   * 2201 门诊挂号: the platform's 就诊ID for this person's visit. Not retried here (a second call under a new
   * msgid registers twice). The desk passes the msgid it stored before sending, and the same one again to
   * learn what became of a 2201 whose answer was lost (main/outpatient/visit-register.ts).
   */
  async register(r: O.RegisterRequest, msgid = this.newMsgid()): Promise<O.Registration> {
    const answer = await this.once('2201', msgid, r.insuplcAdmdvs, registerInput(r), registerOutputSchema);
    if (answer.psnNo !== r.psnNo || answer.iptOtpNo !== r.iptOtpNo) {
      throw new AnswerMismatchError('2201', [`挂号应答应为 ${r.psnNo}/${r.iptOtpNo}, 平台为 ${answer.psnNo}/${answer.iptOtpNo}`], null);
    }
    return answer;
  }

  /** 2202 门诊挂号撤销. */
  async unregister(v: O.VisitRef, iptOtpNo: string): Promise<void> {
    await this.once('2202', this.newMsgid(), v.insuplcAdmdvs, unregisterInput(v.psnNo, v.mdtrtId, iptOtpNo), noOutput);
  }

  /** 2203 门诊就诊信息上传: the visit's medical type and diagnoses. */
  async uploadDiagnosis(r: O.DiagnosisRequest): Promise<void> {
    await this.once('2203', this.newMsgid(), r.insuplcAdmdvs, diagnosisInput(r), noOutput);
  }

  /** 2204 门诊费用明细信息上传: one checked answer per item (class, self-pay share). */
  async uploadFees(u: O.FeeUpload): Promise<O.FeeAnswer[]> {
    const answers = await this.once('2204', this.newMsgid(), u.insuplcAdmdvs, feeUploadInput(u), feeUploadOutputSchema);
    checkFeeAnswers(u.items, answers);
    return answers;
  }

  /** 2205 门诊费用明细信息撤销 of one batch (收费批次). */
  async removeFees(v: O.VisitRef, chrgBchno: string): Promise<void> {
    await this.once('2205', this.newMsgid(), v.insuplcAdmdvs, feeRemoveInput(v.mdtrtId, chrgBchno, v.psnNo), noOutput);
  }

  /** 2206 门诊预结算: no money moves, so it is retried like 2101; the answer is checked. */
  async presettleVisit(r: O.VisitSettleRequest): Promise<D.SettlementFigures> {
    this.refuseBareId(r, '2206');
    return this.withRetries('2206', async () => {
      const msgid = this.newMsgid();
      const answer = await this.once('2206', msgid, r.insuplcAdmdvs, visitPresettleInput(r, this.options.profile), visitPresettleOutputSchema);
      checkVisitSettleAnswer('2206', r, msgid, answer, this.options.profile);
      return answer.figures;
    });
  }

  /** 2207 门诊结算 under a stored msgid, sent once; `agreed` is the 2206 the patient accepted. */
  async settleVisit(r: O.VisitSettleRequest, msgid: string, agreed: D.SettlementFigures): Promise<D.SettlementRecord> {
    this.refuseBareId(r, '2207');
    const input = visitSettleInput(r, agreed, this.options.profile);
    const answer = await this.once('2207', msgid, r.insuplcAdmdvs, input, visitSettleOutputSchema);
    checkVisitSettleAnswer('2207', r, msgid, answer, this.options.profile, agreed);
    return answer.record;
  }

  /** 2208 门诊结算撤销 under a stored msgid, sent once; the refund is checked against the settlement. */
  async cancelVisit(t: O.VisitCancelTarget, msgid: string): Promise<D.CancelRecord> {
    const record = await this.once('2208', msgid, t.insuplcAdmdvs, visitCancelInput(t.setlId, t.mdtrtId, t.psnNo), visitCancelOutputSchema);
    const problems = visitCancelProblems(record, t, this.options.profile);
    if (problems.length > 0) throw new AnswerMismatchError('2208', problems, null);
    const { psnNo: _psnNo, ...refund } = record;
    return refund;
  }

  /** 3505 商品销售 / 3506 商品销售退货 under a stored msgid; sent once (the trace-report queue retries with its own backoff). */
  async reportTrace(report: TraceReport, insuplcAdmdvs: string, msgid: string): Promise<TraceAnswer> {
    return this.once(report.infno, msgid, insuplcAdmdvs, traceInput(report), traceOutputSchema);
  }

  /** 3201 对总账 (one insutype, pharmacy clearing). */
  async reconcileTotals(totals: D.ReconcileTotals, msgid: string): Promise<D.TotalsAnswer> {
    return this.once('3201', msgid, '', totalsInput(totals, this.options.counter.mdtrtareaAdmvs), totalsOutputSchema);
  }

  /** 3202 明细对账: the detail file up through 9101, 3202, the result file down through 9102. */
  async reconcileDetails(totals: D.ReconcileTotals, rows: D.DetailRow[], msgid: string): Promise<D.ReconcileRow[]> {
    const c = this.options.counter;
    const base = `${c.fixmedinsCode}_${totals.begnDate.replaceAll('-', '')}_${msgid.slice(-4)}`;
    const fileRows = detailFileRows(rows);
    const zip = zipText(`${base}.txt`, detailFileText(fileRows));
    const uploaded = await this.once('9101', this.newMsgid(), '', uploadInput(zip, `${base}.zip`, c.fixmedinsCode), uploadOutputSchema);
    // 3202's figures are the file's: every settlement of the period and every refund, signed.
    const sums = fileTotals(fileRows);
    const declared = { ...totals, medfeeSumamt: sums.medfeeFen, fundPaySumamt: sums.fundFen, acctPay: sums.acctFen, count: sums.count };
    const input = detailInput(declared, c.mdtrtareaAdmvs, uploaded.fileQuryNo);
    const file = await this.once('3202', msgid, '', input, detailOutputSchema);
    const bytes = await this.downloadFile(file.fileQuryNo, file.filename);
    try {
      return parseResultFile(unzipText(bytes), yuanToFen);
    } catch (error) {
      throw new OutcomeUnknownError('9102', 'bad_response', (error as Error).message);
    }
  }

  /** 9102 文件下载: the file's bytes. */
  async downloadFile(fileQuryNo: string, filename: string): Promise<Uint8Array> {
    if (!this.signNo) await this.signIn();
    const input = downloadInput(fileQuryNo, filename, this.options.counter.fixmedinsCode);
    const sealed = this.envelope('9102', this.newMsgid(), '', input);
    const answer = await postForFile(this.options.baseUrl + CALL_SERVICE_PATH, sealed.envelope, this.timeoutMs, '9102', sealed.headers);
    if (answer.kind === 'bytes') return answer.bytes;
    const refusal = parseAnswer(responseEnvelopeSchema, this.open(answer.value, '9102'), '9102');
    if (refusal.infcode !== 0) throw new PlatformRefusal('9102', refusal.infcode, refusal.err_msg, null);
    throw new OutcomeUnknownError('9102', 'bad_response', '文件下载应答不是文件');
  }

  // ---------- plumbing ----------

  private drugInput(request: D.SettleRequest, infno: '2101' | '2102') {
    const c = this.counter;
    return drugSettleInput(request, infno, this.options.profile, { code: c.opter, name: c.opterName });
  }

  private refuseBareId(request: { credential: D.Credential }, infno: string): void {
    if (request.credential.mdtrtCertType === '02' && !this.options.profile.bareIdMaySettle) {
      throw new PlatformRefusal(infno, -1, '本地医保不支持凭身份证号直接结算: 请刷社保卡或扫医保码', null);
    }
  }

  private async idempotent<S extends z.ZodType>(infno: Infno, insuplc: string, input: object, schema: S) {
    return this.withRetries(infno, () => this.once(infno, this.newMsgid(), insuplc, input, schema));
  }

  private async once<S extends z.ZodType>(infno: Infno, msgid: string, insuplc: string, input: object, schema: S): Promise<z.output<S>> {
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
    const sealed = this.envelope(infno, msgid, insuplc, input);
    const posted = await postJson(this.options.baseUrl + CALL_SERVICE_PATH, sealed.envelope, this.timeoutMs, infno, sealed.headers);
    const raw = this.names.incoming(this.open(posted, infno));
    const answer = parseAnswer(responseEnvelopeSchema, raw, infno);
    if (answer.infcode !== 0) throw this.refusal(infno, answer.infcode, answer.err_msg);
    return parseAnswer(schema, answer.output ?? {}, infno);
  }

  /**
   * The interface answers a refusal with infcode and err_msg only, no error code. A refusal that speaks of
   * the sign-in (the profile's `signInRefusal` fragments, default 签到: the sign_no lapsed after a restart,
   * a new day, a sign-out elsewhere) is about the sign-in, not the request: it is marked SIGN_NO_INVALID,
   * and the next call signs in again before it is sent.
   */
  private refusal(infno: Infno, infcode: number, errMsg: string): PlatformRefusal {
    const signInLapsed = infno !== '9001' && infno !== '9002' && this.options.profile.signInRefusal.some((f) => errMsg.includes(f));
    if (signInLapsed) this.signNo = '';
    return new PlatformRefusal(infno, infcode, errMsg, signInLapsed ? 'SIGN_NO_INVALID' : null);
  }

  /** The envelope as it leaves: sealed by the gateway's security when the profile asks for it. */
  private envelope(infno: Infno, msgid: string, insuplc: string, input: object): SealedRequest {
    const now = this.now();
    const header = { infno, msgid, insuplcAdmdvs: insuplc, signNo: this.signNo, infTime: infTime(now) };
    const envelope = buildEnvelope(header, this.counter, this.options.profile, this.names.outgoing(input) as Record<string, unknown>);
    return this.options.security ? this.options.security.seal(envelope, now) : { envelope, headers: {} };
  }

  private open(answer: unknown, infno: string): unknown {
    return this.options.security ? this.options.security.open(answer, infno) : answer;
  }

  private async withRetries<T>(label: string, attempt: () => Promise<T>): Promise<T> {
    if (!IDEMPOTENT.has(label)) return attempt();
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const transient =
          error instanceof NotDeliveredError || (error instanceof OutcomeUnknownError && !(error instanceof AnswerMismatchError));
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
