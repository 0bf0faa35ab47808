/**
 * What the server asks the client to write for *Ignore … here*, and how the reason and date are spelled in it. Plain
 * data with no imports: the VS Code client reads this file (as it reads formats/patterns.ts) without loading the server.
 */

/** A position in a text document (LSP's shape). */
export interface RequestPosition {
  line: number;
  character: number;
}

/**
 * Where and how a suppression is written: at `position` of `uri`, `before`, then the reason and date in the form
 * `kind` says (see `suppressionText`), then `after`. `create` when the policy file does not exist yet.
 */
export interface IgnoreRequest {
  kind: 'comment' | 'policy';
  /** The advisory id written (an alias such as CVE-2024-3094 where there is one). */
  id: string;
  uri: string;
  position: RequestPosition;
  before: string;
  after: string;
  /** For a policy entry: the indentation of the entry's keys, and the file's line ending. */
  indent?: string;
  eol?: string;
  create?: true;
  /**
   * The text the request was made from: the line at `position` with its line break (a comment), or the whole policy
   * file (an entry; '' when it is created). The client writes nothing when the text is no longer this.
   */
  expected: string;
}

/** Whether `until` is a date a suppression accepts (YYYY-MM-DD, a real day), or empty for none. */
export function validUntil(until: string): boolean {
  if (until === '') return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) return false;
  const date = new Date(`${until}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === until;
}

/** The text to insert for `request` with the user's reason (one line, trimmed) and optional date. */
export function suppressionText(request: IgnoreRequest, reason: string, until: string): string {
  const why = reason.replace(/[\r\n]+/g, ' ').trim();
  if (request.kind === 'comment') return `${request.before}${until ? `until=${until} ` : ''}${why}${request.after}`;
  const indent = request.indent ?? '    ';
  const eol = request.eol ?? '\n';
  return `${request.before}${until ? `${indent}until: ${until}${eol}` : ''}${indent}reason: ${JSON.stringify(why)}${eol}${request.after}`;
}
