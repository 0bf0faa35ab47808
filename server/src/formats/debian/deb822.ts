/**
 * The deb822 control-file syntax that `debian/control` and `.dsc` files share: paragraphs of `Name: value`
 * fields separated by blank lines, a value continued on lines that start with a space or tab, `#` comment lines
 * (in `debian/control`), and, for a signed `.dsc`, the OpenPGP armour around the one paragraph. One pass over the
 * lines; every character of a value keeps its file offset, so a token found in a value has its exact range.
 */

/** A field of a paragraph: its name as written, and its value with each character's offset in the file. */
export interface Deb822Field {
  name: string;
  /** The value, lines joined with `\n`, the first line's leading blanks and every line's trailing blanks removed. */
  value: string;
  /** `offsets[i]` is the file offset of `value[i]` (a joining `\n` maps to the end of its line). */
  offsets: number[];
  /** The offset of the field name. */
  start: number;
}

/** A line that is neither a field, a continuation, a comment nor a blank line. */
export interface Deb822Problem {
  message: string;
  start: number;
  end: number;
}

/** What a deb822 text holds: its paragraphs in order, and the lines that could not be read. */
export interface Deb822 {
  paragraphs: Deb822Field[][];
  problems: Deb822Problem[];
}

/** Reads a deb822 text; `comments` says whether `#` lines are comments (debian/control) or an error (a `.dsc`). */
export function scanDeb822(text: string, comments: boolean): Deb822 {
  const paragraphs: Deb822Field[][] = [];
  const problems: Deb822Problem[] = [];
  let paragraph: Deb822Field[] = [];
  let field: Deb822Field | undefined;
  let armour: 'none' | 'header' | 'body' | 'signature' = 'none';
  const flush = (): void => {
    if (paragraph.length > 0) paragraphs.push(paragraph);
    paragraph = [];
    field = undefined;
  };
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    const line = text.slice(start, lineEnd);
    if (line.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) {
      armour = 'header';
    } else if (line.startsWith('-----BEGIN PGP SIGNATURE-----')) {
      flush();
      armour = 'signature';
    } else if (armour === 'signature') {
      if (line.startsWith('-----END PGP SIGNATURE-----')) armour = 'none';
    } else if (armour === 'header') {
      // The armour headers (`Hash: SHA256`) end at the first blank line.
      if (line.trim() === '') armour = 'body';
    } else if (line.trim() === '') {
      flush();
    } else if (comments && line.startsWith('#')) {
      // A comment line is dropped without ending the field it interrupts.
    } else if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
      if (field) {
        // ` .` stands for an empty line inside a multi-line value (Description); it holds no token.
        const body = trimEnd(line);
        field.value += '\n';
        field.offsets.push(start + body.length);
        appendChars(field, body, start);
      } else {
        problems.push({ message: 'a continuation line with no field before it', start, end: lineEnd });
      }
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (colon <= 0 || !/^[!-9;-~]+$/.test(name)) {
        problems.push({ message: `not a "Name: value" field`, start, end: lineEnd });
        field = undefined;
      } else {
        field = { name, value: '', offsets: [], start };
        let from = colon + 1;
        while (from < line.length && (line.charCodeAt(from) === 0x20 || line.charCodeAt(from) === 0x09)) from++;
        appendChars(field, trimEnd(line.slice(from)), start + from);
        paragraph.push(field);
      }
    }
    if (end >= text.length) break;
    start = next;
  }
  flush();
  return { paragraphs, problems };
}

/** The field of a paragraph with a name, compared as dpkg does (case-insensitively). */
export function fieldOf(paragraph: readonly Deb822Field[], name: string): Deb822Field | undefined {
  const lower = name.toLowerCase();
  return paragraph.find((f) => f.name.toLowerCase() === lower);
}

function appendChars(field: Deb822Field, chars: string, at: number): void {
  field.value += chars;
  for (let i = 0; i < chars.length; i++) field.offsets.push(at + i);
}

function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  return line.slice(0, end);
}
