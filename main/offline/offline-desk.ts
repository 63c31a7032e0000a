/**
 * The counter side of offline selling, used by the sale service: who may be sold to (cached identity),
 * what the platform would pay (estimate from the cached policy and balances minus holds), whether a cap
 * forbids it, and the queue row written in the same transaction that moves the sale to `queued`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection';
import { OfflineQueueRepo } from '../../db/offline-queue-repo';
import { PersonsRepo, type PersonRow } from '../../db/persons-repo';
import type { LineRow, SaleRow } from '../../db/sales-repo';
import type { OfflineConfig } from '../config/config';
import type { SettleRequest, SettlementFigures } from '../platform/fields';
import { chinaDate } from '../platform/time';
import type { ChrgitmLv } from '../settlement/fund';
import type { Insutype } from '../settlement/policy';
import { SaleError } from '../sales/errors';
import type { Choices } from '../sales/sale-view';
import type { ConnectivityMonitor } from './monitor';
import { afterHolds, cashOnlyFigures, checkCaps, checkIdentity, estimateOffline, type CapRefusal } from './policy';
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

  constructor(private readonly options: OfflineDeskOptions) {
    this.queue = new OfflineQueueRepo(options.db);
    this.persons = new PersonsRepo(options.db);
  }

  get monitor(): ConnectivityMonitor {
    return this.options.monitor;
  }

  /** True when new sales must be sold offline (switched by hand, or the platform failed very recently). */
  get sellingOffline(): boolean {
    return !this.options.monitor.shouldTryPlatform;
  }

  /** The cached identity for a card read at the counter; refuses what cannot be sold offline. */
  identify(card: LocalCard): PersonRow {
    const person = this.persons.byCertno(card.certno.toUpperCase());
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
    const cached = { ownAcctFen: person.own_acct_fen, mulaidFen: person.mulaid_fen, walletFen: person.wallet_fen };
    const figures = estimateOffline({
      lines: lines.map((l) => ({ amountFen: l.pric_fen * l.cnt, chrgitmLv: l.chrgitm_lv as ChrgitmLv })),
      policy,
      insutype: person.insutype as Insutype,
      balances: afterHolds(cached, this.queue.holds(sale.psn_no)),
      walletOpen: person.wallet_open === 1,
      place: { mdtrtareaAdmvs: this.options.counterAdmdvs, insuplcAdmdvs: person.insuplc_admdvs },
      choices,
    });
    const refusal = checkCaps({
      saleExposureFen: figures.medfeeSumamt - figures.psnCashPay,
      personDayExposureFen: this.queue.personDayExposure(sale.psn_no, this.day()),
      totalExposureFen: this.queue.totalExposure(),
      oldestPendingAt: this.queue.oldestPendingAt(),
      now: this.options.now(),
      caps: this.options.config,
    });
    return { figures: refusal ? cashOnlyFigures(medfee) : figures, refusal };
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
  }

  notifyQueued(saleId: number): void {
    this.options.onQueued?.(saleId);
  }

  private identityRefusal(person: PersonRow | undefined): CapRefusal | null {
    const policyKnown = person ? this.options.regions.has(person.insuplc_admdvs) : false;
    const { now, counterAdmdvs, config } = this.options;
    return checkIdentity(person, counterAdmdvs, policyKnown, now(), config.maxIdentityAgeMinutes);
  }

  private day(): string {
    return chinaDate(this.options.now());
  }
}
