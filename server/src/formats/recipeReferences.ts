/**
 * What APKBUILD and PKGBUILD share once scanned: dependency words (`xz-libs=5.6.1-r1`, `'xz>=5.6.0'`), source
 * entries (URLs, `name::url`, `git+https://...#tag=v1`), checksum lists, and the recipe's own version token.
 */
import type { ArtifactReference, Extracted, Origin, PackageReference, ReadProblem } from '../model';
import { originRuns } from './origins';
import type { RChar } from './shell/bashExpand';
import type { Assignment, Recipe } from './shell/bashScan';
import { sliceField, splitFields, wholeField, type Field } from './shell/fields';
import type { LineIndex as Positions } from './textPositions';

/** Why a recipe's own version gets no edit: a new number alone would rebuild the same bad source. */
export const rebuildReason =
  'This recipe builds the package from its source; change the source to a safe release and update its checksums rather than its version number.';

/** A reference and the offset that orders it in the document. */
export interface Located<T> {
  at: number;
  reference: T;
  /** A dependency whose version is written with the recipe's own `$pkgver`/`$pkgrel`/`$epoch`. */
  ownVersion?: boolean;
}

/**
 * Whether a dependency only repeats the recipe's own package: a package the recipe builds (its name or one of
 * `names`), pinned with the recipe's own version variables. The recipe's own reference already reports that
 * release, so reporting the dependency too would say the same thing twice.
 */
export function repeatsOwnPackage(dependency: Located<PackageReference>, own: Located<PackageReference> | undefined, names: ReadonlySet<string>): boolean {
  if (!own || !dependency.ownVersion) return false;
  const { name, version } = dependency.reference;
  if (name !== own.reference.name && !names.has(name)) return false;
  // An exact pin must resolve to the recipe's own version; a constraint built on it cannot admit another release
  // that the recipe's own reference would not already report.
  return version === undefined || version === own.reference.version;
}

/** The package names a recipe declares it builds: every word of `variables` (`subpackages`, `pkgname`), without `:split:arch`. */
export function builtNames(recipe: Recipe, variables: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const { field } of listFields(recipe, (name) => variables.includes(name))) {
    if (field.value !== undefined) names.add(field.value.split(':')[0]!);
  }
  return names;
}

/** The fields of an assignment: a scalar split on blanks, an array element by element. */
export function fieldsOf(assignment: Assignment): Field[] {
  return assignment.kind === 'array' ? assignment.words.map(wholeField) : splitFields(assignment.words[0]!);
}

/**
 * The fields of every assignment (top-level unless `assignments` says otherwise) whose name `wanted` accepts, leaving out words that are only the expansion of
 * another such variable (`makedepends="$depends_dev autoconf"`), which were reported where they were written.
 */
export function listFields(recipe: Recipe, wanted: (name: string) => boolean, assignments: readonly Assignment[] = recipe.assignments): { assignment: Assignment; field: Field }[] {
  const out: { assignment: Assignment; field: Field }[] = [];
  for (const assignment of assignments) {
    if (!wanted(assignment.name)) continue;
    for (const field of fieldsOf(assignment)) {
      if (field.chars.length > 0 && field.chars.every((c) => c.variable !== undefined && wanted(c.variable))) continue;
      out.push({ assignment, field });
    }
  }
  return out;
}

const ownVersionVariables = new Set(['pkgver', 'pkgrel', 'epoch']);

/** The operators of each dependency syntax, longest first; `=` alone is an exact pin. */
const operators = { apk: /^([^<>=~!]+?)([<>=~]+)(.+)$/, pacman: /^([^<>=]+?)(>=|<=|=|<|>)(.+)$/ } as const;

/**
 * A dependency word as a package reference: `name=version` pins exactly, other operators give a constraint.
 * Unpinned names, conflicts (`!name`) and unresolved words give nothing.
 */
