/**
 * setup.cfg (setuptools' declarative configuration, an INI file): the PEP 508 requirements of `[options]`
 * `install_requires`, `setup_requires` and `tests_require`, and of each key of `[options.extras_require]`. A value
 * spans its indented continuation lines, one requirement a line; a value on one line is split at `;`, as setuptools
 * splits it. Each requirement is read as requirements.txt reads a line.
 */
import type { Extracted, Format } from '../model';
import { positioned, requirementAt, type Found } from './python/references';
import { formatPatterns } from './patterns';

/** The `[options]` keys that hold requirement lists. */
const optionKeys: ReadonlySet<string> = new Set(['install_requires', 'setup_requires', 'tests_require']);

/** One physical line of a value: its text and its offset in the file. */
interface Piece {
  text: string;
  at: number;
}

/** The setup.cfg format. */
export const setupCfg: Format = {
  id: 'pypi/setup.cfg',
  patterns: [...formatPatterns['pypi/setup.cfg']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const found: Found[] = [];
    let section = '';
    // The value being read, when its key holds requirements.
    let value: Piece[] | undefined;
    const finish = (): void => {
      if (!value) return;
      const lines = value.filter((p) => p.text.trim() !== '');
      // `file: requirements.txt` reads the list from another file, which is checked on its own.
      if (lines[0]?.text.trimStart().startsWith('file:')) lines.length = 0;
      const pieces = lines.length === 1 && value.length === 1 ? split(lines[0]!) : lines;
      for (const piece of pieces) {
        const f = requirementAt(withoutComment(piece.text), piece.at, 'setup.cfg');
        if (f) found.push(f);
      }
      value = undefined;
    };
    let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const line = text.slice(at, end).replace(/\r$/, '');
      const trimmed = line.trim();
      const continuation = /^[ \t]/.test(line);
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
        // Blank and comment lines inside a value neither end it nor belong to it.
      } else if (continuation && value) {
        value.push({ text: line, at });
      } else if (!continuation) {
        finish();
        const header = /^\[([^\]]*)\]/.exec(trimmed);
        if (header) section = header[1]!.trim().toLowerCase();
        else {
          // `key = value` or `key: value`, split at the first `=` or `:` (a regular expression with a lazy key and
          // `\s*` was quadratic on a long line of blanks with neither).
          const eq = line.indexOf('=');
          const colon = line.indexOf(':');
          const sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
          if (sep > 0) {
            const key = line.slice(0, sep).trim().toLowerCase().replace(/-/g, '_');
            const wanted = (section === 'options' && optionKeys.has(key)) || section === 'options.extras_require';
            if (wanted) value = [{ text: line.slice(sep + 1), at: at + sep + 1 }];
          }
        }
      }
      at = end + 1;
    }
    finish();
    return positioned(text, found);
  },
};

/** A one-line value's requirements, split at `;` as setuptools splits a one-line list. */
function split(piece: Piece): Piece[] {
  const out: Piece[] = [];
  let from = 0;
  for (const part of piece.text.split(';')) {
    out.push({ text: part, at: piece.at + from });
    from += part.length + 1;
  }
  return out;
}

/** A line without its trailing ` # comment`. */
function withoutComment(line: string): string {
  const comment = /\s[#;]/.exec(line);
  return comment ? line.slice(0, comment.index) : line;
}
