/**
 * The grammar go.mod and go.work share (golang.org/x/mod/modfile): one statement per line, `verb args…` or a
 * block `verb (` … `)` whose lines are `args…`; tokens are bare words or Go strings ("…" or `…`), `//` starts a
 * comment. From it: the modules the build uses, which are the `require` lines less the modules a `replace`
 * swaps out, and each `replace` target that is a module version. A target that is a directory is not a release.
 * go.sum is not read: its lines are hashes of what go.mod selects, and a module only named there is not a pin.
 */
import type { Extracted, PackageReference, ReadProblem } from '../../model';
import { splitLines } from '../lines';
import { positionsAt } from '../textPositions';

/** A word of a line: its text (a string's decoded value) and where its characters are. */
interface Word {
  value: string;
  start: number;
  end: number;
  /** Whether `value` is exactly the text between `start` and `end` (a bare word, a raw string, or a string without escapes). */
  exact: boolean;
}

interface OffsetProblem {
  message: string;
  start: number;
  end: number;
}

interface Required {
  path: Word;
  version: Word;
  indirect: boolean;
}

interface Replacement {
  from: string;
  fromVersion?: string;
  to: Word;
  toVersion?: Word;
}

/** The verbs of each file's grammar; any other word at a statement's start is reported. */
const verbs = {
  'go.mod': new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']),
  'go.work': new Set(['go', 'toolchain', 'godebug', 'use', 'replace']),
} as const;

/** The references of a go.mod or go.work text, and the lines that could not be read. */
export function readModFile(text: string, file: 'go.mod' | 'go.work', wanted?: (name: string, version: string) => boolean): Extracted[] {
  const known = verbs[file];
  const required: Required[] = [];
  const replaced: Replacement[] = [];
  const problems: OffsetProblem[] = [];
  let bad: { first: OffsetProblem; count: number } | undefined;
  const malformed = (message: string, start: number, end: number): void => {
    if (bad) bad.count++;
    else bad = { first: { message, start, end }, count: 1 };
  };
  let block: { verb: string; at: number } | undefined;
  if (text.includes('\u0000')) {
    problems.push({ message: `This ${file} holds binary data (a NUL byte), not the text Go reads, so it was not checked.`, start: 0, end: 0 });
    return located(text, file, [], problems);
  }
  for (const line of splitLines(text)) {
    const words = lineWords(text, line.start, line.end);
    if (words === undefined) {
      malformed(`This line of ${file} has a string that is not closed, so it was not read`, line.start, line.end);
      continue;
    }
    if (words.length === 0) continue;
    const first = words[0]!;
    if (block) {
      if (first.value === ')' && words.length === 1) {
        block = undefined;
        continue;
      }
      if (known.has(first.value) && first.exact) {
        // A verb inside a block: the block was never closed, and this line starts a statement of its own.
        problems.push({ message: `The ${block.verb} ( block is not closed before this line; its entries above were read.`, start: line.start, end: line.start });
        block = undefined;
      } else {
        statement(block.verb, words, line.start, line.end);
        continue;
      }
    }
    if (!known.has(first.value)) {
      malformed(`${file} has no statement ${JSON.stringify(first.value.slice(0, 40))}, so this line was not read`, line.start, line.end);
      continue;
    }
    if (words.length === 2 && words[1]!.value === '(' && words[1]!.exact) {
      block = { verb: first.value, at: words[1]!.start };
      continue;
    }
    statement(first.value, words.slice(1), line.start, line.end);
  }
  if (block) problems.push({ message: `The ${block.verb} ( block is not closed at the end of the file; its entries were read, but the file is cut short or damaged.`, start: block.at, end: block.at + 1 });
  if (bad) {
    const more = bad.count > 1 ? ` (and ${bad.count - 1} more line${bad.count === 2 ? '' : 's'})` : '';
    problems.push({ ...bad.first, message: `${bad.first.message}${more}.` });
  }
  return located(text, file, uses(required, replaced), problems, replaced, wanted);

  function statement(verb: string, args: Word[], start: number, end: number): void {
    if (verb === 'require') {
      const indirect = args.length >= 3 && args[2]!.value === '//indirect';
      const [path, version] = args;
      if (!path || !version || (args.length > 2 && !indirect) || !version.value.startsWith('v')) {
        malformed(`This require line of ${file} is not a module path and a version, so it was not read`, start, end);
        return;
      }
      required.push({ path, version, indirect });
    } else if (verb === 'replace') {
      const arrow = args.findIndex((w) => w.value === '=>' && w.exact);
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
        malformed(`This replace line of ${file} is not \`module [version] => target [version]\`, so it was not read`, start, end);
        return;
      }
      replaced.push({ from: left[0]!.value, ...(left[1] ? { fromVersion: left[1].value } : {}), to: right[0]!, ...(right[1] ? { toVersion: right[1] } : {}) });
    }
    // module, go, toolchain, godebug, exclude, retract, tool, ignore and use name no release that is built from a registry:
    // an excluded version is one the build may not select, and the go and toolchain lines are Go's own version.
  }
}

