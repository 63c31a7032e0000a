// The platform speaks China Standard Time (UTC+8, no daylight saving), whatever the machine's zone is:
// a terminal with a UTC clock must still stamp messages and settlement dates as the platform does.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function chinaParts(date: Date) {
  const d = new Date(date.getTime() + CHINA_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    year: pad(d.getUTCFullYear(), 4),
    month: pad(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
    second: pad(d.getUTCSeconds()),
    milli: pad(d.getUTCMilliseconds(), 3),
  };
}

/** `yyyyMMddHHmmss`, the time part of a msgid. */
export function compactTime(date: Date): string {
  const p = chinaParts(date);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/** `yyyy-MM-dd HH:mm:ss`, as in `inf_time`, `fee_ocur_time`, `setl_time`. */
export function infTime(date: Date): string {
  const p = chinaParts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `yyyy-MM-dd`, the settlement day used by reconciliation. */
export function chinaDate(date: Date): string {
  return infTime(date).slice(0, 10);
}
