/**
 * The composition root: from a data directory and a config, the ledger, the platform client and the
 * services, wired once. The CLI, the HTTP server and the Electron main process all start here.
 *
 * Inputs first: the config, the platform choice, the catalog and the regions are all read and checked
 * before anything is written (log, ledger, simulator file), so bad input leaves the data directory as it was.
 *
 * Demo (no config file, `"mode": "demo"` or `--demo`; config/platform-choice.ts): the built-in simulator is started in-process
 * (its own SQLite file in the data directory, so state survives between commands). The terminal talks
 * to it over real HTTP on 127.0.0.1 like to any platform; it shares none of its code.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/connection';
import { advanceMsgidClock } from '../db/msgid-repo';
import { configPath, defaultDataDir, DEFAULT_CATALOG_FILE, DEFAULT_REGIONS_FILE, loadConfig, readNamedFile, type TerminalConfig } from './config/config';
import { choosePlatform } from './config/platform-choice';
import { PlatformClient } from './platform/client';
import { formatMsgid, nextMsgidClock } from './platform/msgid';
import { loadProfile } from './platform/profile';
import { loadGatewaySecurity } from './platform/security/gateway';
import { Catalog } from './sales/catalog';
import { SaleService } from './sales/sale-service';
import { OfflineQueueRepo } from '../db/offline-queue-repo';
import { ConnectivityMonitor, type OfflineMode } from './offline/monitor';
import { OfflineDesk } from './offline/offline-desk';
import { loadRegions } from './offline/regions';
import { OfflineService } from './offline/service';
import { favourMemoryOverSpeed } from './offline/footprint';
import { closeLog, openLog, type Log } from './log/logger';
import { logExchange } from './log/platform-log';
import { logConnectivity, logOfflineException } from './log/offline-log';
import { openChainLink, type ChainLink } from './chain';
import { DeskCatalog } from './outpatient/desk-catalog';
import { OfflineVisitDrain } from './outpatient/offline-drain';
import { VisitService } from './outpatient/visit-service';
import { OperatorService } from './operators/operator-service';
import { openCounterDesks, type CounterDesks } from './counter';

export interface TerminalOptions {
  dataDir?: string;
  configFile?: string | null;
  /** Overrides config.platform.url. */
  platformUrl?: string | null;
  /** `--demo`: the built-in simulator whatever the config says. */
  demo?: boolean;
  now?: () => Date;
  /** Names the process in the log lines (cli, serve, desktop). */
  component?: string;
  /** `--desk`: this terminal serves as a hospital billing desk whatever the config says (counter.kind). */
  counterKind?: TerminalConfig['counter']['kind'];
}

export interface Terminal {
  config: TerminalConfig;
  dataDir: string;
  db: Db;
  platform: PlatformClient;
  platformUrl: string;
  /** The built-in simulator's address when it runs in-process, else null. */
  embeddedSimulatorUrl: string | null;
  /** The platform is the built-in simulator: screens, receipts and CLI answers say 演示. */
  demo: boolean;
  /** The config file this terminal reads (and the technician screen writes). */
  configFile: string;
  catalog: Catalog;
  sales: SaleService;
  /** The hospital billing desk (门诊收费处): visits, 2201–2208 (available whatever counter.kind says; the screens follow it). */
  outpatient: VisitService;
  /** Store-and-forward: status, events, manual switch, syncNow(), queue and exceptions. */
  offline: OfflineService;
  /** The log on disk (`<dataDir>/logs`), redacted by rule, level from config.log.level. */
  log: Log;
  /** The chain headquarters link (outbox pusher, trace-code guard) when configured, else null. */
  chain: ChainLink | null;
  /** The operators and their sign-in (PINs, lockout, roles); demo operators on the built-in simulator. */
  operators: OperatorService;
  /** The counter's money desk: tenders (收款), 全自费 sales, shifts (交班). */
  desks: CounterDesks;
  close(): Promise<void>;
}

