/**
 * What the Python formats share: PEP 503 names, PEP 508 requirement strings at a file offset (read by the
 * requirements-file parser), and the references they become, positioned in one pass over the text.
 */
import type { PackageReference } from '../../model';
import { readRequirement } from '../requirements';
import { positionsAt } from '../textPositions';

/** A reference whose range is still a pair of offsets. */
export interface Found {
  ref: Omit<PackageReference, 'range'>;
  start: number;
  end: number;
}

/** A package name as PEP 503 normalises it: lower case, each run of `-`, `_` and `.` one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The reference a PEP 508 requirement string names, when `value` is written verbatim from offset `at` of the file
 * (a TOML or YAML string without escapes): an exact `==` pin as a version, any other specifier as a constraint.
 */
export function requirementAt(value: string, at: number, context: string): Found | undefined {
  const spec = readRequirement(value.trim());
  if (!spec) return undefined;
  const lead = value.length - value.trimStart().length;
  const start = at + lead + spec.offset;
  return {
    ref: { kind: 'package', ecosystem: 'PyPI', name: normalizeName(spec.name), ...(spec.exact ? { version: spec.text } : { constraint: spec.text }), context },
    start,
    end: start + spec.text.length,
  };
}

/**
 * The reference a specifier written apart from its name names (Pipfile's `name = "==1.2"`, Poetry's `">=1.2"`), when
 * `spec` is written verbatim from offset `at`. A bare version (`"1.2.3"`, Poetry's exact pin) counts as `==`.
 */
export function specifierAt(name: string, spec: string, at: number, context: string): Found | undefined {
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === '*') return undefined;
  const bare = /^[0-9]/.test(trimmed);
  const written = bare ? `==${trimmed}` : trimmed;
  // The name is only there for the parser: a placeholder keeps an unusual key from changing how the specifier reads.
  const found = requirementAt(`x${written}`, 0, context);
  if (!found) return undefined;
  const lead = spec.length - spec.trimStart().length;
  const ref = { ...found.ref, name: normalizeName(name) };
  // A bare wildcard (`"8.3.*"`) reads as the constraint `==8.3.*`, written without its `==`: its range is the text.
  if (bare && ref.version === undefined) return { ref, start: at + lead, end: at + lead + trimmed.length };
  const shift = at + lead - 1 - (bare ? 2 : 0);
  return { ref, start: found.start + shift, end: found.end + shift };
}

/** The references found, in document order, with their offsets turned into ranges in one pass. */
export function positioned(text: string, found: readonly Found[]): PackageReference[] {
  const sorted = [...found].sort((a, b) => a.start - b.start);
  const positions = positionsAt(text, sorted.flatMap((f) => [f.start, f.end]));
  return sorted.map((f, i) => ({ ...f.ref, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }));
}

/** The path of `name` in the same folder as `path`, keeping the path's own separator (POSIX or Windows). */
export function siblingPath(path: string, name: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? name : path.slice(0, cut + 1) + name;
}

/** The last segment of a path. */
export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
