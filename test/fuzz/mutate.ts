/**
 * Seeded mutation of text: a small PRNG and the mutations the fuzzer stacks on a seed file (byte flips, span
 * deletion and duplication, inserted quoting and expansion syntax, line breaks, NUL, unicode, long tokens, deep
 * nesting, splices from another seed). Everything is a pure function of the seed, so an input can be rebuilt.
 */

/** A deterministic random source (mulberry32): `next()` is in [0, 1). */
export interface Random {
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

/** A PRNG from a 32-bit seed. */
export function random(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

/** A 32-bit hash of a string (FNV-1a), for seeds derived from names. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The largest input the fuzzer makes, in UTF-16 units: the time bound applies to inputs up to 64 KB. */
export const maxInputLength = 64 * 1024;

/** Short tokens that shells, Dockerfiles, recipes and JSON give meaning to. */
const tokens = [
  '"', "'", '`', '\\', '\\\n', '$(', '${', '$', '$((', ')', '}', ']', '[', '{', '(', '<<EOF\n', '<<-EOF\n', '\nEOF\n', '<<"EOF"\n',
  '\r', '\r\n', '\n', '\0', '\t', ' ', '#', ';', '&&', '|', '=', '==', '~=', '>=', '@', ':', ',', '/', '-', '+=', '=(', '\\"',
  'é', '\u2028', '\u2029', '\ufeff', '\ud800', '\udc00', '😀', '\u0085', '\u00a0', '\x7f', '${VER}', '${XZ_VER:-5.6.1}', '$pkgver',
  'ARG VER=5.6.1\n', 'RUN ', 'FROM ', 'ENV ', 'ADD ', 'xz-utils=5.6.1-1', 'xz=5.6.1-r1', '5.6.1', '5.6.0', '"version": "5.6.1"',
  '"chalk"', '"debug": "4.4.2"', 'liblzma-sys', 'xz==5.6.1', 'pkgver=5.6.1', 'pkgrel=1', 'source=(', 'sha256sums=(', 'depends="',
  '[[package]]\n', 'name = "liblzma-sys"\nversion = "0.3.2"\n', 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz',
];

/** Openers for deep nesting, each with its closer. */
const nests: [string, string][] = [['(', ')'], ['{', '}'], ['[', ']'], ['$(', ')'], ['${', '}'], ['"', '"'], ['`', '`'], ['{"a":', '}'], ['[', ','], ['$(echo ', ')'], ['if if ', ' fi']];

/** One mutation of `text`; `other` is another seed of the same format, for splices. */
export function mutateOnce(text: string, rng: Random, other: string): string {
  const at = rng.int(text.length + 1);
  const span = (): number => Math.min(text.length - at, 1 + rng.int(rng.next() < 0.8 ? 16 : 400));
  switch (rng.int(12)) {
    case 0: {
      // Byte flip: one character replaced by another (ASCII, control or unicode).
      const c = rng.next() < 0.7 ? String.fromCharCode(rng.int(128)) : String.fromCharCode(rng.int(0x10000));
      return text.slice(0, at) + c + text.slice(at + 1);
    }
    case 1:
      return text.slice(0, at) + text.slice(at + span());
    case 2: {
      // Span duplication, once or many times (long runs find quadratic scans).
      const s = text.slice(at, at + span());
      const times = rng.next() < 0.7 ? 1 : 1 + rng.int(rng.next() < 0.5 ? 50 : 3000);
      return text.slice(0, at) + s.repeat(times) + text.slice(at);
    }
    case 3:
    case 4:
      return text.slice(0, at) + rng.pick(tokens) + text.slice(at);
    case 5: {
      // A token repeated: `$($($(`, `\\\\`, `"""`.
      const t = rng.pick(tokens);
      return text.slice(0, at) + t.repeat(1 + rng.int(rng.next() < 0.5 ? 20 : 5000)) + text.slice(at);
    }
    case 6: {
      // A long token: one word of thousands of characters.
      const c = rng.pick(['a', '5', '.', '-', '/', 'x', '=', '\\', '$', '%', '_', '+']);
      return text.slice(0, at) + c.repeat(100 + rng.int(20000)) + text.slice(at);
    }
    case 7: {
      // Deep nesting, closed or not.
      const [open, close] = rng.pick(nests);
      const depth = 1 + rng.int(rng.next() < 0.5 ? 100 : 5000);
      return text.slice(0, at) + open.repeat(depth) + (rng.next() < 0.5 ? close.repeat(depth) : '') + text.slice(at);
    }
    case 8: {
      // Line operations: delete, duplicate or swap a line.
      const lines = text.split('\n');
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      const op = rng.int(3);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[i]!);
      else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 9: {
      // Splice: a span of another seed of the same format.
      const from = rng.int(other.length + 1);
      return text.slice(0, at) + other.slice(from, from + 1 + rng.int(2000)) + text.slice(at);
    }
    case 10: {
      // Line endings: every \n becomes \r\n or \r, or one is turned.
      const to = rng.pick(['\r\n', '\r', '\n\r', '\u2028']);
      return rng.next() < 0.5 ? text.split('\n').join(to) : text.slice(0, at) + text.slice(at).replace('\n', to);
    }
    default:
      // Truncation.
      return text.slice(0, at);
  }
}

/** A mutated input: one to five stacked mutations of `seed`, at most `maxInputLength` long. */
export function mutate(seed: string, rng: Random, other: string): string {
  let text = seed;
  const count = 1 + rng.int(5);
  for (let i = 0; i < count; i++) text = mutateOnce(text, rng, other);
  return text.length > maxInputLength ? text.slice(0, maxInputLength) : text;
}
