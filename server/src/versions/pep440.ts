// Python package versions (PEP 440) ordered by `@renovatebot/pep440`, a port of the `packaging` library that pip
// uses: the scheme of PyPI. Normalisation is PEP 440's: "1.0" == "1.0.0", "1.0RC1" == "1.0rc1". The library
// holds numbers as JavaScript numbers, so two numbers past 2^53 (16+ digits) that differ only beyond that
// precision compare equal; `packaging` would order them.
import * as pep440 from '@renovatebot/pep440';
import { byteOrder, digitOrder, invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** A parsed PEP 440 version. */
export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  /** Pre-release as [label, number], labels normalised to 'a', 'b' or 'rc'. */
  readonly pre: readonly [string, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  readonly local: string | null;
}

/**
 * The library's reading of a version, or null when it has none or cannot hold it exactly: a number past 2^53
 * becomes a float whose text ("1e+21") the library then misreads as a local segment, and its own compare throws.
 */
function explain(version: string): ReturnType<typeof pep440.explain> {
  const known = explained.get(version);
  if (known !== undefined) return known;
  const v = pep440.explain(version);
  const numbers = v ? [v.epoch, ...v.release, v.pre?.[1], v.post, v.dev] : [];
  const answer = v && numbers.every((n) => n === null || n === undefined || Number.isSafeInteger(Number(n))) ? v : null;
  // The library parses with one large regex per call, and a file's findings compare the same few versions again
  // and again (each safe version against each affected one): readings are kept, for a bounded number of versions.
  if (explained.size >= 10_000) explained.clear();
  explained.set(version, answer);
  return answer;
}

/** The library's readings by version text (never mutated: `parse` copies what it returns). */
const explained = new Map<string, ReturnType<typeof pep440.explain>>();

/** Parses a PEP 440 version, or throws. */
export function parse(version: string): Pep440Version {
  const v = explain(version);
  if (!v) throw new Error(`invalid PEP 440 version '${version}': ${reason(version)}`);
  const pre = v.pre ? ([String(v.pre[0]), Number(v.pre[1])] as const) : null;
  const local = localOf(version)?.toLowerCase().replace(/[_-]/g, '.') ?? null;
  return { epoch: v.epoch, release: [...v.release], pre, post: v.post === null ? null : Number(v.post), dev: v.dev === null ? null : Number(v.dev), local };
}

/**
 * Orders two PEP 440 versions as pip's `packaging` does; invalid ones sort first, among themselves by code unit.
 * The public parts are ordered by the library, the local parts (`+ubuntu.1`) here, from the text as written:
 * the library reads a local segment with JavaScript's Number(), so "0b1" (a binary literal!) becomes 1.
 */
export function compare(a: string, b: string): number {
  const x = explain(a);
  const y = explain(b);
  if (!x || !y) return invalidOrder(!x, !y, a, b);
  try {
    const key = `${x.public}\0${y.public}`;
    let order = publicOrders.get(key);
    if (order === undefined) {
      order = Math.sign(pep440.compare(x.public, y.public));
      if (publicOrders.size >= 10_000) publicOrders.clear();
      publicOrders.set(key, order);
    }
    return order || localOrder(localOf(a), localOf(b));
  } catch {
    // The library's compare is not total; a version it cannot order is treated as invalid, never thrown.
    return byteOrder(a, b);
  }
}

/** The library's order of two public versions, by their texts. */
const publicOrders = new Map<string, number>();

function reason(version: string): string {
  if (version.trim() === '') return 'version string is empty';
  if (pep440.explain(version)) return 'a number in it is larger than 2^53, which Pinwatch cannot compare exactly';
  return 'does not match PEP 440 ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local])';
}

function localOf(version: string): string | null {
  const plus = version.indexOf('+');
  return plus < 0 ? null : version.slice(plus + 1).trim();
}

/** packaging's order of local versions: none first, then segment by segment, numbers after strings. */
function localOrder(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = a.toLowerCase().split(/[._-]/);
  const y = b.toLowerCase().split(/[._-]/);
  for (let i = 0; i < x.length && i < y.length; i++) {
    const xn = /^[0-9]+$/.test(x[i]!);
    const yn = /^[0-9]+$/.test(y[i]!);
    const r = xn && yn ? digitOrder(x[i]!, y[i]!) : xn ? 1 : yn ? -1 : byteOrder(x[i]!, y[i]!);
    if (r) return r;
  }
  return Math.sign(x.length - y.length);
}

/** The pep440 scheme: PyPI. */
export const scheme: Scheme = {
  name: 'pep440',
  // Without an exception: a scan meets many versions that are not PEP 440, often the same text again and again.
  invalid(version) {
    return explain(version) ? undefined : reason(version);
  },
  compare,
};
