/**
 * Gradle's files: the dependency lockfile (`gradle.lockfile`: `group:artifact:version=configurations`), version
 * catalogs (`gradle/libs.versions.toml`: `[versions]` and `[libraries]`), and build scripts (`build.gradle`,
 * `build.gradle.kts`), whose string coordinates `"group:artifact:version"` are read by a small scanner of Groovy
 * and Kotlin comments and strings. A coordinate whose version is interpolated (`"g:a:$v"`, `"g:a:${v}"`) is not
 * resolved; neither are dynamic versions (`1.+`, `latest.release`), which name no one release. Packages are named
 * `group:artifact`, as OSV names Maven packages.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import * as mavenVersions from '../versions/maven';
import { releaseSpelling } from './maven';
import { parseKey, parseValue, skipBlank, skipSpace, type TomlString } from './cargo/tomlScanner';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';

const part = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** gradle.lockfile: each `group:artifact:version=…` line is the exact version Gradle resolved. */
export const gradleLockfile: Format = {
  id: 'gradle/gradle.lockfile',
  patterns: [...formatPatterns['gradle/gradle.lockfile']],
  commentPrefix: '#',
  maxLength: 32 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const lineEnd = end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      const line = text.slice(at, lineEnd);
      const equals = line.indexOf('=');
      const coordinate = equals < 0 ? line : line.slice(0, equals);
      const fields = coordinate.split(':');
      if (!line.startsWith('#') && fields.length === 3 && fields.every((f) => f !== '') && part.test(fields[0]!) && part.test(fields[1]!) && /^[A-Za-z0-9._+~-]+$/.test(fields[2]!)) {
        const [group, artifact, version] = fields as [string, string, string];
        const start = at + group.length + artifact.length + 2;
        out.push({
          kind: 'package',
          ecosystem: 'Maven',
          name: `${group}:${artifact}`,
          version,
          range: lines.range(start, start + version.length),
          context: 'gradle.lockfile',
          fix: { kind: 'none', reason: `gradle.lockfile is written by Gradle: require a safe release of ${group}:${artifact} in the build file or the version catalog, then run ./gradlew dependencies --write-locks.` },
        });
      }
      at = end + 1;
    }
    return out;
  },
};

/** A version catalog: libraries with their versions, written in place or through `version.ref`. */
export const versionCatalog: Format = {
  id: 'gradle/libs.versions.toml',
  patterns: [...formatPatterns['gradle/libs.versions.toml']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const lines = lineIndex(text);
    const { versions, libraries, problem } = scanCatalog(text);
    const out: Extracted[] = [];
    for (const library of libraries) {
      let token = library.version;
      let via: string | undefined;
      if (!token && library.ref) {
        // The version is written once in [versions], for every library that refers to it: the finding and its
        // fix are at that token.
        token = versions.get(library.ref.value) ?? versions.get(normalizeAlias(library.ref.value));
        via = `version.ref ${library.ref.value} of library ${library.alias}, line ${lines.line(library.ref.start) + 1}`;
      }
      if (!token) continue;
      const ref = coordinateReference(library.module, token, lines, 'libs.versions.toml');
      if (ref) out.push(via ? { ...ref, via } : ref);
    }
    if (problem !== undefined) {
      out.push({ kind: 'problem', reason: 'syntax', message: `${basename(path)} is not valid TOML here: the entries after this point were not checked.`, range: lines.range(problem, problem) });
    }
    return out;
  },
};

