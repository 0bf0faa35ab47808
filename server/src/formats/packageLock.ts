/**
 * npm's package-lock.json and npm-shrinkwrap.json (lockfileVersion 1, 2 and 3). Lockfiles run to megabytes and are
 * re-read as the user types, so the format takes the fast shape: `JSON.parse` lists every installed package, the
 * caller's filter keeps the few it cares about, and only those are located in the text.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import { conflictSides, isJson, readTolerant } from './json/tolerant';
import { locateVersionOffsets } from './npm/locate';
import { lockEntriesOf, packageLockEntries, type LockEntry } from './npm/lockEntries';
import { positionsAt } from './textPositions';
import { formatPatterns } from './patterns';

export { packageLockEntries, type LockEntry } from './npm/lockEntries';
export { locateVersion, locateVersions } from './npm/locate';

/**
 * The installed packages of an npm lockfile as references, in document order, each with the range of its version
 * (inside the quotes) and an `overrides` fix in the package.json beside it. `wanted`, when given, picks the entries
 * to locate (the engine passes the names the advisories know); the rest cost only their share of `JSON.parse`.
 * Valid JSON that is not a lockfile gives []. Invalid JSON is still read: both sides of git conflict markers, and
 * whatever a tolerant parse recovers of a truncated or damaged file, with a read problem where reading failed.
 */
export function extractLock(text: string, path: string, wanted?: (name: string, version: string) => boolean): Extracted[] {
  const entries = packageLockEntries(text);
  if (entries) return references(text, path, entries, wanted, (picked) => locateVersionOffsets(text, picked.map((entry) => entry.path)));
  if (isJson(text)) return [];
  const sides = conflictSides(text);
  if (!sides) return damaged(text, text, path, wanted, '');
  // Each side is the file as one branch wrote it; an install on either side is reported once, at its own range.
  const seen = new Set<string>();
  const out: Extracted[] = [];
  for (const [side, name] of [[sides.ours, 'our side of the merge conflict'], [sides.theirs, 'their side of the merge conflict']] as const) {
    const sideEntries = packageLockEntries(side);
    const refs = sideEntries
      ? references(side, path, sideEntries, wanted, (picked) => locateVersionOffsets(side, picked.map((entry) => entry.path)))
      : damaged(side, text, path, wanted, ` (${name})`);
    for (const ref of refs) {
      const key = `${ref.kind}:${ref.range.start.line}:${ref.range.start.character}`;
      if (!seen.has(key)) seen.add(key), out.push(ref);
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** What a tolerant parse recovers of invalid JSON: the whole entries it could read, and a problem where it failed. */
function damaged(text: string, original: string, path: string, wanted: ((name: string, version: string) => boolean) | undefined, where: string): Extracted[] {
  const json = readTolerant(text);
  const entries = lockEntriesOf(json.value) ?? [];
  const refs = references(text, path, entries, wanted, (picked) => {
    const spans = new Map<number, { start: number; end: number }>();
    picked.forEach((entry, index) => {
      const span = json.stringAt([...entry.path, 'version']);
      if (span) spans.set(index, span);
    });
    return spans;
  });
  const offset = json.error?.offset ?? 0;
  const [start, end] = positionsAt(original, [offset, offset + (json.error?.length ?? 0)]);
  const problem: ReadProblem = {
    kind: 'problem',
    reason: 'syntax',
    message: `${basename(path)} is not valid JSON here${where}: ${json.error?.message ?? 'invalid JSON'}. Pinwatch checked the entries it could read; entries after this point may be missing.`,
    range: { start: start!, end: end! },
  };
  return [...refs, problem];
}

/** The references of the picked entries, located by `locate` (offsets inside the quotes of each entry's version). */
function references(
  text: string,
  path: string,
  entries: readonly LockEntry[],
  wanted: ((name: string, version: string) => boolean) | undefined,
  locate: (picked: readonly LockEntry[]) => Map<number, { start: number; end: number }>,
): PackageReference[] {
  if (entries.length === 0) return [];
  const picked = wanted ? entries.filter((entry) => wanted(entry.name, entry.version)) : entries;
  if (picked.length === 0) return [];
  const spans = locate(picked);
  const located = picked.flatMap((entry, index) => {
    const span = spans.get(index);
    const at = span && versionSpan(text, entry, span);
    return at ? [{ entry, ...at }] : [];
  });
  located.sort((a, b) => a.start - b.start);
  const positions = positionsAt(text, located.flatMap((item) => [item.start, item.end]));
  return located.map((item, index) => lockReference(path, item.entry, { start: positions[2 * index]!, end: positions[2 * index + 1]! }));
}

/**
 * The offsets a reference to `entry` covers, given the inside of its `version` string: the version itself (v1
 * writes an alias as "npm:real@1.2.3", and the reference is about the end of that string), or the whole string
 * when it is written with JSON escapes ("5.6.\u0031"); undefined when the string is not that version.
 */
export function versionSpan(text: string, entry: LockEntry, span: { start: number; end: number }): { start: number; end: number } | undefined {
  const start = span.end - entry.version.length;
  if (start >= span.start && text.slice(start, span.end) === entry.version) return { start, end: span.end };
  return decodedString(text.slice(span.start, span.end)) === entry.version ? span : undefined;
}

/** The reference to an installed lockfile entry at `range`, with the `overrides` fix in the package.json beside it. */
export function lockReference(path: string, entry: LockEntry, range: PackageReference['range']): PackageReference {
  return {
    kind: 'package',
    ecosystem: 'npm',
    name: entry.name,
    version: entry.version,
    range,
    // An alias is what the user wrote in package.json, so messages name it.
    ...(entry.alias === undefined ? {} : { via: `npm alias ${entry.alias}` }),
    context: basename(path) === 'npm-shrinkwrap.json' ? 'npm-shrinkwrap.json' : 'package-lock.json',
    fix: lockFix(entry, siblingPath(path, 'package.json')),
  };
}


/**
 * How a lockfile entry is fixed: an `overrides` entry in package.json, except where npm would not apply one. npm
 * applies an override only to dependency edges of the same name, and an alias edge is named after the alias, so an
 * override of the real name would not certainly reach it; and a bundled package ships inside its parent's tarball,
 * which npm installs as published.
 */
function lockFix(entry: LockEntry, packageJson: string): PackageReference['fix'] {
  if (entry.bundledBy !== undefined) {
    return { kind: 'none', reason: `It is bundled inside the published package ${entry.bundledBy}, which an override cannot change: update ${entry.bundledBy} to a release that bundles a safe version.` };
  }
  if (entry.alias !== undefined) {
    return { kind: 'none', reason: `It is installed under the alias ${entry.alias}: change that alias's version in package.json, then run npm install.` };
  }
  return { kind: 'npm-override', packageJson };
}

/** The value of a JSON string's inside (without its quotes), or undefined when it is not one. */
function decodedString(inside: string): string | undefined {
  try {
    const value: unknown = JSON.parse(`"${inside}"`);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The npm lockfile format: every installed registry package, with its version's exact range. */
export const packageLock: Format = {
  id: 'npm/package-lock.json',
  patterns: [...formatPatterns['npm/package-lock.json']],
  extract(text: string, path: string): Extracted[] {
    return extractLock(text, path);
  },
  extractWanted(text: string, path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return extractLock(text, path, wanted);
  },
};

/** The path of `name` in the same folder as `path`, keeping the path's own separator (POSIX or Windows). */
function siblingPath(path: string, name: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? name : path.slice(0, cut + 1) + name;
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
