/**
 * Which platform the terminal talks to, decided once before anything is opened: the built-in simulator
 * only when told (`--demo`, or `"mode": "demo"` / no config file at all), else the configured URL.
 * A production config without a URL refuses to start rather than settle against the simulator.
 */
import { InputError } from '../validation';
import type { TerminalConfig } from './config';

export type PlatformChoice = { kind: 'demo' } | { kind: 'remote'; url: string };

export interface PlatformOverrides {
  /** `--demo`: the built-in simulator, whatever the config says. */
  demo?: boolean;
  /** `--platform URL`: overrides config.platform.url. */
  platformUrl?: string | null;
}

/** What the province profile says about the platform's address: `allowHttp` lifts the https rule. */
export interface ProfileUrlRules {
  allowHttp: boolean;
}

export function choosePlatform(config: TerminalConfig, configFile: string, overrides: PlatformOverrides, rules: ProfileUrlRules = { allowHttp: false }): PlatformChoice {
  if (overrides.demo && overrides.platformUrl) throw new InputError('--demo 与 --platform 不能同时使用: 选其一');
  if (overrides.demo) return { kind: 'demo' };
  if (overrides.platformUrl) return { kind: 'remote', url: checkPlatformUrl(overrides.platformUrl, '--platform', config.mode, rules) };
  const url = config.platform.url;
  if (config.platform.qrGatewayUrl) checkPlatformUrl(config.platform.qrGatewayUrl, `配置文件 ${configFile}: platform.qrGatewayUrl`, config.mode, rules);
  if (config.mode === 'demo') {
    if (url) throw new InputError(`配置文件 ${configFile}: "mode": "demo" 使用内置模拟平台, 却又设置了 platform.url: 删去其一`);
    return { kind: 'demo' };
  }
  if (!url) {
    throw new InputError(
      `配置文件 ${configFile}: 生产模式 (production) 未设置医保平台: 请设置 platform.url (如 "https://..."), 或用 "mode": "demo" / --demo 运行内置模拟平台`,
    );
  }
  return { kind: 'remote', url: checkPlatformUrl(url, `配置文件 ${configFile}: platform.url`, config.mode, rules) };
}

/**
 * http or https, no user name or password in it (they would land in logs); in production https,
 * except to this machine (a local gateway or front-end processor that itself speaks TLS onward) or when
 * the province profile says `"allowHttp": true` (a provincial private network whose gateway speaks http).
 */
export function checkPlatformUrl(text: string, where: string, mode: TerminalConfig['mode'], rules: ProfileUrlRules = { allowHttp: false }): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${where}: 不是有效的网址 (not a URL): ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${where}: 只能是 http 或 https, 不能是 ${url.protocol}`);
  if (url.username || url.password) throw new InputError(`${where}: 网址中不能含用户名或密码 (credentials in the URL)`);
  if (mode === 'production' && url.protocol === 'http:' && !isLoopback(url.hostname) && !rules.allowHttp) {
    throw new InputError(`${where}: 生产模式须用 https (http 只允许本机地址, 或省份配置写明 "allowHttp": true), 实为 ${url.origin}`);
  }
  return text;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
