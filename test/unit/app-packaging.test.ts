// The desktop packaging's pure parts: the fuses electron-builder flips, and where the data lives.
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { ELECTRON_FUSES } from '../../main/app/fuses';
import { chooseDataDir, isPerMachineInstall } from '../../main/app/data-dir';

describe('Electron fuses', () => {
  it('run-as-node, NODE_OPTIONS and --inspect off; cookie encryption, asar integrity and asar-only on', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('are what electron-builder reads from electron-builder.yml', async () => {
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false)); // electron-builder's own schema: every key known
    expect(config.electronFuses).toEqual(ELECTRON_FUSES);
    expect(config.asar).toBe(true); // the fuses above assume the app is in an asar archive
    expect(config.nsis).toMatchObject({ perMachine: true, include: 'build/installer.nsh', deleteAppDataOnUninstall: false });
  });
});

describe('data directory', () => {
  const winEnv = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', ProgramData: 'C:\\ProgramData' };

  it('a per-machine Windows install keeps one ledger for all users in %ProgramData%', () => {
    expect(chooseDataDir({ platform: 'win32', env: winEnv, exePath: 'C:\\Program Files\\YibaoPOS\\YibaoPOS.exe', userData: 'C:\\Users\\a\\AppData\\Roaming\\YibaoPOS' })).toEqual({
      dir: 'C:\\ProgramData\\YibaoPOS',
      why: 'per-machine',
    });
    expect(isPerMachineInstall('c:\\program files (x86)\\YibaoPOS\\YibaoPOS.exe', winEnv)).toBe(true);
  });

  it('a per-user install, Linux and the unpackaged app use Electron userData', () => {
    const userData = 'C:\\Users\\a\\AppData\\Roaming\\YibaoPOS';
    expect(chooseDataDir({ platform: 'win32', env: winEnv, exePath: 'C:\\Users\\a\\AppData\\Local\\Programs\\YibaoPOS\\YibaoPOS.exe', userData })).toEqual({ dir: userData, why: 'per-user' });
    // A folder merely starting like Program Files is not inside it.
    expect(isPerMachineInstall('C:\\Program FilesX\\YibaoPOS.exe', winEnv)).toBe(false);
    expect(chooseDataDir({ platform: 'linux', env: {}, exePath: '/opt/YibaoPOS/yibao-pos', userData: '/home/a/.config/YibaoPOS' })).toEqual({ dir: '/home/a/.config/YibaoPOS', why: 'per-user' });
  });

  it('YIBAO_POS_DATA overrides, as for the command line and browser mode', () => {
    expect(chooseDataDir({ platform: 'linux', env: { YIBAO_POS_DATA: '/srv/pos' }, exePath: '/opt/x', userData: '/home/a' })).toEqual({ dir: '/srv/pos', why: 'override' });
    expect(chooseDataDir({ platform: 'win32', env: { ...winEnv, YIBAO_POS_DATA: 'D:\\pos' }, exePath: 'C:\\Program Files\\YibaoPOS\\YibaoPOS.exe', userData: 'x' })).toEqual({ dir: 'D:\\pos', why: 'override' });
  });
});
