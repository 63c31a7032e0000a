/** The technician's device configuration: read it, and save it (validated, atomically) and reconnect. */
import type { DeviceEntry } from '../../../devices/config';
import { saveConfigChange } from '../../config/config';
import type { Result } from '../contract';
import { ok, type Feature } from '../feature';

export const deviceHandlers: Feature<'getDeviceConfig' | 'saveDeviceConfig'> = ({ terminal, devices }) => ({
  getDeviceConfig: async () => ({ devices: devices.list.map(toEntryDto), file: terminal.configFile }),
  saveDeviceConfig: async ({ devices: list }) => {
    const file = terminal.configFile;
    saveConfigChange(file, (raw) => (raw.devices = list), terminal.demo ? 'demo' : 'production');
    await devices.replace(list);
    return ok(`设备配置已保存 (${file}) 并已重新连接`);
  },
});

function toEntryDto(e: DeviceEntry) {
  const out: Record<string, unknown> = { id: e.id, kind: e.kind, profile: e.profile };
  for (const k of ['path', 'vendorId', 'productId', 'baud', 'suffix', 'encoding'] as const) if (e[k] !== undefined) out[k] = e[k];
  return out as Result<'getDeviceConfig'>['devices'][number];
}
