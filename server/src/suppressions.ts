/**
 * Inline suppressions: `pinwatch-ignore ID [until=YYYY-MM-DD] REASON` in a comment of the file's own syntax, at the
 * end of the flagged line or on a comment line directly above it. A suppression applies to that advisory (by the
 * id every output displays, or any alias) on that line only, and only with a reason and before its date; one that
 * does not apply says why (a notice at the comment), and one that matches nothing is reported as unused, so stale
 * suppressions get cleaned up. Pure: the text, the findings and today's date in, marked findings and notices out.
 */
import type { Finding, Notice, Range, Suppression } from './model';

/** A suppression comment as written: where it is, what it names, until when and why. */
export interface Directive {
  /** The 0-based line the comment is on. */
  line: number;
  /** Whether the line holds nothing but the comment (then it applies to the next line). */
  own: boolean;
  /** The range of the comment's text, from the comment marker to the end of the line. */
  range: Range;
  id: string;
  until?: string;
  reason: string;
  /** Why the directive cannot be read (a bad date), when it cannot. */
  invalid?: string;
}

const marker = 'pinwatch-ignore';

/**
 * The suppression comments of a text whose comments start with `prefix` (`#` or `//`). A marker counts only outside
 * quotes and at the start of the line or after a blank, as shells, TOML, YAML and requirement files read comments,
 * so `RUN echo "# pinwatch-ignore …"` is not one. Linear in the text; most texts hold no marker and cost one search.
 */
export function directives(text: string, prefix: '#' | '//', multilineQuotes = false): Directive[] {
  if (text.indexOf(marker) < 0) return [];
  const out: Directive[] = [];
  const open = multilineQuotes ? openQuotes(text) : undefined;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
    const content = text.slice(start, end);
    if (content.includes(marker)) {
      const at = commentStart(content, prefix, open?.[line] ?? '');
      if (at >= 0) {
        const directive = parse(content.slice(at + prefix.length), line, at, end - start, content.slice(0, at).trim() === '');
        if (directive) out.push(directive);
      }
    }
    if (end >= text.length) break;
    start = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    line++;
  }
  return out;
}

/**
 * The quote open at the start of each line of a shell text ('' for none), in one pass: a recipe's
 * `depends="…"` spans lines, and a `#` inside it is text, not a comment.
 */
export function openQuotes(text: string): string[] {
  const out = [''];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      out.push(quote);
      continue;
    }
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /[\s;&|(]/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    }
  }
  return out;
}

/** Where a comment starts in one line, outside single and double quotes (`quote` is open at its start); -1 for none. */
function commentStart(content: string, prefix: '#' | '//', open = ''): number {
  return scanLine(content, prefix, open).comment;
}

/**
 * One pass over a line with shell quoting (`open` is the quote open at its start): where a comment starts (-1 for
 * none), and, for a line without one, the quote still open at its end.
 */
function scanLine(content: string, prefix: '#' | '//', open: string): { comment: number; quote: string } {
  let quote = open;
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (content.startsWith(prefix, i) && (i === 0 || content[i - 1] === ' ' || content[i - 1] === '\t')) return { comment: i, quote };
  }
  return { comment: -1, quote };
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A directive from the comment's text (after its marker); undefined when the comment is not one. */
function parse(comment: string, line: number, at: number, lineLength: number, own: boolean): Directive | undefined {
  const words = comment.trim().split(/\s+/);
  if (words[0] !== marker) return undefined;
  const range = { start: { line, character: at }, end: { line, character: lineLength } };
  const id = words[1] ?? '';
  let rest = words.slice(2);
  let until: string | undefined;
  let invalid: string | undefined;
  if (rest[0]?.startsWith('until=')) {
    until = rest[0].slice('until='.length);
    rest = rest.slice(1);
    if (!validDate(until)) invalid = `until=${until} is not a date written YYYY-MM-DD`;
  }
  if (id === '') invalid = 'it names no advisory id';
  return { line, own, range, id, reason: rest.join(' '), ...(until === undefined ? {} : { until }), ...(invalid ? { invalid } : {}) };
}

