// conda package versions ordered as conda's VersionOrder does: an optional epoch (`N!`), a local part after `+`,
// components split on `.` and `_` (`-` too when there is no `_`), each a run of numbers and strings where
// strings are older than numbers, "dev" is older than any other string and "post" newer than any number,
// and missing components count as 0 (so "1.1" == "1.1.0"). Case does not matter.
import { invalidOrder } from './bytes';
import type { Scheme } from './scheme';

/** One part of a component: a number, or a lower-case string ('DEV' for "dev", '*' runs as written), or Infinity for "post". */
export type CondaAtom = number | string;

/** A parsed conda version: the epoch first in `version`, as VersionOrder keeps it. */
export interface CondaVersion {
  readonly version: ReadonlyArray<readonly CondaAtom[]>;
  readonly local: ReadonlyArray<readonly CondaAtom[]>;
}

/** Parses a conda version as VersionOrder does, or throws with conda's reason. */
export function parse(input: string): CondaVersion {
  const fail = (why: string): never => {
    throw new Error(`invalid conda version '${input}': ${why}`);
  };
  let text = input.trim().toLowerCase();
  if (text === '') fail('empty version string');
  const allowed = /^[*.+!_0-9a-z]+$/;
  if (!allowed.test(text) && text.includes('-') && !text.includes('_')) text = text.replace(/-/g, '_');
  if (!allowed.test(text)) fail('invalid character(s)');

  const bang = text.split('!');
  if (bang.length > 2) fail("duplicated epoch separator '!'");
  if (bang.length === 2 && !/^[0-9]+$/.test(bang[0]!)) fail('epoch must be an integer');
  const epoch = bang.length === 2 ? bang[0]! : '0';
  const plus = bang[bang.length - 1]!.split('+');
  if (plus.length > 2) fail("duplicated local version separator '+'");
  const main = plus[0]!;
  if (main === '') fail("missing version before local version separator '+'");
  if (plus.length === 2 && plus[1] === '') fail("empty local version after '+'");
  const local = plus.length === 2 ? plus[1]!.replace(/_/g, '.').split('.') : [];
  // A trailing '_' stays on the last component, for openssl-style versions ("1.0.1_" < "1.0.1a").
  const parts = main.endsWith('_') ? main.slice(0, -1).replace(/_/g, '.').split('.') : main.replace(/_/g, '.').split('.');
  if (main.endsWith('_')) parts[parts.length - 1] += '_';
  const atoms = (component: string): CondaAtom[] => {
    const runs = component.match(/[0-9]+|\*+|[^0-9*]+/g);
    if (!runs) return fail('empty version component');
    const values = runs.map((run): CondaAtom => (/^[0-9]/.test(run) ? Number(run) : run === 'post' ? Infinity : run === 'dev' ? 'DEV' : run));
    // Components that start with a string get a leading 0, to keep numbers and strings in step.
    return /^[0-9]/.test(component) ? values : [0, ...values];
  };
  return { version: [epoch, ...parts].map(atoms), local: local.map(atoms) };
}

/** Orders two conda versions as VersionOrder does; invalid ones sort first, among themselves by code unit. */
export function compare(a: string, b: string): number {
  const x = tryParse(a);
  const y = tryParse(b);
  if (!x || !y) return invalidOrder(!x, !y, a, b);
  return partsOrder(x.version, y.version) || partsOrder(x.local, y.local);
}

/** The conda scheme: conda. */
export const scheme: Scheme = {
  name: 'conda',
  invalid(version) {
    const r = read(version);
    return typeof r === 'string' ? r : undefined;
  },
  compare,
};

/**
 * Each version text's reading, or why it is not a conda version: a scan meets the same text again and again, and
 * an exception each time is costly. Cleared when it holds `maxReadings` texts.
 */
const readings = new Map<string, CondaVersion | string>();
const maxReadings = 10_000;

function read(version: string): CondaVersion | string {
  let r = readings.get(version);
  if (r === undefined) {
    try {
      r = parse(version);
    } catch (error) {
      r = (error as Error).message.replace(/^invalid conda version '.*?': /s, '');
    }
    if (readings.size >= maxReadings) readings.clear();
    readings.set(version, r);
  }
  return r;
}

function tryParse(version: string): CondaVersion | undefined {
  const r = read(version);
  return typeof r === 'string' ? undefined : r;
}

function partsOrder(a: ReadonlyArray<readonly CondaAtom[]>, b: ReadonlyArray<readonly CondaAtom[]>): number {
  for (let i = 0; i < a.length || i < b.length; i++) {
    const x = a[i] ?? [];
    const y = b[i] ?? [];
    for (let j = 0; j < x.length || j < y.length; j++) {
      const r = atomOrder(x[j] ?? 0, y[j] ?? 0);
      if (r) return r;
    }
  }
  return 0;
}

function atomOrder(x: CondaAtom, y: CondaAtom): number {
  if (x === y) return 0;
  // A string is older than a number; strings compare by code point, so '*' < 'DEV' < '_' < 'a'.
  if (typeof x === 'string' && typeof y !== 'string') return -1;
  if (typeof y === 'string' && typeof x !== 'string') return 1;
  return x < y ? -1 : 1;
}
