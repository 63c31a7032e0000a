/**
 * What the billing desk's offline visits need of the pharmacy's offline machinery (main/offline), as
 * interfaces: the outpatient layer does not import main/offline (docs/architecture.md, the layer table);
 * main/terminal.ts hands it the offline desk and the exception recorder, which fit these shapes.
 */
import type { OfflineVisitRow } from '../../db/offline-visits-repo';
import type { PersonRow } from '../../db/persons-repo';
import type { SettlementRecord } from '../platform/domain';
import type { RegionPolicy } from '../settlement/policy';

/** A card read locally: the only credential usable offline (a 医保码 needs the platform to decode). */
export interface LocalCard {
  cardNo: string;
  cardSn: string;
  certno: string;
}

/** The pharmacy's offline desk (main/offline/offline-desk.ts): identity, holds and caps shared with the sales. */
export interface OfflineDeskPort {
  /** Settling offline now (switched by hand, or the platform failed very recently). */
  readonly sellingOffline: boolean;
  readonly regions: ReadonlyMap<string, RegionPolicy>;
  readonly counterAdmdvs: string;
  /** The cached identity of a card read here; throws OFFLINE_* when it cannot be used offline. */
  identify(card: LocalCard): PersonRow;
  /** The same identity checked again later (age, insured, policy). */
  cachedPerson(psnNo: string): PersonRow;
  /** Cached balances minus what offline sales and visits hold. */
  balancesAfterHolds(person: PersonRow): { ownAcctFen: number; mulaidFen: number; walletFen: number };
  /** The first cap this insured amount would break, counted with the offline sales; null when none. */
  capRefusal(psnNo: string, exposureFen: number): { message: string } | null;
  /** Something was queued: the offline service shows it and drains when it can. */
  notifyQueued(id: number): void;
}

/** The technician's exceptions (main/offline/exceptions.ts), listed beside the sales'. */
export interface VisitExceptionsPort {
  readonly createdSinceStart: number;
  visitSettled(visit: OfflineVisitRow, record: SettlementRecord): void;
  visitRejected(visit: OfflineVisitRow, errMsg: string): void;
  /** Announces the exceptions created since the last flush (after the transaction committed). */
  flush(): void;
}
