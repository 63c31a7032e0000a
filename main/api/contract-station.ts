/**
 * Which station of the terminal is in use (the pharmacy counter or the billing desk), so that the card
 * reader and the serial/HID scanners read for that one only; and the desk's event for what a device did
 * there. Spread into contract.ts; renderer-safe (zod only).
 */
import { z } from 'zod';
import { CASHIER } from './contract-parts';
import { visitSchema } from './contract-outpatient';

export const stationSchema = z.enum(['counter', 'desk']);
export type StationDto = z.infer<typeof stationSchema>;

/** A device read on the desk: the visit it opened, or why nothing was opened; `busy` while the platform is asked. */
export const deskEventSchema = z.object({
  visit: visitSchema.nullable(),
  busy: z.string().nullable(),
  error: z.string().nullable(),
  at: z.string(),
});
export type DeskEventDto = z.infer<typeof deskEventSchema>;

const code = z.string().min(1).max(30);

export const stationMethods = {
  /**
   * The screen in use: `counter` or `desk` (checked against counter.kind). On the desk, `deskForm` is the
   * open form's department and doctor while it waits for a patient; null while a visit is on the screen
   * (a card read then is refused: the clerk finishes the visit first).
   */
  setStation: {
    role: CASHIER,
    args: z.object({ station: stationSchema, deskForm: z.object({ deptCode: code, doctorCode: code }).strict().nullable().optional() }).strict(),
    result: z.object({ station: stationSchema, deskWaiting: z.boolean() }),
  },
} as const;