/** The required modules the build uses: those no `replace` swaps out (all versions, or the version it names). */
function uses(required: readonly Required[], replaced: readonly Replacement[]): Required[] {
  // By module path, so that many requires and many replaces cost their sum, not their product.
  const byPath = new Map<string, Set<string | undefined>>();
  for (const p of replaced) byPath.set(p.from, (byPath.get(p.from) ?? new Set()).add(p.fromVersion));
  return required.filter((r) => {
    const versions = byPath.get(r.path.value);
    return !versions || !(versions.has(undefined) || versions.has(r.version.value));
  });
}

/** Whether a replace target is a directory (`./x`, `../x`, `/abs`, `C:\x`) rather than a module path. */
function isDirectory(target: string): boolean {
  return target.startsWith('./') || target.startsWith('../') || target.startsWith('/') || target === '.' || target === '..' || /^[A-Za-z]:[\\/]/.test(target) || target.startsWith('.\\') || target.startsWith('..\\');
}

function located(text: string, file: string, required: readonly Required[], problems: readonly OffsetProblem[], replaced: readonly Replacement[] = [], wanted?: (name: string, version: string) => boolean): Extracted[] {
  const found: Array<{ name: string; version: Word; via?: string; indirect?: boolean }> = [];
  for (const r of required) if (r.version.exact && (!wanted || wanted(r.path.value, r.version.value))) found.push({ name: r.path.value, version: r.version, indirect: r.indirect });
  for (const p of replaced) {
    if (!p.toVersion || isDirectory(p.to.value) || !p.toVersion.exact || (wanted && !wanted(p.to.value, p.toVersion.value))) continue;
    found.push({ name: p.to.value, version: p.toVersion, via: `replace of ${p.from}${p.fromVersion ? ` ${p.fromVersion}` : ''}` });
  }
  found.sort((a, b) => a.version.start - b.version.start);
  const offsets = [...found.flatMap((f) => [f.version.start, f.version.end]), ...problems.flatMap((p) => [p.start, p.end])];
  const positions = positionsAt(text, offsets);
  const refs: Extracted[] = found.map((f, i): PackageReference => ({
    kind: 'package',
    ecosystem: 'Go',
    name: f.name,
    version: f.version.value,
    range: { start: positions[2 * i]!, end: positions[2 * i + 1]! },
    ...(f.via ? { via: f.via } : {}),
    context: f.indirect ? `${file} (indirect)` : file,
  }));
  const base = 2 * found.length;
  const read = problems.map((p, i): ReadProblem => ({ kind: 'problem', reason: 'syntax', message: p.message, range: { start: positions[base + 2 * i]!, end: positions[base + 2 * i + 1]! } }));
  return [...refs, ...read];
}

/**
 * The words of the line [start, end): bare words, strings, `(`, `)` and `=>`, with a trailing `// indirect` comment
 * as the one word `//indirect` (any other comment is dropped); undefined when a string is not closed on the line.
 */
function lineWords(text: string, start: number, end: number): Word[] | undefined {
  const words: Word[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    // Any other white space (U+00A0, U+2028) is passed over as well: a word never starts with one, so each step moves on.
    if (isBlank(text.charCodeAt(i))) {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      if (text.slice(i + 2, end).trim() === 'indirect' || /^indirect;/.test(text.slice(i + 2, end).trim())) words.push({ value: '//indirect', start: i, end, exact: false });
      break;
    }
    if (c === '(' || c === ')') {
      words.push({ value: c, start: i, end: i + 1, exact: true });
      i++;
      continue;
    }
    if (c === '"' || c === '`') {
      let value = '';
      let exact = true;
      let j = i + 1;
      for (; j < end && text[j] !== c; j++) {
        if (c === '"' && text[j] === '\\') {
          exact = false;
          j++;
          if (j >= end) return undefined;
        }
        value += text[j];
      }
      if (j >= end) return undefined;
      words.push({ value, start: i + 1, end: j, exact });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < end && !endsWord(text.charCodeAt(j)) && !(text.charCodeAt(j) === 0x2f && text.charCodeAt(j + 1) === 0x2f)) j++;
    words.push({ value: text.slice(i, j), start: i, end: j, exact: true });
    i = j;
  }
  return words;
}

/** Whether a character is white space as `\s` counts it, or a byte order mark. */
function isBlank(c: number): boolean {
  if (c === 0x20 || c === 0x09) return true;
  if (c < 0x80) return c >= 0x0a && c <= 0x0d;
  return /[\s\ufeff]/.test(String.fromCharCode(c));
}

/** Whether a character ends a bare word: white space, a parenthesis or a quote. */
function endsWord(c: number): boolean {
  return c === 0x28 || c === 0x29 || c === 0x22 || c === 0x60 || isBlank(c);
}
