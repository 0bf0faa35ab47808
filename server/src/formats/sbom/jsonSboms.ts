/**
 * SBOMs in JSON: CycloneDX (spec 1.2 to 1.6: `components`, nested `components`, `metadata.component`) and SPDX
 * 2.2/2.3 (`packages` with a `purl` external reference). Big SBOMs take the lockfiles' fast shape: `JSON.parse`
 * lists every component, the engine's filter keeps the few it cares about, and only those are located in the text.
 * The `dependencies` graph (cyclic or not) is never walked: every component is listed, flat or nested.
 */
import type { Extracted, Format, Range } from '../../model';
import { readTolerant } from '../json/tolerant';
import { locateStrings, type PathStep } from '../json/locatePaths';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { componentReferences, type Component, type Span, type Wanted } from './components';

type Path = readonly PathStep[];

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
type Reader = (json: unknown) => { components: Component<Path>[]; tooDeep?: Path } | undefined;

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
  const found = read(json);
  if (!found) return [];
  const locate = (paths: readonly Path[]): (Span | undefined)[] => {
    const spans = locateStrings(text, paths);
    return paths.map((_, i) => spans.get(i));
  };
  const out = componentReferences(text, found.components, wanted, locate, what);
  if (found.tooDeep) {
    const span = locate([found.tooDeep])[0] ?? { start: 0, end: 0 };
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

/** The components of a CycloneDX BOM: `metadata.component` and `components`, each with its nested `components`. */
function cyclonedxComponents(json: unknown): { components: Component<Path>[]; tooDeep?: Path } | undefined {
  if (!isObject(json) || json['bomFormat'] !== 'CycloneDX') return undefined;
  const components: Component<Path>[] = [];
  let tooDeep: Path | undefined;
  const stack: { value: unknown; path: Path; depth: number }[] = [];
  const pushList = (list: unknown, path: Path, depth: number): void => {
    if (!Array.isArray(list)) return;
    for (let i = list.length - 1; i >= 0; i--) stack.push({ value: list[i], path: [...path, i], depth });
  };
  pushList(json['components'], ['components'], 1);
  const metadata = json['metadata'];
  if (isObject(metadata) && isObject(metadata['component'])) stack.push({ value: metadata['component'], path: ['metadata', 'component'], depth: 1 });
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (!isObject(value)) continue;
    if (depth > maxNesting) {
      tooDeep ??= path;
      continue;
    }
    const supplier = isObject(value['supplier']) ? stringAt(value['supplier'], 'name') : undefined;
    const c: Component<Path> = {};
    const name = stringAt(value, 'name');
    const version = stringAt(value, 'version');
    const purl = stringAt(value, 'purl');
    const publisher = supplier ?? stringAt(value, 'publisher') ?? stringAt(value, 'author');
    if (name !== undefined) c.name = name;
    if (version !== undefined) (c.version = version), (c.versionAt = [...path, 'version']);
    if (purl !== undefined) (c.purl = purl), (c.purlAt = [...path, 'purl']);
    if (publisher !== undefined) c.supplier = publisher;
    components.push(c);
    pushList(value['components'], [...path, 'components'], depth + 1);
  }
  return tooDeep ? { components, tooDeep } : { components };
}

/** The packages of an SPDX document: `packages[]`, with their purl from `externalRefs` (`referenceType: purl`). */
function spdxPackages(json: unknown): { components: Component<Path>[] } | undefined {
  if (!isObject(json) || typeof json['spdxVersion'] !== 'string' || !json['spdxVersion'].startsWith('SPDX-')) return undefined;
  const packages = json['packages'];
  const components: Component<Path>[] = [];
  if (!Array.isArray(packages)) return { components };
  packages.forEach((p, i) => {
    if (!isObject(p)) return;
    const c: Component<Path> = {};
    const name = stringAt(p, 'name');
    const version = stringAt(p, 'versionInfo');
    const supplier = stringAt(p, 'supplier');
    if (name !== undefined) c.name = name;
    if (version !== undefined) (c.version = version), (c.versionAt = ['packages', i, 'versionInfo']);
    if (supplier !== undefined && supplier !== 'NOASSERTION') c.supplier = supplier;
    const refs = p['externalRefs'];
    if (Array.isArray(refs)) {
      const at = refs.findIndex((r) => isObject(r) && r['referenceType'] === 'purl' && typeof r['referenceLocator'] === 'string');
      if (at >= 0) (c.purl = (refs[at] as Record<string, string>)['referenceLocator']!), (c.purlAt = ['packages', i, 'externalRefs', at, 'referenceLocator']);
    }
    components.push(c);
  });
  return { components };
}
