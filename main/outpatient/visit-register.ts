/**
 * 2201 门诊挂号 with the same discipline as money: the visit row (state `registering`, the operator who
 * opened it) and the 2201's msgid are stored in one transaction before the message leaves.
 *
 * A 2201 whose answer was lost (the platform may have registered) leaves the visit `register_in_doubt`.
 * 2601 cannot undo it: the reference lists the reversible transactions (§2.8: 2102, 2103, 2207, 2208 and
 * inpatient ones) and 2201 is not among them. So the registration is looked for and cancelled: 2201 is
 * sent again under its own stored msgid (a platform that has that msgid answers its first result: the
 * simulator's documented rule for every outpatient write; one that never got it registers now), which
 * gives the 就诊ID, and 2202 cancels it. Nothing was uploaded to it, so no orphan registration remains and
 * the clerk registers again. When the platform refuses that lookup, or the 2202, the visit stays in doubt
 * on the technician's list with what to do.
 */
import { maskName } from '../../devices/mask';
import type { VisitRow } from '../../db/visits-repo';
import type { PlatformClient } from '../platform/client';
import type { Credential, Insutype, PersonInfo } from '../platform/domain';
import type { RegisterRequest, Registration as PlatformRegistration } from '../platform/outpatient-domain';
import type { Failure, SendOnce } from '../sending/send-once';
import { claimStale } from '../sending/owner';
import { SaleError } from '../settlement/sale-error';
import type { DeskCalls } from './desk-calls';
import { credentialOf, stateText, visitRef, type VisitRecords } from './visit-records';

export interface RegisterAsk {
  person: PersonInfo;
  credential: Credential;
  begntime: string;
  iptOtpNo: string;
  dept: { code: string; name: string; caty: string };
  doctor: { code: string; name: string };
}

const UNDONE_TEXT = '挂号结果未知: 平台上的该挂号已撤销 (2202), 未收费: 请重新挂号';

export class VisitRegistration {
  constructor(
    private readonly records: VisitRecords,
    private readonly platform: PlatformClient,
    private readonly sender: SendOnce,
    private readonly calls: DeskCalls,
  ) {}

  /**
   * 2201 under a msgid stored first. Answered: the visit id. Refused or never delivered: the row is gone (nothing
   * exists at the platform) and the clerk is told why. Unknown: resolved at once when possible, then refused with
   * what became of it (the visit stays on the technician's list if it could not be resolved).
   */
  async register(ask: RegisterAsk): Promise<number> {
    let visitId = 0;
    const request = registerRequest(ask);
    const sent = await this.sender.send<PlatformRegistration, Failure | null>({
      infno: '2201',
      recordId: null,
      begin: (msgid) => {
        visitId = this.create(ask, msgid);
        return true;
      },
      transmit: (msgid) => this.platform.register(request, msgid),
      settled: (reg) => {
        this.records.move(this.records.require(visitId), 'registered', { mdtrt_id: reg.mdtrtId, owner: null, lease_until: null });
        this.records.note(visitId, 'visit.registered', `mdtrt_id ${reg.mdtrtId} psn ${maskName(ask.person.psnName)}`);
        return null;
      },
      failed: (failure) => {
        if (failure.outcome !== 'unknown') {
          this.records.visits.deleteUnregistered(visitId);
          return failure;
        }
        this.records.move(this.records.require(visitId), 'register_in_doubt', { last_error: `挂号结果未知: ${failure.error.message}`, owner: null, lease_until: null });
        this.records.note(visitId, 'visit.register_in_doubt', failure.error.message);
        return failure;
      },
    });
    const failure = sent.sent ? sent.value : null;
    if (!failure) return visitId;
    if (failure.outcome !== 'unknown') throw this.calls.word(failure.error);
    await this.resolve(visitId).catch(() => undefined);
    const after = this.records.require(visitId);
    if (after.state === 'unregistered') throw new SaleError('REGISTER_UNDONE', UNDONE_TEXT);
    throw new SaleError('REGISTER_IN_DOUBT', `挂号结果未知, 已列入运维待处理 (就诊编号 ${visitId}): ${after.last_error ?? ''}`);
  }

  /**
   * 2201 of a visit settled offline (`offline_queued`, the drain's first step), under a msgid stored first.
   * Answered: registered. Refused or never delivered: queued again (the row holds what the patient paid; it
   * is never deleted), the failure thrown. Unknown: found and cancelled as above (it ends `unregistered`, and
   * the drain queues it again for a fresh 2201), or left in doubt for the next drain.
   */
  async registerStored(visitId: number): Promise<void> {
    const request = registerRequestOf(this.records.require(visitId));
    const sent = await this.sender.send<PlatformRegistration, Failure | null>({
      infno: '2201',
      recordId: null,
      begin: (msgid) => {
        this.records.move(this.records.require(visitId), 'registering', { register_msgid: msgid, last_error: null, ...this.records.sendingClaim() });
        return true;
      },
      transmit: (msgid) => this.platform.register(request, msgid),
      settled: (reg) => {
        this.records.move(this.records.require(visitId), 'registered', { mdtrt_id: reg.mdtrtId, presettle_json: null, owner: null, lease_until: null });
        this.records.note(visitId, 'visit.registered', `offline visit, mdtrt_id ${reg.mdtrtId}`);
        return null;
      },
      failed: (failure) => {
        const unknown = failure.outcome === 'unknown';
        const text = failure.error.message;
        this.records.move(this.records.require(visitId), unknown ? 'register_in_doubt' : 'offline_queued', {
          last_error: unknown ? `挂号结果未知: ${text}` : text, owner: null, lease_until: null, ...(unknown ? {} : { register_msgid: null }),
        });
        this.records.note(visitId, unknown ? 'visit.register_in_doubt' : 'visit.register_failed', text);
        return failure;
      },
    });
    const failure = sent.sent ? sent.value : null;
    if (!failure) return;
    if (failure.outcome !== 'unknown') throw this.calls.word(failure.error);
    await this.resolve(visitId).catch(() => undefined);
  }

