/**
 * pnpm's pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x, read by a line pass rather than a YAML parser (a YAML
 * tree of a big lockfile costs ten times more than the whole analysis may take while the user types). The
 * installed packages are the keys of `packages` (`/chalk/5.6.1` in 5.x, `/chalk@5.6.1` in 6.x, `chalk@5.6.1` in 9.x,
 * with peer suffixes `_react@18.2.0` or `(react@18.2.0)`), the keys of `snapshots` (9.x), and the versions of
 * direct dependencies in `importers` (or the root `dependencies` of a single project). A package spelt in several
 * of these places is one reference, at its `packages` key where it has one. Tarball, git, `file:` and `link:`
 * entries are not registry releases and are left out.
 */
import type { Extracted, Format } from '../model';
import { everything, isPackageName, isReleaseVersion, lockExtract, cutShort, type Installed, type LockRead, type OffsetProblem } from './js/installed';
import { forEachLine, keyColon, unquote, valueAfter } from './js/lines';
import { formatPatterns } from './patterns';

const FILE = 'pnpm-lock.yaml';
const DEPENDENCY_FIELDS = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);

/** Where a spelling was found: a `packages` key is preferred to a `snapshots` key, and both to an importer's version. */
const RANK_PACKAGES = 0;
const RANK_SNAPSHOTS = 1;
const RANK_IMPORTER = 2;

/**
 * The name and version a pnpm package id names, with the version's offsets, for ids in every lockfile version:
 * `/name/1.2.3_peer` (5.x), `/name@1.2.3(peer)` (6.x), `name@1.2.3(peer)` (9.x), scoped or not. Undefined for an id
 * that is not a registry release (a tarball URL, a git repository, `file:`, `link:`).
 */
export function parsePackageId(text: string, start: number, end: number): { name: string; version: string; start: number; end: number } | undefined {
  const slash = text.charCodeAt(start) === 0x2f;
  const from = slash ? start + 1 : start;
  const at = text.indexOf('@', text.charCodeAt(from) === 0x40 ? from + 1 : from);
  if (at > from && at < end) {
    const name = text.slice(from, at);
    if (isPackageName(name)) {
      let stop = at + 1;
      while (stop < end && text.charCodeAt(stop) !== 0x28 && text.charCodeAt(stop) !== 0x5f) stop++;
      const version = text.slice(at + 1, stop);
      return isReleaseVersion(version) ? { name, version, start: at + 1, end: stop } : undefined;
    }
  }
  if (!slash) return undefined;
  // 5.x: `/name/version` or `/@scope/name/version`, a peer suffix after `_` (whose slashes pnpm writes as `+`).
  const lastSlash = text.lastIndexOf('/', end - 1);
  if (lastSlash <= from) return undefined;
  let cut = lastSlash + 1;
  while (cut < end && text.charCodeAt(cut) !== 0x5f) cut++;
  const name = text.slice(from, lastSlash);
  const version = text.slice(lastSlash + 1, cut);
  return isPackageName(name) && isReleaseVersion(version) ? { name, version, start: lastSlash + 1, end: cut } : undefined;
}

