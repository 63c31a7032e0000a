/**
 * The billing desk with the platform away, where the province profile allows it (`outpatientOffline`):
 * the pharmacy's store-and-forward applied to a visit (docs/outpatient.md, "Offline outpatient settlement").
 *
 * - Identity: a card read locally whose holder was seen online (1101) within the configured age, insured in
 *   this province, with the pharmacy's offline rules (main/offline/offline-desk.ts); no 医保码, no ID number,
 *   no existing 就诊ID. His insured region must have outpatient rules in the regions file, else the visit is
 *   refused offline (全自费 offered).
 * - The visit is composed locally (`offline_open`): diagnosis and fee items stored, nothing sent.
 * - The split is estimated (offline-estimate.ts) from the items' learned terms (an item never answered is
 *   full self-pay) and the cached balances minus what offline sales and visits hold; no mutual aid offline
 *   (a receiver's relatives' money is not counted on: the platform pays it at the drain and the desk refunds).
 * - Caps: the pharmacy's (per sale, per person per day, terminal total, oldest queued), counted together
 *   with the offline sales, at the estimate and again inside the queuing transaction.
 * - Settling writes the offline_visits row and moves the visit to `offline_queued` in ONE transaction,
 *   before the receipt (脱机, estimate) prints. The drain (main/offline/offline-visits.ts) does the rest.
 */
import { maskName } from '../../devices/mask';
import type { Db } from '../../db/connection';
import { OfflineVisitsRepo } from '../../db/offline-visits-repo';
import type { VisitRow } from '../../db/visits-repo';
import type { LocalCard, OfflineDeskPort } from './offline-ports';
import type { SettlementFigures, SettlementRecord } from '../platform/domain';
import type { OutpatientMedType } from '../platform/outpatient-domain';
import { chinaDate, compactTime, infTime } from '../platform/time';
import type { Choices } from '../settlement/choices';
import type { FundRule, Insutype } from '../settlement/policy';
import { SaleError } from '../settlement/sale-error';
import { learnYear, plusHeld, type SeenSettlement, type YearUsage } from '../settlement/year-usage';
import type { DeskCatalog } from './desk-catalog';
import type { FeeInput } from './fee-input';
import { estimateVisit, withOutpatient } from './offline-estimate';
import { newFee, type Registration } from './visit-bill';
import { stateText, visitChoices, type VisitRecords } from './visit-records';

const SELF_PAY_HINT = '可按全自费收费 (F12)';

export class OfflineVisitDesk {
  readonly queue: OfflineVisitsRepo;

  constructor(
    db: Db,
    private readonly desk: OfflineDeskPort,
    private readonly records: VisitRecords,
    private readonly catalog: DeskCatalog,
    /** The province profile's `outpatientOffline`: false keeps the desk refusing offline. */
    readonly allowed: boolean,
    private readonly operator: () => { code: string; name: string } | null,
  ) {
    this.queue = new OfflineVisitsRepo(db);
  }

  /** Allowed by the profile, and the platform is away (switched by hand or failing right now). */
  get settlingOffline(): boolean {
    return this.allowed && this.desk.sellingOffline;
  }

  /** Opens a visit from the card's cached identity; nothing is sent. */
  open(card: LocalCard, registration: Registration): number {
    const person = this.desk.identify(card);
    if (!withOutpatient(this.desk.regions.get(person.insuplc_admdvs))) {
      throw new SaleError('OFFLINE_NO_OUTPATIENT_POLICY', `脱机: 本机没有参保地 ${person.insuplc_admdvs} 的门诊待遇政策, 不能脱机医保结算; ${SELF_PAY_HINT}`);
    }
    const operator = this.operator();
    const at = this.records.stamp();
    const id = this.records.visits.transaction(() => this.records.visits.create({
      created_at: at, state: 'offline_open', psn_no: person.psn_no, psn_name: person.psn_name, certno: person.certno,
      insutype: person.insutype, insuplc_admdvs: person.insuplc_admdvs, mdtrt_cert_type: '03', mdtrt_cert_no: card.cardNo,
      card_sn: card.cardSn, ipt_otp_no: registration.iptOtpNo ?? this.newIptOtpNo(), mdtrt_id: '', registered_here: 1,
      dept_code: registration.dept.code, dept_name: registration.dept.name, caty: registration.dept.caty,
      doctor_code: registration.doctor.code, doctor_name: registration.doctor.name, begntime: infTime(this.records.now()),
      opter: operator?.code ?? null, opter_name: operator?.name ?? null, register_msgid: null, offline: 1,
    }));
    this.records.note(id, 'visit.offline_open', `psn ${maskName(person.psn_name)} cert 03`);
    return id;
  }

