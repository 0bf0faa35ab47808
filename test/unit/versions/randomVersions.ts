/**
 * Random version strings for the differential tests: a seeded PRNG and one generator per scheme, drawn from the
 * characters and shapes that matter to that scheme, and paired so that many pairs are equal or nearly so.
 */

/** A seeded PRNG (mulberry32): the same seed gives the same versions, so a failure can be replayed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const digitRuns = ['0', '1', '2', '9', '10', '00', '01', '010', '5', '6', '99999999999999999999', '18446744073709551617'];
const letterRuns = ['a', 'b', 'z', 'A', 'Z', 'rc', 'alpha', 'beta', 'really', 'git', 'p', 'pre', 'dev', 'é'];

/** A version body: digit runs, letter runs and the given separators, starting with a digit run most of the time. */
function body(random: Random, separators: readonly string[]): string {
  const parts = [random() < 0.9 ? pick(random, digitRuns) : pick(random, letterRuns)];
  const length = 1 + Math.floor(random() * 6);
  for (let i = 0; i < length; i++) {
    const r = random();
    parts.push(r < 0.45 ? pick(random, separators) : r < 0.75 ? pick(random, digitRuns) : pick(random, letterRuns));
  }
  return parts.join('');
}

/** dpkg: [epoch:]upstream[-revision] with `~ + . :` and letters, plus a few versions dpkg rejects. */
export function dpkgVersion(random: Random): string {
  const r = random();
  if (r < 0.02) return pick(random, ['1:', '1.0-', 'a:1.0', '-1:1', '1a:2', ':1']);
  const epoch = random() < 0.25 ? `${pick(random, ['0', '1', '2', '00', '10', '+1'])}:` : '';
  const upstream = body(random, ['.', '.', '+', '~', '~', '-', ...(epoch ? [':'] : [])]);
  const revision = random() < 0.6 ? `-${body(random, ['.', '+', '~'])}` : '';
  return epoch + upstream + revision;
}

/** rpm: [epoch:]version[-release] with `~ ^ . _ +` and letters. */
export function rpmVersion(random: Random): string {
  const epoch = random() < 0.25 ? `${pick(random, ['0', '1', '2', '00', ''])}:` : '';
  const version = body(random, ['.', '.', '~', '^', '_', '+', '~~', '^~']);
  const release = random() < 0.6 ? `-${body(random, ['.', '~', '^', '_'])}` : '';
  return epoch + version + release;
}

/** pacman: [epoch:]pkgver[-pkgrel] with separators of different lengths. */
export function alpmVersion(random: Random): string {
  const epoch = random() < 0.25 ? `${pick(random, ['0', '1', '2', '00', ''])}:` : '';
  const version = body(random, ['.', '.', '_', '+', '..', '~', '.-']);
  const release = random() < 0.6 ? `-${body(random, ['.', '_'])}` : '';
  return epoch + version + release;
}

/** A variant of `version`: the same, or with one character changed, added or removed, using `alphabet`. */
function mutate(random: Random, version: string, alphabet: string): string {
  const r = random();
  if (r < 0.2) return version;
  const at = Math.floor(random() * (version.length + 1));
  const c = alphabet[Math.floor(random() * alphabet.length)]!;
  if (r < 0.5) return version.slice(0, at) + c + version.slice(at + 1);
  if (r < 0.8) return version.slice(0, at) + c + version.slice(at);
  return version.length > 1 ? version.slice(0, at) + version.slice(at + 1) : version;
}

/**
 * `count` pairs: half independent, half a version and a near variant of it. Versions never contain whitespace,
 * are never empty and never start with `-`, which the tools would read as an option.
 */
export function pairs(seed: number, count: number, generate: (random: Random) => string, alphabet: string): Array<[string, string]> {
  const random = prng(seed);
  const out: Array<[string, string]> = [];
  while (out.length < count) {
    const a = generate(random);
    const b = random() < 0.5 ? generate(random) : mutate(random, a, alphabet);
    if (/^[^\s-]\S*$/.test(a) && /^[^\s-]\S*$/.test(b)) out.push(random() < 0.5 ? [a, b] : [b, a]);
  }
  return out;
}

/** RubyGems: dotted segments of digits and letters, an optional `-pre` part, and some malformed strings. */
export function gemVersion(random: Random): string {
  const segment = (): string => (random() < 0.7 ? pick(random, digitRuns.slice(0, 10)) : pick(random, ['a', 'b', 'rc', 'pre', 'beta1', 'a10', 'A', '1a', 'z']));
  const n = 1 + Math.floor(random() * 5);
  let v = pick(random, digitRuns.slice(0, 10));
  for (let i = 1; i < n; i++) v += `.${segment()}`;
  if (random() < 0.2) v += `-${segment()}${random() < 0.5 ? `.${segment()}` : ''}`;
  if (random() < 0.05) v = pick(random, ['1..0', '.1', 'a', '1.0-', '1.0.', '1_0']);
  return v;
}

/** PEP 440: epochs, releases, pre/post/dev parts in their spellings, local parts, and some malformed strings. */
export function pep440Version(random: Random): string {
  const num = (): string => pick(random, ['0', '1', '2', '10', '01', '']);
  const sep = (): string => pick(random, ['', '.', '-', '_']);
  let v = random() < 0.1 ? `${pick(random, ['1', '0', '2'])}!` : '';
  if (random() < 0.1) v = `v${v}`;
  v += pick(random, ['1', '0', '2', '10', '01']);
  const n = Math.floor(random() * 3);
  for (let i = 0; i < n; i++) v += `.${pick(random, ['0', '1', '2', '10', '00'])}`;
  if (random() < 0.4) v += sep() + pick(random, ['a', 'b', 'rc', 'c', 'alpha', 'beta', 'pre', 'preview', 'RC', 'A']) + sep() + num();
  if (random() < 0.3) v += random() < 0.2 ? `-${pick(random, ['1', '2'])}` : sep() + pick(random, ['post', 'rev', 'r', 'POST']) + sep() + num();
  if (random() < 0.3) v += sep() + pick(random, ['dev', 'DEV']) + num();
  if (random() < 0.15) v += `+${pick(random, ['abc', '1', 'ubuntu.1', 'a-b_c', 'A1', '01'])}`;
  if (random() < 0.05) v = pick(random, ['1.0+', 'a1', '1..0', '1.0.post.dev', '1.0junk']);
  return v;
}

/** Maven: digit runs (long and with leading zeros), qualifiers and their aliases in any case, `.` and `-`, runs of them. */
export function mavenVersion(random: Random): string {
  const numbers = ['0', '1', '2', '9', '10', '00', '01', '123456789', '1234567890', '123456789012345678', '1234567890123456789', '000000000001'];
  const words = ['alpha', 'a', 'beta', 'b', 'milestone', 'm', 'rc', 'cr', 'snapshot', 'SNAPSHOT', 'RC', 'ga', 'final', 'release', 'sp', 'x', 'foo', 'Final', 'jre', 'android'];
  const parts = [random() < 0.9 ? pick(random, numbers) : pick(random, words)];
  const length = Math.floor(random() * 6);
  for (let i = 0; i < length; i++) {
    const r = random();
    parts.push(r < 0.5 ? pick(random, ['.', '.', '-', '..', '.-', '-.']) : r < 0.75 ? pick(random, numbers) : pick(random, words));
  }
  return parts.join('');
}