/** One pass over a pnpm lockfile's text: every installed registry package `wanted` accepts, and what could not be read. */
export function readPnpmLock(text: string, wanted: (name: string, version: string) => boolean): LockRead {
  const installed: Installed[] = [];
  const problems: OffsetProblem[] = [];
  let section = '';
  let lockfileVersion: { value: string; start: number; end: number } | undefined;
  let tabReported = false;
  let strayReported = false;
  let sawContent = false;
  // The open block keys of an importers or dependencies section, by indentation.
  const indents: number[] = [];
  const keys: string[] = [];
  const add = (name: string, version: string, start: number, end: number, rank: number, alias?: string): void => {
    if (wanted(name, version)) installed.push({ name, version, start, end, rank, ...(alias === undefined ? {} : { alias }) });
  };
  forEachLine(text, (line) => {
    sawContent = true;
    if (!line.broken) {
      problems.push(cutShort(text, FILE, line.start));
      return;
    }
    if (line.tab >= 0 && !tabReported) {
      tabReported = true;
      problems.push({ reason: 'syntax', message: `${FILE} has a tab in its indentation here, which YAML does not allow, so pnpm cannot read it; Pinwatch read the entries it recognised.`, start: line.tab, end: line.tab + 1 });
    }
    const { content, end, indent } = line;
    if (indent === 0) {
      indents.length = 0;
      keys.length = 0;
      const colon = keyColon(text, content, end);
      if (colon < 0) {
        section = '';
        if (!strayReported && text.charCodeAt(content) !== 0x2d) {
          strayReported = true;
          problems.push({ reason: 'syntax', message: `${FILE} is not YAML that pnpm writes here (a top-level line without a key), so this part was not read.`, start: content, end });
        }
        return;
      }
      const key = unquote(text, content, colon);
      section = text.slice(key.start, key.end);
      if (section === 'lockfileVersion') {
        const raw = valueAfter(text, colon, end);
        const value = unquote(text, raw.start, raw.end);
        lockfileVersion = { value: text.slice(value.start, value.end), start: value.start, end: value.end };
      }
      return;
    }
    if (section === 'packages' || section === 'snapshots') {
      if (indent !== 2) return;
      const colon = keyColon(text, content, end);
      if (colon < 0) return;
      const key = unquote(text, content, colon);
      const id = parsePackageId(text, key.start, key.end);
      if (id) add(id.name, id.version, id.start, id.end, section === 'packages' ? RANK_PACKAGES : RANK_SNAPSHOTS);
      return;
    }
    if (section !== 'importers' && !DEPENDENCY_FIELDS.has(section)) return;
    const colon = keyColon(text, content, end);
    if (colon < 0) return;
    const quotedKey = unquote(text, content, colon);
    const key = text.slice(quotedKey.start, quotedKey.end);
    while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop(), keys.pop();
    const raw = valueAfter(text, colon, end);
    if (raw.start === raw.end) {
      indents.push(indent);
      keys.push(key);
      return;
    }
    // The field a dependency sits in: the section itself at the top level, else the block key above it.
    const fieldOf = (depth: number): string | undefined => (depth < 0 ? (DEPENDENCY_FIELDS.has(section) && depth === -1 ? section : undefined) : keys[depth]);
    const top = keys.length - 1;
    let name: string | undefined;
    if (key === 'version' && top >= 0 && DEPENDENCY_FIELDS.has(fieldOf(top - 1) ?? '')) name = keys[top];
    else if (key !== 'specifier' && DEPENDENCY_FIELDS.has(fieldOf(top) ?? '')) name = key;
    if (name === undefined) return;
    const value = unquote(text, raw.start, raw.end);
    const first = text.charCodeAt(value.start);
    if (first >= 0x30 && first <= 0x39) {
      let stop = value.start;
      while (stop < value.end && text.charCodeAt(stop) !== 0x28 && text.charCodeAt(stop) !== 0x5f) stop++;
      const version = text.slice(value.start, stop);
      if (isReleaseVersion(version)) add(name, version, value.start, stop, RANK_IMPORTER);
      return;
    }
    // An npm alias: the version names the real package (`string-width@4.2.3`, `/string-width@4.2.3`, `/string-width/4.2.3`).
    const id = parsePackageId(text, value.start, value.end);
    if (id) add(id.name, id.version, id.start, id.end, RANK_IMPORTER, id.name === name ? undefined : name);
  });
  if (lockfileVersion === undefined) {
    if (sawContent) problems.push({ reason: 'syntax', message: `${FILE} has no lockfileVersion, so it may not be a pnpm lockfile; Pinwatch read the entries it recognised.`, start: 0, end: 0 });
  } else if (!/^[569](\.\d+)*$/.test(lockfileVersion.value)) {
    problems.push({
      reason: 'syntax',
      message: `lockfileVersion ${lockfileVersion.value} is not one Pinwatch knows (5.x, 6.x and 9.x): it read the entries whose form it recognises, and others may be missing.`,
      start: lockfileVersion.start,
      end: lockfileVersion.end,
    });
  }
  return { installed, problems };
}

/** The pnpm lockfile format: every installed registry package, one reference each, at its version's exact range. */
export const pnpmLock: Format = {
  id: 'pnpm/pnpm-lock.yaml',
  patterns: [...formatPatterns['pnpm/pnpm-lock.yaml']],
  extract(text: string, path: string): Extracted[] {
    return lockExtract(text, path, { manager: 'pnpm', context: FILE }, everything, readPnpmLock);
  },
  extractWanted(text: string, path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return lockExtract(text, path, { manager: 'pnpm', context: FILE }, wanted, readPnpmLock);
  },
};
