/**
 * Bundler's lockfile, Gemfile.lock (and gems.locked): every spec of a `GEM` section (`    name (version)` at four
 * spaces, under `  specs:`) is a reference to that gem's exact version, at the version's characters; a platform
 * suffix (`nokogiri (1.16.0-x86_64-linux)`) is not part of the version, as Bundler splits it at the first `-`.
 * The specs of `GIT` and `PATH` sections are not RubyGems releases and give nothing; the dependency lines below a
 * spec (six spaces), `DEPENDENCIES`, `PLATFORMS`, `CHECKSUMS`, `RUBY VERSION` and `BUNDLED WITH` are read for their
 * shape only: the versions they constrain are the ones the specs resolve.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import { siblingPath } from './js/installed';
import { formatPatterns } from './patterns';
import { gemDeclarations } from './ruby/gemfileScan';
import { forEachLine } from './lines';
import { positionsAt } from './textPositions';

/** The Gemfile.lock format: the RubyGems specs of a Bundler lockfile, each at its version's exact range. */
export const gemfileLock: Format = {
  id: 'ruby/Gemfile.lock',
  patterns: [...formatPatterns['ruby/Gemfile.lock']],
  // The lockfiles of the largest Rails applications are a few hundred KB.
  maxLength: 16 * 1024 * 1024,
  wantedEcosystem: 'RubyGems',
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    return extractLock(text, path, undefined, readFile);
  },
  extractWanted(text: string, path: string, wanted: (name: string, version: string) => boolean, readFile?: (path: string) => string | undefined): Extracted[] {
    return extractLock(text, path, wanted, readFile);
  },
};

/** The specs (those `wanted` accepts, when given) and the read problems of a lockfile. */
function extractLock(text: string, path: string, wanted: ((name: string, version: string) => boolean) | undefined, readFile: ((path: string) => string | undefined) | undefined): Extracted[] {
  const found: Spec[] = [];
  const problems: OffsetProblem[] = [];
  try {
    scanLock(text, found, problems, wanted);
  } catch (error) {
    problems.push({ message: `Pinwatch could not read this Gemfile.lock from here (internal error: ${error instanceof Error ? error.message : String(error)}), so the gems after this point were not checked.`, start: text.length, end: text.length });
  }
  return [...references(text, path, found, readFile), ...located(text, problems)];
}

/** A spec of a GEM section: its name, and where its version is. */
interface Spec {
  name: string;
  version: string;
  start: number;
}

interface OffsetProblem {
  message: string;
  start: number;
  end: number;
}

/** Scans the lockfile's lines into `found` (GEM specs) and `problems` (lines that are not what Bundler writes). */
function scanLock(text: string, found: Spec[], problems: OffsetProblem[], wanted?: (name: string, version: string) => boolean): void {
  if (text.includes('\u0000')) {
    problems.push({ message: 'This Gemfile.lock holds binary data (a NUL byte), not the text Bundler writes, so it was not checked.', start: 0, end: 0 });
    return;
  }
  let section = '';
  let inSpecs = false;
  // Malformed lines are reported once per section, with their count, so a damaged file gives a few problems, not thousands.
  let bad: { first: OffsetProblem; count: number } | undefined;
  const flush = (): void => {
    if (!bad) return;
    const more = bad.count > 1 ? ` (and ${bad.count - 1} more line${bad.count === 2 ? '' : 's'} of this section)` : '';
    problems.push({ ...bad.first, message: `${bad.first.message}${more}.` });
    bad = undefined;
  };
  const malformed = (start: number, end: number): void => {
    if (bad) bad.count++;
    else bad = { first: { message: `This line of the ${section} section is not what Bundler writes, so it was not read`, start, end }, count: 1 };
  };
  // Each line is read by its character codes, without a regular expression or a substring for the common lines:
  // a lockfile of thousands of specs is read in about the time of splitting it into lines.
  forEachLine(text, (start, end) => {
    let s = start;
    while (s < end && text.charCodeAt(s) === 0x20) s++;
    if (s === end) return;
    const indent = s - start;
    const first = text.charCodeAt(s);
    if (indent === 0) {
      if (isConflictMarker(text, start, end)) return;
      if (isSpace(first) || /^\s/.test(text[s]!)) {
        // Indented with a tab or another blank: not Bundler's, but inside its section.
        if (/^\s*$/.test(text.slice(start, end))) return;
        if (section !== '' && section !== '?') return malformed(start, end);
      } else if (isHeader(text, start, end)) {
        flush();
        section = text.slice(start, end);
        inSpecs = false;
        return;
      }
      flush();
      section = '?';
      inSpecs = false;
      bad = { first: { message: 'This line is not a Gemfile.lock section header, so the lines below it up to the next section were not read', start, end }, count: 1 };
      return;
    }
    if (section === '?') return;
    if (section !== 'GEM' && section !== 'GIT' && section !== 'PATH' && section !== 'PLUGIN SOURCE') return;
    if (indent === 2 && isKey(text, s, end)) {
      inSpecs = end - s === 6 && text.startsWith('specs:', s);
      return;
    }
    if (!inSpecs || (indent !== 4 && indent !== 6) || first === 0x09) return malformed(start, end);
    // A dependency line (six spaces) names a requirement, not what is installed: it is not parsed further.
    if (indent === 6) return;
    const spec = readSpec(text, s, end);
    if (!spec) return malformed(start, end);
    if (section === 'GEM' && indent === 4 && spec.versionEnd > spec.versionStart) {
      const name = text.slice(s, spec.nameEnd);
      const version = text.slice(spec.versionStart, spec.versionEnd);
      if (!wanted || wanted(name, version)) found.push({ name, version, start: spec.versionStart });
    }
  });
  flush();
}

