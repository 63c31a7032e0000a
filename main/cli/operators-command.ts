/**
 * Operators on the command line: who runs a command (`--operator CODE`; the PIN from a prompt on a
 * terminal or the environment variable YIBAO_POS_PIN, never an argument, so it stays out of the shell
 * history and the process list), and the administrator's `pos operators add|list|disable|reset-pin`.
 *
 * The first administrator of a terminal with no operator at all is created without signing in: that
 * is how a new installation starts (the counter's sign-in screen says so).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { OperatorSummary } from '../operators/operator-service';
import { OperatorError, type Operator, type OperatorRole } from '../operators/roles';
import type { Terminal } from '../terminal';
import { InputError } from '../validation';
import type { Io } from './io';

export const PIN_ENV = 'YIBAO_POS_PIN';
/** The new PIN for `add` and `reset-pin` when there is no terminal to type it on. */
export const NEW_PIN_ENV = 'YIBAO_POS_NEW_PIN';

export const OPERATORS_USAGE = `用法 usage: pos [--operator CODE] operators COMMAND

  operators list                                     操作员列表 (管理员)
  operators add --code CODE --name NAME --role ROLE  添加操作员 (管理员; 尚无操作员时可直接创建第一个管理员)
  operators disable CODE                             停用操作员 (管理员)
  operators reset-pin CODE                           重置 PIN 并解锁 (管理员)

  ROLE: cashier (收银员) | technician (运维) | administrator (管理员)
  --operator 的 PIN: 在终端提示输入, 或环境变量 ${PIN_ENV}; 新 PIN: 提示输入两次, 或环境变量 ${NEW_PIN_ENV}.
  PIN 不能作为参数 (会留在命令历史和进程列表里).`;

/** Reads a PIN: the environment variable if set, else a prompt (echo off) on a terminal. */
export async function readPin(envName: string, prompt: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw new InputError(`PIN: 请在终端运行以输入 PIN, 或设置环境变量 ${envName} (PIN 不能作为参数)`);
  return promptHidden(prompt);
}

function promptHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer.trim());
    });
    muted = true;
  });
}

/** Signs `code` in for a command that needs `role`: his PIN is checked (and counted when wrong). */
export async function signInFor(t: Terminal, code: string, role: OperatorRole): Promise<Operator> {
  const pin = await readPin(PIN_ENV, `操作员 ${code} 的 PIN: `);
  return t.operators.authenticate(code, pin, role);
}

/** The refusal of a technician command run without --operator. */
export function technicianNeeded(): OperatorError {
  return new OperatorError('TECHNICIAN_ONLY', `此操作需要运维登录: 请加 --operator 运维工号 (PIN 在终端提示输入, 或放在环境变量 ${PIN_ENV})`, 403);
}

export async function runOperatorsCommand(t: Terminal, operator: string | undefined, argv: string[], io: Io & { json: boolean }): Promise<number> {
  let parsed: { values: { code?: string; name?: string; role?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { code: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new InputError(`operators: ${(error as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  const [sub, target, extra] = positionals;
  if (values.help || !sub || sub === 'help') return io.out(OPERATORS_USAGE), sub || values.help ? 0 : 2;
  if (extra !== undefined) throw new InputError(`operators ${sub}: unexpected argument ${extra}`);
  const bootstrap = sub === 'add' && values.role === 'administrator' && t.operators.list().length === 0;
  if (!bootstrap) await requireAdministrator(t, operator);
  const show = (o: OperatorSummary) => io.out(io.json ? JSON.stringify(o) : formatOperator(o));
  switch (sub) {
    case 'list': {
      const all = t.operators.list();
      if (io.json) io.out(JSON.stringify(all));
      else for (const o of all) show(o);
      return 0;
    }
    case 'add': {
      if (target !== undefined) throw new InputError(`operators add: unexpected argument ${target} (use --code)`);
      if (!values.code || !values.name || !values.role) throw new InputError('operators add: --code, --name and --role are needed');
      const pin = await newPin();
      const added = await t.operators.add({ code: values.code, name: values.name, role: values.role, pin });
      io.out(io.json ? JSON.stringify(added) : `已添加 ${formatOperator(added)}`);
      return 0;
    }
    case 'disable':
      show(t.operators.disable(need(target, sub)));
      return 0;
    case 'reset-pin': {
      const code = need(target, sub);
      const reset = await t.operators.resetPin(code, await newPin());
      io.out(io.json ? JSON.stringify(reset) : `已重置 PIN 并解锁: ${formatOperator(reset)}`);
      return 0;
    }
    default:
      throw new InputError(`operators: unknown command "${sub}" (pos operators help)`);
  }
}

async function requireAdministrator(t: Terminal, operator: string | undefined): Promise<void> {
  if (!operator) {
    throw new OperatorError('ADMINISTRATOR_ONLY', `管理操作员需要管理员登录: 请加 --operator 管理员工号 (PIN 在终端提示输入, 或放在环境变量 ${PIN_ENV})`, 403);
  }
  await signInFor(t, operator, 'administrator');
}

async function newPin(): Promise<string> {
  const pin = await readPin(NEW_PIN_ENV, '新 PIN (4 到 12 位数字): ');
  if (process.env[NEW_PIN_ENV] === undefined && (await readPin(NEW_PIN_ENV, '再输入一次新 PIN: ')) !== pin) {
    throw new InputError('两次输入的新 PIN 不一致: 请重新运行');
  }
  return pin;
}

function need(code: string | undefined, sub: string): string {
  if (!code) throw new InputError(`operators ${sub}: the operator's code is needed`);
  return code;
}

function formatOperator(o: OperatorSummary): string {
  const flags = [o.disabled ? '已停用' : '', o.locked ? '已锁定' : '', o.demo ? '演示' : ''].filter(Boolean).join(' ');
  return `${o.code}\t${o.name}\t${o.roleText}${flags ? `\t${flags}` : ''}`;
}

/**
 * The operator a sale command runs for: `--operator` (PIN checked), else on the built-in simulator the
 * demo cashier; a production terminal refuses to sell for nobody. Messages and the sale carry him.
 */
export async function cashierFor(t: Terminal, code: string | undefined): Promise<void> {
  if (code) return t.platform.useOperator(await signInFor(t, code, 'cashier'));
  if (t.demo) {
    await t.operators.ensureDemoOperators();
    const demoCashier = t.operators.demoOperators().find((o) => o.role === 'cashier');
    if (demoCashier) await t.platform.useOperator(demoCashier);
    return;
  }
  if (t.config.mode === 'production') {
    throw new OperatorError('OPERATOR_NEEDED', `生产模式下销售需要操作员: 请加 --operator 工号 (PIN 在终端提示输入, 或放在环境变量 ${PIN_ENV})`, 403);
  }
}

/** A technician command: `--operator` must name a technician (or an administrator) with his PIN. */
export async function technicianFor(t: Terminal, code: string | undefined): Promise<void> {
  if (!code) throw technicianNeeded();
  await t.platform.useOperator(await signInFor(t, code, 'technician'));
}