  /** A 2201 whose outcome was not seen: found by its own msgid and cancelled by 2202. Safe to call again. */
  async resolve(visitId: number): Promise<void> {
    const visit = this.records.require(visitId);
    if (visit.state !== 'register_in_doubt' || !visit.register_msgid) throw new SaleError('NOT_IN_DOUBT', `该就诊${stateText(visit)}, 无需处理挂号`);
    const msgid = visit.register_msgid;
    const mdtrtId = visit.mdtrt_id || (await this.lookUp(visit, msgid));
    try {
      await this.calls.run(() => this.platform.unregister({ ...visitRef(visit), mdtrtId }, visit.ipt_otp_no));
    } catch (error) {
      this.stillInDoubt(visitId, `平台上有该挂号 (就诊ID ${mdtrtId}), 撤销挂号 (2202) 未成功, 再次处理可重试: ${(error as Error).message}`);
      throw error;
    }
    this.records.visits.transaction(() => {
      this.records.move(this.records.require(visitId), 'unregistered', { unregistered: 1, fees_removed: 1, last_error: UNDONE_TEXT });
      this.records.note(visitId, 'visit.register_undone', `2201 ${msgid} -> mdtrt_id ${mdtrtId} -> 2202`);
    });
  }

  /** At start-up: a 2201 left sending by a process that is gone is in doubt (resolve() finds and cancels it). */
  recoverInterrupted(): number {
    let count = 0;
    this.records.visits.transaction(() => {
      for (const visit of this.records.visits.inStates(['registering'])) {
        if (!claimStale(visit.owner, visit.lease_until, this.records.now())) continue;
        if (visit.register_msgid) this.records.messages.finish(visit.register_msgid, 'unknown', this.records.stamp(), { errMsg: '程序中断, 结果未知' });
        this.records.move(visit, 'register_in_doubt', { last_error: '程序中断时挂号结果未知: 需核对并撤销挂号', owner: null, lease_until: null });
        this.records.note(visit.id, 'visit.recovered', `registering of ${visit.owner ?? '?'} taken over`);
        count++;
      }
    });
    return count;
  }

  /** 2201 again under its own msgid: the platform's 就诊ID of that registration, stored (the journal row finished). */
  private async lookUp(visit: VisitRow, msgid: string): Promise<string> {
    let reg: PlatformRegistration;
    try {
      reg = await this.calls.run(() => this.platform.register(registerRequestOf(visit), msgid));
    } catch (error) {
      this.stillInDoubt(visit.id, `未能向平台核实门诊号 ${visit.ipt_otp_no} 的挂号 (${(error as Error).message}): 可稍后再次处理; 若仍不行, 请在医保平台查询该门诊号并撤销挂号`);
      throw error;
    }
    this.records.visits.transaction(() => {
      this.records.visits.transition(visit.id, 'register_in_doubt', 'register_in_doubt', this.records.stamp(), { mdtrt_id: reg.mdtrtId });
      this.records.messages.finish(msgid, 'ok', this.records.stamp(), { result: reg });
      this.records.note(visit.id, 'visit.register_found', `2201 ${msgid} -> mdtrt_id ${reg.mdtrtId}`);
    });
    return reg.mdtrtId;
  }

  private stillInDoubt(visitId: number, text: string): void {
    this.records.visits.transition(visitId, 'register_in_doubt', 'register_in_doubt', this.records.stamp(), { last_error: text });
  }

  private create(ask: RegisterAsk, msgid: string): number {
    const { person, credential } = ask;
    const operator = this.platform.operator;
    const id = this.records.visits.create({
      created_at: this.records.stamp(), state: 'registering', psn_no: person.psnNo, psn_name: person.psnName, certno: person.certno,
      insutype: person.insutype, insuplc_admdvs: person.insuplcAdmdvs, mdtrt_cert_type: credential.mdtrtCertType,
      mdtrt_cert_no: credential.mdtrtCertNo, card_sn: credential.cardSn ?? '', ipt_otp_no: ask.iptOtpNo, mdtrt_id: '',
      registered_here: 1, dept_code: ask.dept.code, dept_name: ask.dept.name, caty: ask.dept.caty,
      doctor_code: ask.doctor.code, doctor_name: ask.doctor.name, begntime: ask.begntime,
      opter: operator?.code ?? null, opter_name: operator?.name ?? null, register_msgid: msgid,
    });
    // The claim says which process is sending: start-up recovery leaves a live one alone.
    this.records.visits.transition(id, 'registering', 'registering', this.records.stamp(), this.records.sendingClaim());
    return id;
  }
}

function registerRequest(a: RegisterAsk): RegisterRequest {
  return {
    psnNo: a.person.psnNo, insutype: a.person.insutype, insuplcAdmdvs: a.person.insuplcAdmdvs, credential: a.credential, begntime: a.begntime,
    iptOtpNo: a.iptOtpNo, doctor: a.doctor, dept: a.dept,
  };
}

/** The 2201 as it was sent, from the stored visit (the same msgid must carry the same request). */
function registerRequestOf(v: VisitRow): RegisterRequest {
  return {
    psnNo: v.psn_no, insutype: v.insutype as Insutype, insuplcAdmdvs: v.insuplc_admdvs, credential: credentialOf(v), begntime: v.begntime,
    iptOtpNo: v.ipt_otp_no, doctor: { code: v.doctor_code, name: v.doctor_name }, dept: { code: v.dept_code, name: v.dept_name, caty: v.caty },
  };
}
