/**
 * A version as the C tools see it: one char per byte of its UTF-8 encoding.
 *
 * dpkg, rpm, pacman and apk walk `char *` strings, so a non-ASCII character is several bytes to them, each
 * ≥ 0x80. Re-encoding (only when needed) lets the ports compare `charCodeAt` exactly as the C code compares bytes.
 */
export function asBytes(version: string): string {
  return /[^\x00-\x7f]/.test(version) ? Buffer.from(version, 'utf8').toString('latin1') : version;
}

/** Whether a char code is an ASCII digit, as C's isdigit() in the C locale. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether a char code is an ASCII letter, as C's isalpha() in the C locale. */
export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Orders two strings by code unit (bytes, after `asBytes`), as C's strcmp/memcmp: -1, 0 or 1. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two strings of decimal digits by value, whatever their length or leading zeros: -1, 0 or 1. */
export function digitOrder(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return byteOrder(x, y);
}

/**
 * The fallback order for versions a scheme rejects and its tool gives no order for: every invalid version
 * sorts before every valid one, and invalid versions sort among themselves by code unit. Deterministic and total,
 * so sorting never throws; a caller that needs certainty asks `invalid()` first.
 */
export function invalidOrder(aInvalid: boolean, bInvalid: boolean, a: string, b: string): number {
  if (aInvalid && bInvalid) return byteOrder(a, b);
  return aInvalid ? -1 : 1;
}
