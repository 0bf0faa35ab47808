/**
 * NuGet's files: MSBuild project files and their shared props (`*.csproj`, `*.fsproj`, `*.vbproj`,
 * `Directory.Packages.props`, `Directory.Build.props`) with their `PackageReference`, `PackageVersion` and
 * `GlobalPackageReference` items; the older `packages.config`; and the lockfile `packages.lock.json`.
 *
 * An item's version is its `VersionOverride` or `Version` attribute or child element. A version written as
 * `$(Name)` is the value of that property in the same file's `PropertyGroup`s (each of its definitions, since their
 * conditions are not evaluated; a property naming another is followed, and a cycle is left unresolved); its fix
 * edits the property. Imports, conditions and properties from other files are not evaluated, so a version from elsewhere
 * gives nothing. NuGet restores the lowest version a requirement allows, so a bare `1.2.3` (at least 1.2.3) and
 * `[1.2.3]` both resolve to 1.2.3 and are pins; other ranges (`[1.0,2.0)`) and floating versions (`1.*`) are
 * constraints.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import * as nugetVersions from '../versions/nuget';
import { readTolerant } from './json/tolerant';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';
import { xmlProblems } from './xml/problems';
import { elements, exactText, readXml, type XmlElement } from './xml/tree';

/** A value written in the file, with the offsets of its raw text when that text is the value. */
interface Written {
  value: string;
  start: number;
  end: number;
  exact: boolean;
}

/** The project-file format: PackageReference, PackageVersion and GlobalPackageReference items and their versions. */
export const nugetProject: Format = {
  id: 'nuget/project',
  patterns: [...formatPatterns['nuget/project']],
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const doc = readXml(text);
    const lines = lineIndex(text);
    const properties = new Map<string, Array<Written & { name: string }>>();
    const items: XmlElement[] = [];
    const cache = new Map<string, Candidate[]>();
    for (const element of elements(doc.roots)) {
      // MSBuild's names of properties, items and metadata are case-insensitive.
      if (element.parent?.name.toLowerCase() === 'propertygroup' && element.children.length === 0) {
        const value = writtenText(text, element);
        if (value) {
          const key = element.name.toLowerCase();
          const list = properties.get(key) ?? [];
          list.push({ ...value, name: element.name });
          properties.set(key, list);
        }
      } else if (itemNames.has(element.name.toLowerCase())) items.push(element);
    }
    const out: Extracted[] = [];
    for (const item of items) {
      const name = attribute(item, 'Include') ?? attribute(item, 'Update');
      if (!name || !name.exact || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name.value)) continue;
      const written = attribute(item, 'VersionOverride') ?? attribute(item, 'Version') ?? elementValue(text, item, 'VersionOverride') ?? elementValue(text, item, 'Version');
      if (!written) continue;
      out.push(...references(written, name.value, item.name, properties, lines, cache));
    }
    return [...out, ...xmlProblems(doc, lines, basename(path))];
  },
};

/** The older packages.config: each `<package id="…" version="…"/>` is an exact pin. */
export const packagesConfig: Format = {
  id: 'nuget/packages.config',
  patterns: [...formatPatterns['nuget/packages.config']],
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const doc = readXml(text);
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    for (const element of elements(doc.roots)) {
      if (element.name !== 'package' || element.parent?.name !== 'packages') continue;
      const id = attribute(element, 'id');
      const version = attribute(element, 'version');
      if (!id || !version || !version.exact) continue;
      const trimmed = trimmedSpan(version);
      if (!trimmed || nugetVersions.scheme.invalid(trimmed.value) !== undefined) continue;
      out.push({ kind: 'package', ecosystem: 'NuGet', name: id.value, version: trimmed.value, range: lines.range(trimmed.start, trimmed.end), context: 'packages.config' });
    }
    return [...out, ...xmlProblems(doc, lines, basename(path))];
  },
};

/** The lockfile: `dependencies` → target framework → package → `resolved`, for every package but project references. */
export const nugetLock: Format = {
  id: 'nuget/packages.lock.json',
  patterns: [...formatPatterns['nuget/packages.lock.json']],
  maxLength: 32 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const json = readTolerant(text);
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    const frameworks = objectAt(json.value, 'dependencies');
    for (const [framework, packages] of Object.entries(frameworks ?? {})) {
      if (!isObject(packages)) continue;
      for (const [name, entry] of Object.entries(packages)) {
        if (!isObject(entry) || entry.type === 'Project' || typeof entry.resolved !== 'string') continue;
        const span = json.stringAt(['dependencies', framework, name, 'resolved']);
        if (!span || nugetVersions.scheme.invalid(entry.resolved) !== undefined) continue;
        out.push({
          kind: 'package',
          ecosystem: 'NuGet',
          name,
          version: entry.resolved,
          range: lines.range(span.start, span.end),
          context: `packages.lock.json (${framework})`,
          fix: {
            kind: 'none',
            reason: `packages.lock.json is written by dotnet restore: run dotnet add package ${name} --version with a safe release (or set it in the project file), then dotnet restore --force-evaluate.`,
          },
        });
      }
    }
    if (json.error) {
      const problem: ReadProblem = {
        kind: 'problem',
        reason: 'syntax',
        message: `${basename(path)} is not valid JSON here: ${json.error.message}. Pinwatch checked the entries it could read; entries after this point may be missing.`,
        range: lines.range(json.error.offset, json.error.offset + json.error.length),
      };
      out.push(problem);
    }
    return out;
  },
};

