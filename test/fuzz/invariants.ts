/**
 * The invariants every input must keep, checked on one input at a time (see test/fuzz/README.md for what each
 * asserts and why). `checkInput` runs a format's `extract` and the engine on the text and returns the broken
 * invariants, the time the engine took and the exceptions thrown and caught inside (when a catcher is given).
 */
import { pathToFileURL } from 'node:url';
import { entriesFor, isAffected } from '../../server/src/advisories/index';
import { applyEdits, compatibleFixes, conflicts } from '../../server/src/edits';
import { analyzeFile, defaultIndex, type Analysis } from '../../server/src/engine';
import { extractDockerfile } from '../../server/src/formats/dockerfile';
import { formatFor } from '../../server/src/formats/index';
import { defaultSettings, type Extracted, type Finding, type FixEdit, type Range, type Reference } from '../../server/src/model';
import { decodeNixHash } from '../../server/src/formats/nix/hashes';
import { fuzzFormats, type FormatKey } from './corpus';

/** The invariants, by name. */
export const invariantNames = [
  'throws', // extract or analyzeFile threw
  'internal-error', // the engine caught an exception (a problem whose message says "internal error")
  'swallowed', // an exception a catch inside swallowed that is a programming error (TypeError, RangeError, ReferenceError)
  'range', // a range outside the document, or ending before it starts
  'token', // the text at a reference's range is not the token it names
  'edit-expected', // a fix edit's `expected` is not the text at its range
  'edit-overlap', // two edits of one fix overlap
  'edit-noop', // a fix whose edits change nothing
  'fix-kept', // after applying a finding's preferred fix, the finding is still there
  'fix-loop', // applying fixes again and again does not stop changing the text
  'fix-problem', // applying fixes makes a part of the file unreadable that was readable
  'nondeterministic', // two runs on the same text differ
  'order', // findings or problems not in document order
  'wanted', // extractWanted disagrees with extract on the packages it was asked for
  'exhaustive', // a format's read differs from its exhaustive one (the Dockerfile's split read from dockerfile-ast's whole parse)
  'slow', // the engine took more than `slowMs` on an input of at most 64 KB
  'hang', // no answer within the hang limit (the worker was terminated)
  'heap', // the worker ran out of its heap limit
  'crash', // the worker died otherwise
] as const;

export type Invariant = (typeof invariantNames)[number];

/** One broken invariant. */
export interface Violation {
  invariant: Invariant;
  detail: string;
}

/** An exception thrown while checking, and caught before it reached the fuzzer. */
export interface Thrown {
  /** "TypeError: Cannot read properties of undefined" with digits and quoted parts kept. */
  error: string;
  /** The function and file where it was thrown. */
  where: string;
}

/** Turns exception recording on and off (the worker does it with the inspector; see worker.ts). */
export interface Catcher {
  on(): void;
  off(): Thrown[];
}

/** What checking one input found. */
export interface Checked {
  violations: Violation[];
  /** The time analyzeFile took on the text, in milliseconds (without exception recording; the best of five when over `slowMs`). */
  ms: number;
  /** Every exception thrown and caught inside (designed ones too, such as JSON.parse's SyntaxError). */
  thrown: Thrown[];
}

/** The time above which an input under 64 KB is slow. */
export const slowMs = 200;

/** The package.json the lockfile's override fixes edit. */
export const siblingPackageJson = '{\n  "name": "app",\n  "dependencies": { "chalk": "^5.6.0", "debug": "^4.4.0" }\n}\n';

/** The most fix passes an input may need before a pass changes nothing. */
const maxFixPasses = 6;

/**
 * Whether a caught exception is a defect: a TypeError, RangeError or ReferenceError (a programming error, a stack
 * overflow, an invalid array length), except the validation errors that libraries throw by design (semver's
 * `TypeError: Invalid Version`, thrown from node_modules/semver/; the yaml library's invalid escapes). SyntaxError (JSON.parse) and URIError (decodeURIComponent) are how those
 * functions say "not valid", which their callers catch by design.
 */