  /** The diagnosis, stored for the 2203 the drain sends (checked against the catalog now). */
  diagnose(visitId: number, medType: OutpatientMedType, codes: string[]): void {
    const diagnoses = this.catalog.diagnosesFor(medType, codes);
    this.edit(visitId, { med_type: medType, diagnosis_json: JSON.stringify(diagnoses) });
  }

  /** Items stored (pending: the drain uploads them after registering the visit). */
  addFees(visitId: number, inputs: FeeInput[]): void {
    if (inputs.length === 0) throw new SaleError('NO_FEES', '没有要上传的费用明细');
    this.records.visits.transaction(() => {
      const visit = this.require(visitId);
      const next = this.records.visits.feeCount(visitId) + 1;
      this.records.visits.addPendingFees(inputs.map((input, i) => newFee(visitId, `F${next + i}`, input)), null);
      this.records.move(visit, 'offline_open', { presettle_json: null });
    });
  }

  removeFee(visitId: number, feedetlSn: string): void {
    this.records.visits.transaction(() => {
      const visit = this.require(visitId);
      if (!this.records.liveFees(visitId).some((f) => f.feedetl_sn === feedetlSn)) throw new SaleError('NO_FEE', `该就诊没有未撤销的费用明细 ${feedetlSn}`);
      this.records.visits.markRemoved(visitId, feedetlSn);
      this.records.move(visit, 'offline_open', { presettle_json: null });
    });
  }

  /** The estimate with the patient's choices; a broken cap is said in last_error and settling is refused. */
  presettle(visitId: number, given?: Partial<Choices>): void {
    this.records.visits.transaction(() => {
      const visit = this.require(visitId);
      const chosen = visitChoices(visit, given);
      const { figures, refusal } = this.estimate(visit, chosen);
      this.records.move(visit, 'offline_open', {
        presettle_json: JSON.stringify(figures), use_account: chosen.useAccount ? 1 : 0, use_wallet: chosen.useWallet ? 1 : 0,
        wallet_cap_fen: chosen.walletCapFen, last_error: refusal,
      });
    });
  }

  /**
   * Queues the visit: estimate and caps again and the offline_visits row written in ONE transaction with the
   * move to `offline_queued`, before the receipt prints. If the figures changed meanwhile (another offline
   * sale or visit of the person), the new estimate is shown and nothing is queued.
   */
  settle(visitId: number): void {
    const outcome = this.records.visits.transaction(() => {
      const visit = this.require(visitId);
      if (!visit.presettle_json) throw new SaleError('NOT_PRESETTLED', '请先预结算 (F4): 脱机结算按估算金额收费');
      const { figures, refusal, chronic } = this.estimate(visit, visitChoices(visit, {}));
      if (refusal) return { refusal, changed: false };
      if (JSON.stringify(figures) !== visit.presettle_json) {
        this.records.move(visit, 'offline_open', { presettle_json: JSON.stringify(figures), last_error: null });
        return { refusal: null, changed: true };
      }
      const now = this.records.now();
      this.queue.insert({
        visit_id: visitId, psn_no: visit.psn_no, queued_at: now.toISOString(), day: chinaDate(now), chronic: chronic ? 1 : 0,
        medfee_fen: figures.medfeeSumamt, fund_fen: figures.fundPaySumamt, inscp_fen: figures.inscpScpAmt, own_acct_fen: figures.acctPay,
        wallet_fen: figures.walletPay, cash_fen: figures.psnCashPay, estimate_json: visit.presettle_json,
      });
      this.records.move(visit, 'offline_queued', { last_error: null });
      return { refusal: null, changed: false };
    });
    if (outcome.refusal) throw new SaleError('OFFLINE_CAP', outcome.refusal);
    if (outcome.changed) throw new SaleError('OFFLINE_ESTIMATE_CHANGED', '脱机估算已变化 (该患者刚有另一笔脱机交易): 请按新的金额确认');
    this.records.note(visitId, 'visit.offline_queued', 'settled offline on the estimate');
    this.desk.notifyQueued(visitId); // the offline service shows the new exposure and drains when it can
  }

