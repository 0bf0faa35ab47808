/**
 * Re-analysis of a big npm lockfile after an edit, without reading the whole text again. A full analysis parses
 * megabytes of JSON (about 150 ms for 17 MB), too slow for every keystroke; but an edit that stays inside one
 * entry of `packages` can change nothing but that entry. The snapshot keeps what the full analysis knew (the parsed
 * `packages`, each entry's span, each finding's offsets); an update re-reads the one entry, checks it is still one
 * JSON object, and moves the other findings by the edit's length. Anything else (an edit across entries, the entry
 * no longer valid, its `inBundle` changed, which moves the entries bundled below it) answers undefined, and the
 * caller runs the full analysis.
 *
 * Soundness: replacing one JSON value with another valid JSON value leaves a valid document valid, and the other
 * entries' texts unchanged; a lockfile's entry reads only its own value and, for `inBundle`, its ancestors' flags.
 */
import { defaultIndex, npmWanted, referenceFindings, type Analysis, type AnalyzeContext } from './engine';
import { forEachMember, members, skipWhitespace, valueEnd } from './formats/npm/jsonScanner';
import { packageEntryAt } from './formats/npm/lockEntries';
import { lockReference, versionSpan } from './formats/packageLock';
import { formatFor } from './formats/index';
import type { Finding, Range, Settings } from './model';

type Position = Range['start'];

/** What a full analysis of a lockfile knew, for the next edit. Owned by the caller; an update returns a new one. */
export interface LockSnapshot {
  readonly path: string;
  readonly analysis: Analysis;
  /** The lockfile's `packages` object, parsed; an update replaces one member (the snapshot's own copy). */
  readonly packages: Record<string, unknown>;
  /** The members of `packages` in text order: key, where its value starts and ends (offsets in the snapshot's text). */
  readonly spans: readonly Span[];
  /** For each finding, in order: the offsets of its reference and the index of the member it is in. */
  readonly located: readonly { start: number; end: number; member: number }[];
}

interface Span {
  key: string;
  valueStart: number;
  valueEnd: number;
}

/** One edit, as offsets: the old text's [start, oldEnd) became the new text's [start, newEnd). */
export interface Edit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Below this size a full analysis is fast enough, and no snapshot is kept. */
export const incrementalMinLength = 1024 * 1024;

/**
 * The snapshot of a full analysis of `text`, or undefined when the file is not a valid npm lockfile with a
 * `packages` object (v2, v3), or when any finding is not inside one of its entries.
 */
export function snapshotLock(path: string, text: string, analysis: Analysis, offsetAt: (position: Position) => number): LockSnapshot | undefined {
  if (formatFor(path)?.id !== 'npm/package-lock.json' || analysis.problems.length > 0) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(root) || !isObject(root.packages)) return undefined;
  const top = members(text, skipWhitespace(text, 0));
  const packagesMember = top?.filter((m) => m.key === 'packages').pop();
  if (!packagesMember || text.charCodeAt(packagesMember.valueStart) !== 0x7b) return undefined;
  const spans: Span[] = [];
  const seen = new Set<string>();
  let repeated = false;
  const end = forEachMember(text, packagesMember.valueStart, (key, _ks, _ke, valueStart) => {
    if (seen.has(key)) repeated = true;
    seen.add(key);
    const stop = valueEnd(text, valueStart);
    spans.push({ key, valueStart, valueEnd: stop });
    return stop;
  });
  // A repeated key means two texts for one entry (JSON.parse keeps the last): not worth the care.
  if (end < 0 || repeated) return undefined;
  const located: { start: number; end: number; member: number }[] = [];
  for (const finding of analysis.findings) {
    const start = offsetAt(finding.reference.range.start);
    const member = memberAt(spans, start, start);
    if (member < 0) return undefined;
    located.push({ start, end: offsetAt(finding.reference.range.end), member });
  }
  return { path, analysis, packages: { ...root.packages }, spans, located };
}

/**
 * The analysis after `edit`, and the snapshot for the next one; undefined when the edit is not confined to one
 * entry's value or leaves it other than a JSON object, so the caller must analyse the whole text. On success the
 * given snapshot is used up (the new one takes over its parsed entries); on undefined it is unchanged.
 */
