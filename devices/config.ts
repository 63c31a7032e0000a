// The `devices` section of the terminal's config file.
import { z } from 'zod';

/** USB ids are written as numbers or hex strings ("0x0c2e", "0c2e"). */
const usbId = z.union([
  z.number().int().min(0).max(0xffff),
  z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'USB id: hex like "0x0c2e"').transform((s) => parseInt(s.replace(/^0x/i, ''), 16)),
]);

export const deviceEntrySchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    kind: z.enum(['serial', 'hid', 'virtual']),
    profile: z.enum(['scanner', 'card', 'printer', 'keyboard-scanner']),
    path: z.string().min(1).optional(),
    vendorId: usbId.optional(),
    productId: usbId.optional(),
    baud: z.number().int().positive().optional(),
    suffix: z.enum(['cr', 'lf', 'crlf']).optional(),
    encoding: z.enum(['gbk', 'utf8']).optional(),
  })
  .superRefine((d, ctx) => {
    const need = (ok: boolean, message: string, path: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', message, path: [path] });
    };
    if (d.kind === 'serial') need(d.path !== undefined, 'a serial device needs "path" (e.g. /dev/ttyACM0)', 'path');
    if (d.kind === 'hid') {
      need(d.path !== undefined || (d.vendorId !== undefined && d.productId !== undefined),
        'a HID device needs "path" or both "vendorId" and "productId"', 'vendorId');
      need(d.profile === 'scanner' || d.profile === 'keyboard-scanner', 'a HID device is a "scanner" or "keyboard-scanner"', 'profile');
    }
    if (d.kind === 'serial') need(d.profile !== 'keyboard-scanner', 'a keyboard-scanner is a HID device', 'profile');
  });

export const devicesConfigSchema = z.array(deviceEntrySchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    if (seen.has(d.id)) ctx.addIssue({ code: 'custom', message: `duplicate device id "${d.id}"`, path: [i, 'id'] });
    seen.add(d.id);
  });
});

export type DeviceEntry = z.output<typeof deviceEntrySchema>;
export type DevicesConfig = z.output<typeof devicesConfigSchema>;
export type DeviceProfile = DeviceEntry['profile'];

export const DEFAULT_BAUD = 9600;
