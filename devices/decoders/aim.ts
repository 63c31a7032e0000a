// AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier, e.g. ]Q1 (QR), ]E0 (EAN-13), ]C1 (GS1-128).

const AIM = /^\][A-Za-z][0-9A-Za-z]/;

/** Split a leading AIM id off a code. */
export function stripAim(code: string): { code: string; symbology?: string } {
  const m = AIM.exec(code);
  if (!m) return { code };
  return { code: code.slice(3), symbology: m[0] };
}
