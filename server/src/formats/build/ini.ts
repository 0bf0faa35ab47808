/**
 * INI-style files as Meson wraps and git's `.gitmodules` write them: `[section]` or `[section "name"]` headers,
 * `key = value` lines, `#` and `;` comment lines. One pass over the lines; each value keeps its file offset.
 */
import { literalAt, type Located } from './refs';

/** A `key = value` line: the section it is in, the key (lowercase), and the value with its offsets. */
export interface IniEntry { section: string; key: string; value: Located; line: number }

/** The entries of an INI text, in order. A value in double quotes is read without them (no escapes inside). */
export function iniEntries(text: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  let at = 0;
  let line = 0;
  while (at <= text.length) {
    const br = text.indexOf('\n', at);
    const end = br < 0 ? text.length : br;
    const raw = text.slice(at, end).replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      section = (close < 0 ? trimmed.slice(1) : trimmed.slice(1, close)).trim();
    } else if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith(';')) {
      const eq = raw.indexOf('=');
      if (eq > 0) {
        const key = raw.slice(0, eq).trim().toLowerCase();
        let from = eq + 1;
        while (from < raw.length && (raw[from] === ' ' || raw[from] === '\t')) from++;
        let to = raw.length;
        while (to > from && (raw[to - 1] === ' ' || raw[to - 1] === '\t')) to--;
        if (to - from >= 2 && raw[from] === '"' && raw[to - 1] === '"' && !raw.slice(from + 1, to - 1).includes('"')) { from++; to--; }
        out.push({ section, key, value: literalAt(raw.slice(from, to), at + from), line });
      }
    }
    if (br < 0) break;
    at = br + 1;
    line++;
  }
  return out;
}
