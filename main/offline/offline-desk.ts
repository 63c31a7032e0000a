/**
 * The counter side of offline selling, used by the sale service: who may be sold to (cached identity),
 * what the platform would pay (estimate from the cached policy and balances minus holds), whether a cap
 * forbids it, and the queue row written in the same transaction that moves the sale to `queued`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { OfflineQueueRepo } from '../../db/offline-queue-repo';
import { OfflineVisitsRepo } from '../../db/offline-visits-repo';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import { YearUsageRepo } from '../../db/year-usage-repo';
import type { LineRow, SaleRow } from '../../db/sales-repo';
import type { OfflineConfig } from './settings';
import type { SettleRequest, SettlementFigures } from '../platform/domain';
import { chinaDate } from '../platform/time';
import type { ChrgitmLv } from '../settlement/fund';
import type { Insutype, RegionPolicy } from '../settlement/policy';
import { learnYear, plusHeld, type YearUsage } from '../settlement/year-usage';
import { SaleError } from '../settlement/sale-error';
import type { Choices } from '../settlement/choices';
import type { ConnectivityMonitor } from './monitor';
import { attributeMulaid, giverRooms, mulaidOffline, ownAccountLeft, type GiverRoom } from './mutual-aid';
import { cashOnlyFigures, checkCaps, checkIdentity, estimateOffline, type CapRefusal } from './policy';
import type { Regions } from './regions';

export interface OfflineDeskOptions {
  db: Db;
  regions: Regions;
  config: OfflineConfig;
  counterAdmdvs: string;
  monitor: ConnectivityMonitor;
  now: () => Date;
  /** Called after a sale was queued (status counters changed). */
  onQueued?: (saleId: number) => void;
}

export interface OfflineEstimate {
  figures: SettlementFigures;
  /** Non-null: the sale may only be paid in cash; the message names the cap. */
  refusal: CapRefusal | null;
}

/** A card read locally: the only credential usable offline (a 医保码 needs the platform to decode). */
export interface LocalCard {
  cardNo: string;
  cardSn: string;
  certno: string;
}

export class OfflineDesk {
  readonly queue: OfflineQueueRepo;
  private readonly persons: PersonsRepo;
  private readonly mutualAid: MutualAidRepo;
  private readonly years: YearUsageRepo;
  /** The billing desk's offline visits: their exposure and holds count with the sales'. */
  readonly visitQueue: OfflineVisitsRepo;

  constructor(private readonly options: OfflineDeskOptions) {
    this.queue = new OfflineQueueRepo(options.db);
    this.persons = new PersonsRepo(options.db);
    this.mutualAid = new MutualAidRepo(options.db);
    this.years = new YearUsageRepo(options.db);
    this.visitQueue = new OfflineVisitsRepo(options.db);
  }

  /** The terminal's regional policies (regions file): the billing desk's offline estimate reads their outpatient part. */
  get regions(): Regions {
    return this.options.regions;
  }

  get counterAdmdvs(): string {
    return this.options.counterAdmdvs;
  }

  get monitor(): ConnectivityMonitor {
    return this.options.monitor;
  }

  /** True when new sales must be sold offline (switched by hand, or the platform failed very recently). */
  get sellingOffline(): boolean {
    return !this.options.monitor.shouldTryPlatform;
  }

  /** The cached identity for a card read at the counter (or the billing desk); refuses what cannot be sold offline. */
  identify(card: LocalCard): PersonRow {
    const person = this.persons.byCertno(card.certno.toUpperCase());
    const refusal = this.identityRefusal(person);
    if (refusal) throw new SaleError(`OFFLINE_${refusal.cap.toUpperCase()}`, refusal.message);
    return person as PersonRow;
  }

  /** The cached identity of someone identified offline before, checked again (age, insured, policy). */
  cachedPerson(psnNo: string): PersonRow {
    const person = this.persons.get(psnNo);
    const refusal = this.identityRefusal(person);
    if (refusal) throw new SaleError(`OFFLINE_${refusal.cap.toUpperCase()}`, refusal.message);
    return person as PersonRow;
  }