export function dependencyReference(
  field: Field,
  syntax: keyof typeof operators,
  ecosystem: string,
  context: string,
  pos: Positions,
  recipe?: Recipe,
  inFunction = false,
): Located<PackageReference> | undefined {
  let spec = field;
  if (syntax === 'pacman' && context.startsWith('optdepends') && field.value !== undefined) {
    // "name[op version]: description"; the separator is a colon and a blank, since an epoch has a colon too.
    const colon = field.value.indexOf(': ');
    const end = colon >= 0 ? colon : field.value.endsWith(':') ? field.value.length - 1 : field.value.length;
    spec = sliceField(field, 0, end);
  }
  const match = spec.value === undefined ? null : operators[syntax].exec(spec.value);
  if (!match) return undefined;
  const [, rawName, operator, version] = match as unknown as [string, string, string, string];
  // apk's `name@tag` pins a repository, not a version.
  const name = syntax === 'apk' ? rawName.replace(/@.*$/, '') : rawName;
  if (!/^[A-Za-z0-9_+.:-]+$/.test(name) || /\s/.test(version)) return undefined;
  const versionField = sliceField(spec, rawName.length + operator.length);
  // pacman's `xz=5.6.1` accepts every pkgrel of 5.6.1 (the bad 5.6.1-1 and the safe 5.6.1-2): a range, not a pin.
  const exact = operator === '=' && (syntax === 'apk' || version.includes('-'));
  const ownVersion = versionField.chars.some((c) => c.variable !== undefined && ownVersionVariables.has(c.variable));
  const definition = !ownVersion && recipe ? definitionSpan(recipe, versionField, inFunction) : undefined;
  const reference: PackageReference = {
    kind: 'package',
    ecosystem,
    name,
    ...(exact ? { version } : { constraint: operator + version }),
    range: pos.range(versionField.start, versionField.end),
    ...(spec.via.length ? { via: spec.via.join(', ') } : {}),
    // A version that is all one variable (`xz-libs=$_xzver`) is changed where the variable is set, once for every use.
    ...(definition ? { edit: pos.range(definition.start, definition.end) } : {}),
    // A pin on the recipe's own version (a subpackage at $pkgver-r$pkgrel) moves with the recipe, not by itself.
    ...(ownVersion ? { fix: { kind: 'none' as const, reason: rebuildReason } } : {}),
    context,
  };
  return { at: versionField.start, reference, ...(ownVersion ? { ownVersion } : {}) };
}

/**
 * Where the value of a field that is exactly one plain variable expansion was written: the span of the literal
 * value of that variable's last top-level assignment before the field (`5.6.1-r1` in `_xzver=5.6.1-r1`), or in the
 * whole file for a field in a function, when that assignment ran unconditionally and its value is a plain literal.
 */
function definitionSpan(recipe: Recipe, field: Field, inFunction: boolean): { start: number; end: number } | undefined {
  const first = field.chars[0];
  const name = first?.variable;
  if (!first || name === undefined || field.value === undefined) return undefined;
  // One expansion: every character from the same `$name`/`${name}` span.
  if (!field.chars.every((c) => c.variable === name && c.start === first.start && c.end === first.end)) return undefined;
  const before = lastAssignment(recipe, name, inFunction ? Infinity : first.start);
  if (!before || before.conditional || before.append || before.kind !== 'scalar') return undefined;
  const chars = before.words[0]!.chars;
  // A literal written as it reads: no expansions, each character one source character, in a row.
  const literal = chars.length > 0 && chars.every((c, i) => c.variable === undefined && !c.poison && c.end === c.start + 1 && (i === 0 || c.start === chars[i - 1]!.end));
  if (!literal || chars.map((c) => c.ch).join('') !== field.value) return undefined;
  return { start: chars[0]!.start, end: chars[chars.length - 1]!.end };
}

/** The checksum kinds Pinwatch matches, by the recipe variable that lists them, with their hex length. */
const checksumKinds = [
  { prefix: 'sha256sums', kind: 'sha256', length: 64 },
  { prefix: 'sha512sums', kind: 'sha512', length: 128 },
] as const;

/** Every SHA-256 and SHA-512 digest the recipe lists (`SKIP`, file names, b2sums and md5sums are left out). */
export function checksumReferences(recipe: Recipe, pos: Positions): Located<ArtifactReference>[] {
  const out: Located<ArtifactReference>[] = [];
  for (const { prefix, kind, length } of checksumKinds) {
    const wanted = (name: string): boolean => name === prefix || name.startsWith(`${prefix}_`);
    for (const { assignment, field } of listFields(recipe, wanted)) {
      // APKBUILD lines are "<hex>  <file>"; PKGBUILD elements are bare digests. Either way the digest is a word.
      for (const word of assignment.kind === 'array' ? splitFields({ chars: field.chars, start: field.start, end: field.end }) : [field]) {
        if (word.value === undefined || word.value.length !== length || !/^[0-9a-fA-F]+$/.test(word.value)) continue;
        const reference: ArtifactReference = { kind, value: word.value.toLowerCase(), range: pos.range(word.start, word.end), context: assignment.name, ...(word.via.length ? { via: word.via.join(', ') } : {}) };
        out.push({ at: word.start, reference });
      }
    }
  }
  return out;
}

/** A detached signature (`{,.sig}` beside a tarball) is checked against the tarball, not an artifact of its own. */
const signature = /\.(?:sig|asc|sign)$/i;

/**
 * The downloads a recipe's `source` entries name: a URL (after a `name::` rename) as a `url` reference over the
 * URL, and a `git+...#tag=`/`#commit=` source as a `git-tag` reference `host/owner/repo@ref` over the ref.
 */
