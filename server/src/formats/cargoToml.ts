/**
 * Cargo's manifest, Cargo.toml: the crates.io dependencies of `[dependencies]`, `[dev-dependencies]`,
 * `[build-dependencies]`, their `[target.'cfg(…)'.…]` forms and `[workspace.dependencies]`, written as a string
 * (`foo = "0.3.1"`), an inline table (`{ version = "=0.3.1", features = […] }`), dotted keys (`foo.version = "1"`)
 * or a table of their own (`[dependencies.foo]`). A renamed dependency (`package = "…"`) is the crate it names.
 * `=0.3.1` is an exact pin, at the version's characters; any other requirement is a constraint (Cargo's bare
 * `0.3.1` means `^0.3.1`, so it is given as `^0.3.1`; others as written). Git, path, other-registry and `workspace = true`
 * dependencies are not crates.io requirements here and give nothing. Reuses the lockfile's TOML scanner.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import { nextLine, parseKey, parseValue, readHeader, skipBlank, skipSpace, type TomlString } from './cargo/tomlScanner';
import { formatPatterns } from './patterns';
import { positionsAt } from './textPositions';

/** The Cargo.toml format: the crates.io requirements of a Rust manifest or workspace. */
export const cargoToml: Format = {
  id: 'cargo/Cargo.toml',
  patterns: [...formatPatterns['cargo/Cargo.toml']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  wantedEcosystem: 'crates.io',
  extract(text: string): Extracted[] {
    return extractManifest(text);
  },
  extractWanted(text: string, _path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return extractManifest(text, wanted);
  },
};

/** The dependencies (those `wanted` accepts, when given: a constraint is asked about as version '') and the read problems. */
function extractManifest(text: string, wanted?: (name: string, version: string) => boolean): Extracted[] {
  const deps = new Map<string, Dependency>();
  const problems: OffsetProblem[] = [];
  try {
    scanManifest(text, deps, problems);
  } catch (error) {
    problems.push({ message: `Pinwatch could not read this Cargo.toml from here (internal error: ${error instanceof Error ? error.message : String(error)}), so the dependencies after this point were not checked.`, start: text.length, end: text.length });
  }
  return located(text, [...deps.values()], problems, wanted);
}

/** The keys of one dependency that decide what it is. */
interface Dependency {
  key: string;
  fields: Partial<Record<Field, TomlString | true>>;
}

type Field = 'version' | 'package' | 'git' | 'path' | 'registry' | 'registry-index' | 'workspace';
const fieldNames: ReadonlySet<string> = new Set<Field>(['version', 'package', 'git', 'path', 'registry', 'registry-index', 'workspace']);
const dependencyTables: ReadonlySet<string> = new Set(['dependencies', 'dev-dependencies', 'dev_dependencies', 'build-dependencies', 'build_dependencies']);

interface OffsetProblem {
  message: string;
  start: number;
  end: number;
}

/** Which dependency table a header opens: the table (`dependencies`, `target.cfg(unix).dependencies`) and, for `[dependencies.foo]`, the dependency. */
function dependencyTable(path: readonly string[]): { table: string; dep?: string } | undefined {
  const isTable = (p: readonly string[]): boolean => {
    const last = p[p.length - 1]!;
    if (p.length === 1) return dependencyTables.has(last);
    if (p.length === 2) return p[0] === 'workspace' && last === 'dependencies';
    return p.length === 3 && p[0] === 'target' && dependencyTables.has(last);
  };
  if (path.length === 0) return undefined;
  if (isTable(path)) return { table: path.join('\u0000') };
  if (path.length > 1 && isTable(path.slice(0, -1))) return { table: path.slice(0, -1).join('\u0000'), dep: path[path.length - 1]! };
  return undefined;
}

/** Scans the manifest's statements, collecting the fields of every dependency, and the statements that do not parse. */
function scanManifest(text: string, deps: Map<string, Dependency>, problems: OffsetProblem[]): void {
  let table: { table: string; dep?: string } | undefined;
  let bad: { first: OffsetProblem; count: number } | undefined;
  const dependency = (tableId: string, key: string): Dependency => {
    const id = `${tableId}\u0001${key}`;
    let d = deps.get(id);
    if (!d) deps.set(id, (d = { key, fields: {} }));
    return d;
  };
  const set = (d: Dependency, field: string, value: TomlString | true): void => {
    if (fieldNames.has(field) && d.fields[field as Field] === undefined) d.fields[field as Field] = value;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length) break;
    const statement = i;
    let failedAt = -1;
    if (text.charCodeAt(i) === 0x5b /* [ */) {
      const header = readHeader(text, i);
      if (header) {
        table = header.array ? undefined : dependencyTable(header.path);
        i = header.end;
        continue;
      }
      // A header that cannot be read leaves the table unknown, so no key below it is taken for a dependency.
      table = undefined;
      failedAt = i;
    } else {
      const key = parseKey(text, i);
      const equals = key ? skipSpace(text, key.end) : i;
      if (!key || text.charCodeAt(equals) !== 0x3d /* = */) failedAt = equals;
      else {
        const at = skipSpace(text, equals + 1);
        const inline = text.charCodeAt(at) === 0x7b ? readInlineTable(text, at) : undefined;
        const value: { end: number; string?: TomlString; fields?: Array<[string, TomlString | true]> } | { error: number } = inline ?? parseValue(text, at);
        if ('error' in value) failedAt = value.error;
        else {
          if (table) {
            const path = table.dep === undefined ? key.path : [table.dep, ...key.path];
            const d = dependency(table.table, path[0]!);
            if (path.length === 1 && value.string) set(d, 'version', value.string);
            else if (path.length === 1 && value.fields) for (const [field, v] of value.fields) set(d, field, v);
            else if (path.length === 2) set(d, path[1]!, value.string ?? true);
          }
          i = value.end;
          const rest = skipSpace(text, i);
          const c = text.charCodeAt(rest);
          if (rest < text.length && c !== 0x23 && c !== 0x0a && c !== 0x0d) failedAt = rest;
          else {
            i = nextLine(text, i);
            continue;
          }
        }
      }
    }
    const failed = Math.max(statement, Math.min(failedAt, text.length));
    if (bad) bad.count++;
    else bad = { first: { message: 'This statement is not TOML that Cargo reads, so the dependency it declares (if any) was not checked', start: statement, end: lineEnd(text, statement) }, count: 1 };
    // Resume at the line the error is on when it is past the statement's own line (an unclosed array runs into the
    // next header), else at the next line.
    const errorLine = lineStart(text, failed, statement);
    i = errorLine > statement ? errorLine : nextLine(text, failed);
  }
  if (bad) {
    const more = bad.count > 1 ? ` (and ${bad.count - 1} more statement${bad.count === 2 ? '' : 's'})` : '';
    problems.push({ ...bad.first, message: `${bad.first.message}${more}.` });
  }
}