/** Build scripts: every string literal that is a whole `group:artifact:version` coordinate. */
export const buildGradle: Format = {
  id: 'gradle/build.gradle',
  patterns: [...formatPatterns['gradle/build.gradle']],
  commentPrefix: '//',
  maxLength: 8 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    const scanned = scanStrings(text);
    for (const s of scanned.strings) {
      const fields = s.value.split(':');
      if (fields.length < 3 || fields.length > 4) continue;
      const [group, artifact, version] = fields as [string, string, string];
      // A string of a build script is a coordinate only when it looks like one: a group that starts with a letter and
      // a version that starts with a digit or a range's bracket (not `2020-07-01T12:34:56Z` or `urn:cnb:builder`).
      if (!part.test(group) || !/^[A-Za-z]/.test(group) || !part.test(artifact) || !/^[0-9[(]/.test(version)) continue;
      // `g:a:1.0@jar` names an artifact type after the version; a fourth field is a classifier.
      const bare = version.split('@')[0]!;
      const start = s.start + group.length + artifact.length + 2;
      const token: TomlString = { value: bare, start, end: start + bare.length, exact: true };
      const ref = coordinateReference(`${group}:${artifact}`, token, lines, basename(path));
      if (ref) out.push(ref);
    }
    if (scanned.unclosed !== undefined) {
      const problem: ReadProblem = {
        kind: 'problem',
        reason: 'syntax',
        message: `${basename(path)} has a string or comment that is not closed here: coordinates in what follows may not have been read.`,
        range: lines.range(scanned.unclosed, scanned.unclosed),
      };
      out.push(problem);
    }
    return out;
  },
};

/**
 * The reference a `group:artifact` module and a version token give: a version (a strict `1.0!!` is read as 1.0),
 * or a Maven range as a constraint; undefined for dynamic, interpolated or malformed versions.
 */
function coordinateReference(module: string | undefined, token: TomlString, lines: LineIndex, context: string): PackageReference | undefined {
  if (!module || !token.exact) return undefined;
  const [group, artifact, ...rest] = module.split(':');
  if (rest.length > 0 || !group || !artifact || !part.test(group) || !part.test(artifact)) return undefined;
  let spec = token.value.trim();
  const start = token.start + token.value.indexOf(spec);
  if (spec.endsWith('!!')) spec = spec.slice(0, -2);
  // Dynamic versions (`1.+`, `latest.release`) and interpolation name no one release; a range may hold blanks.
  if (spec.includes('+') || spec.startsWith('latest.') || !releaseSpelling.test(spec)) return undefined;
  const parsed = mavenVersions.parseRange(spec);
  if (!parsed) return undefined;
  const base = { kind: 'package' as const, ecosystem: 'Maven', name: `${group}:${artifact}`, range: lines.range(start, start + spec.length), context };
  if (parsed.soft) return { ...base, version: spec };
  const only = parsed.intervals.length === 1 ? parsed.intervals[0]! : undefined;
  if (only && only.lower !== undefined && only.lower === only.upper) {
    const at = start + spec.indexOf(only.lower, 1);
    return { ...base, version: only.lower, range: lines.range(at, at + only.lower.length) };
  }
  return { ...base, constraint: spec };
}

/** A library of the catalog: its module, and its version written in place or the name of a `[versions]` entry. */
interface Library {
  alias: string;
  module?: string;
  version?: TomlString;
  ref?: TomlString;
}

/** Gradle normalises `-`, `_` and `.` in aliases alike. */
function normalizeAlias(alias: string): string {
  return alias.replace(/[-_.]/g, '.');
}

/** Reads `[versions]` and `[libraries]`; stops at the first statement it cannot read, and says where. */
function scanCatalog(text: string): { versions: Map<string, TomlString>; libraries: Library[]; problem?: number } {
  const versions = new Map<string, TomlString>();
  const libraries: Library[] = [];
  let table = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length) return { versions, libraries };
    if (text.charCodeAt(i) === 0x5b /* [ */) {
      const close = text.indexOf(']', i);
      const lineEnd = nextLine(text, i);
      if (close < 0 || close > lineEnd) return { versions, libraries, problem: i };
      const key = parseKey(text, skipSpace(text, i + 1));
      table = key ? key.path.join('.') : '';
      i = lineEnd;
      continue;
    }
    const key = parseKey(text, i);
    if (!key) return { versions, libraries, problem: i };
    const equals = skipSpace(text, key.end);
    if (text.charCodeAt(equals) !== 0x3d /* = */) return { versions, libraries, problem: equals };
    const valueAt = skipSpace(text, equals + 1);
    const alias = key.path.join('.');
    if (table === 'versions') {
      const value = parseValue(text, valueAt);
      if ('error' in value) return { versions, libraries, problem: value.error };
      const rich = value.string ? undefined : members(text, valueAt);
      const version = value.string ?? rich?.get('strictly') ?? rich?.get('require') ?? rich?.get('prefer');
      if (version) {
        versions.set(alias, version);
        if (!versions.has(normalizeAlias(alias))) versions.set(normalizeAlias(alias), version);
      }
      i = nextLine(text, value.end);
    } else if (table === 'libraries') {
      const value = parseValue(text, valueAt);
      if ('error' in value) return { versions, libraries, problem: value.error };
      if (value.string) {
        // `alias = "group:artifact:version"`
        const s = value.string;
        const fields = s.value.split(':');
        if (s.exact && fields.length === 3) {
          const start = s.start + fields[0]!.length + fields[1]!.length + 2;
          libraries.push({ alias, module: `${fields[0]}:${fields[1]}`, version: { value: fields[2]!, start, end: s.end, exact: true } });
        }
      } else {
        const m = members(text, valueAt);
        const module = m?.get('module')?.value ?? (m?.get('group') && m.get('name') ? `${m.get('group')!.value}:${m.get('name')!.value}` : undefined);
        const version = m?.get('version') ?? m?.get('version.strictly') ?? m?.get('version.require') ?? m?.get('version.prefer');
        const ref = m?.get('version.ref');
        libraries.push({ alias, ...(module ? { module } : {}), ...(version ? { version } : {}), ...(ref ? { ref } : {}) });
      }
      i = nextLine(text, value.end);
    } else {
      const value = parseValue(text, valueAt);
      if ('error' in value) return { versions, libraries, problem: value.error };
      i = nextLine(text, value.end);
    }
  }
}

