/**
 * The operators of this terminal: sign-in by code and PIN with lockout after too many wrong PINs, and
 * the administrator's management (add, list, disable, reset-pin). Every sign-in, refusal, lockout and
 * change is written to the audit trail (codes only; PINs never leave pin.ts).
 *
 * On the built-in simulator (demo) three demo operators are created on first use, so the embedded
 * default works with no configuration; their PINs are shown on the demo sign-in screen, marked 演示.
 */
import { AuditRepo } from '../../db/audit-repo';
import type { Db } from '../../db/connection';
import { OperatorsRepo, type OperatorRow } from '../../db/operators-repo';
import { hashPin, PIN_RULE, PIN_RULE_TEXT, spendVerification, verifyPin } from './pin';
import { mayAct, OperatorError, ROLE_TEXT, ROLES, type Operator, type OperatorRole } from './roles';

export const CODE_RULE = /^[0-9A-Za-z]{1,20}$/;
const CODE_RULE_TEXT = '应为 1 到 20 位字母或数字';

/** The demo operators of the built-in simulator (not secrets: shown on the demo sign-in screen). */
export const DEMO_OPERATORS: ReadonlyArray<Operator & { pin: string }> = [
  { code: '1001', name: '演示收银员', role: 'cashier', pin: '1234' },
  { code: '1002', name: '演示收银员二', role: 'cashier', pin: '2345' },
  { code: '9001', name: '演示运维', role: 'technician', pin: '9999' },
  { code: '0001', name: '演示管理员', role: 'administrator', pin: '0000' },
];

export const CREATE_ADMIN_HINT =
  '尚无任何操作员: 请先在本机命令行创建管理员: pos operators add --code 工号 --name 姓名 --role administrator (PIN 由提示输入)';

export interface OperatorSummary extends Operator {
  roleText: string;
  locked: boolean;
  disabled: boolean;
  failedAttempts: number;
  demo: boolean;
}

export interface OperatorServiceOptions {
  db: Db;
  maxPinFailures: number;
  /** The built-in simulator: demo operators are created on first use. */
  demo: boolean;
  now?: () => Date;
}

export class OperatorService {
  private readonly repo: OperatorsRepo;
  private readonly audit: AuditRepo;
  private readonly now: () => Date;
  private seeding: Promise<void> | null = null;

  constructor(private readonly o: OperatorServiceOptions) {
    this.repo = new OperatorsRepo(o.db);
    this.audit = new AuditRepo(o.db);
    this.now = o.now ?? (() => new Date());
  }

  get demo(): boolean {
    return this.o.demo;
  }

  /** Demo only: the demo operators exist (created once, on an empty table). */
  ensureDemoOperators(): Promise<void> {
    if (!this.o.demo) return Promise.resolve();
    this.seeding ??= (async () => {
      if (this.repo.count() > 0) return;
      const hashes = await Promise.all(DEMO_OPERATORS.map((d) => hashPin(d.pin)));
      const at = this.stamp();
      DEMO_OPERATORS.forEach((d, i) => this.repo.add({ code: d.code, name: d.name, role: d.role, pin_hash: hashes[i]!, demo: 1 }, at));
      this.audit.append(at, 'operator.demo_seeded', DEMO_OPERATORS.map((d) => d.code).join(','));
    })();
    return this.seeding;
  }

  /** Demo only: the demo operators with their PINs, for the demo sign-in screen. */
  demoOperators(): Array<Operator & { pin: string; roleText: string }> {
    if (!this.o.demo) return [];
    return DEMO_OPERATORS.filter((d) => this.repo.get(d.code)?.demo === 1).map((d) => ({ ...d, roleText: ROLE_TEXT[d.role] }));
  }

  /** Production with no operator at all: what to do first (create the administrator), else null. */
  setupHint(): string | null {
    return !this.o.demo && this.repo.count() === 0 ? CREATE_ADMIN_HINT : null;
  }

