// Platform time is China Standard Time (UTC+8, no DST) regardless of the host's zone.

const CST_OFFSET_MS = 8 * 3600 * 1000;

function parts(ms: number) {
  const d = new Date(ms + CST_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    y: p(d.getUTCFullYear(), 4), mo: p(d.getUTCMonth() + 1), d: p(d.getUTCDate()),
    h: p(d.getUTCHours()), mi: p(d.getUTCMinutes()), s: p(d.getUTCSeconds()), ms: p(d.getUTCMilliseconds(), 3),
  };
}

/** yyyy-MM-dd HH:mm:ss */
export function fmtDateTime(ms: number): string {
  const t = parts(ms);
  return `${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi}:${t.s}`;
}

/** yyyy-MM-dd */
export function fmtDate(ms: number): string {
  const t = parts(ms);
  return `${t.y}-${t.mo}-${t.d}`;
}

/** yyyyMMddHHmmss */
export function fmtCompact(ms: number): string {
  const t = parts(ms);
  return `${t.y}${t.mo}${t.d}${t.h}${t.mi}${t.s}`;
}

/** yyyyMMddHHmmssSSS */
export function fmtCompactMs(ms: number): string {
  return fmtCompact(ms) + parts(ms).ms;
}

/** Calendar year in China. */
export function cstYear(ms: number): number {
  return Number(parts(ms).y);
}

/** Full years of age on the given day, from a yyyy-MM-dd birth date. */
export function ageOn(brdy: string, ms: number): number {
  const today = fmtDate(ms);
  const years = Number(today.slice(0, 4)) - Number(brdy.slice(0, 4));
  return today.slice(5) < brdy.slice(5) ? years - 1 : years;
}

/** True when text is a real calendar date yyyy-MM-dd. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** True when text is yyyy-MM-dd HH:mm:ss with a real date and time. */
export function isDateTime(text: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m || !isDate(m[1] ?? '')) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
}
