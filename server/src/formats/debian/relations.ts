/**
 * Debian relationship fields (`Build-Depends`, `Depends`, `Pre-Depends`, `Recommends`, …) as dpkg reads them:
 * comma-separated relations, each a list of `|` alternatives `name[:arch] [(op version)] [[arch …]] [<profile …> …]`.
 * Every alternative that names a version gives its name, operator and the exact offsets of the version token.
 */

/** One alternative of a relation that restricts the version. */
export interface Relation {
  name: string;
  /** dpkg's operator: `=`, `>=`, `<=`, `<<`, `>>` (the obsolete `<` and `>` mean `<=` and `>=`). */
  op: '=' | '>=' | '<=' | '<<' | '>>';
  version: string;
  /** Offsets of the version token in the field's value. */
  start: number;
  end: number;
}

/** The versioned alternatives of a relationship field's value; the rest (unversioned names, substitution variables) is skipped. */
export function relations(value: string): Relation[] {
  const out: Relation[] = [];
  const n = value.length;
  const next = closer(value);
  let i = 0;
  while (i < n) {
    while (i < n && blank(value.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < n && !blank(value.charCodeAt(i)) && !'(),|[<'.includes(value[i]!)) i++;
    const rawName = value.slice(nameStart, i);
    while (i < n && blank(value.charCodeAt(i))) i++;
    if (value[i] === '(') {
      // A version restriction ends at its `)`; one left open ends at the next separator, and reads as nothing.
      const close = next(')', i);
      const stop = Math.min(next(',', i), next('|', i));
      if (close < stop) {
        const relation = versioned(value, rawName, i + 1, close);
        if (relation) out.push(relation);
      }
      i = Math.min(close + 1, stop);
    }
    // Whatever follows (architecture lists, build profiles, text outside the grammar) holds no version.
    i = Math.min(next(',', i), next('|', i)) + 1;
  }
  return out;
}

/** The relation in `(op version)` between `from` and `to` (the `)`), or undefined. */
function versioned(value: string, rawName: string, from: number, to: number): Relation | undefined {
  let j = from;
  while (j < to && blank(value.charCodeAt(j))) j++;
  const opStart = j;
  while (j < to && '<>='.includes(value[j]!)) j++;
  const op = operators[value.slice(opStart, j)];
  while (j < to && blank(value.charCodeAt(j))) j++;
  const start = j;
  while (j < to && !blank(value.charCodeAt(j))) j++;
  const version = value.slice(start, j);
  while (j < to && blank(value.charCodeAt(j))) j++;
  // `:any`, `:native` and `:amd64` qualify the architecture, not the name.
  const name = rawName.replace(/:[a-z0-9-]+$/, '');
  // `${binary:Version}` and other substitution variables are filled in at build time.
  if (!op || version === '' || j !== to || version.includes('$') || !/^[a-z0-9][a-z0-9+.-]+$/.test(name)) return undefined;
  return { name, op, version, start, end: start + version.length };
}

/**
 * The next offset at or after `from` of a character, or the value's length: each answer is kept until `from`
 * passes it, so a value full of unclosed parentheses is still read in one pass.
 */
function closer(value: string): (ch: string, from: number) => number {
  const found = new Map<string, number>();
  return (ch, from) => {
    const known = found.get(ch);
    if (known !== undefined && known >= from) return known;
    const at = value.indexOf(ch, from);
    const answer = at < 0 ? value.length : at;
    found.set(ch, answer);
    return answer;
  };
}

function blank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const operators: Record<string, Relation['op']> = { '=': '=', '>=': '>=', '<=': '<=', '<<': '<<', '>>': '>>', '<': '<=', '>': '>=' };
