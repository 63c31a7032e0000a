// Display width on a receipt printer: CJK and full-width characters take 2 columns.

export function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

export function center(s: string, width: number): string {
  const left = Math.max(0, Math.floor((width - displayWidth(s)) / 2));
  return ' '.repeat(left) + s;
}

/** Split text into lines of at most `width` columns (never splitting a character). */
export function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width && line !== '') {
      lines.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Label on the left, value on the right, on one line of `width` columns (wraps the label if needed). */
export function leftRight(left: string, right: string, width: number): string[] {
  const room = width - displayWidth(right) - 1;
  if (displayWidth(left) <= room) return [padEnd(left, width - displayWidth(right)) + right];
  return [...wrap(left, width), padStart(right, width)];
}
