// Chinese resident ID (GB 11643): 17 digits + ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

/** Explains what is wrong with an ID number, or returns null when it is valid. */
export function idProblem(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a digit or X';
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return 'bad check digit (ISO 7064 MOD 11-2)';
  const y = Number(id.slice(6, 10));
  const mo = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return 'bad birth date';
  }
  return null;
}

/** Birth date (yyyy-MM-dd) encoded in an ID number. */
export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Gender encoded in an ID number: "1" male (odd 17th digit), "2" female. */
export function idGender(id: string): '1' | '2' {
  return Number(id[16]) % 2 === 1 ? '1' : '2';
}
