/**
 * The drain of visits settled offline (docs/outpatient.md, "Offline outpatient settlement"): run with every
 * drain of the offline sales (main/offline/service.ts), once the platform is back. Each queued visit goes
 * through the desk's own online steps, so their msgid and in-doubt rules apply unchanged:
 *
 *   2201 (visit-register.ts registerStored: msgid stored first; in doubt: 2201 again under that msgid, then
 *   2202, and registered afresh) -> 2203 -> 2204 (with 2206, visit-settle.ts presettle) -> 2207 (send-once;
 *   in doubt: 2601 of that msgid, then presettled and settled again under a new msgid).
 *
 * Per person, in the order things happened among his offline sales AND visits: a visit waits while the person
 * has an offline sale queued before it that the platform has not settled, and (main/offline/sync-worker.ts)
 * an offline sale waits behind his earlier pending visit. Persons one after another: the desk's steps are
 * sequential, and a visit's bill goes up in several messages.
 *
 * Settled: the platform's split against the estimate, a difference an exception with the amount owed (the
 * technician's list, beside the sales'). Refused: the visit is rejected with an exception (the insured part is
 * owed), its registration cancelled when one exists. Never delivered: the drain stops (the platform is away).
 * Anything else (an outcome not seen, a step refused by the ledger): left for the next drain, the reason kept.
 */
import type { Db } from '../../db/connection';
import { OfflineVisitsRepo, type OfflineVisitRow } from '../../db/offline-visits-repo';
import type { VisitExceptionsPort } from './offline-ports';
import type { SettlementRecord } from '../platform/domain';
import type { OutpatientMedType } from '../platform/outpatient-domain';
import { SaleError } from '../settlement/sale-error';
import { DeskCallError } from './desk-calls';
import type { VisitBill } from './visit-bill';
import type { VisitRecords } from './visit-records';
import type { VisitRegistration } from './visit-register';
import type { VisitSettlement } from './visit-settle';

export interface VisitDrainReport {
  settled: number;
  rejected: number;
  exceptions: number;
  /** Visits still pending after this drain. */
  remaining: number;
  stoppedBy: 'done' | 'unreachable';
}

type Outcome = 'settled' | 'rejected' | 'wait' | 'unreachable';

/** At most this many steps per visit and drain (a whole visit needs six; a reversal adds a few). */
const MAX_STEPS = 16;

export interface OfflineDrainSteps {
  registration: VisitRegistration;
  bill: VisitBill;
  money: VisitSettlement;
  records: VisitRecords;
}

export class OfflineVisitDrain {
  readonly queue: OfflineVisitsRepo;
  private current: Promise<VisitDrainReport> | null = null;

  constructor(
    db: Db,
    private readonly steps: OfflineDrainSteps,
    private readonly exceptions: VisitExceptionsPort,
    /** Announces a visit the drain moved (the desk's screen listens). */
    private readonly onVisit: (visitId: number) => void,
  ) {
    this.queue = new OfflineVisitsRepo(db);
  }

  /** For the sale drain: the person's offline sale queued at `queuedAt` waits behind his earlier pending visit. */
  saleWaits(psnNo: string, queuedAt: string): boolean {
    return this.queue.pendingBefore(psnNo, queuedAt);
  }

  pendingCount(): number {
    return this.queue.pendingCount();
  }

