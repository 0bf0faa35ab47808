/**
 * References that build files name, made from values whose characters are written at known offsets: a download
 * URL (with the checksums that guard it), a digest, a git revision of a repository, and a Conan or vcpkg package.
 */
import type { ArtifactReference, Origin, PackageReference, Range, ReadProblem } from '../../model';
import { originRuns } from '../origins';
import { normaliseRepo } from '../shell/artifacts';
import type { LineIndex } from '../textPositions';

/** A value and the file offset of each of its characters (a literal string: consecutive offsets). */
export interface Located {
  value: string;
  offsets: readonly number[];
  /** Where the token is written, when some characters come from elsewhere (a variable's definition): ranges are the token's. */
  span?: { start: number; end: number };
}

/** A value written literally from `start`. */
export function literalAt(value: string, start: number): Located {
  const offsets = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) offsets[i] = start + i;
  return { value, offsets };
}

/** Offsets to a range: from the first character to just after the last. */
export function spanRange(lines: LineIndex, located: Located, from = 0, to = located.value.length): Range {
  // Characters from elsewhere (a variable's value): the whole span that names them. Characters written here with an
  // escape between them (`cdaf\e163…`): from the first to the last, escapes included.
  if (located.span && !consecutive(located, from, to, located.span) && !inside(located, from, to, located.span)) return lines.range(located.span.start, located.span.end);
  const start = located.offsets[from] ?? located.offsets[located.offsets.length - 1] ?? 0;
  const end = to > from ? (located.offsets[to - 1] ?? start) + 1 : start;
  return lines.range(start, end);
}

/** Whether characters `from..to` are all written inside `within`, in order. */
function inside(located: Located, from: number, to: number, within: { start: number; end: number }): boolean {
  for (let i = from; i < to; i++) {
    const o = located.offsets[i]!;
    if (o < within.start || o >= within.end || (i > from && o <= located.offsets[i - 1]!)) return false;
  }
  return true;
}

/** Whether characters `from..to` are written one after the other (inside `within`, when given). */
export function consecutive(located: Located, from: number, to: number, within?: { start: number; end: number }): boolean {
  for (let i = from; i < to; i++) {
    const o = located.offsets[i]!;
    if (within && (o < within.start || o >= within.end)) return false;
    if (i > from && o !== located.offsets[i - 1]! + 1) return false;
  }
  return true;
}

const urlPattern = /^(?:https?|ftp):\/\/[^\s]+$/i;

/** Whether a value is a download URL. */
export function isUrl(value: string): boolean {
  return urlPattern.test(value);
}

/** A download URL, with where each character is written, and the checksums beside it that guard it. */
export function urlReference(lines: LineIndex, located: Located, context: string, guardedBy: readonly string[] = [], unknown?: string): ArtifactReference {
  const ref: ArtifactReference = { kind: 'url', value: located.value, range: spanRange(lines, located), context, origins: originsOf(located, unknown) };
  if (guardedBy.length > 0) ref.guardedBy = [...guardedBy];
  return ref;
}

/** Origin runs: each character's offset, or (offset -1) the variable `unknown` that a fix cannot change. */
function originsOf(located: Located, unknown: string | undefined): Origin[] {
  return originRuns(located.offsets.map((o) => (o < 0 ? (unknown ?? '') : o)));
}

/** A SHA-256 or SHA-512 digest written as hex (an `sha256-…` SRI value is decoded by `sriDigest`), or undefined. */
export function digestReference(lines: LineIndex, located: Located, context: string, from = 0): ArtifactReference | undefined {
  const hex = located.value.slice(from);
  const kind = /^[0-9a-fA-F]{64}$/.test(hex) ? 'sha256' : /^[0-9a-fA-F]{128}$/.test(hex) ? 'sha512' : undefined;
  if (!kind) return undefined;
  return { kind, value: hex.toLowerCase(), range: spanRange(lines, located, from), context };
}

/** An SRI value (`sha256-<base64>`, as written; the advisories match the digest it encodes), or undefined. */
export function sriReference(lines: LineIndex, located: Located, context: string): ArtifactReference | undefined {
  const m = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(located.value);
  if (!m || Buffer.from(m[2]!, 'base64').length !== (m[1] === 'sha256' ? 32 : 64)) return undefined;
  return { kind: 'sri', value: located.value, range: spanRange(lines, located), context };
}

/** A git revision (a tag or commit) of a repository URL, at the revision's characters. */
export function gitReference(lines: LineIndex, repoUrl: string, rev: Located, context: string): ArtifactReference | undefined {
  const repo = normaliseRepo(repoUrl);
  if (!repo || rev.value === '' || /\s/.test(rev.value)) return undefined;
  const value = rev.value.replace(/^refs\/tags\//, '').replace(/^tags\//, '');
  const from = rev.value.length - value.length;
  const ref: ArtifactReference = { kind: 'git-tag', value: `${repo}@${value}`, range: spanRange(lines, rev, from), context };
  // A tag from a variable: the fix edits the variable's value, where it is written in one piece.
  if (rev.span && !consecutive(rev, from, rev.value.length, rev.span) && consecutive(rev, from, rev.value.length) && rev.value.length > from) {
    ref.edit = lines.range(rev.offsets[from]!, rev.offsets[rev.value.length - 1]! + 1);
  }
  return ref;
}

/** A ReadProblem between two offsets. */
export function problemAt(lines: LineIndex, reason: ReadProblem['reason'], start: number, end: number, message: string): ReadProblem {
  return { kind: 'problem', reason, message, range: lines.range(start, end) };
}

/** A package reference of an ecosystem at the version's characters. */
export function packageAt(lines: LineIndex, ecosystem: string, name: string, version: Located, context: string, extra: Partial<PackageReference> = {}): PackageReference {
  return { kind: 'package', ecosystem, name, version: version.value, range: spanRange(lines, version), context, ...extra };
}
