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
import { splitLines } from './lines';
import { positionsAt } from './textPositions';

/** The Gemfile.lock format: the RubyGems specs of a Bundler lockfile, each at its version's exact range. */
export const gemfileLock: Format = {
  id: 'ruby/Gemfile.lock',
  patterns: [...formatPatterns['ruby/Gemfile.lock']],
  // The lockfiles of the largest Rails applications are a few hundred KB.
  maxLength: 16 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    const found: Spec[] = [];
    const problems: OffsetProblem[] = [];
    try {
      scanLock(text, found, problems);
    } catch (error) {
      problems.push({ message: `Pinwatch could not read this Gemfile.lock from here (internal error: ${error instanceof Error ? error.message : String(error)}), so the gems after this point were not checked.`, start: text.length, end: text.length });
    }
    return [...references(text, path, found, readFile), ...located(text, problems)];
  },
};

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

// Bundler's own spec line: two, four or six spaces, the name, and an optional ` (version[-platform])`.
const specLine = /^( {2}| {4}| {6})(?! )(\S+?)(?: \(([^-)]*)(?:-([^)]*))?\))?(!)?$/;
const sectionHeader = /^[A-Z][A-Z ]*$/;
const conflictMarker = /^(<{7}|={7}|>{7}|\|{7})(?: |$)/;

/** Scans the lockfile's lines into `found` (GEM specs) and `problems` (lines that are not what Bundler writes). */
function scanLock(text: string, found: Spec[], problems: OffsetProblem[]): void {
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
  for (const line of splitLines(text)) {
    const t = line.text;
    if (t.trim() === '' || conflictMarker.test(t)) continue;
    if (!/^\s/.test(t)) {
      flush();
      section = sectionHeader.test(t) ? t : '?';
      inSpecs = false;
      if (section === '?') bad = { first: { message: 'This line is not a Gemfile.lock section header, so the lines below it up to the next section were not read', start: line.start, end: line.end }, count: 1 };
      continue;
    }
    if (section === '?') continue;
    if (section !== 'GEM' && section !== 'GIT' && section !== 'PATH' && section !== 'PLUGIN SOURCE') continue;
    if (/^ {2}[a-z_]+:/.test(t)) {
      inSpecs = t === '  specs:';
      continue;
    }
    const m = inSpecs ? specLine.exec(t) : null;
    if (!m || m[1] === '  ') {
      if (bad) bad.count++;
      else bad = { first: { message: `This line of the ${section} section is not what Bundler writes, so it was not read`, start: line.start, end: line.end }, count: 1 };
      continue;
    }
    if (section !== 'GEM' || m[1] !== '    ' || m[3] === undefined || m[3] === '') continue;
    const at = line.start + m[1].length + m[2]!.length + 2;
    found.push({ name: m[2]!, version: m[3], start: at });
  }
  flush();
}

/** The specs found, in document order, as references fixed through the Gemfile beside the lockfile. */
function references(text: string, path: string, found: readonly Spec[], readFile: ((path: string) => string | undefined) | undefined): PackageReference[] {
  const positions = positionsAt(text, found.flatMap((f) => [f.start, f.start + f.version.length]));
  const gemfile = gemfileOf(path);
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
      : { kind: 'none', reason: `${f.name} is not named in ${basename(gemfile)} (another gem depends on it), and Gemfile.lock is written by Bundler: run bundle update ${f.name} --conservative to move it to a safe release.` },
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