  /** One drain at a time per process; a second caller joins the running one. */
  drain(): Promise<VisitDrainReport> {
    this.current ??= this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async run(): Promise<VisitDrainReport> {
    const report: VisitDrainReport = { settled: 0, rejected: 0, exceptions: 0, remaining: 0, stoppedBy: 'done' };
    const before = this.exceptions.createdSinceStart;
    const blocked = new Set<string>();
    for (const entry of this.queue.pending()) {
      if (blocked.has(entry.psn_no)) continue;
      // The person's order: his earlier offline sales first, and his earlier visits (pending() is in queue order).
      if (this.queue.saleBefore(entry.psn_no, entry.queued_at) || this.queue.head(entry.psn_no)?.visit_id !== entry.visit_id) {
        blocked.add(entry.psn_no);
        continue;
      }
      const outcome = await this.drive(entry);
      this.onVisit(entry.visit_id);
      if (outcome === 'unreachable') {
        report.stoppedBy = 'unreachable';
        break;
      }
      if (outcome === 'settled') report.settled++;
      else if (outcome === 'rejected') report.rejected++;
      else blocked.add(entry.psn_no);
    }
    report.exceptions = this.exceptions.createdSinceStart - before;
    report.remaining = this.queue.pendingCount();
    return report;
  }

  /** The visit's next steps from where it stands, until settled, refused, or stopped. */
  private async drive(entry: OfflineVisitRow): Promise<Outcome> {
    const { registration, bill, money, records } = this.steps;
    const id = entry.visit_id;
    let presettledNow = false;
    let signedInAgain = false;
    for (let step = 0; step < MAX_STEPS; step++) {
      const visit = records.require(id);
      const queued = this.queue.get(id) as OfflineVisitRow;
      try {
        switch (visit.state) {
          case 'offline_queued':
            await registration.registerStored(id);
            break;
          case 'register_in_doubt':
            await registration.resolve(id);
            break;
          case 'unregistered':
            this.registerAgain(id);
            break;
          case 'registered':
          case 'presettled':
            if (queued.diagnosed === 0) {
              await bill.diagnose(id, visit.med_type as OutpatientMedType, diagnosisCodes(visit.diagnosis_json));
              this.queue.markDiagnosed(id);
            } else if (!presettledNow || visit.state === 'registered') {
              // 2204 of the stored items (first time, or again after an unseen upload) and 2206 now, just before the 2207.
              await money.presettle(id, {});
              presettledNow = true;
            } else {
              await money.settle(id);
            }
            break;
          case 'in_doubt':
            await money.resolve(id);
            presettledNow = false;
            break;
          case 'settled':
            return this.settled(queued, JSON.parse(visit.settle_json as string) as SettlementRecord);
          default:
            // sending/registering of a live process, or a state no drain step leads to: left as is.
            this.queue.noteAttempt(id, `脱机就诊处于${visit.state}, 本次未上传`);
            return 'wait';
        }
      } catch (error) {
        // A lapsed sign-in refused the step, not the visit: the client signs in again before the next call.
        if (isSignInLapse(error) && !signedInAgain) {
          signedInAgain = true;
          continue;
        }
        return this.failed(queued, error);
      }
    }
    return 'wait';
  }

  /** The 2201 in doubt was found and cancelled (2202): the visit is registered afresh, its 2203 sent again. */
  private registerAgain(visitId: number): void {
    const { records } = this.steps;
    records.visits.transaction(() => {
      records.move(records.require(visitId), 'offline_queued', { mdtrt_id: '', register_msgid: null, unregistered: 0, fees_removed: 0 });
      this.queue.resetDiagnosed(visitId);
    });
    records.note(visitId, 'visit.offline_requeued', 'registration in doubt was cancelled: registering again');
  }

  private settled(queued: OfflineVisitRow, record: SettlementRecord): Outcome {
    this.steps.records.visits.transaction(() => {
      this.queue.finish(queued.visit_id, 'settled', null);
      this.exceptions.visitSettled(queued, record);
    });
    this.exceptions.flush();
    this.steps.records.note(queued.visit_id, 'visit.offline_settled', `setl_id ${record.setlId}`);
    return 'settled';
  }

  private async failed(queued: OfflineVisitRow, error: unknown): Promise<Outcome> {
    const text = error instanceof Error ? error.message : String(error);
    if (error instanceof DeskCallError && error.outcome === 'not_delivered') {
      this.queue.noteAttempt(queued.visit_id, text);
      return 'unreachable';
    }
    // A sign-in refused again right after signing in: not this visit's fault either; the next drain goes on.
    if (error instanceof DeskCallError && error.outcome === 'refused' && !isSignInLapse(error)) return this.reject(queued, text);
    this.queue.noteAttempt(queued.visit_id, text);
    return 'wait';
  }

  /** The platform refused a step: insurance pays nothing; the registration (if any) is cancelled, best effort. */
  private async reject(queued: OfflineVisitRow, text: string): Promise<Outcome> {
    const { records, bill } = this.steps;
    const id = queued.visit_id;
    const visit = records.require(id);
    if (visit.state === 'registered' || visit.state === 'presettled') await bill.unregister(id).catch(() => undefined);
    records.visits.transaction(() => {
      const now = records.require(id);
      if (now.state === 'offline_queued') records.move(now, 'offline_rejected', { last_error: text });
      this.queue.finish(id, 'rejected', text);
      this.exceptions.visitRejected(queued, text);
    });
    this.exceptions.flush();
    records.note(id, 'visit.offline_rejected', text);
    return 'rejected';
  }
}

function diagnosisCodes(json: string | null): string[] {
  if (!json) throw new SaleError('NO_DIAGNOSIS', '脱机就诊没有诊断');
  return (JSON.parse(json) as Array<{ code: string }>).map((d) => d.code);
}

/** The platform refused a message for the terminal's sign-in (PlatformClient marks it), not for its content. */
function isSignInLapse(error: unknown): boolean {
  return error instanceof DeskCallError && error.outcome === 'refused' && error.code === 'SIGN_NO_INVALID';
}