  /** What the platform would pay for this cart, and whether a cap forbids selling it on insurance. */
  estimate(sale: SaleRow, lines: LineRow[], choices: Choices): OfflineEstimate {
    const person = this.persons.get(sale.psn_no);
    const identity = this.identityRefusal(person);
    const medfee = lines.reduce((sum, l) => sum + l.pric_fen * l.cnt, 0);
    if (identity || !person) return { figures: cashOnlyFigures(medfee), refusal: identity };
    const policy = this.options.regions.get(person.insuplc_admdvs);
    if (!policy) throw new Error(`no policy for ${person.insuplc_admdvs}`); // checked by identityRefusal
    const figures = estimateOffline({
      lines: lines.map((l) => ({ amountFen: l.pric_fen * l.cnt, chrgitmLv: l.chrgitm_lv as ChrgitmLv })),
      policy,
      insutype: person.insutype as Insutype,
      yearUsage: this.yearUsage(person, policy),
      balances: this.balancesAfterHolds(person),
      walletOpen: person.wallet_open === 1,
      place: { mdtrtareaAdmvs: this.options.counterAdmdvs, insuplcAdmdvs: person.insuplc_admdvs },
      choices,
    });
    const refusal = this.capRefusal(sale.psn_no, figures.medfeeSumamt - figures.psnCashPay);
    return { figures: refusal ? cashOnlyFigures(medfee) : figures, refusal };
  }

  /**
   * The first cap an offline sale or visit of `exposureFen` (its insured part) would break: the pharmacy's
   * offline sales and the billing desk's offline visits count TOGETHER (one terminal, one exposure).
   */
  capRefusal(psnNo: string, exposureFen: number): CapRefusal | null {
    const day = this.day();
    const oldest = [this.queue.oldestPendingAt(), this.visitQueue.oldestPendingAt()].filter((t): t is string => t !== null).sort()[0] ?? null;
    return checkCaps({
      saleExposureFen: exposureFen,
      personDayExposureFen: this.queue.personDayExposure(psnNo, day) + this.visitQueue.personDayExposure(psnNo, day),
      totalExposureFen: this.queue.totalExposure() + this.visitQueue.totalExposure(),
      oldestPendingAt: oldest,
      now: this.options.now(),
      caps: this.options.config,
    });
  }

  /** Writes the queue row; the caller moves the sale to `queued` in the same transaction. */
  enqueue(sale: SaleRow, request: SettleRequest, figures: SettlementFigures): void {
    const at = this.options.now().toISOString();
    this.queue.insert({
      sale_id: sale.id,
      uid: randomUUID(),
      psn_no: sale.psn_no,
      queued_at: at,
      day: this.day(),
      medfee_fen: figures.medfeeSumamt,
      fund_fen: figures.fundPaySumamt,
      own_acct_fen: figures.acctPay - figures.acctMulaidPay,
      mulaid_fen: figures.acctMulaidPay,
      wallet_fen: figures.walletPay,
      cash_fen: figures.psnCashPay,
      request_json: JSON.stringify(request),
      next_at: at,
      origin: 'local',
    });
    // The mutual aid counts against each giver's one balance, in the order the platform debits them.
    if (figures.acctMulaidPay > 0) {
      this.mutualAid.addHolds(sale.id, attributeMulaid(this.giverRooms(sale.psn_no), figures.acctMulaidPay));
    }
  }

  notifyQueued(saleId: number): void {
    this.options.onQueued?.(saleId);
  }

  /**
   * Cached balances minus what unsettled offline sales and visits promised; a giver's account is shared
   * with his receivers.
   */
  balancesAfterHolds(person: PersonRow) {
    const holds = this.queue.holds(person.psn_no);
    const visits = this.visitQueue.holds(person.psn_no);
    const aidGiven = this.mutualAid.heldAgainst(person.psn_no).aidFen;
    return {
      ownAcctFen: ownAccountLeft(person.own_acct_fen, { ownFen: holds.ownAcctFen + visits.ownAcctFen, aidFen: aidGiven }),
      mulaidFen: mulaidOffline(this.giverRooms(person.psn_no)),
      walletFen: Math.max(0, person.wallet_fen - holds.walletFen - visits.walletFen),
    };
  }

  private giverRooms(receiverPsnNo: string): GiverRoom[] {
    return giverRooms(this.mutualAid.givers(receiverPsnNo), (giver) => this.mutualAid.heldAgainst(giver));
  }

  /** The year as last seen online (the platform's settlements) plus what unsettled offline sales will use. */
  private yearUsage(person: PersonRow, policy: RegionPolicy): YearUsage {
    const rule = policy.fund[person.insutype as Insutype];
    const year = chinaDate(this.options.now()).slice(0, 4);
    return plusHeld(learnYear(this.years.settledIn(person.psn_no, year), rule), this.years.heldEstimate(person.psn_no));
  }

  private identityRefusal(person: PersonRow | undefined): CapRefusal | null {
    const policyKnown = person ? this.options.regions.has(person.insuplc_admdvs) : false;
    const { now, counterAdmdvs, config } = this.options;
    return checkIdentity(person, counterAdmdvs, policyKnown, now(), config.maxIdentityAgeMinutes);
  }

  day(): string {
    return chinaDate(this.options.now());
  }
}