export function isDefect(thrown: Thrown): boolean {
  if (!/^(TypeError|RangeError|ReferenceError|InternalError)\b/.test(thrown.error)) return false;
  // semver reports every invalid version or range as a TypeError, thrown from its own files; so does node's URL
  // parser for an invalid URL (packageurl-js parses a purl with it and reports the failure as its own error).
  if (thrown.error.startsWith('TypeError: Invalid URL')) return false;
  // The yaml library reads a double-quoted `\xZZ` or `\uD800` escape with String.fromCodePoint and catches its
  // RangeError to report a BAD_DQ_ESCAPE error (compose/resolve-flow-scalar.js, parseCharCode).
  if (thrown.error.startsWith('RangeError: Invalid code point') && thrown.where.startsWith('parseCharCode (node_modules/yaml/')) return false;
  return !(thrown.error.startsWith('TypeError') && thrown.where.includes('node_modules/semver/'));
}

/** Line starts by LSP's line breaks (\n, \r\n, lone \r): what a client counts as lines. */
function lineStarts(text: string): { starts: number[]; ends: number[] } {
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10) {
      ends.push(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  ends.push(text.length);
  return { starts, ends };
}

/** A text with its lines: offsets of valid positions, and the text a range covers. */
interface Doc {
  text: string;
  /** The offset of a position, or undefined when it is outside the document. */
  offset(position: Range['start']): number | undefined;
}

function doc(text: string): Doc {
  const { starts, ends } = lineStarts(text);
  return {
    text,
    offset(p) {
      if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0 || p.line >= starts.length) return undefined;
      const start = starts[p.line]!;
      return p.character <= ends[p.line]! - start ? start + p.character : undefined;
    },
  };
}

/** The text at a range, or undefined (with a violation) when the range is not inside the document. */
function textAt(d: Doc, range: Range | undefined, what: string, out: Violation[]): string | undefined {
  if (!range || typeof range !== 'object') {
    out.push({ invariant: 'range', detail: `${what}: no range` });
    return undefined;
  }
  const start = d.offset(range.start);
  const end = d.offset(range.end);
  if (start === undefined || end === undefined || end < start) {
    out.push({ invariant: 'range', detail: `${what}: ${JSON.stringify(range)} is not inside the document` });
    return undefined;
  }
  return d.text.slice(start, end);
}

/**
 * Whether the text at a reference's range is the token it names (see README.md). The written form is compared
 * after taking off what writing adds: line continuations (backslash-newline), JSON `\\uXXXX` escapes, shell
 * backslashes and quotes. A range that covers an expansion (a `$` or a backquote in it, or an RPM macro `%{…}`/`%(…)`)
 * names the token through it, and is accepted as it is.
 *
 * - package: the version, the constraint, a part of the constraint after its operator (`<5.6.2` at `5.6.2`), or the
 *   name (unpinned); for the package a recipe builds, the start of its version (`pkgver` of `pkgver-rpkgrel`).
 * - image: the tag or digest, after the `:` or `@` of the value (or the whole value).
 * - git-tag: the tag after the `@` of `repo@tag`.
 * - url, sha256, sha512, sri: the value (digests in any case).
 */
