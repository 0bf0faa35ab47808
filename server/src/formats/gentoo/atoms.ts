/**
 * Portage package atoms (PMS §8.3): `[op]category/name[-version][:slot][::repo][[use]]`, as emerge, the
 * /etc/portage files, world and set files and ebuild dependencies write them. Only what matching needs is read:
 * the operator, the qualified name, and where the version is inside the atom.
 */

/** An atom with a version: its operator, `category/name`, and the version as `atom.slice(from, to)`. */
export interface Atom {
  op: '=' | '~' | '>=' | '<=' | '>' | '<';
  name: string;
  version: string;
  from: number;
  to: number;
  /** `=cat/pkg-1.2*`: every version that starts with the one written. */
  glob?: true;
}

const atomShape = /^(>=|<=|=|~|>|<)([A-Za-z0-9_][A-Za-z0-9+_.-]*)\/([A-Za-z0-9_][A-Za-z0-9+_-]*?)-([0-9][0-9.]*[a-z]?(?:_(?:alpha|beta|pre|rc|p)[0-9]*)*(?:-r[0-9]+)?)(\*?)(?=$|[:[])/;

/** The versioned atom a word spells, or undefined (an unversioned atom, a set such as `@world`, anything else). */
export function parseAtom(word: string): Atom | undefined {
  const m = atomShape.exec(word);
  if (!m) return undefined;
  const [, op, category, pn, version, star] = m as unknown as [string, Atom['op'], string, string, string, string];
  if (star && op !== '=') return undefined;
  const from = op.length + category.length + 1 + pn.length + 1;
  const atom: Atom = { op, name: `${category}/${pn}`, version, from, to: from + version.length };
  if (star) atom.glob = true;
  return atom;
}

/**
 * How an atom reads as a Pinwatch reference: `=` without a glob is an exact version; `~` (any revision of a
 * version) and `=…*` are written as the range they admit; the other operators are constraints as written.
 */
export function atomPin(atom: Atom): { version: string } | { constraint: string } {
  if (atom.op === '=' && !atom.glob) return { version: atom.version };
  // Revisions sort after the bare version and before the next one: `~5.6.1` admits 5.6.1, 5.6.1-r1, … but not 5.6.1.1.
  if (atom.op === '~') return { constraint: `>=${atom.version}, <${atom.version}-r99999999` };
  if (atom.glob) return { constraint: `~${atom.version}` };
  return { constraint: `${atom.op}${atom.version}` };
}
