/** Line splitting for the line-based formats (Gemfile.lock, go.mod): each line with its offsets, in one forward pass. */

/** One physical line: its text without the line break, and where it starts and ends in the file. */
export interface Line {
  text: string;
  start: number;
  end: number;
}

/**
 * The lines of a text, split at `\n`, `\r\n` and a lone `\r` as the protocol counts them. A byte order mark at
 * the start is not part of the first line's text (its offsets still count it).
 */
export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The next `\r` is kept between lines, so that a file without one is searched for it once, not once per line.
  let cr = -2;
  for (;;) {
    let end = text.indexOf('\n', start);
    if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    if (cr >= 0 && (end < 0 || cr < end)) end = cr;
    if (end < 0) {
      if (start < text.length || out.length === 0) out.push({ text: text.slice(start), start, end: text.length });
      return out;
    }
    out.push({ text: text.slice(start, end), start, end });
    start = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
}

/**
 * Calls `visit` with the start and end offsets of each line (line breaks as `splitLines` counts them), without
 * making a string or an object per line: a text without a lone `\r` is walked with indexOf.
 */
export function forEachLine(text: string, visit: (start: number, end: number) => void): void {
  if (text.indexOf('\r') >= 0 && /\r(?!\n)/.test(text)) {
    for (const line of splitLines(text)) visit(line.start, line.end);
    return;
  }
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 ? text.length : newline;
    const end = stop > start && text.charCodeAt(stop - 1) === 0x0d ? stop - 1 : stop;
    if (newline >= 0 || start < text.length) visit(start, end);
    if (newline < 0) return;
    start = newline + 1;
  }
}
