/**
 * Who is at the counter: the operator signed in (his 9001 opens his sign-in at the platform, his 9002
 * ends it), the screen lock (the open sale stays; his PIN unlocks), and the technician session that
 * technician actions need (the operator himself when he is a technician, or a technician who signed in
 * for them at F8; it ends at lock and sign-out, or when the technician signs out).
 *
 * One counter, one session: the API serves one counter, whichever window or binding is used.
 */
import { EventEmitter } from 'node:events';
import type { OperatorService } from './operator-service';
import { mayAct, OperatorError, ROLE_TEXT, type Operator, type OperatorRole } from './roles';

/** What the desk needs of the platform client: the operator messages are sent for, and 9001. */
export interface PlatformSignIn {
  useOperator(operator: { code: string; name: string } | null): Promise<void>;
  signIn(): Promise<unknown>;
}

export interface CounterDeskOptions {
  operators: OperatorService;
  platform: PlatformSignIn;
  /** Runs platform work after the counter's earlier steps (the counter session's queue). */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  /** Why the counter cannot change hands now (an unfinished sale), or null. */
  openSale: () => string | null;
}

export interface SessionView {
  operator: (Operator & { roleText: string }) | null;
  locked: boolean;
  technician: (Operator & { roleText: string }) | null;
  /** The last 9001's outcome in words, or null. */
  platformText: string | null;
}

export class CounterDesk {
  readonly events = new EventEmitter<{ change: [] }>();
  private operator: Operator | null = null;
  private elevated: Operator | null = null;
  private locked = false;
  private platformText: string | null = null;

  constructor(private readonly o: CounterDeskOptions) {}

  view(): SessionView {
    const withText = (op: Operator | null) => (op ? { ...op, roleText: ROLE_TEXT[op.role] } : null);
    return { operator: withText(this.operator), locked: this.locked, technician: withText(this.technician()), platformText: this.platformText };
  }

  /** The operator at the counter (for the status bar and the sales he opens), or null. */
  get current(): Operator | null {
    return this.operator;
  }

  /** An operator signs in at the counter: 9002 for the one before him (if any), 9001 for him. */
  async signIn(code: string, pin: string): Promise<void> {
    const op = await this.o.operators.authenticate(code, pin);
    if (this.operator && this.operator.code !== op.code) this.refuseChangeOfHands(`${this.operator.name} 的`);
    await this.o.serial(async () => {
      await this.o.platform.useOperator(op);
      this.platformText = await this.platformSignIn();
    });
    this.operator = op;
    this.elevated = null;
    this.locked = false;
    this.o.operators.record('signin', op.code);
    this.changed();
  }

  /** The operator leaves: 9002 ends his sign-in at the platform. An unfinished sale must be finished first. */
  async signOut(): Promise<void> {
    const op = this.operator;
    if (!op) return;
    if (this.locked) throw new OperatorError('SCREEN_LOCKED', '屏幕已锁定: 请先输入 PIN 解锁, 再签退', 403);
    this.refuseChangeOfHands('');
    await this.o.serial(() => this.o.platform.useOperator(null));
    this.operator = null;
    this.elevated = null;
    this.platformText = null;
    this.o.operators.record('signout', op.code);
    this.changed();
  }

  /** Locks the screen: the sale stays open, the operator stays signed in; the technician session ends. */
  lock(): void {
    if (!this.operator) throw notSignedIn();
    if (this.locked) return;
    this.locked = true;
    this.elevated = null;
    this.o.operators.record('lock', this.operator.code);
    this.changed();
  }

  /** The signed-in operator's PIN unlocks (a wrong one is counted like at sign-in). */
  async unlock(pin: string): Promise<void> {
    const op = this.operator;
    if (!op) throw notSignedIn();
    if (!this.locked) return;
    await this.o.operators.authenticate(op.code, pin);
    this.locked = false;
    this.o.operators.record('unlock', op.code);
    this.changed();
  }

  /** A technician signs in for technician actions (F8), over whoever is at the counter. */
  async technicianSignIn(code: string, pin: string): Promise<void> {
    if (this.locked) throw locked();
    const op = await this.o.operators.authenticate(code, pin, 'technician');
    this.elevated = op;
    this.o.operators.record('technician_signin', op.code);
    this.changed();
  }

  technicianSignOut(): void {
    if (!this.elevated) return;
    this.o.operators.record('technician_signout', this.elevated.code);
    this.elevated = null;
    this.changed();
  }

  /** Throws unless the counter may do what needs `role` now (403 with what to do). */
  require(role: OperatorRole): void {
    if (this.locked) throw locked();
    if (role === 'cashier') {
      if (!this.operator) throw notSignedIn();
      return;
    }
    const who = this.technician();
    if (!who || !mayAct(who.role, role)) {
      throw new OperatorError('TECHNICIAN_ONLY', `此操作需要${ROLE_TEXT[role]}登录: 请按 F8 由${ROLE_TEXT[role]}输入工号和 PIN (收银员不能操作)`, 403);
    }
  }

  /** Who may do technician actions now: the elevated technician, or the operator when he is one. */
  private technician(): Operator | null {
    if (this.locked) return null;
    if (this.elevated) return this.elevated;
    return this.operator && mayAct(this.operator.role, 'technician') ? this.operator : null;
  }

  private refuseChangeOfHands(whose: string): void {
    const open = this.o.openSale();
    if (open) throw new OperatorError('SALE_OPEN', `${whose}销售尚未完成 (${open}): 请先结算, 或按 Esc 作废, 再换人或签退`);
  }

  private async platformSignIn(): Promise<string> {
    try {
      await this.o.platform.signIn();
      return '已向医保平台签到';
    } catch {
      return '医保平台暂不可达, 未能签到: 联网后发送业务时自动签到';
    }
  }

  private changed(): void {
    this.events.emit('change');
  }
}

function notSignedIn(): OperatorError {
  return new OperatorError('NOT_SIGNED_IN', '请先登录: 输入工号和 PIN 后再操作', 403);
}

function locked(): OperatorError {
  return new OperatorError('SCREEN_LOCKED', '屏幕已锁定: 请输入 PIN 解锁后再操作', 403);
}