/** An inline table at `i`: its one-part keys' string values (others as `true`), and where it ends. */
function readInlineTable(text: string, i: number): { end: number; fields: Array<[string, TomlString | true]> } | { error: number } {
  const fields: Array<[string, TomlString | true]> = [];
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 0x7d /* } */) return { end: j + 1, fields };
  for (;;) {
    const key = parseKey(text, j);
    if (!key) return { error: j };
    j = skipSpace(text, key.end);
    if (text.charCodeAt(j) !== 0x3d) return { error: j };
    const value = parseValue(text, skipSpace(text, j + 1), 1);
    if ('error' in value) return value;
    if (key.path.length === 1) fields.push([key.path[0]!, value.string ?? true]);
    j = skipSpace(text, value.end);
    if (text.charCodeAt(j) === 0x7d) return { end: j + 1, fields };
    if (text.charCodeAt(j) !== 0x2c) return { error: j };
    j = skipSpace(text, j + 1);
  }
}

// Cargo's requirement grammar (semver::VersionReq): comma-separated clauses, each an optional operator and a
// version of one to three numbers (or `*` parts), with a pre-release.
const clause = /^\s*(=|>=|<=|>|<|\^|~)?\s*(\*|\d+(?:\.(?:\d+|\*)(?:\.(?:\d+|\*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?)\s*$/;
const fullVersion = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The dependencies that name a crates.io requirement, as references in document order, then the problems. */
function located(text: string, deps: readonly Dependency[], problems: readonly OffsetProblem[], wanted?: (name: string, version: string) => boolean): Extracted[] {
  const found: Array<{ ref: Omit<PackageReference, 'range'>; start: number; end: number }> = [];
  for (const d of deps) {
    const { version, package: renamed, git, path, registry, workspace } = d.fields;
    const elsewhere = git ?? path ?? registry ?? d.fields['registry-index'] ?? workspace;
    if (elsewhere !== undefined || version === undefined || version === true || !version.exact) continue;
    const name = renamed === undefined ? d.key : renamed === true ? undefined : renamed.value;
    if (name === undefined || name === '' || (wanted && !wanted(name, ''))) continue;
    const clauses = version.value.split(',').map((c) => clause.exec(c));
    if (clauses.some((m) => !m)) continue;
    const base = { kind: 'package' as const, ecosystem: 'crates.io', name, context: 'Cargo.toml', ...(renamed !== undefined && d.key !== name ? { via: `dependency ${d.key}` } : {}) };
    const [only] = clauses;
    if (clauses.length === 1 && only && only[1] === '=' && fullVersion.test(only[2]!)) {
      const at = version.start + version.value.indexOf(only[2]!, version.value.indexOf('=') + 1);
      found.push({ ref: { ...base, version: only[2]! }, start: at, end: at + only[2]!.length });
      continue;
    }
    // Cargo reads a bare version as a caret requirement, and says so when it is the only clause; other requirements
    // are kept as written (advisories/constraints.ts reads Cargo's syntax).
    const constraint = clauses.length === 1 && only && only[1] === undefined && only[2] !== '*' ? `^${only[2]}` : version.value.trim();
    // The range leaves out blanks inside the quotes (`" 0.3 "`), which are not part of the requirement.
    const lead = version.value.length - version.value.trimStart().length;
    const trail = version.value.length - version.value.trimEnd().length;
    found.push({ ref: { ...base, constraint }, start: version.start + lead, end: version.end - trail });
  }
  found.sort((a, b) => a.start - b.start);
  const positions = positionsAt(text, [...found.flatMap((f) => [f.start, f.end]), ...problems.flatMap((p) => [p.start, p.end])]);
  const refs: Extracted[] = found.map((f, i) => ({ ...f.ref, range: { start: positions[2 * i]!, end: positions[2 * i + 1]! } }));
  const base = 2 * found.length;
  const read = problems.map((p, i): ReadProblem => ({ kind: 'problem', reason: 'syntax', message: p.message, range: { start: positions[base + 2 * i]!, end: positions[base + 2 * i + 1]! } }));
  return [...refs, ...read];
}


/** The start of the line `i` is on, looking back no further than `floor` (so each malformed line costs only its own text). */
function lineStart(text: string, i: number, floor: number): number {
  for (let j = i - 1; j >= floor; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x0a || c === 0x0d) return j + 1;
  }
  return floor;
}

/** The offset of the line break that ends the line `i` is on (or the text's end). */
function lineEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d) j++;
  return j;
}

