/**
 * Is the platform reachable? Decided by what calls see (a refused connection, a timeout) and by a
 * periodic probe (9001 sign-in, which moves no money). A manual switch forces offline selling, e.g. when
 * the line is so slow that every sale would wait for its timeout; it is kept in the ledger across restarts.
 */
import { EventEmitter } from 'node:events';
import { NotDeliveredError, OutcomeUnknownError } from '../platform/errors';

export type OfflineMode = 'auto' | 'offline';

export interface MonitorOptions {
  probe: () => Promise<unknown>;
  intervalMs: number;
  initialMode: OfflineMode;
  saveMode: (mode: OfflineMode) => void;
  now: () => Date;
}

/** A failure that says the platform is out of reach (as opposed to a refusal, which proves it is up). */
export function isConnectivityFailure(error: unknown): boolean {
  if (error instanceof NotDeliveredError) return true;
  return error instanceof OutcomeUnknownError && error.kind !== 'bad_response';
}

export class ConnectivityMonitor {
  readonly events = new EventEmitter<{ change: [{ online: boolean; mode: OfflineMode }] }>();
  private reachable = true;
  private modeValue: OfflineMode;
  private sinceValue: string;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  private lastFailureAt = 0;

  constructor(private readonly options: MonitorOptions) {
    this.modeValue = options.initialMode;
    this.sinceValue = options.now().toISOString();
  }

  /** True when sales go to the platform now. */
  get online(): boolean {
    return this.modeValue === 'auto' && this.reachable;
  }

  /**
   * Should the next sale try the platform? Online: yes. Switched off by hand: no. Unreachable: not until
   * a probe interval passed since the last failure (so a terminal whose probe timer is not running, e.g.
   * the HTTP server in tests, still finds the platform again), and every sale does not wait for a timeout.
   */
  get shouldTryPlatform(): boolean {
    if (this.modeValue === 'offline') return false;
    if (this.reachable) return true;
    return this.options.now().getTime() - this.lastFailureAt >= this.options.intervalMs;
  }

  get mode(): OfflineMode {
    return this.modeValue;
  }

  get since(): string {
    return this.sinceValue;
  }

  setMode(mode: OfflineMode): void {
    if (mode === this.modeValue) return;
    const before = this.online;
    this.modeValue = mode;
    this.options.saveMode(mode);
    this.changed(before);
  }

  noteFailure(error: unknown): void {
    if (!isConnectivityFailure(error)) return;
    this.lastFailureAt = this.options.now().getTime();
    this.setReachable(false);
  }

  noteSuccess(): void {
    this.setReachable(true);
  }

  /** One probe now; concurrent callers share it. */
  probe(): Promise<boolean> {
    this.probing ??= this.options
      .probe()
      .then(() => (this.setReachable(true), true))
      .catch((error: unknown) => {
        // A refusal (bad sign-in data) still proves the platform answers.
        if (isConnectivityFailure(error)) return this.noteFailure(error), false;
        this.setReachable(true);
        return true;
      })
      .finally(() => {
        this.probing = null;
      });
    return this.probing;
  }

  /** Resolves once no probe is in flight: the terminal closes its ledger only after a late answer is heard. */
  async settled(): Promise<void> {
    await this.probing;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probe(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private setReachable(value: boolean): void {
    if (value === this.reachable) return;
    const before = this.online;
    this.reachable = value;
    this.changed(before);
  }

  private changed(before: boolean): void {
    if (before === this.online) return;
    this.sinceValue = this.options.now().toISOString();
    this.events.emit('change', { online: this.online, mode: this.modeValue });
  }
}
