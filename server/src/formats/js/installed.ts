/**
 * What the yarn, pnpm and bun lockfile readers share: the installed packages a line pass found (name, version and
 * the offsets of the version token), turned into references for the few entries the caller wants, one per
 * installed package; the two sides of git conflict markers; and the check for a file cut short.
 */
import type { Extracted, PackageManager, PackageReference, ReadProblem } from '../../model';
import { conflictSides } from '../json/tolerant';
import { positionsAt } from '../textPositions';

/** One installed registry package as a lockfile spells it: the version token is `text.slice(start, end)`. */
export interface Installed {
  name: string;
  version: string;
  start: number;
  end: number;
  /** Lower is preferred when the same package is spelt more than once (a pnpm package before its snapshot). */
  rank: number;
  /** The name it is installed under, when every spelling is an alias of `name`. */
  alias?: string;
}

/** A problem found by a line pass, as offsets; turned into a ReadProblem with positions at the end. */
export interface OffsetProblem {
  reason: ReadProblem['reason'];
  message: string;
  start: number;
  end: number;
}

/** What one pass over a lockfile's text found. */
export interface LockRead {
  installed: Installed[];
  problems: OffsetProblem[];
}

/** How a format builds its references: the manager, the name messages use, and where package.json is. */
export interface LockKind {
  manager: PackageManager;
  context: string;
}

/** Accepts every entry: what `extract` passes when the caller gives no filter. */
export const everything = (): boolean => true;

/**
 * The references and read problems of a lockfile read by `read`: both sides of git conflict markers when there
 * are any (each side read as the file that branch wrote, with the original offsets), one reference per installed
 * package (the best-ranked spelling, then the first), located for the entries `wanted` keeps, in document order.
 */
export function lockExtract(text: string, path: string, kind: LockKind, wanted: (name: string, version: string) => boolean, read: (text: string, wanted: (name: string, version: string) => boolean) => LockRead): Extracted[] {
  // indexOf first: conflictSides' multiline regex costs milliseconds on a big lockfile that has no markers.
  const sides = text.indexOf('<<<<<<<') >= 0 || text.indexOf('>>>>>>>') >= 0 ? conflictSides(text) : undefined;
  let installed: Installed[];
  let problems: OffsetProblem[];
  if (!sides) {
    ({ installed, problems } = read(text, wanted));
  } else {
    const ours = read(sides.ours, wanted);
    const theirs = read(sides.theirs, wanted);
    installed = [...ours.installed, ...theirs.installed];
    const seen = new Set<string>();
    problems = [...ours.problems, ...theirs.problems].filter((p) => {
      const key = `${p.start}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }
  const best = new Map<string, Installed>();
  for (const item of installed) {
    const key = `${item.name}@${item.version}`;
    const had = best.get(key);
    if (!had || item.rank < had.rank || (item.rank === had.rank && item.start < had.start)) best.set(key, item);
  }
  const picked = [...best.values()].sort((a, b) => a.start - b.start);
  const offsets = [...picked.flatMap((item) => [item.start, item.end]), ...problems.flatMap((p) => [p.start, p.end])];
  const positions = positionsAt(text, offsets);
  const packageJson = siblingPath(path, 'package.json');
  const refs: Extracted[] = picked.map((item, index): PackageReference => ({
    kind: 'package',
    ecosystem: 'npm',
    name: item.name,
    version: item.version,
    range: { start: positions[2 * index]!, end: positions[2 * index + 1]! },
    ...(item.alias === undefined ? {} : { via: `npm alias ${item.alias}` }),
    context: kind.context,
    fix: item.alias === undefined
      ? { kind: 'npm-override', packageJson, manager: kind.manager }
      : { kind: 'none', reason: `It is installed under the alias ${item.alias}: change that alias's version in package.json, then run ${kind.manager} install.` },
  }));
  const base = 2 * picked.length;
  const read_: Extracted[] = problems.map((p, index) => ({ kind: 'problem', reason: p.reason, message: p.message, range: { start: positions[base + 2 * index]!, end: positions[base + 2 * index + 1]! } }));
  return [...refs, ...read_].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** A release version as registries publish them (`5.6.1`, `1.0.0-rc.1+build`), not a tag, range, path or URL. */
export function isReleaseVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version);
}

/** A package name as npm writes it (`chalk`, `@scope/name`): at most one `/`, after a scope. */
export function isPackageName(name: string): boolean {
  return /^(@[^/@\s:"']+\/)?[^/@\s:"']+$/.test(name);
}

/**
 * The problem of a text that does not end with a line break although its last line holds an entry's version: the
 * file may have been cut there, and a cut version ("5.6" of "5.6.12") would be another, so that line is not read.
 */
export function cutShort(text: string, file: string, lastLineStart: number): OffsetProblem {
  return {
    reason: 'syntax',
    message: `${file} ends in the middle of a line, so it may have been cut short here: this last line was not checked.`,
    start: lastLineStart,
    end: text.length,
  };
}

/** The path of `name` in the same folder as `path`, keeping the path's own separator (POSIX or Windows). */
export function siblingPath(path: string, name: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? name : path.slice(0, cut + 1) + name;
}

/** The last part of a path. */
export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
