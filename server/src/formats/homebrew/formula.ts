/**
 * Homebrew formulae (`Formula/*.rb`, `Formula/x/*.rb`): the release a formula builds (its `version` stanza, for
 * the formula the file is named after), the `url` and `mirror` it downloads, the `sha256` that guards them, and
 * the bottle digests (`sha256 cellar: :any, arm64_sonoma: "…"`), which Homebrew's advisories list. Stanzas are
 * read from the formula's Ruby tokens: only a call that starts its line counts, inside the class, a `resource`,
 * `stable`, `patch` or `bottle` block, never inside a string, heredoc or comment.
 */
import type { ArtifactReference, Extracted, Format, PackageReference } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex, type LineIndex } from '../textPositions';
import { scanRuby, type RubyToken } from './rubyTokens';

/** The Homebrew formula format. */
export const homebrewFormula: Format = {
  id: 'homebrew/formula',
  patterns: [...formatPatterns['homebrew/formula']],
  commentPrefix: '#',
  // Formulae are a few KB; past 4 MB a text is not one.
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    try {
      return extractFormula(text, path);
    } catch (error) {
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this formula (internal error: ${error instanceof Error ? error.message : String(error)}), so it was not checked.`, range }];
    }
  },
};

/** Why a formula's version gets no edit: its url and sha256 must change with it. */
export const formulaReason = 'The formula downloads its url and checks its sha256: change the url, the sha256 and the version together (brew bump-formula-pr does all three).';

/** Keywords that open a block closed by `end` when they start a line (a modifier `if` does not). */
const openers = new Set(['class', 'module', 'def', 'if', 'unless', 'while', 'until', 'case', 'begin', 'for']);

interface Frame {
  /** The call that opened the block: `bottle`, `resource`, `class`, … */
  name: string;
  /** Source checksums (not bottle digests) of this block, which guard its URLs. */
  sums: string[];
  urls: { at: number; reference: ArtifactReference }[];
}

function extractFormula(text: string, path: string): Extracted[] {
  const { tokens, problem } = scanRuby(text);
  const lines = lineIndex(text);
  const out: { at: number; item: Extracted }[] = [];
  const formula = formulaName(path);
  const frames: Frame[] = [{ name: '', sums: [], urls: [] }];
  const closeFrame = (): void => {
    const frame = frames.pop()!;
    for (const u of frame.urls) out.push({ at: u.at, item: frame.sums.length > 0 ? { ...u.reference, guardedBy: [...frame.sums] } : u.reference });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const first = i === 0 || tokens[i - 1]!.kind === 'newline' || tokens[i - 1]!.text === ';';
    if (t.kind === 'id' && t.text === 'end') {
      if (frames.length > 1) closeFrame();
      continue;
    }
    if (t.kind === 'id' && t.text === 'do') {
      frames.push({ name: statementHead(tokens, i), sums: [], urls: [] });
      continue;
    }
    if (!first || t.kind !== 'id') continue;
    if (openers.has(t.text)) {
      frames.push({ name: t.text, sums: [], urls: [] });
      continue;
    }
    const frame = frames[frames.length - 1]!;
    const args = argumentsOf(tokens, i + 1);
    if (t.text === 'homepage' && args[0]?.kind === 'string' && args[0].value !== undefined && /^https?:\/\/\S+$/i.test(args[0].value)) {
      // Not a download, but a host an advisory names (xz.tukaani.org) is worth saying.
      out.push({ at: args[0].start, item: { kind: 'url', value: args[0].value, range: valueRange(args[0], lines), context: 'homepage' } });
    } else if ((t.text === 'url' || t.text === 'mirror') && args[0]?.kind === 'string' && args[0].value !== undefined && /^(?:https?|ftp):\/\/\S+$/i.test(args[0].value)) {
      const s = args[0];
      const revisions = gitRevisions(s.value!, args, lines);
      // A git URL with a tag or revision downloads that revision: it is reported as one, not as a URL.
      if (revisions.length > 0) for (const r of revisions) frame.urls.push(r);
      else frame.urls.push({ at: s.start, reference: { kind: 'url', value: s.value!, range: valueRange(s, lines), context: t.text } });
    } else if (t.text === 'sha256') {
      const bottle = frame.name === 'bottle';
      for (const s of args) {
        if (s.kind !== 'string' || s.value === undefined || !/^[0-9a-fA-F]{64}$/.test(s.value)) continue;
        const value = s.value.toLowerCase();
        if (!bottle) frame.sums.push(value);
        out.push({ at: s.start, item: { kind: 'sha256', value, range: valueRange(s, lines), context: bottle ? `bottle ${labelBefore(args, s) ?? ''}`.trim() : 'sha256' } });
      }
    } else if (t.text === 'version' && formula && frames.length === 2 && frame.name === 'class' && args[0]?.kind === 'string' && args[0].value !== undefined && /^\S+$/.test(args[0].value)) {
      const s = args[0];
      const reference: PackageReference = { kind: 'package', ecosystem: 'Homebrew', name: formula, version: s.value!, range: valueRange(s, lines), fix: { kind: 'none', reason: formulaReason }, context: 'formula version', builds: true };
      out.push({ at: s.start, item: reference });
    }
  }
  while (frames.length > 0) closeFrame();
  if (problem) out.push({ at: problem.start, item: { kind: 'problem', reason: 'syntax', message: problem.message, range: lines.range(problem.start, problem.end) } });
  return out.sort((a, b) => a.at - b.at).map((o) => o.item);
}

/** The formula a file defines, by its name (`xz.rb` → `xz`, `python@3.12.rb` → `python@3.12`). */
function formulaName(path: string): string | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return base.endsWith('.rb') ? base.slice(0, -3) : undefined;
}

/** The tokens of a call's arguments: up to the end of its statement. */
function argumentsOf(tokens: readonly RubyToken[], from: number): RubyToken[] {
  const out: RubyToken[] = [];
  for (let j = from; j < tokens.length && tokens[j]!.kind !== 'newline' && tokens[j]!.text !== ';'; j++) {
    if (tokens[j]!.text === 'do') break;
    out.push(tokens[j]!);
  }
  return out;
}

/** The first identifier of the statement a `do` ends (`bottle` in `bottle do`, `resource` in `resource "x" do`). */
function statementHead(tokens: readonly RubyToken[], at: number): string {
  let j = at;
  while (j > 0 && tokens[j - 1]!.kind !== 'newline' && tokens[j - 1]!.text !== ';') j--;
  return tokens[j]!.kind === 'id' ? tokens[j]!.text : '';
}

/** The label just before a bottle digest (`arm64_sonoma`), if any. */
function labelBefore(args: readonly RubyToken[], s: RubyToken): string | undefined {
  const k = args.indexOf(s);
  const before = args[k - 1];
  return before?.kind === 'label' ? before.text : undefined;
}

/** The range of a string's content, inside its delimiters. */
function valueRange(s: RubyToken, lines: LineIndex): ArtifactReference['range'] {
  return lines.range(s.valueStart ?? s.start + 1, s.end - 1);
}

/** `url "https://github.com/o/r.git", tag: "v1", revision: "<sha>"`: the tag and the revision as git revisions `host/o/r@ref`. */
function gitRevisions(url: string, args: readonly RubyToken[], lines: LineIndex): { at: number; reference: ArtifactReference }[] {
  const m = /^(?:git\+)?[a-z]+:\/\/(?:[^@/]*@)?([^?#]+?)(?:\.git)?\/?$/i.exec(url);
  if (!m) return [];
  const out: { at: number; reference: ArtifactReference }[] = [];
  for (let k = 0; k + 1 < args.length; k++) {
    const label = args[k]!;
    const value = args[k + 1]!;
    if (label.kind !== 'label' || (label.text !== 'tag' && label.text !== 'revision') || value.kind !== 'string' || value.value === undefined) continue;
    out.push({ at: value.start, reference: { kind: 'git-tag', value: `${m[1]}@${value.value}`, range: valueRange(value, lines), context: `url ${label.text}` } });
  }
  return out;
}