export function sourceReferences(recipe: Recipe, pos: Positions, guardedBy: string[]): Located<ArtifactReference>[] {
  const out: Located<ArtifactReference>[] = [];
  const wanted = (name: string): boolean => name === 'source' || name.startsWith('source_');
  for (const { assignment, field } of listFields(recipe, wanted)) {
    if (field.value === undefined) continue;
    const rename = field.value.indexOf('::');
    const url = rename > 0 ? sliceField(field, rename + 2) : field;
    const text = url.value!;
    const guard = guardedBy.length ? { guardedBy } : {};
    const via = url.via.length ? { via: url.via.join(', ') } : {};
    const git = /^(?:git\+[a-z]+|git):\/\/(?:[^@/]*@)?([^#?]+?)(?:\.git)?\/?(?:\?[^#]*)?#(tag|commit)=([^?&]+)/i.exec(text);
    if (git) {
      const refStart = text.indexOf(`#${git[2]}=`) + git[2]!.length + 2;
      const ref = sliceField(url, refStart, refStart + git[3]!.length);
      const reference: ArtifactReference = { kind: 'git-tag', value: `${git[1]}@${git[3]}`, range: pos.range(ref.start, ref.end), ...via, context: assignment.name, ...guard };
      out.push({ at: ref.start, reference });
    } else if (/^(?:https?|ftp):\/\/\S+$/i.test(text) && !signature.test(text)) {
      const reference: ArtifactReference = { kind: 'url', value: text, range: pos.range(url.start, url.end), ...via, context: assignment.name, ...guard, origins: originsOf(url.chars) };
      out.push({ at: url.start, reference });
    }
  }
  return out;
}

/**
 * Where each character of a value is written: its offset for a literal character, else the variable it came from.
 * A recipe's variables are its own version (`pkgver`) or derived from it, which a fix does not bump.
 */
export function originsOf(chars: readonly RChar[]): Origin[] {
  return originRuns(chars.map((c) => (c.variable === undefined && !c.poison && c.end === c.start + 1 ? c.start : c.variable ?? '')));
}

/**
 * The span of the last unconditional top-level assignment of `name`, when the variable's final value is known:
 * where the recipe writes its version.
 */
export function finalValue(recipe: Recipe, name: string): { value: string; field: Field } | undefined {
  const value = recipe.variables.get(name)?.value;
  if (value === undefined) return undefined;
  const all = assignmentsOf(recipe, name);
  let at = all.length - 1;
  while (at >= 0 && all[at]!.conditional) at--;
  const last = all[at];
  if (!last) return undefined;
  return { value, field: wholeField(last.words[0]!) };
}

/** The problems the scanner met in a recipe, as read problems at their ranges. */
export function recipeProblems(recipe: Recipe, pos: Positions): Located<ReadProblem>[] {
  return recipe.problems.map(({ reason, message, start, end }) => ({ at: start, reference: { kind: 'problem', reason, message, range: pos.range(start, end) } }));
}

/**
 * Runs one step of reading a scanned recipe (its dependencies, its sources) into `located`; should the step fail, a
 * problem at the start of the file says what was not checked, and the other steps still run.
 */
export function attempt(located: Located<Extracted>[], what: string, step: () => Located<Extracted>[]): void {
  try {
    for (const l of step()) located.push(l);
  } catch (error) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    located.push({ at: 0, reference: { kind: 'problem', reason: 'syntax', message: `Pinwatch could not check ${what} (internal error: ${errorText(error)}).`, range } });
  }
}

/** The problem for a recipe that could not be read at all. */
export function unreadable(format: string, error: unknown): ReadProblem {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this ${format} (internal error: ${errorText(error)}), so it was not checked.`, range };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Each recipe's top-level assignments by name, in order, built on first use. */
const assignmentsByName = new WeakMap<Recipe, Map<string, Assignment[]>>();

function assignmentsOf(recipe: Recipe, name: string): Assignment[] {
  let byName = assignmentsByName.get(recipe);
  if (!byName) {
    byName = new Map();
    for (const a of recipe.assignments) {
      const list = byName.get(a.name);
      if (list) list.push(a);
      else byName.set(a.name, [a]);
    }
    assignmentsByName.set(recipe, byName);
  }
  return byName.get(name) ?? [];
}

/**
 * The last top-level assignment of `name` that starts before `offset`. A binary search over that name's
 * assignments: copying and searching all of them for each field was quadratic in a recipe with many of both.
 */
function lastAssignment(recipe: Recipe, name: string, offset: number): Assignment | undefined {
  const all = assignmentsOf(recipe, name);
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return all[lo - 1];
}

/** References in document order. */
export function inOrder<T>(located: Located<T>[]): T[] {
  return [...located].sort((a, b) => a.at - b.at).map((l) => l.reference);
}