export function updateLock(
  snapshot: LockSnapshot,
  text: string,
  edit: Edit,
  positionAt: (offset: number) => Position,
  settings: Settings,
  context: AnalyzeContext = {},
): { analysis: Analysis; snapshot: LockSnapshot } | undefined {
  const member = memberAt(snapshot.spans, edit.start, edit.oldEnd);
  if (member < 0) return undefined;
  const span = snapshot.spans[member]!;
  const delta = edit.newEnd - edit.oldEnd;
  // Strictly inside the braces: the edit neither opens nor closes the entry.
  if (text.charCodeAt(span.valueStart) !== 0x7b || edit.start <= span.valueStart || edit.oldEnd > span.valueEnd - 1) return undefined;
  const end = span.valueEnd + delta;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(span.valueStart, end));
  } catch {
    return undefined;
  }
  const before = snapshot.packages[span.key];
  if (!isObject(value) || !isObject(before) || (value.inBundle === true) !== (before.inBundle === true)) return undefined;
  // The entry's own findings are recomputed; every other one moves with the text after the edit. The entry is read
  // as it will be stored: `packageEntryAt` looks at this entry and, for `inBundle`, its unchanged ancestors.
  const entry = packageEntryAt(new Proxy(snapshot.packages, { get: (target, key) => (key === span.key ? value : Reflect.get(target, key)) }), span.key);
  const index = context.index ?? defaultIndex();
  const fresh: Finding[] = [];
  const freshLocated: { start: number; end: number; member: number }[] = [];
  if (entry && npmWanted(index)(entry.name, entry.version)) {
    const inside = versionInside(text, span.valueStart);
    const at = inside && versionSpan(text, entry, inside);
    if (at) {
      const ref = lockReference(snapshot.path, entry, { start: positionAt(at.start), end: positionAt(at.end) });
      const { findings, problems } = referenceFindings(snapshot.path, text, [ref], settings, context);
      if (problems.length > 0) return undefined;
      for (const finding of findings) {
        fresh.push(finding);
        freshLocated.push({ start: at.start, end: at.end, member });
      }
    }
  }
  const kept: Array<{ finding: Finding; located: { start: number; end: number; member: number } }> = [];
  snapshot.analysis.findings.forEach((finding, i) => {
    const old = snapshot.located[i]!;
    if (old.member === member) return;
    if (old.start < edit.start) kept.push({ finding, located: old });
    else {
      const moved = { start: old.start + delta, end: old.end + delta, member: old.member };
      kept.push({ finding: { ...finding, reference: { ...finding.reference, range: { start: positionAt(moved.start), end: positionAt(moved.end) } } }, located: moved });
    }
  });
  fresh.forEach((finding, i) => kept.push({ finding, located: freshLocated[i]! }));
  kept.sort((a, b) => a.located.start - b.located.start);
  const spans = delta === 0 ? snapshot.spans : snapshot.spans.map((s, i) => (i < member ? s : i === member ? { ...s, valueEnd: end } : { key: s.key, valueStart: s.valueStart + delta, valueEnd: s.valueEnd + delta }));
  const analysis: Analysis = { findings: kept.map((k) => k.finding), problems: [] };
  // Copying tens of thousands of entries per keystroke would cost more than the rest: the old snapshot gives its
  // `packages` to the new one, and must not be used again.
  const packages = snapshot.packages as Record<string, unknown>;
  packages[span.key] = value;
  return { analysis, snapshot: { path: snapshot.path, analysis, packages, spans, located: kept.map((k) => k.located) } };
}

/**
 * Merges edits made one after another into one edit of the text before the first: each edit's offsets are in the
 * text the previous edits left, and so is the returned `newEnd` for the last text.
 */
export function mergeEdits(first: Edit | undefined, next: Edit): Edit {
  if (!first) return next;
  const delta = first.newEnd - first.oldEnd;
  return {
    start: Math.min(first.start, next.start),
    oldEnd: Math.max(first.oldEnd, next.oldEnd - delta),
    newEnd: Math.max(first.newEnd, next.oldEnd) + (next.newEnd - next.oldEnd),
  };
}

/** The index of the member whose value contains [start, end], by binary search; -1 when there is none. */
function memberAt(spans: readonly Span[], start: number, end: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (start < s.valueStart) hi = mid - 1;
    else if (start >= s.valueEnd) lo = mid + 1;
    else return end <= s.valueEnd ? mid : -1;
  }
  return -1;
}

/** The inside of the `version` string of the object at `at` (the last `version`, as JSON.parse keeps). */
function versionInside(text: string, at: number): { start: number; end: number } | undefined {
  const version = members(text, at)?.filter((m) => m.key === 'version').pop();
  if (!version || text.charCodeAt(version.valueStart) !== 0x22) return undefined;
  return { start: version.valueStart + 1, end: version.valueEnd - 1 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
