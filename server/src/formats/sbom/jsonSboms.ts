/**
 * SBOMs in JSON: CycloneDX (spec 1.2 to 1.6: `components`, nested `components`, `metadata.component`) and SPDX
 * 2.2/2.3 (`packages` with a `purl` external reference). Big SBOMs take the lockfiles' fast shape: `JSON.parse`
 * lists every component, the engine's filter keeps the few it cares about, and only those are located in the text.
 * The `dependencies` graph (cyclic or not) is never walked: every component is listed, flat or nested.
 */
import type { Extracted, Format, Range } from '../../model';
import { readTolerant } from '../json/tolerant';
import { locateMembers, locateStrings, locateUniqueMember, type PathStep } from '../json/locatePaths';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { componentReferences, mayWantPurl, type Component, type Span, type Wanted } from './components';

/** A path as links to its parent, built into an array only when the slower locator needs it. */
interface PathLink {
  up?: PathLink;
  step: PathStep;
}

/** Where a member is: the parsed object that holds it, its key, and the path to it. */
interface Place {
  owner: object;
  key: string;
  value: string;
  path: PathLink;
}

function pathOf(link: PathLink): PathStep[] {
  const out: PathStep[] = [];
  for (let l: PathLink | undefined = link; l; l = l.up) out.push(l.step);
  return out.reverse();
}

/** How deep nested `components` are followed; deeper ones are reported as not read. */
const maxNesting = 1000;

/** The CycloneDX JSON format. */
export const cyclonedxJson: Format = {
  id: 'cyclonedx/json',
  patterns: [...formatPatterns['cyclonedx/json']],
  maxLength: 256 * 1024 * 1024,
  extract: (text) => readJsonSbom(text, undefined, cyclonedxComponents, 'CycloneDX SBOM'),
  extractWanted: (text, _path, wanted) => readJsonSbom(text, wanted, cyclonedxComponents, 'CycloneDX SBOM'),
};

/** The SPDX JSON format. */
export const spdxJson: Format = {
  id: 'spdx/json',
  patterns: [...formatPatterns['spdx/json']],
  maxLength: 256 * 1024 * 1024,
  extract: (text) => readJsonSbom(text, undefined, spdxPackages, 'SPDX SBOM'),
  extractWanted: (text, _path, wanted) => readJsonSbom(text, wanted, spdxPackages, 'SPDX SBOM'),
};

/** What a reader of one SBOM kind gives: its components, and a place where nesting went too deep; undefined when the JSON is not of that kind. */
type Reader = (json: unknown, wanted: Wanted) => { components: Component<Place>[]; tooDeep?: PathLink } | undefined;