const itemNames = new Set(['packagereference', 'packageversion', 'globalpackagereference']);

/** How deep a chain of properties (`$(A)` → `$(B)` → …) is followed. */
const maxPropertyDepth = 32;

/** The properties of a file: every definition of each name (lower-cased), in document order. */
type Properties = ReadonlyMap<string, ReadonlyArray<Written & { name: string }>>;

/** A value a property may have: a definition that names no other property, and where it is (`property X, line N`). */
interface Candidate {
  value: Written;
  via: string;
}

/** At most this many values of a property are kept, and at most `maxSteps` definitions visited to find them. */
const maxCandidates = 16;
const maxSteps = 64;

/**
 * The values a property may have, following `$(Other)` through every definition (MSBuild takes the last one whose
 * `Condition` holds, which Pinwatch does not evaluate, so each is a value the property may get). A property is
 * resolved once per file (`cache`), so thousands of items naming it, or thousands of definitions of it, cost a
 * bounded walk each; a definition that leads back to a property on the way is not followed.
 */
function candidates(property: string, properties: Properties, lines: LineIndex, cache: Map<string, Candidate[]>): Candidate[] {
  const cached = cache.get(property);
  if (cached) return cached;
  const out: Candidate[] = [];
  let steps = 0;
  const follow = (name: string, seen: ReadonlySet<string>): void => {
    for (const defined of properties.get(name) ?? []) {
      if (out.length >= maxCandidates || ++steps > maxSteps) return;
      const inner = trimmedSpan(defined);
      if (!inner) continue;
      const match = propertyReference.exec(inner.value);
      if (!match) {
        if (!out.some((c) => c.value.start === inner.start)) out.push({ value: inner, via: `property ${defined.name}, line ${lines.line(inner.start) + 1}` });
        continue;
      }
      const next = match[1]!.toLowerCase();
      if (!seen.has(next) && seen.size < maxPropertyDepth) follow(next, new Set([...seen, next]));
    }
  };
  follow(property, new Set([property]));
  cache.set(property, out);
  return out;
}

const propertyReference = /^\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)$/;

/**
 * The references an item's version gives, resolving `$(Property)` to each value the property may have (see
 * `candidates`); none when it is not a version or constraint, or the property is not defined here.
 */
function references(written: Written, name: string, kind: string, properties: Properties, lines: LineIndex, cache: Map<string, Candidate[]>): PackageReference[] {
  const token = trimmedSpan(written);
  if (!token) return [];
  const match = propertyReference.exec(token.value);
  if (!match) {
    const ref = reference(token, token, undefined, name, kind, lines);
    return ref ? [ref] : [];
  }
  return candidates(match[1]!.toLowerCase(), properties, lines, cache).flatMap((c) => {
    const ref = reference(token, c.value, c.via, name, kind, lines);
    return ref ? [ref] : [];
  });
}

/** The reference of an item whose version token is `token` and whose value (after properties) is `value`. */
function reference(token: Written, value: Written, via: string | undefined, name: string, kind: string, lines: LineIndex): PackageReference | undefined {
  const edit = via ? lines.range(value.start, value.end) : undefined;
  const base = { kind: 'package' as const, ecosystem: 'NuGet', name, range: lines.range(token.start, token.end), ...(edit ? { edit } : {}), ...(via ? { via } : {}), context: kind };
  const text = value.value;
  if (nugetVersions.scheme.invalid(text) === undefined) return { ...base, version: text };
  // `[1.2.3]`: exactly 1.2.3; its token is the version inside the brackets.
  const exact = /^\[\s*([^,\s\]]+)\s*\]$/.exec(text);
  if (exact && nugetVersions.scheme.invalid(exact[1]!) === undefined) {
    const at = value.start + text.indexOf(exact[1]!);
    const inner = lines.range(at, at + exact[1]!.length);
    return via ? { ...base, version: exact[1]!, edit: inner } : { ...base, version: exact[1]!, range: inner };
  }
  if (nugetVersions.parseRange(text)) return { ...base, constraint: text };
  return undefined;
}

/** A value's trimmed text with its offsets, when its raw text is the value; undefined when blank or not exact. */
function trimmedSpan(written: Written): Written | undefined {
  if (!written.exact) return undefined;
  const value = written.value.trim();
  if (value === '') return undefined;
  const start = written.start + written.value.indexOf(value);
  return { value, start, end: start + value.length, exact: true };
}

/** An attribute by its name (any case, as MSBuild metadata; packages.config's are always lower case). */
function attribute(element: XmlElement, name: string): Written | undefined {
  const lower = name.toLowerCase();
  const found = element.attributes.find((a) => a.name.toLowerCase() === lower);
  return found ? { value: found.value, start: found.start, end: found.end, exact: found.exact } : undefined;
}

function elementValue(text: string, element: XmlElement, name: string): Written | undefined {
  const lower = name.toLowerCase();
  const found = element.children.find((c) => c.name.toLowerCase() === lower);
  return found ? writtenText(text, found) : undefined;
}

function writtenText(text: string, element: XmlElement): Written | undefined {
  const exact = exactText(text, element);
  return exact ? { ...exact, exact: true } : undefined;
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  return isObject(inner) ? inner : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
