/**
 * Maven's pom.xml: every `dependency` (in `dependencies`, `dependencyManagement`, profiles and plugins), `plugin`
 * and build `extension` with a version, named `groupId:artifactId` as OSV names Maven packages. A version written
 * as `${name}` is that property of the same POM (the enclosing profile's `properties` first, then the project's;
 * a property naming another is followed, and a property that refers to itself or a cycle is left unresolved), or
 * the project's own coordinates (`${project.version}`, from its `parent` when it has none); the fix edits the
 * property's value. Parent POMs, BOM imports, settings and the environment are not read, so a version from them
 * gives nothing. A bare version (`1.0`) is a soft requirement that Maven resolves to exactly that release, so it
 * is a pin, as is `[1.0]`; other ranges (`[1.0,2.0)`) are constraints.
 */
import type { Extracted, Format, PackageReference } from '../model';
import * as mavenVersions from '../versions/maven';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';
import { xmlProblems } from './xml/problems';
import { child, elements, exactText, readXml, type XmlElement } from './xml/tree';

/** A value written in the POM: the text of an element, at its offsets. */
interface Written {
  value: string;
  start: number;
  end: number;
}

/** The pom.xml format. */
export const mavenPom: Format = {
  id: 'maven/pom.xml',
  patterns: [...formatPatterns['maven/pom.xml']],
  maxLength: 16 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    const doc = readXml(text);
    const lines = lineIndex(text);
    const project = doc.roots.find((r) => r.name === 'project');
    const out: Extracted[] = [];
    if (project) {
      const scope = projectScope(text, project);
      for (const element of elements([project])) {
        const kind = coordinateKind(element);
        if (!kind) continue;
        const ref = reference(text, element, kind, scope, lines);
        if (ref) out.push(ref);
      }
    }
    return [...out, ...xmlProblems(doc, lines, basename(path))];
  },
};

/** What a reference inside the POM can resolve: the project's properties and coordinates, and each profile's properties. */
interface Scope {
  properties: ReadonlyMap<string, Written>;
  profiles: ReadonlyMap<XmlElement, ReadonlyMap<string, Written>>;
  /** The profile each element looked up so far is in (undefined: none). */
  enclosing: Map<XmlElement, ReadonlyMap<string, Written> | undefined>;
}

function projectScope(text: string, project: XmlElement): Scope {
  const properties = new Map<string, Written>();
  const parent = child(project, 'parent');
  // The project's coordinates, as `${project.*}` (and the deprecated `${pom.*}`) name them; a child POM without its
  // own version or groupId has its parent's, written in this file.
  for (const key of ['version', 'groupId', 'artifactId']) {
    const own = written(text, child(project, key));
    const inherited = key === 'artifactId' ? undefined : written(text, parent && child(parent, key));
    const value = own ?? inherited;
    if (value) for (const prefix of ['project.', 'pom.']) properties.set(prefix + key, value);
    const fromParent = written(text, parent && child(parent, key));
    if (fromParent) properties.set(`project.parent.${key}`, fromParent);
  }
  addProperties(text, child(project, 'properties'), properties);
  const profiles = new Map<XmlElement, Map<string, Written>>();
  for (const profile of child(project, 'profiles')?.children.filter((c) => c.name === 'profile') ?? []) {
    const own = new Map<string, Written>();
    addProperties(text, child(profile, 'properties'), own);
    profiles.set(profile, own);
  }
  return { properties, profiles, enclosing: new Map() };
}

function addProperties(text: string, properties: XmlElement | undefined, into: Map<string, Written>): void {
  for (const property of properties?.children ?? []) {
    const value = written(text, property);
    // A property defined twice: the last definition is the one Maven's model keeps.
    if (value) into.set(property.name, value);
  }
}

/** Whether an element is a coordinate Pinwatch reads, and what kind, for messages. */
function coordinateKind(element: XmlElement): string | undefined {
  const parent = element.parent?.name;
  if (element.name === 'dependency' && parent === 'dependencies') {
    return element.parent?.parent?.name === 'dependencyManagement' ? 'pom.xml dependencyManagement' : 'pom.xml dependency';
  }
  if (element.name === 'plugin' && parent === 'plugins') return 'pom.xml plugin';
  if (element.name === 'extension' && parent === 'extensions') return 'pom.xml extension';
  return undefined;
}

/**
 * How Maven releases and ranges are spelled (letters, digits, `.`, `-`, `_`, `+`, `~`; ranges add brackets, commas
 * and blanks): anything else (quotes, backslashes, `${…}`, `@…@`) is not a version someone published.
 */
