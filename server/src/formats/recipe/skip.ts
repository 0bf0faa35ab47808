/**
 * What the recipe lexer steps over without reading it: the bodies of `$(...)` and `${...}` it does not evaluate,
 * and heredoc bodies, which may hold any quote or brace. Each returns where the construct ends.
 */

/** The offset after the `)` matching the `(` at `pos`, stepping over quotes; undefined when unbalanced. */
export function skipParens(text: string, pos: number): number | undefined {
  return skipNested(text, pos, '(', ')');
}

/** The offset after the `}` matching the `{` at `pos`. */
export function skipBraces(text: string, pos: number): number | undefined {
  return skipNested(text, pos, '{', '}');
}

function skipNested(text: string, pos: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let at = pos; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '\\') { at++; continue; }
    if (ch === "'") {
      const end = text.indexOf("'", at + 1);
      if (end < 0) return undefined;
      at = end;
      continue;
    }
    if (ch === '"') {
      let end = at + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      at = end;
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close && --depth === 0) return at + 1;
  }
  return undefined;
}

/** Steps over the bodies of the heredocs opened on the line that ended at `pos`. */
export function skipHeredocs(text: string, pos: number, pending: { delimiter: string; stripTabs: boolean }[]): number {
  for (const doc of pending) {
    while (pos < text.length) {
      const newline = text.indexOf('\n', pos);
      const lineEnd = newline < 0 ? text.length : newline;
      let line = text.slice(pos, lineEnd).replace(/\r$/, '');
      if (doc.stripTabs) line = line.replace(/^\t+/, '');
      pos = newline < 0 ? text.length : newline + 1;
      if (line === doc.delimiter) break;
    }
  }
  return pos;
}
