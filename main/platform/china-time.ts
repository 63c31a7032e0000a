/**
 * China time for people: every time a cashier, a technician or a receipt reads is Asia/Shanghai, whatever
 * the machine's own time zone is (a POS box set to UTC or to New York must still print 14:05 for a sale
 * made at 14:05 in Hangzhou). Stored times stay UTC ISO strings; this module only formats them.
 *
 * Pure and dependency-free: the main process (receipts, reports, the CLI) and the renderer (the screens)
 * import this one file (the layer rules allow it to both), so a time is never formatted two ways.
 * The platform's own wire times (msgid, inf_time) are made by time.ts next to this file.
 */
const ZONE = 'Asia/Shanghai';

// One formatter, made once: Intl with an explicit zone, never the process's TZ. hourCycle h23 so
// midnight is 00, not 24.
const FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * A time to show: a Date, a stored ISO string with its zone (`2026-11-23T06:05:00.000Z`, or an offset), or
 * a platform time without a zone (`2026-11-23 14:05:00`, setl_time and the like), which the platform
 * writes in China time already and is shown as it is.
 */
export type StoredTime = string | Date;

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const CHINA_LOCAL = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;

function toDate(at: Date | string): Date | null {
  const date = at instanceof Date ? at : ZONED.test(at.trim()) ? new Date(at.trim()) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function parts(date: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const p of FORMAT.formatToParts(date)) if (p.type in out) out[p.type as keyof typeof out] = p.value;
  return out;
}

/** `yyyy-MM-dd HH:mm:ss` in China time; text that is not a time is returned as it came (never a crash on screen). */
export function chinaDateTime(at: StoredTime): string {
  const local = typeof at === 'string' ? CHINA_LOCAL.exec(at.trim()) : null;
  if (local) return `${local[1]} ${local[2]}`;
  const date = toDate(at);
  if (!date) return String(at);
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `yyyy-MM-dd HH:mm` in China time (lists, where seconds are noise). */
export function chinaMinute(at: StoredTime): string {
  const full = chinaDateTime(at);
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(full) ? full.slice(0, 16) : full;
}

/** `HH:mm:ss` in China time. */
export function chinaClock(at: StoredTime): string {
  const full = chinaDateTime(at);
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(full) ? full.slice(11) : full;
}

/** The China day, `yyyy-MM-dd`, of a moment (now by default): the day a reconciliation or a report is for. */
export function chinaDay(at: StoredTime = new Date()): string {
  const full = chinaDateTime(at);
  return /^\d{4}-\d{2}-\d{2} /.test(full) ? full.slice(0, 10) : full;
}

/** A log line begins with its stored UTC time (ISO, with Z); people read it in China time. */
const STORED_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))(?= )/;

/** The line with its leading time shown in China time; a line without one is shown as it is. */
export function chinaLogLine(line: string): string {
  const m = STORED_TIME.exec(line);
  return m ? `${chinaDateTime(m[1]!)}${line.slice(m[1]!.length)}` : line;
}