export function tokenMatches(ref: Reference, at: string): boolean {
  if (/[$`]|%[{(]/.test(at)) return true;
  // An ebuild's version is in its file name: the package it builds is placed at the start of the text.
  if (ref.kind === 'package' && ref.builds && ref.context === 'ebuild file name') return at === '';
  // A quote inside other quotes is literal (`'6"'`): the text with its escapes resolved but quotes kept counts too.
  // Inside single quotes a backslash is literal: the text as it stands counts too.
  // A Dockerfile joins continued lines before the shell reads escapes, so `5.\\<newline>6` is "5.6" there.
  const joined = at.replace(/\\[ \t]*(?:\r\n|\r|\n)/g, '');
  // Make passes a recipe's continued line to the shell without its leading tab.
  if (ref.kind === 'url' && /\\(?:\r\n|\r|\n)\t/.test(at) && spells(ref, at.replace(/\\(?:\r\n|\r|\n)\t?/g, ''))) return true;
  // RPM writes a literal `%` as `%%`.
  if (at.includes('%%') && spells(ref, at.replace(/%%/g, '%'))) return true;
  return (
    at !== '' &&
    (spells(ref, at) || (unquote(at) !== '' && spells(ref, unquote(at))) || spells(ref, unquote(at, false)) || (joined !== at && spells(ref, unquote(joined))) || spells(ref, shellWord(at, false)) || spells(ref, shellWord(at, true)))
  );
}

/**
 * The text as bash reads it, starting outside or inside double quotes (a range can start inside a quoted value):
 * inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and a line break (`"\l"` is `\l`), outside it
 * escapes any character, and a backslash that ends the text is literal.
 */
function shellWord(text: string, inDouble: boolean): string {
  let out = '';
  let double = inDouble;
  let single = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (single) {
      if (c === "'") single = false;
      else out += c;
    } else if (c === '\\' && i + 1 < text.length && (!double || '$`"\\\n'.includes(text[i + 1]!))) {
      if (text[i + 1] !== '\n') out += text[i + 1];
      i++;
    } else if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
    else out += c;
  }
  return out;
}

function spells(ref: Reference, plain: string): boolean {
  switch (ref.kind) {
    case 'package':
      return (
        [ref.version, ref.constraint, ref.name].some((v) => v !== undefined && plain === v) ||
        purlSpells(ref.version, plain) ||
        (ref.constraint !== undefined && ref.constraint.includes(plain)) ||
        (ref.builds === true && ref.version !== undefined && ref.version.startsWith(plain)) ||
        // A version that another token decides (a vcpkg baseline commit) is reported at that token, which `via` names.
        (ref.fix?.kind === 'none' && ref.via !== undefined && ref.via.endsWith(` ${plain}`))
      );
    case 'image':
      return ref.value === plain || ref.value.endsWith(`:${plain}`) || ref.value.endsWith(`@${plain}`);
    case 'git-tag':
      return ref.value.endsWith(`@${plain}`);
    default:
      // Nix writes a digest in hex, its own base32 or SRI: the value is the hex the written form decodes to.
      return ref.value === plain || ref.value.toLowerCase() === plain.toLowerCase() || ((ref.kind === 'sha256' || ref.kind === 'sha512') && decodeNixHash(plain, ref.kind)?.hex === ref.value);
  }
}

/**
 * Whether a package URL (an SBOM component's, reported whole when no part of it spells the version as it reads:
 * `5.6.1%2Breally5.4.5-1`, an entity in XML) names the version: its version segment decoded, or that with an rpm epoch.
 */
