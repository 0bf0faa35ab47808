// Upstream release numbers as projects write them (Homebrew, nixpkgs, vcpkg, MacPorts, tarball names), ordered by
// one documented rule, since these ecosystems have no comparison tool of their own to agree with:
//
// - A version is a sequence of runs of digits and runs of letters; every other character only separates runs,
//   so "1.2.3", "1-2-3" and "1_2_3" are equal. A leading "v" before a digit is dropped ("v1.2" == "1.2").
// - At each position: a pre-release word (dev < alpha < beta < pre = preview < rc) < the end of the version <
//   any other letter run (a patch letter as in "1.0.2a", or "really" in "5.6.1+really5.4.5") < a number.
// - Numbers compare by value ("1.010" == "1.10"), letter runs case-insensitively by code unit. The end is a
//   token like the others, so "1.0" < "1.0.0" (as dpkg and rpm say) and the order stays transitive: padding
//   with zeros would make "1.0" == "1.0.0" > "1.0a" > "1.0".
import { byteOrder, digitOrder, invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** One run of a generic version: a number, a pre-release word or another letter run. */
export interface GenericRun {
  readonly kind: 'number' | 'pre' | 'word';
  readonly text: string;
}

const preRank: Readonly<Record<string, number>> = { dev: 0, alpha: 1, beta: 2, pre: 3, preview: 3, rc: 4 };

/** Parses an upstream version into its runs, or throws when it is empty, has whitespace or has no digit. */
export function parse(version: string): GenericRun[] {
  const why = reason(version);
  if (why) throw new Error(`invalid version '${version}': ${why}`);
  const text = /^[vV][0-9]/.test(version) ? version.slice(1) : version;
  return [...text.matchAll(/[0-9]+|[A-Za-z]+/g)].map(([run]) => {
    if (/^[0-9]/.test(run)) return { kind: 'number', text: run };
    const lower = run.toLowerCase();
    return { kind: lower in preRank ? 'pre' : 'word', text: lower };
  });
}

/** Orders two upstream versions by the rule above; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const ia = reason(a) !== undefined;
  const ib = reason(b) !== undefined;
  if (ia || ib) return invalidOrder(ia, ib, a, b);
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < x.length || i < y.length; i++) {
    const r = runOrder(x[i], y[i]);
    if (r) return r;
  }
  return 0;
}

/** The generic scheme: Homebrew, nixpkgs, vcpkg, MacPorts, upstream tarballs, and any unknown ecosystem. */
export const scheme: Scheme = {
  name: 'generic',
  invalid: reason,
  compare,
};

const weight = { pre: 0, end: 1, word: 2, number: 3 } as const;

function runOrder(a: GenericRun | undefined, b: GenericRun | undefined): number {
  const wa = a ? weight[a.kind] : weight.end;
  const wb = b ? weight[b.kind] : weight.end;
  if (wa !== wb) return wa < wb ? -1 : 1;
  if (!a || !b) return 0;
  if (a.kind === 'number') return digitOrder(a.text, b.text);
  if (a.kind === 'pre') return Math.sign(preRank[a.text]! - preRank[b.text]!);
  return byteOrder(a.text, b.text);
}

function reason(version: string): string | undefined {
  if (version === '') return 'version string is empty';
  if (/\s/.test(version)) return 'version string has whitespace';
  if (!/[0-9]/.test(version)) return 'version string has no digit';
  return undefined;
}