/** Whether a YYYY-MM-DD string names a real day. */
export function validDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Today as YYYY-MM-DD in UTC, the day suppressions are judged by unless the settings name another. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Whether a finding's advisory is the one an id names (the displayed id or an alias, in any case). */
export function namesAdvisory(finding: Finding, id: string): boolean {
  const wanted = id.toLowerCase();
  return [finding.advisory.id, ...finding.advisory.aliases].some((name) => name.toLowerCase() === wanted);
}

/**
 * Marks the findings the directives suppress, and the notices for the directives that do not apply (no reason,
 * expired, unreadable) or match nothing. `day` is YYYY-MM-DD; a suppression applies through its `until` day.
 */
export function applyDirectives(findings: readonly Finding[], found: readonly Directive[], day: string): { findings: Finding[]; notices: Notice[] } {
  const notices: Notice[] = [];
  const used = new Set<Directive>();
  const marked = findings.map((finding) => {
    const line = finding.reference.range.start.line;
    const candidates = found.filter((d) => (d.line === line || (d.own && d.line === line - 1)) && namesAdvisory(finding, d.id));
    for (const d of candidates) {
      used.add(d);
      if (d.invalid || d.reason === '' || (d.until !== undefined && d.until < day)) continue;
      const suppression: Suppression = { kind: 'inSource', justification: d.reason, range: d.range, ...(d.until ? { until: d.until } : {}) };
      return { ...finding, suppression };
    }
    return finding;
  });
  for (const d of found) {
    if (d.invalid) notices.push({ code: 'suppression-invalid', severity: 'warning', range: d.range, message: `This suppression does not apply: ${d.invalid}.` });
    else if (!used.has(d)) notices.push({ code: 'suppression-unused', severity: 'info', range: d.range, message: `This suppression of ${d.id} matches no finding on ${d.own ? 'the next line' : 'this line'}; remove it if it is no longer needed.` });
    else if (d.reason === '') notices.push({ code: 'suppression-without-reason', severity: 'warning', range: d.range, message: `This suppression of ${d.id} does not apply: it gives no reason. Write why after the id (and the date, if any).` });
    else if (d.until !== undefined && d.until < day) notices.push({ code: 'suppression-expired', severity: 'warning', range: d.range, message: `This suppression of ${d.id} expired on ${d.until}: the finding is reported again.` });
  }
  return { findings: marked, notices };
}

/**
 * Where a suppression comment for a finding on `line` can be written, and how: at the end of the line
 * (` # pinwatch-ignore …`), or on a line of its own above it when the line already ends in a comment; undefined
 * when neither is safe (the line continues with a backslash, or ends inside a quoted value that spans lines).
 */
export function commentPlace(text: string, line: number, prefix: '#' | '//', multilineQuotes = false): { offset: number; before: string; after: string } | undefined {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  if (line >= starts.length) return undefined;
  const start = starts[line]!;
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
  const content = text.slice(start, end);
  const open = multilineQuotes ? openQuotes(text) : undefined;
  const quoteAtStart = open?.[line] ?? '';
  const quoteAtEnd = open?.[line + 1] ?? '';
  if (/\\\s*$/.test(content)) return undefined;
  const scanned = scanLine(content, prefix, quoteAtStart);
  if (scanned.comment < 0 && quoteAtEnd === '' && scanned.quote === '') {
    return { offset: start + content.trimEnd().length, before: ' ', after: '' };
  }
  // A line of its own above, with the same indentation, where a comment is read as one.
  const previous = line > 0 ? text.slice(starts[line - 1]!, start).replace(/\r?\n$|\r$/, '') : '';
  if (quoteAtStart !== '' || /\\\s*$/.test(previous)) return undefined;
  const indent = /^[ \t]*/.exec(content)![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { offset: start, before: indent, after: eol };
}