function readJsonSbom(text: string, wanted: Wanted, read: Reader, what: string): Extracted[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const error = readTolerant(text).error;
    const offset = error?.offset ?? 0;
    const [start, end] = positionsAt(text, [offset, offset + (error?.length ?? 0)]);
    return [{ kind: 'problem', reason: 'syntax', message: `This ${what} is not valid JSON here (${error?.message ?? 'invalid JSON'}), so its components were not checked.`, range: { start: start!, end: end! } }];
  }
  const found = read(json, wanted);
  if (!found) return [];
  // The members' offsets by counting keys (native indexOf), else by walking the text along their paths.
  const locate = (places: readonly Place[]): (Span | undefined)[] => {
    // A member whose text is unique in the file and among the components needs no more (the common case); the
    // others are located by counting keys.
    // How many components have each picked member's value (counted in one pass, for the picked values only).
    const known = new Map<string, Map<string, number>>();
    for (const p of places) {
      const values = known.get(p.key) ?? new Map<string, number>();
      values.set(p.value, 0);
      known.set(p.key, values);
    }
    for (const c of found.components) {
      for (const at of [c.versionAt, c.purlAt]) {
        const values = at && known.get(at.key);
        const n = values?.get(at!.value);
        if (n !== undefined) values!.set(at!.value, n + 1);
      }
    }
    const count = (key: string, value: string): number => known.get(key)?.get(value) ?? 0;
    const unique = places.map((p) => locateUniqueMember(text, p.key, p.value, count(p.key, p.value)));
    if (unique.every((span) => span !== undefined)) return unique;
    const counted = locateMembers(text, json, places);
    if (counted) return counted;
    const spans = locateStrings(text, places.map((p) => pathOf(p.path)));
    return places.map((_, i) => spans.get(i));
  };
  const out = componentReferences(text, found.components, wanted, locate, what);
  if (found.tooDeep) {
    const span = locateStrings(text, [pathOf(found.tooDeep)]).get(0) ?? { start: 0, end: 0 };
    const [start, end] = positionsAt(text, [span.start, span.end]);
    const range: Range = { start: start!, end: end! };
    out.push({ kind: 'problem', reason: 'limit', message: `Components nested deeper than ${maxNesting} levels were not read.`, range });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A list of components being walked: the next index to read and its depth, and what its path is made of (built only
 * when one of its components is kept): the path itself for a top-level list, else the component that nests it. A
 * `single` frame is one component (`metadata.component`) whose path is `path`.
 */
interface ListFrame {
  list: readonly unknown[];
  next: number;
  depth: number;
  path?: PathLink;
  single?: boolean;
  nestedIn?: { frame: ListFrame; index: number };
}

function listPath(frame: ListFrame): PathLink {
  return (frame.path ??= { up: elementPath(frame.nestedIn!.frame, frame.nestedIn!.index), step: 'components' });
}

function elementPath(frame: ListFrame, index: number): PathLink {
  return frame.single ? frame.path! : { up: listPath(frame), step: index };
}

/**
 * The components of a CycloneDX BOM: `metadata.component` and `components`, each with its nested `components`, in
 * document order (depth first). A list is walked by index, and a component's path is built only when the component
 * is kept, so that the many a filter passes over allocate nothing (a big SBOM's parsed tree is alive meanwhile, and
 * a collection of the young heap then copies it).
 */
function cyclonedxComponents(json: unknown, wanted: Wanted): { components: Component<Place>[]; tooDeep?: PathLink } | undefined {
  if (!isObject(json) || json['bomFormat'] !== 'CycloneDX') return undefined;
  const components: Component<Place>[] = [];
  let tooDeep: PathLink | undefined;
  const frames: ListFrame[] = [];
  const list = json['components'];
  if (Array.isArray(list) && list.length > 0) frames.push({ list, next: 0, depth: 1, path: { step: 'components' } });
  // Pushed last, so that metadata.component (and what it nests) is read first, as it is written.
  const metadata = json['metadata'];
  if (isObject(metadata) && isObject(metadata['component'])) frames.push({ list: [metadata['component']], next: 0, depth: 1, path: { up: { step: 'metadata' }, step: 'component' }, single: true });
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next >= frame.list.length) {
      frames.pop();
      continue;
    }
    const index = frame.next++;
    const value = frame.list[index];
    if (!isObject(value)) continue;
    if (frame.depth > maxNesting) {
      tooDeep ??= elementPath(frame, index);
      continue;
    }
    const nested = value['components'];
    const purl = stringAt(value, 'purl');
    // A component the filter passes over by its purl alone is not built (big SBOMs: fewer objects to collect).
    if (!wanted || purl === undefined || mayWantPurl(purl, wanted)) {
      const path = elementPath(frame, index);
      const supplier = isObject(value['supplier']) ? stringAt(value['supplier'], 'name') : undefined;
      const c: Component<Place> = {};
      const name = stringAt(value, 'name');
      const version = stringAt(value, 'version');
      const publisher = supplier ?? stringAt(value, 'publisher') ?? stringAt(value, 'author');
      if (name !== undefined) c.name = name;
      if (version !== undefined) (c.version = version), (c.versionAt = { owner: value, key: 'version', value: version, path: { up: path, step: 'version' } });
      if (purl !== undefined) (c.purl = purl), (c.purlAt = { owner: value, key: 'purl', value: purl, path: { up: path, step: 'purl' } });
      if (publisher !== undefined) c.supplier = publisher;
      components.push(c);
    }
    if (Array.isArray(nested) && nested.length > 0) frames.push({ list: nested, next: 0, depth: frame.depth + 1, nestedIn: { frame, index } });
  }
  return tooDeep ? { components, tooDeep } : { components };
}

/** The packages of an SPDX document: `packages[]`, with their purl from `externalRefs` (`referenceType: purl`). */
function spdxPackages(json: unknown, wanted: Wanted): { components: Component<Place>[] } | undefined {
  if (!isObject(json) || typeof json['spdxVersion'] !== 'string' || !json['spdxVersion'].startsWith('SPDX-')) return undefined;
  const packages = json['packages'];
  const components: Component<Place>[] = [];
  if (!Array.isArray(packages)) return { components };
  const list: PathLink = { step: 'packages' };
  packages.forEach((p, i) => {
    if (!isObject(p)) return;
    const refs = p['externalRefs'];
    const k = Array.isArray(refs) ? refs.findIndex((r) => isObject(r) && r['referenceType'] === 'purl' && typeof r['referenceLocator'] === 'string') : -1;
    // A package the filter passes over by its purl alone is not built (see cyclonedxComponents).
    if (wanted && k >= 0 && !mayWantPurl((refs as Record<string, string>[])[k]!['referenceLocator'], wanted)) return;
    const at: PathLink = { up: list, step: i };
    const c: Component<Place> = {};
    const name = stringAt(p, 'name');
    const version = stringAt(p, 'versionInfo');
    const supplier = stringAt(p, 'supplier');
    if (name !== undefined) c.name = name;
    if (version !== undefined) (c.version = version), (c.versionAt = { owner: p, key: 'versionInfo', value: version, path: { up: at, step: 'versionInfo' } });
    if (supplier !== undefined && supplier !== 'NOASSERTION') c.supplier = supplier;
    if (k >= 0) {
      const ref = (refs as Record<string, string>[])[k]!;
      (c.purl = ref['referenceLocator']!), (c.purlAt = { owner: ref, key: 'referenceLocator', value: ref['referenceLocator']!, path: { up: { up: { up: at, step: 'externalRefs' }, step: k }, step: 'referenceLocator' } });
    }
    components.push(c);
  });
  return { components };
}
