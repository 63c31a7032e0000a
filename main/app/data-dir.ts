/**
 * Where the desktop app keeps its data (ledger, logs, config, the embedded simulator's file). Pure, so
 * the choice is tested without Electron:
 * - `YIBAO_POS_DATA` wins (a technician's override, as for the CLI and browser mode);
 * - Windows, installed per machine (the exe under Program Files, as the NSIS installer puts it):
 *   `%ProgramData%\YibaoPOS`, one ledger for every Windows user of the counter PC (the installer grants
 *   the Users group write access to it, build/installer.nsh);
 * - otherwise Electron's `app.getPath('userData')` (per user: %APPDATA%\YibaoPOS, ~/.config/YibaoPOS).
 */
import { posix, win32 } from 'node:path';

export const PRODUCT_DIR = 'YibaoPOS';

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** app.getPath('exe') */
  exePath: string;
  /** app.getPath('userData') */
  userData: string;
}

export interface DataDirChoice {
  dir: string;
  why: 'override' | 'per-machine' | 'per-user';
}

export function chooseDataDir(input: DataDirInput): DataDirChoice {
  const override = input.env.YIBAO_POS_DATA;
  if (override) return { dir: (input.platform === 'win32' ? win32 : posix).resolve(override), why: 'override' };
  if (input.platform === 'win32' && isPerMachineInstall(input.exePath, input.env)) {
    const programData = input.env.ProgramData ?? input.env.ALLUSERSPROFILE ?? 'C:\\ProgramData';
    return { dir: win32.join(programData, PRODUCT_DIR), why: 'per-machine' };
  }
  return { dir: input.userData, why: 'per-user' };
}

/** A per-machine NSIS install lives under Program Files; a per-user one under %LOCALAPPDATA%\Programs. */
export function isPerMachineInstall(exePath: string, env: Record<string, string | undefined>): boolean {
  const exe = win32.normalize(exePath).toLowerCase();
  return [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432]
    .filter((d): d is string => !!d)
    .some((dir) => exe.startsWith(win32.normalize(dir).toLowerCase().replace(/\\?$/, '\\')));
}