function purlSpells(version: string | undefined, plain: string): boolean {
  if (version === undefined || !plain.startsWith('pkg:')) return false;
  const cut = plain.search(/[?#]/);
  const head = cut < 0 ? plain : plain.slice(0, cut);
  const segment = head.slice(head.lastIndexOf('@') + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment.replace(/&amp;/g, '&'));
  } catch {
    return false;
  }
  return decoded === version || version.endsWith(`:${decoded}`);
}

/** Whether the text at a reference's `edit` range spells (a part of) its value: the literal a fix rewrites. */
export function editMatches(ref: Reference, at: string): boolean {
  // As for the reference's own range: a literal written through an expansion is accepted as it is.
  if (/[$`]|%[{(]/.test(at)) return true;
  const plain = unquote(at);
  if (ref.kind === 'package') return [ref.version, ref.constraint].some((v) => v !== undefined && v.includes(plain));
  return ref.value.includes(plain) || ref.value.toLowerCase().includes(plain.toLowerCase());
}

/** The text as a shell or JSON reader takes it: continuations and bare quotes dropped, escapes resolved. */
function unquote(text: string, dropQuotes = true): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      // A continuation: the escape, blanks (a Dockerfile allows them), a line break.
      const blanks = /^[ \t]*(?:\r\n|\r|\n)/.exec(text.slice(i + 1, i + 200));
      if (blanks) i += blanks[0].length;
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 5;
      } else if (next !== undefined) {
        out += next;
        i++;
      } else out += c; // A backslash that ends the text escapes nothing: the shell reader keeps it, as dockerfile-ast does.
    } else if (!dropQuotes || (c !== '"' && c !== "'")) out += c;
  }
  return out;
}

function byStart(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function inOrder(ranges: readonly Range[]): boolean {
  return ranges.every((r, i) => i === 0 || byStart(ranges[i - 1]!, r) <= 0);
}

/** Checks one input of one format; `catcher` records the exceptions thrown and caught inside. */
export function checkInput(key: FormatKey, text: string, catcher?: Catcher): Checked {
  const path = fuzzFormats[key];
  const uri = pathToFileURL(path).href;
  const siblingUri = pathToFileURL(path.slice(0, path.lastIndexOf('/') + 1) + 'package.json').href;
  const format = formatFor(path)!;
  const out: Violation[] = [];
  const thrown: Thrown[] = [];
  const d = doc(text);
  const context = (sibling: string) => ({ uri, readFile: (p: string) => (pathToFileURL(p).href === siblingUri ? sibling : undefined) });
  const analyse = (t: string, sibling = siblingPackageJson): Analysis | undefined => {
    try {
      return analyzeFile(path, t, defaultSettings, context(sibling));
    } catch (error) {
      out.push({ invariant: 'throws', detail: `analyzeFile: ${String(error)}` });
      return undefined;
    }
  };
  const start = performance.now();
  const analysis = analyse(text);
  let ms = performance.now() - start;
  // A slow run is timed up to four times more and the best taken, so that a pause of the machine is not the input's fault.
  for (let retry = 0; retry < 4 && ms > slowMs; retry++) {
    const again = performance.now();
    analyse(text);
    ms = Math.min(ms, performance.now() - again);
  }

  catcher?.on();
  let extracted: Extracted[] | undefined;
  let again: Extracted[] | undefined;
  try {
    extracted = format.extract(text, path);
    again = format.extract(text, path);
  } catch (error) {
    out.push({ invariant: 'throws', detail: `extract: ${error instanceof Error ? error.stack?.split('\n').slice(0, 3).join(' ') : String(error)}` });
  }
  const second = analyse(text);
  thrown.push(...(catcher?.off() ?? []));
  for (const t of thrown.filter(isDefect)) out.push({ invariant: 'swallowed', detail: `${t.error} at ${t.where}` });

  if (extracted && again && JSON.stringify(extracted) !== JSON.stringify(again)) out.push({ invariant: 'nondeterministic', detail: 'extract gave two answers' });
  if (analysis && second && JSON.stringify(analysis) !== JSON.stringify(second)) out.push({ invariant: 'nondeterministic', detail: 'analyzeFile gave two answers' });

  for (const item of extracted ?? []) {
    const what = item.kind === 'problem' ? `problem "${item.message.slice(0, 60)}"` : item.kind === 'package' ? `package ${item.name}` : `${item.kind} ${item.value.slice(0, 60)}`;
    const at = textAt(d, item.range, what, out);
    if (item.kind === 'problem') continue;
    if (at !== undefined && !tokenMatches(item, at)) out.push({ invariant: 'token', detail: `${what}: the text at its range is ${JSON.stringify(at.slice(0, 80))}` });
    const edited = item.edit ? textAt(d, item.edit, `${what} (edit)`, out) : undefined;
    if (edited !== undefined && !editMatches(item, edited)) out.push({ invariant: 'token', detail: `${what}: the text at its edit range is ${JSON.stringify(edited.slice(0, 80))}` });
  }
  if (format.id === 'docker/Dockerfile' && extracted) {
    // As the format's extract does, a parse that throws reads as nothing.
    let whole: Extracted[];
    try {
      whole = extractDockerfile(text, true);
    } catch {
      whole = [];
    }
    if (JSON.stringify(whole) !== JSON.stringify(extracted)) out.push({ invariant: 'exhaustive', detail: 'the split read differs from the whole parse' });
  }
  if (format.extractWanted && extracted) wantedAgrees(format.extractWanted.bind(format), text, path, extracted, out, format.wantedEcosystem);

  if (!analysis) return { violations: out, ms, thrown };
  for (const p of analysis.problems) {
    if (p.message.includes('internal error')) out.push({ invariant: 'internal-error', detail: p.message.slice(0, 200) });
    textAt(d, p.range, `problem "${p.message.slice(0, 60)}"`, out);
  }
  if (!inOrder(analysis.findings.map((f) => f.reference.range))) out.push({ invariant: 'order', detail: 'findings are not in document order' });
  if (!inOrder(analysis.problems.map((p) => p.range))) out.push({ invariant: 'order', detail: 'problems are not in document order' });
  const sibling = doc(siblingPackageJson);
  for (const finding of analysis.findings) {
    textAt(d, finding.reference.range, `finding ${finding.code}`, out);
    for (const fix of finding.fixes) checkFix(fix.title, fix.edits, (e) => (e.uri === uri ? d : e.uri === siblingUri ? sibling : undefined), out);
  }
  fixPasses(analysis, text, uri, siblingUri, analyse, out);
  return { violations: out, ms, thrown };
}

function checkFix(title: string, edits: readonly FixEdit[], docOf: (edit: FixEdit) => Doc | undefined, out: Violation[]): void {
  for (const edit of edits) {
    const d = docOf(edit);
    if (!d) {
      out.push({ invariant: 'range', detail: `fix "${title}" edits ${edit.uri}, neither the file nor its package.json` });
      continue;
    }
    const at = textAt(d, edit.range, `fix "${title}"`, out);
    if (at !== undefined && at !== edit.expected) out.push({ invariant: 'edit-expected', detail: `fix "${title}": expected ${JSON.stringify(edit.expected.slice(0, 60))}, the text is ${JSON.stringify(at.slice(0, 60))}` });
  }
  edits.forEach((e, i) => {
    if (edits.slice(0, i).some((t) => t.uri === e.uri && conflicts(t.range, e.range))) out.push({ invariant: 'edit-overlap', detail: `fix "${title}": edits ${i} overlaps an earlier one` });
  });
  if (edits.every((e) => e.newText === e.expected)) out.push({ invariant: 'edit-noop', detail: `fix "${title}" changes nothing` });
}


/**
 * Applies the preferred fix of every finding, as `pinwatch scan --fix` does, pass after pass: each fixed finding
 * must be gone after its pass (when its fix edits only the file), no pass may make a part unreadable that was
 * read, and within `maxFixPasses` a pass must change nothing.
 */
function fixPasses(first: Analysis, text: string, uri: string, siblingUri: string, analyse: (t: string, s?: string) => Analysis | undefined, out: Violation[]): void {
  let texts = new Map([[uri, text], [siblingUri, siblingPackageJson]]);
  let analysis = first;
  for (let pass = 0; pass < maxFixPasses; pass++) {
    const preferred = analysis.findings.flatMap((f) => (f.fixes[0] ? [{ finding: f, fix: f.fixes[0] }] : []));
    const chosen = new Set(compatibleFixes(preferred.map((p) => p.fix), (u) => texts.get(u)));
    if (chosen.size === 0) return;
    const next = new Map(texts);
    const fileEdits: FixEdit[] = [];
    for (const [u, t] of texts) {
      const edits = [...chosen].flatMap((fix) => fix.edits.filter((e) => e.uri === u));
      if (u === uri) fileEdits.push(...applyEdits(t, edits).applied);
      next.set(u, applyEdits(t, edits).text);
    }
    const after = analyse(next.get(uri)!, next.get(siblingUri)!);
    if (!after) return;
    const before = texts.get(uri)!;
    const fixedHere = preferred.filter((p) => chosen.has(p.fix) && p.fix.edits.every((e) => e.uri === uri));
    const [was, now] = [doc(before), doc(next.get(uri)!)];
    const spans = fileEdits.map((e) => ({ start: was.offset(e.range.start) ?? -1, end: was.offset(e.range.end) ?? -1, delta: e.newText.length - e.expected.length })).sort((a, b) => a.start - b.start);
    for (const { finding } of fixedHere) {
      const mapped = mapOffset(was.offset(finding.reference.range.start) ?? -1, spans);
      const kept = after.findings.find((f) => same(f, finding) && now.offset(f.reference.range.start) === mapped);
      if (kept) out.push({ invariant: 'fix-kept', detail: `pass ${pass + 1}: ${finding.code} ${finding.advisory.id} at ${JSON.stringify(finding.reference.range.start)} is still there after "${finding.fixes[0]!.title}"` });
    }
    const readable = new Set(analysis.problems.map((p) => `${p.reason} ${p.message}`));
    const broken = after.problems.filter((p) => !readable.has(`${p.reason} ${p.message}`));
    if (broken.length > 0 && analysis.problems.length === 0) out.push({ invariant: 'fix-problem', detail: `pass ${pass + 1}: ${broken[0]!.message.slice(0, 120)}` });
    texts = next;
    analysis = after;
  }
  if (compatibleFixes(analysis.findings.flatMap((f) => f.fixes.slice(0, 1)), (u) => texts.get(u)).length > 0) {
    out.push({ invariant: 'fix-loop', detail: `fixes still change the text after ${maxFixPasses} passes` });
  }
}

function same(a: Finding, b: Finding): boolean {
  return a.code === b.code && a.advisory.id === b.advisory.id;
}

/** Where an offset is after edits (offsets, in order; an offset inside an edit maps to the edit's start). */
function mapOffset(offset: number, spans: readonly { start: number; end: number; delta: number }[]): number {
  let shift = 0;
  for (const { start, end, delta } of spans) {
    if (end <= offset && !(start === offset && end === offset)) shift += delta;
    else if (start <= offset && offset < end) return start + shift;
  }
  return offset + shift;
}

/** The fast path must find what `extract` finds for the packages it is asked for, at the same ranges. */
function wantedAgrees(extractWanted: (t: string, p: string, w: (n: string, v: string) => boolean) => Extracted[], text: string, path: string, extracted: Extracted[], out: Violation[], ecosystem = 'npm'): void {
  const index = defaultIndex();
  const wanted = (name: string, version: string): boolean => entriesFor(index, ecosystem, name).some((e) => version === '' || isAffected(e.affected, version));
  let fast: Extracted[];
  try {
    fast = extractWanted(text, path, wanted);
  } catch (error) {
    out.push({ invariant: 'throws', detail: `extractWanted: ${String(error)}` });
    return;
  }
  const pick = (items: Extracted[]): string[] =>
    items.filter((e) => e.kind !== 'package' || wanted(e.name, e.version ?? '')).filter((e) => e.kind !== 'problem').map((e) => JSON.stringify(e)).sort();
  const [a, b] = [pick(extracted), pick(fast)];
  if (a.join('\n') !== b.join('\n')) {
    const missing = a.filter((x) => !b.includes(x));
    const extra = b.filter((x) => !a.includes(x));
    out.push({ invariant: 'wanted', detail: `extractWanted differs: ${missing.length} missing (${(missing[0] ?? '').slice(0, 100)}), ${extra.length} extra (${(extra[0] ?? '').slice(0, 100)})` });
  }
}