export const releaseSpelling = /^(?:[A-Za-z0-9._+~-]+|[[(][A-Za-z0-9._+~\-,\s[\]()]*)$/;

/** How deep a chain of properties (`${a}` → `${b}` → …) is followed. */
const maxPropertyDepth = 32;
const wholeProperty = /^\$\{([^${}\s]+)\}$/;

function reference(text: string, element: XmlElement, kind: string, scope: Scope, lines: LineIndex): PackageReference | undefined {
  const version = written(text, child(element, 'version'));
  if (!version) return undefined;
  const groupId = resolve(written(text, child(element, 'groupId')), element, scope, lines)?.value.value
    ?? (element.name === 'plugin' ? 'org.apache.maven.plugins' : undefined);
  const artifactId = resolve(written(text, child(element, 'artifactId')), element, scope, lines)?.value.value;
  if (!groupId || !artifactId || /[${}\s]/.test(groupId + artifactId)) return undefined;
  const resolved = resolve(version, element, scope, lines);
  if (!resolved) return undefined;
  const { value, via } = resolved;
  const spec = value.value;
  // `@project.version@` is resource filtering, `${…}` left over is a property from elsewhere: neither is a version.
  // RELEASE and LATEST are Maven 2's meta-versions (whatever the repository has last): they name no one release.
  if (!releaseSpelling.test(spec) || spec === 'RELEASE' || spec === 'LATEST') return undefined;
  const range = lines.range(version.start, version.end);
  const base = { kind: 'package' as const, ecosystem: 'Maven', name: `${groupId}:${artifactId}`, range, ...(via ? { edit: lines.range(value.start, value.end), via } : {}), context: kind };
  const parsed = mavenVersions.parseRange(spec);
  if (!parsed) return undefined;
  if (parsed.soft) return { ...base, version: spec };
  const only = parsed.intervals.length === 1 ? parsed.intervals[0]! : undefined;
  if (only && only.lower !== undefined && only.lower === only.upper) {
    // `[1.0]`: exactly 1.0, at the version inside the brackets.
    const at = value.start + spec.indexOf(only.lower, 1);
    const inner = lines.range(at, at + only.lower.length);
    return via ? { ...base, version: only.lower, edit: inner } : { ...base, version: only.lower, range: inner };
  }
  return { ...base, constraint: spec };
}

/**
 * A value with `${property}` followed through the scope, and where it was defined (`property x, line N`);
 * the value itself when it names no property; undefined when a property is undefined here or in a cycle.
 */
function resolve(value: Written | undefined, element: XmlElement, scope: Scope, lines: LineIndex): { value: Written; via?: string } | undefined {
  if (!value) return undefined;
  const profile = enclosingProfile(element, scope);
  let current = value;
  let via: string | undefined;
  const seen = new Set<string>();
  for (let match = wholeProperty.exec(current.value); match; match = wholeProperty.exec(current.value)) {
    const name = match[1]!;
    const defined = profile?.get(name) ?? scope.properties.get(name);
    if (!defined || seen.has(name) || seen.size >= maxPropertyDepth) return undefined;
    seen.add(name);
    current = defined;
    via = `${name.startsWith('project.') || name.startsWith('pom.') ? name : `property ${name}`}, line ${lines.line(defined.start) + 1}`;
  }
  return { value: current, ...(via ? { via } : {}) };
}

/**
 * The properties of the profile an element is in, if any. Each element's answer is kept (`scope.enclosing`), and a
 * lookup climbs only to the nearest ancestor already answered: a deeply nested POM costs one step an element, not
 * one step an ancestor for each element.
 */
function enclosingProfile(element: XmlElement, scope: Scope): ReadonlyMap<string, Written> | undefined {
  if (scope.profiles.size === 0) return undefined;
  const path: XmlElement[] = [];
  let found: ReadonlyMap<string, Written> | undefined;
  let at: XmlElement | undefined = element;
  for (; at; at = at.parent) {
    if (scope.enclosing.has(at)) {
      found = scope.enclosing.get(at);
      break;
    }
    const own = scope.profiles.get(at);
    if (own) {
      found = own;
      break;
    }
    path.push(at);
  }
  for (const e of path) scope.enclosing.set(e, found);
  return found;
}

function written(text: string, element: XmlElement | undefined): Written | undefined {
  return element ? exactText(text, element) : undefined;
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