export async function openTerminal(options: TerminalOptions = {}): Promise<Terminal> {
  favourMemoryOverSpeed();
  const dataDir = options.dataDir ?? defaultDataDir();
  const configFile = configPath(options.configFile ?? null, dataDir);
  const loaded = loadConfig(options.configFile ?? null, dataDir);
  const config = options.counterKind ? { ...loaded, counter: { ...loaded.counter, kind: options.counterKind } } : loaded;
  const profileFile = config.platform.profileFile;
  const profile = readNamedFile(configFile, 'platform.profileFile', profileFile, () => loadProfile(profileFile));
  const choice = choosePlatform(config, configFile, { demo: options.demo, platformUrl: options.platformUrl }, { allowHttp: profile.allowHttp ?? false });
  // Keys are read (and their permissions checked) now, before anything is written, like every other input.
  const security = profileFile === null ? null : readNamedFile(configFile, 'platform.profileFile', profileFile, () => loadGatewaySecurity(profile.security, profileFile));
  const catalog = readNamedFile(configFile, 'catalogFile', config.catalogFile, () => Catalog.fromFile(config.catalogFile ?? DEFAULT_CATALOG_FILE));
  const regions = readNamedFile(configFile, 'regionsFile', config.regionsFile, () => loadRegions(config.regionsFile ?? DEFAULT_REGIONS_FILE));
  const deskCatalog = readNamedFile(configFile, 'deskCatalogFile', config.deskCatalogFile, () => DeskCatalog.load(config.deskCatalogFile));
  const now = options.now ?? (() => new Date());
  const log = await openLog({ dataDir, level: config.log.level, component: options.component ?? 'pos' });
  const db = openDatabase(join(dataDir, 'ledger.sqlite'));
  const simulator = choice.kind === 'demo' ? await startEmbeddedSimulator(dataDir, log) : null;
  const platformUrl = choice.kind === 'remote' ? choice.url : simulator!.url;
  const fixmedinsCode = config.counter.fixmedinsCode;
  const platform = new PlatformClient({
    baseUrl: platformUrl,
    qrGatewayUrl: config.platform.qrGatewayUrl ?? undefined,
    counter: config.counter,
    msgids: { next: () => formatMsgid(fixmedinsCode, advanceMsgidClock(db, (last) => nextMsgidClock(last, now()))) },
    timeoutMs: config.platform.timeoutMs,
    retries: config.platform.retries,
    profile,
    security,
    now,
    observe: (exchange) => logExchange(log, exchange),
  });
  const settings = new OfflineQueueRepo(db);
  const monitor = new ConnectivityMonitor({
    probe: () => platform.signIn(),
    intervalMs: config.offline.probeIntervalMs,
    initialMode: settings.getSetting('mode') === 'offline' ? 'offline' : 'auto',
    saveMode: (mode: OfflineMode) => settings.setSetting('mode', mode),
    now,
  });
  let offline: OfflineService | null = null;
  const desk = new OfflineDesk({
    db,
    regions,
    config: config.offline,
    counterAdmdvs: config.counter.mdtrtareaAdmvs,
    monitor,
    now,
    onQueued: () => offline?.onQueued(),
  });
  const sales = new SaleService({ db, platform, catalog, requireTraceCodes: config.sale.requireTraceCodes, now, offline: desk });
  sales.recoverInterrupted();
  const outpatient = new VisitService({
    db, platform, catalog: deskCatalog, now, identify: (source) => sales.identify(source), isOnline: () => monitor.online, watch: monitor,
    offline: { desk, allowed: profile.outpatientOffline === true },
  });
  outpatient.recoverInterrupted();
  const operator = () => ({ code: platform.counter.opter, name: platform.counter.opterName });
  const desks = openCounterDesks({ db, now, counter: config.counter, operator, requireTraceCodes: config.sale.requireTraceCodes, onChange: (id) => sales.notify(id) });
  log.info({ dataDir, platformUrl, embedded: simulator !== null, gatewaySecurity: security?.summary ?? 'none' }, 'terminal opened');
  const batchOf = (barcode: string) => {
    const drug = catalog.byCode(barcode);
    return { manuLotnum: drug?.manu_lotnum, manuDate: drug?.manu_date, expyEnd: drug?.expy_end, rxFlag: drug?.rx_flag };
  };
  // A drained sale's full view (lines, codes, person, exceptions) is built only for someone listening (a screen).
  const onSale = (id: number) => void (sales.events.listenerCount('sale') > 0 && sales.notify(id));
  offline = new OfflineService({ db, platform, config: config.offline, monitor, onSale, now, fixmedinsCode, batchOf,
    pharmacist: { name: config.counter.pharName, pracCertNo: config.counter.pharPracCertNo },
    // Visits settled offline at the billing desk drain with the sales, in each person's order.
    visits: (exceptions) => new OfflineVisitDrain(db, outpatient.steps, exceptions, (id) => outpatient.notify(id)),
  });
  monitor.events.on('change', logConnectivity(log));
  offline.events.on('exception', logOfflineException(log));
  const chain = config.headquarters ? openChainLink(db, config.headquarters, { now }) : null;
  if (chain) {
    sales.events.on('sale', () => chain.pusher.kick()); // a settled sale reaches headquarters within moments
    chain.pusher.start();
  }

  const operators = new OperatorService({ db, maxPinFailures: config.operators.maxPinFailures, demo: simulator !== null, now });

  return {
    config,
    operators,
    dataDir,
    db,
    platform,
    platformUrl,
    embeddedSimulatorUrl: simulator?.url ?? null,
    demo: simulator !== null,
    configFile,
    catalog,
    sales,
    outpatient,
    offline,
    log,
    chain,
    desks,
    async close() {
      chain?.close();
      offline.stop();
      // A probe in flight reports to the offline status, which reads the ledger: hear it before closing.
      await monitor.settled();
      await signOutBriefly(platform);
      db.close();
      await simulator?.close();
      log.info('terminal closed');
      await closeLog(log);
    },
  };
}

async function startEmbeddedSimulator(dataDir: string, log: Log): Promise<{ url: string; close(): Promise<void> }> {
  // Loaded only in the embedded default: a terminal pointed at a real platform never loads it.
  const { startSimulator, OlderSimulatorFileError } = await import('../simulator/server');
  const dbPath = join(dataDir, 'simulator.sqlite');
  try {
    return await startSimulator({ port: 0, dbPath });
  } catch (e) {
    if (!(e instanceof OlderSimulatorFileError)) throw e;
    // The demo's stand-in platform after an upgrade: its data is only demo data, so it starts afresh,
    // but nothing is deleted: the old file is kept beside it under a name that says what it is.
    const keptAs = setAsideSqliteFile(dbPath, `schema${e.version}`);
    log.warn({ keptAs, schema: e.version }, 'built-in simulator file written by an older simulator: kept aside, starting afresh');
    return startSimulator({ port: 0, dbPath });
  }
}

/** Renames a SQLite file (and its -wal/-shm companions, if any) to `<name>.<tag>-<time>.sqlite`. */
function setAsideSqliteFile(file: string, tag: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
  const keptAs = file.replace(/\.sqlite$/, `.${tag}-${stamp}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, keptAs + suffix);
  }
  return keptAs;
}

/** 9002 签退 as the terminal closes; an unreachable platform must not hold the closing app for long. */
async function signOutBriefly(platform: PlatformClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
  await Promise.race([platform.signOut().then(() => undefined, () => undefined), deadline]);
  clearTimeout(timer);
}