/**
 * A spec or dependency line's parts from `s` (its first character) as Bundler reads them: a name without spaces,
 * then optionally ` (version[-platform])` (a dependency's requirements in the same place), then optionally `!`.
 * A spec's version ends at its first `-`, where the platform starts. Undefined when the line is not that.
 */
function readSpec(text: string, s: number, end: number): { nameEnd: number; versionStart: number; versionEnd: number } | undefined {
  let i = s;
  while (i < end && !isSpace(text.charCodeAt(i))) i++;
  const nameEnd = i;
  if (i === end || (i === end - 1 && text.charCodeAt(i) === 0x21)) return { nameEnd: text.charCodeAt(end - 1) === 0x21 ? end - 1 : end, versionStart: end, versionEnd: end };
  if (text.charCodeAt(i) !== 0x20 || text.charCodeAt(i + 1) !== 0x28 /* ( */) return undefined;
  const versionStart = i + 2;
  let j = versionStart;
  let versionEnd = -1;
  for (; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x29 /* ) */) break;
    if (c === 0x2d /* - */ && versionEnd < 0) versionEnd = j;
  }
  if (j === end) return undefined;
  if (versionEnd < 0) versionEnd = j;
  const after = j + 1;
  if (after !== end && !(after === end - 1 && text.charCodeAt(after) === 0x21)) return undefined;
  return { nameEnd, versionStart, versionEnd };
}

/** Whether [start, end) is a section header: capital letters and spaces (`GEM`, `BUNDLED WITH`, `PLUGIN SOURCE`). */
function isHeader(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c === 0x20 && i > start))) return false;
  }
  return true;
}

/** Whether a line at two spaces is a source's key (`remote:`, `specs:`, `revision:`): lowercase letters and `_`, then `:`. */
function isKey(text: string, s: number, end: number): boolean {
  let i = s;
  while (i < end && ((text.charCodeAt(i) >= 0x61 && text.charCodeAt(i) <= 0x7a) || text.charCodeAt(i) === 0x5f)) i++;
  return i > s && text.charCodeAt(i) === 0x3a;
}

/** Whether a line is a git conflict marker (`<<<<<<< HEAD`, `=======`, `>>>>>>> main`, `|||||||`), read through. */
function isConflictMarker(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (c !== 0x3c && c !== 0x3d && c !== 0x3e && c !== 0x7c) return false;
  for (let i = start + 1; i < start + 7; i++) if (text.charCodeAt(i) !== c) return false;
  return start + 7 === end || text.charCodeAt(start + 7) === 0x20;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The specs found, in document order, as references fixed through the Gemfile beside the lockfile. */
function references(text: string, path: string, found: readonly Spec[], readFile: ((path: string) => string | undefined) | undefined): PackageReference[] {
  const positions = positionsAt(text, found.flatMap((f) => [f.start, f.start + f.version.length]));
  const gemfile = gemfileOf(path);
  const gemfileName = basename(gemfile);
  const gemfileText = found.length > 0 ? readFile?.(gemfile) : undefined;
  const declared = new Set(gemfileText === undefined ? [] : gemDeclarations(gemfileText, 'gem').map((d) => d.name));
  return found.map((f, index): PackageReference => ({
    kind: 'package',
    ecosystem: 'RubyGems',
    name: f.name,
    version: f.version,
    range: { start: positions[2 * index]!, end: positions[2 * index + 1]! },
    context: 'Gemfile.lock',
    fix: declared.has(f.name)
      ? { kind: 'gemfile-pin', gemfile }
      : { kind: 'none', reason: `${f.name} is not named in ${gemfileName} (another gem depends on it), and Gemfile.lock is written by Bundler: run bundle update ${f.name} --conservative to move it to a safe release.` },
  }));
}

/** The Gemfile a lockfile is written from: `Gemfile` for Gemfile.lock, `gems.rb` for gems.locked, `x.gemfile` for x.gemfile.lock. */
export function gemfileOf(lockPath: string): string {
  const base = basename(lockPath);
  if (base === 'gems.locked') return siblingPath(lockPath, 'gems.rb');
  return base.endsWith('.lock') ? lockPath.slice(0, -'.lock'.length) : siblingPath(lockPath, 'Gemfile');
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function located(text: string, problems: readonly OffsetProblem[]): ReadProblem[] {
  const positions = positionsAt(text, problems.flatMap((p) => [p.start, p.end]));
  return problems.map((p, i) => ({ kind: 'problem', reason: 'syntax', message: p.message, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }));
}
