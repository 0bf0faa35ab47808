/**
 * The pip requirements-file format (requirements.txt, constraints.txt): one PEP 508 requirement per logical line,
 * where `name==1.2.3` is a reference with a version and any other specifier one with a constraint, each at the
 * exact range of its text, even when a trailing backslash splits the line.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { positionsAt } from './textPositions';
import { formatPatterns } from './patterns';

/** The pip requirements format: the named, versioned requirements of a requirements or constraints file. */
export const requirements: Format = {
  id: 'pypi/requirements.txt',
  patterns: [...formatPatterns['pypi/requirements.txt']],
  commentPrefix: '#',
  // A fully hashed lock of a large project is a few hundred KB; past 16 MB a file is generated data, not a list of
  // requirements: it is reported as not read.
  maxLength: 16 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      return extractRequirements(text);
    } catch (error) {
      // The reader is total by construction; should it fail all the same, the file is reported as not read rather
      // than passed as clean.
      const reason = error instanceof Error ? error.message : String(error);
      const start = { line: 0, character: 0 };
      return [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this requirements file (internal error: ${reason}), so it was not checked.`, range: { start, end: start } }];
    }
  },
};

/** Why a hashed line gets no edit: changing the version alone would leave hashes that no longer match. */
const hashedReason = 'The line pins hashes of this release: regenerate it (pip-compile --generate-hashes) with a safe version.';
/** Why a version split by a continuation gets no edit: the replaced text would include the backslash and break. */
const splitReason = 'The version is split across a line continuation: write a safe version by hand.';

/** A piece of a logical line: where it starts in the joined text and in the file. */
interface Segment {
  joined: number;
  file: number;
}

/** A logical line: physical lines joined at trailing backslashes, with the map back to file offsets. */
interface LogicalLine {
  text: string;
  segments: Segment[];
}

interface Found {
  ref: Omit<PackageReference, 'range'>;
  start: number;
  end: number;
}

function extractRequirements(text: string): PackageReference[] {
  const found: Found[] = [];
  for (const line of logicalLines(text)) {
    const entry = readLine(line);
    if (entry) found.push(entry);
  }
  const positions = positionsAt(text, found.flatMap((f) => [f.start, f.end]));
  return found.map((f, i) => ({ ...f.ref, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }));
}

/**
 * The logical lines of a file, as pip joins them: a line ending in a backslash continues on the next, except a
 * line that is wholly a comment, which never continues and ends a pending continuation.
 */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at <= text.length) {
    const newline = nextBreak(text, at);
    const physical = text.slice(at, newline.index);
    if (/^\s*#/.test(physical)) {
      if (pending) out.push(pending);
      pending = undefined;
    } else {
      const line: LogicalLine = pending ?? { text: '', segments: [] };
      const continues = physical.endsWith('\\');
      line.segments.push({ joined: line.text.length, file: at });
      line.text += continues ? physical.slice(0, -1) : physical;
      if (continues) pending = line;
      else {
        out.push(line);
        pending = undefined;
      }
    }
    if (newline.length === 0) break;
    at = newline.index + newline.length;
  }
  if (pending) out.push(pending);
  return out;
}

/** The next line break from `at` (`\n`, `\r\n` or a lone `\r`), or the end of the text with length 0. */
function nextBreak(text: string, at: number): { index: number; length: number } {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) return { index: i, length: 1 };
    if (c === 0x0d) return { index: i, length: text.charCodeAt(i + 1) === 0x0a ? 2 : 1 };
  }
  return { index: text.length, length: 0 };
}

/** The file offset of a position in a logical line's joined text. */
function fileOffset(line: LogicalLine, joined: number): number {
  let segment = line.segments[0]!;
  for (const s of line.segments) if (s.joined <= joined) segment = s;
  return segment.file + (joined - segment.joined);
}

/** Whether [start, end) of the joined text lies within one physical line. */
function inOneSegment(line: LogicalLine, start: number, end: number): boolean {
  return line.segments.every((s) => s.joined <= start || s.joined >= end);
}

const namePattern = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const archivePattern = /\.(?:whl|zip|tar|tgz|tbz|txz|tlz|tar\.gz|tar\.bz2|tar\.xz|tar\.lz|tar\.lzma)$/i;
// PEP 440 versions (and `*` wildcards) use only these characters; anything else is a malformed line, read as nothing.
const clausePattern = /^(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9._+!*-]+)$/;

/** The reference one logical line names, if it is a requirement with a readable version specifier. */
function readLine(line: LogicalLine): Found | undefined {
  // A comment starts at a `#` at the start of the line or after whitespace, and runs to the end of the logical line.
  const comment = /(?:^|\s)#/.exec(line.text);
  const body = comment ? line.text.slice(0, comment.index) : line.text;
  // Options follow the requirement: they start at the first whitespace-separated word beginning with `-`. A line of
  // options alone (-r, -c, -e, --index-url, ...) names no requirement here; editables are local or VCS projects.
  const option = /(?:^|\s)-/.exec(body);
  const requirement = option ? body.slice(0, option.index) : body;
  const options = option ? body.slice(option.index) : '';
  const lead = requirement.length - requirement.trimStart().length;
  const spec = readRequirement(requirement.trim());
  if (!spec) return undefined;
  const start = lead + spec.offset;
  const end = start + spec.text.length;
  const hashed = /(?:^|\s)--hash(?:[=\s]|$)/.test(options);
  const split = !inOneSegment(line, start, end);
  const ref: Omit<PackageReference, 'range'> = {
    kind: 'package',
    ecosystem: 'PyPI',
    name: spec.name,
    ...(spec.exact ? { version: spec.text } : { constraint: spec.text }),
    context: 'requirements.txt',
  };
  // A version pin is fixed by replacing its text (the engine's default); a hashed line or a split version cannot be.
  const reason = hashed ? hashedReason : split && spec.exact ? splitReason : undefined;
  if (reason !== undefined) ref.fix = { kind: 'none', reason };
  return { ref, start: fileOffset(line, start), end: fileOffset(line, end - 1) + 1 };
}

/**
 * A PEP 508 requirement's name and version specifier, with the specifier's offset: the version alone for an
 * exact `==`/`===` pin, the whole specifier otherwise. URLs, paths, archives, direct references (`name @ url`),
 * unpinned names, variables and unreadable specifiers give nothing. The Python manifests (pyproject.toml, setup.cfg,
 * environment.yml's pip list) read their requirement strings with it too.
 */
export function readRequirement(text: string): { name: string; text: string; offset: number; exact: boolean } | undefined {
  const name = namePattern.exec(text)?.[0];
  if (name === undefined || archivePattern.test(text.split(/[\s;]/)[0]!)) return undefined;
  let at = name.length;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  // After the name comes whitespace, extras, a specifier, a marker or nothing; anything else (`:`, `/`, `+`) is a
  // URL or a path.
  if (at < text.length && !/[\s[(<>=!~;]/.test(text[at]!)) return undefined;
  skipSpace();
  if (text[at] === '[') {
    const close = text.indexOf(']', at);
    if (close < 0) return undefined;
    at = close + 1;
    skipSpace();
  }
  const semicolon = text.indexOf(';', at);
  let specEnd = semicolon < 0 ? text.length : semicolon;
  while (specEnd > at && /\s/.test(text[specEnd - 1]!)) specEnd--;
  // PEP 508 allows the specifier in parentheses: `name (>=1.0)`.
  if (text[at] === '(') {
    if (text[specEnd - 1] !== ')') return undefined;
    at++;
    specEnd--;
    skipSpace();
    while (specEnd > at && /\s/.test(text[specEnd - 1]!)) specEnd--;
  }
  const spec = text.slice(at, specEnd);
  if (spec === '' || spec.includes('$')) return undefined;
  const clauses = spec.split(',').map((c) => clausePattern.exec(c.trim()));
  if (clauses.some((c) => c === null)) return undefined;
  const only = clauses.length === 1 ? clauses[0]! : undefined;
  if (only && (only[1] === '==' || only[1] === '===') && !only[2]!.endsWith('*')) {
    return { name, text: only[2]!, offset: at + spec.lastIndexOf(only[2]!), exact: true };
  }
  return { name, text: spec, offset: at, exact: false };
}