/**
 * The string members of an inline table at `i`, by dotted key (`version.ref`), nested tables flattened
 * (`version = { strictly = "1.0" }` is `version.strictly`); undefined when it is not an inline table.
 */
function members(text: string, i: number, prefix = '', depth = 0): Map<string, TomlString> | undefined {
  if (text.charCodeAt(i) !== 0x7b /* { */ || depth > 4) return undefined;
  const out = new Map<string, TomlString>();
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 0x7d) return out;
  for (;;) {
    const key = parseKey(text, j);
    if (!key) return out;
    j = skipSpace(text, key.end);
    if (text.charCodeAt(j) !== 0x3d) return out;
    const at = skipSpace(text, j + 1);
    const name = prefix + key.path.join('.');
    const value = parseValue(text, at);
    if ('error' in value) return out;
    if (value.string) out.set(name, value.string);
    else for (const [k, v] of members(text, at, `${name}.`, depth + 1) ?? []) out.set(k, v);
    j = skipSpace(text, value.end);
    if (text.charCodeAt(j) !== 0x2c) return out;
    j = skipSpace(text, j + 1);
  }
}

/** A string literal of a build script: its content and where it starts; only literals without escapes or interpolation. */
interface ScriptString {
  value: string;
  start: number;
}

/**
 * The string literals of a Groovy or Kotlin script, skipping comments: `'…'`, `"…"`, `'''…'''` and `"""…"""`. A
 * string with an escape or an interpolation (`$x`, `${x}` in a double-quoted string) is not a literal here. Slashy
 * strings are not recognised (a `/` is an operator). `unclosed` is where the first string or comment that does not end
 * starts: a one-line string cut by a line break is passed over to the next line, a multi-line one ends the scan.
 */
export function scanStrings(text: string): { strings: ScriptString[]; unclosed?: number } {
  const strings: ScriptString[] = [];
  let unclosed: number | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { strings, unclosed: unclosed ?? i };
      i = end + 2;
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const quote = text[i]!;
      const triple = text.startsWith(quote.repeat(3), i);
      const open = triple ? 3 : 1;
      let j = i + open;
      let plain = true;
      let end = -1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          plain = false;
          j += 2;
          continue;
        }
        if (d === 0x24 /* $ */ && quote === '"') plain = false;
        if (!triple && (d === 0x0a || d === 0x0d)) break;
        if (text[j] === quote && (!triple || text.startsWith(quote.repeat(3), j))) {
          end = j;
          break;
        }
        j++;
      }
      if (end < 0 && triple) return { strings, unclosed: unclosed ?? i };
      if (end < 0) {
        // A one-line string cut by its line's end: a syntax error in both languages (or a slashy string's text);
        // it is reported, and reading goes on at the next line.
        unclosed ??= i;
        i = j;
        continue;
      }
      if (plain) strings.push({ value: text.slice(i + open, end), start: i + open });
      i = end + open;
    } else i++;
  }
  return unclosed === undefined ? { strings } : { strings, unclosed };
}

function nextLine(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x0a) return j + 1;
    if (c === 0x0d) return text.charCodeAt(j + 1) === 0x0a ? j + 2 : j + 1;
  }
  return text.length;
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