  /** The clerk drops a visit composed offline before settling it: nothing was sent, nothing is left anywhere. */
  abandon(visitId: number): void {
    this.records.visits.transaction(() => this.records.move(this.require(visitId), 'unregistered', { presettle_json: null, fees_removed: 1 }));
    this.records.note(visitId, 'visit.offline_abandoned', 'nothing sent');
  }

  private estimate(visit: VisitRow, chosen: Choices): { figures: SettlementFigures; refusal: string | null; chronic: boolean } {
    const fees = this.records.liveFees(visit.id);
    if (fees.length === 0) throw new SaleError('NO_FEES', '该就诊没有费用明细: 请先导入或录入收费项目');
    if (!visit.diagnosis_json) throw new SaleError('NO_DIAGNOSIS', '请先录入诊断');
    const person = this.desk.cachedPerson(visit.psn_no);
    const policy = withOutpatient(this.desk.regions.get(visit.insuplc_admdvs));
    if (!policy) throw new SaleError('OFFLINE_NO_OUTPATIENT_POLICY', `脱机: 本机没有参保地 ${visit.insuplc_admdvs} 的门诊待遇政策; ${SELF_PAY_HINT}`);
    const codes = (JSON.parse(visit.diagnosis_json) as Array<{ code: string }>).map((d) => d.code);
    const chronic = visit.med_type === '14' && this.catalog.diagnosis(codes[0] ?? '')?.chronic === true;
    const insutype = visit.insutype as Insutype;
    const balances = this.desk.balancesAfterHolds(person);
    const figures = estimateVisit({
      fees: fees.map((f) => ({ medListCodg: f.med_list_codg, amountFen: f.amount_fen, pricMicros: f.pric_micros, cntE4: f.cnt_e4 })),
      terms: this.records.terms.forRegion(visit.insuplc_admdvs, fees.map((f) => f.med_list_codg)),
      policy, chronic, insutype,
      yearUsage: this.yearUsage(visit, (chronic ? policy.outpatient.chronic : policy.outpatient.fund)[insutype], chronic),
      // Mutual aid is not counted on offline for a visit (docs/outpatient.md): the platform pays it at the drain.
      balances: { ownAcctFen: balances.ownAcctFen, mulaidFen: 0, walletFen: balances.walletFen },
      walletOpen: person.wallet_open === 1,
      place: { mdtrtareaAdmvs: this.desk.counterAdmdvs, insuplcAdmdvs: visit.insuplc_admdvs },
      choices: chosen,
    });
    const refusal = this.desk.capRefusal(visit.psn_no, figures.medfeeSumamt - figures.psnCashPay);
    return { figures, refusal: refusal ? refusal.message.replace('本单只能现金自费', `不能脱机医保结算, ${SELF_PAY_HINT}`) : null, chronic };
  }

  /** The year as the ledger's settled visits of this kind tell it, plus what pending offline visits will use. */
  private yearUsage(visit: VisitRow, rule: FundRule, chronic: boolean): YearUsage {
    const year = chinaDate(this.records.now()).slice(0, 4);
    const seen: SeenSettlement[] = this.records.visits.settledIn(visit.psn_no, year, chronic).map((json) => {
      const r = JSON.parse(json) as SettlementRecord;
      return { inscpScpAmt: r.inscpScpAmt, hifpPay: r.hifpPay, actPayDedc: r.extra?.actPayDedc ?? null };
    });
    return plusHeld(learnYear(seen, rule), this.queue.heldEstimate(visit.psn_no, chronic));
  }

  private require(visitId: number): VisitRow {
    const visit = this.records.require(visitId);
    if (visit.state !== 'offline_open') throw new SaleError('BAD_STATE', `该就诊${stateText(visit)}, 不能再修改`);
    return visit;
  }

  private edit(visitId: number, patch: Parameters<VisitRecords['move']>[2]): void {
    this.records.visits.transaction(() => this.records.move(this.require(visitId), 'offline_open', { ...patch, presettle_json: null }));
  }

  /**
   * A made-up 门诊号 for a visit opened offline (the HIS gave none): its own prefix and the ledger's next visit
   * id, so it never repeats one the online desk made up in the same second (its 2201 is sent much later).
   */
  private newIptOtpNo(): string {
    return `MZT${compactTime(this.records.now())}${this.records.visits.nextId()}`;
  }
}