  /**
   * Checks a code and PIN. A wrong PIN is counted and refused with the tries left; at the configured
   * number of failures the operator is locked until an administrator resets the PIN.
   */
  async authenticate(code: string, pin: string, needed: OperatorRole = 'cashier'): Promise<Operator> {
    await this.ensureDemoOperators();
    const row = CODE_RULE.test(code) ? this.repo.get(code) : undefined;
    if (!row) {
      await spendVerification(pin);
      const hint = this.setupHint();
      throw new OperatorError('UNKNOWN_OPERATOR', hint ?? `没有工号为 ${code.slice(0, 20)} 的操作员: 请核对工号; 新操作员请管理员用 pos operators add 添加`);
    }
    if (row.disabled) throw new OperatorError('OPERATOR_DISABLED', `操作员 ${code} 已停用: 请联系管理员`);
    if (row.locked) throw new OperatorError('OPERATOR_LOCKED', lockedText(code));
    const matches = PIN_RULE.test(pin) && (await verifyPin(pin, row.pin_hash));
    const at = this.stamp();
    if (!matches) {
      const { failures, locked } = this.repo.countFailure(code, this.o.maxPinFailures, at);
      this.audit.append(at, locked ? 'operator.locked' : 'operator.pin_refused', `${code} failures ${failures}`);
      if (locked) throw new OperatorError('OPERATOR_LOCKED', `PIN 错误, ${lockedText(code)}`);
      const left = this.o.maxPinFailures - failures;
      throw new OperatorError('WRONG_PIN', `PIN 错误: 请重新输入 (再错 ${left} 次将锁定); 忘记 PIN 请找管理员重置`);
    }
    this.repo.clearFailures(code, at);
    if (!mayAct(row.role, needed)) {
      this.audit.append(at, 'operator.role_refused', `${code} ${row.role} needs ${needed}`);
      throw new OperatorError('ROLE_REFUSED', `${row.name} 是${ROLE_TEXT[row.role]}, 此操作需要${ROLE_TEXT[needed]}: 请由${ROLE_TEXT[needed]}输入工号和 PIN`, 403);
    }
    return toOperator(row);
  }

  list(): OperatorSummary[] {
    return this.repo.list().map(toSummary);
  }

  async add(input: { code: string; name: string; role: string; pin: string }): Promise<OperatorSummary> {
    const code = checkCode(input.code);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 50) throw new OperatorError('BAD_INPUT', '姓名: 应为 1 到 50 个字');
    if (!(ROLES as readonly string[]).includes(input.role)) throw new OperatorError('BAD_INPUT', `角色: 应为 ${ROLES.join(' | ')}`);
    const pinHash = await hashNewPin(input.pin);
    const at = this.stamp();
    if (!this.repo.add({ code, name, role: input.role as OperatorRole, pin_hash: pinHash, demo: 0 }, at)) {
      throw new OperatorError('OPERATOR_EXISTS', `工号 ${code} 已存在: 请换一个工号, 或用 pos operators reset-pin 重置其 PIN`);
    }
    this.audit.append(at, 'operator.added', `${code} ${input.role}`);
    return toSummary(this.repo.get(code)!);
  }

  disable(code: string): OperatorSummary {
    const at = this.stamp();
    if (!this.repo.setDisabled(checkCode(code), true, at)) throw unknown(code);
    this.audit.append(at, 'operator.disabled', code);
    return toSummary(this.repo.get(code)!);
  }

  /** A new PIN; unlocks a locked operator. */
  async resetPin(code: string, pin: string): Promise<OperatorSummary> {
    const pinHash = await hashNewPin(pin);
    const at = this.stamp();
    if (!this.repo.resetPin(checkCode(code), pinHash, at)) throw unknown(code);
    this.audit.append(at, 'operator.pin_reset', code);
    return toSummary(this.repo.get(code)!);
  }

  /** Records on a sale the operator who opened it. */
  stampSale(saleId: number, operator: Pick<Operator, 'code' | 'name'>): void {
    this.repo.stampSale(saleId, operator);
  }

  /** Sign-in, sign-out, lock and unlock at the counter, for the audit trail. */
  record(event: 'signin' | 'signout' | 'lock' | 'unlock' | 'technician_signin' | 'technician_signout', code: string): void {
    this.audit.append(this.stamp(), `operator.${event}`, code);
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

function lockedText(code: string): string {
  return `操作员 ${code} 已锁定 (PIN 连续错误次数过多): 请管理员运行 pos operators reset-pin ${code} 设置新 PIN 解锁`;
}

function checkCode(code: string): string {
  if (!CODE_RULE.test(code)) throw new OperatorError('BAD_INPUT', `工号: ${CODE_RULE_TEXT}`);
  return code;
}

async function hashNewPin(pin: string): Promise<string> {
  if (!PIN_RULE.test(pin)) throw new OperatorError('BAD_INPUT', `PIN: ${PIN_RULE_TEXT}`);
  return hashPin(pin);
}

function unknown(code: string): OperatorError {
  return new OperatorError('UNKNOWN_OPERATOR', `没有工号为 ${code} 的操作员: 请用 pos operators list 查看`);
}

function toOperator(row: OperatorRow): Operator {
  return { code: row.code, name: row.name, role: row.role };
}

function toSummary(row: OperatorRow): OperatorSummary {
  return {
    ...toOperator(row),
    roleText: ROLE_TEXT[row.role],
    locked: row.locked === 1,
    disabled: row.disabled === 1,
    failedAttempts: row.failed_attempts,
    demo: row.demo === 1,
  };
}
