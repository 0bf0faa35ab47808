/**
 * Nix's spellings of a digest, decoded to lowercase hex so they compare with the advisories: hex, Nix's own
 * base32 (`nix-hash --to-base32`), SRI (`sha256-<base64>`) and the `sha256:<digest>` prefix form.
 */

/** Nix's base32 alphabet: digits and letters without e, o, u and t. */
const alphabet = '0123456789abcdfghijklmnpqrsvwxyz';

/** A digest as an algorithm and lowercase hex, or undefined for text that spells none. */
export interface Digest {
  kind: 'sha256' | 'sha512';
  hex: string;
}

const sizes = { sha256: 32, sha512: 64 } as const;

/**
 * The digest a Nix hash string spells, for the algorithm its attribute names (`sha256 = …`, `sha512 = …`), or
 * the one its prefix names (`hash = "sha256-…"`, `"sha512:…"`); undefined for anything else.
 */
export function decodeNixHash(text: string, attribute?: 'sha256' | 'sha512'): Digest | undefined {
  const sri = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (sri) return fromBytes(sri[1] as Digest['kind'], base64(sri[2]!));
  const prefixed = /^(sha256|sha512):(.+)$/.exec(text);
  if (prefixed) return bare(prefixed[2]!, prefixed[1] as Digest['kind']);
  return attribute ? bare(text, attribute) : undefined;
}

/** A digest without a prefix: hex or base32, by its length for the algorithm. */
function bare(text: string, kind: Digest['kind']): Digest | undefined {
  const size = sizes[kind];
  if (text.length === size * 2 && /^[0-9a-fA-F]+$/.test(text)) return { kind, hex: text.toLowerCase() };
  if (text.length === Math.ceil((size * 8) / 5)) return fromBytes(kind, nixBase32(text, size));
  return undefined;
}

function fromBytes(kind: Digest['kind'], bytes: number[] | undefined): Digest | undefined {
  if (!bytes || bytes.length !== sizes[kind]) return undefined;
  return { kind, hex: bytes.map((b) => b.toString(16).padStart(2, '0')).join('') };
}

/**
 * Decodes Nix's base32, the reverse of its `printHash32`: the last character holds the lowest five bits of the
 * first byte, each character to its left the next five bits, little-endian across byte boundaries. Undefined
 * when a character is not in the alphabet or bits past the digest's end are set.
 */
export function nixBase32(text: string, size: number): number[] | undefined {
  if (text.length !== Math.ceil((size * 8) / 5)) return undefined;
  const bytes = new Array<number>(size).fill(0);
  for (let n = 0; n < text.length; n++) {
    const digit = alphabet.indexOf(text[text.length - 1 - n]!);
    if (digit < 0) return undefined;
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    bytes[i]! |= (digit << j) & 0xff;
    const carry = digit >> (8 - j);
    if (i + 1 < size) bytes[i + 1]! |= carry;
    else if (carry !== 0) return undefined;
  }
  return bytes;
}

/** Encodes bytes in Nix's base32 (for tests and messages). */
export function toNixBase32(bytes: readonly number[]): string {
  const length = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = bit >> 3;
    const j = bit & 7;
    const c = ((bytes[i]! >> j) | (i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0)) & 0x1f;
    out += alphabet[c];
  }
  return out;
}

function base64(text: string): number[] | undefined {
  if (text.length % 4 !== 0) return undefined;
  return [...Buffer.from(text, 'base64')];
}
