/**
 * What the SBOM formats share: a component as read (name, version, purl, supplier, and where its version and purl
 * are written), how it becomes a package reference (through its purl; else its name, version and supplier), and the
 * fast shape of big SBOMs: cheap checks on every component, and offsets located only for the few the caller wants.
 */
import type { Extracted, PackageReference, Range, ReadProblem, WantedFilter } from '../../model';
import { quickNameTest, type QuickTest } from '../installed/stanzas';
import { positionsAt } from '../textPositions';
import { distroTypes, languageTypes, own, purlPackage, supplierEcosystem, upstreamName, type PurlPackage } from './purl';

/** One component of an SBOM, as its format read it; `at` says where its version or purl is written. */
export interface Component<At> {
  name?: string;
  version?: string;
  purl?: string;
  supplier?: string;
  /** Where the `version` value is written (a JSON path, an offset), when it is. */
  versionAt?: At;
  /** Where the purl is written, when it is. */
  purlAt?: At;
}

/** Which packages to locate: the engine's filter (by name, version and ecosystem), or every one when absent. */
export type Wanted = WantedFilter | undefined;

/**
 * What a component resolved to: a package and where to report it (with `inPurl`, the purl whose version segment is
 * the token), or a purl that could not be read.
 */
type Resolved<At> = { pkg: PurlPackage & { version: string }; at: At; inPurl?: string } | { error: string; at: At } | undefined;

/** Offsets in the text: the characters of a value, without its quotes. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The references of an SBOM's components, located by `locate` (the offsets of the picked places, in the order
 * given), each with no edit and the reason. Components the filter passes over cost a quick look at their purl only.
 */
export function componentReferences<At>(text: string, components: readonly Component<At>[], wanted: Wanted, locate: (places: readonly At[]) => (Span | undefined)[], what: string): Extracted[] {
  const picked: Exclude<Resolved<At>, undefined>[] = [];
  for (const c of components) {
    if (wanted && !mayWant(c, wanted)) continue;
    const resolved = resolve(c);
    if (!resolved) continue;
    if ('error' in resolved || !wanted || wanted(resolved.pkg.name, resolved.pkg.version, resolved.pkg.ecosystem)) picked.push(resolved);
  }
  const spans = locate(picked.map((p) => p.at)).map((span, i) => {
    const p = picked[i]!;
    return span && !('error' in p) && p.inPurl ? versionInPurl(text, span, p.pkg.version) : span;
  });
  const positions = positionsAt(text, spans.flatMap((span) => (span ? [span.start, span.end] : [0, 0])));
  const out: Extracted[] = [];
  picked.forEach((p, i) => {
    if (!spans[i]) return;
    const range: Range = { start: positions[2 * i]!, end: positions[2 * i + 1]! };
    if ('error' in p) {
      out.push({ kind: 'problem', reason: 'syntax', message: `This package URL could not be read (${p.error}), so its component was not checked.`, range } satisfies ReadProblem);
      return;
    }
    const { ecosystem, suite, name, version } = p.pkg;
    out.push({
      kind: 'package',
      ecosystem,
      ...(suite ? { suite } : {}),
      name,
      version,
      range,
      context: what,
      fix: { kind: 'none', reason: `This ${what} records what was built, so Pinwatch does not edit it: upgrade ${name} in what it describes (the image or project), then generate the SBOM again.` },
    } satisfies PackageReference);
  });
  return out;
}

/**
 * The offsets of the version inside a purl's text, when its version segment (after the last `@` before any `?` or
 * `#`) is written as the version reads, with no escape; else the whole purl.
 */
function versionInPurl(text: string, span: Span, version: string): Span {
  let stop = span.end;
  for (const c of ['?', '#']) {
    const at = text.indexOf(c, span.start);
    if (at >= 0 && at < stop) stop = at;
  }
  const at = text.lastIndexOf('@', stop - 1);
  if (at < span.start || text.slice(at + 1, stop) !== version) return span;
  return { start: at + 1, end: stop };
}

/** The package a component names and the place to report it; undefined when it names nothing checkable. */
function resolve<At>(c: Component<At>): Resolved<At> {
  if (c.purl !== undefined && c.purlAt !== undefined) {
    // A URL parser drops line breaks and tabs and replaces a lone surrogate, so such a purl would read as another
    // version than it spells.
    if (/[\s\x00-\x1f\x7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(c.purl)) {
      return { error: 'it holds white space, control characters or a lone surrogate, which a purl percent-encodes', at: c.purlAt };
    }
    let pkg: PurlPackage | undefined;
    try {
      pkg = purlPackage(c.purl);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error), at: c.purlAt };
    }
    if (!pkg) return undefined;
    const version = pkg.version ?? c.version;
    if (version === undefined || version === '') return undefined;
    // The component's own version when it spells the same release (an rpm epoch is a qualifier of the purl), else the purl.
    const sameVersion = c.version !== undefined && (c.version === version || (version.endsWith(`:${c.version}`) && /^\d+$/.test(version.slice(0, version.length - c.version.length - 1))));
    if (sameVersion && c.versionAt !== undefined) return { pkg: { ...pkg, version }, at: c.versionAt };
    return { pkg: { ...pkg, version }, at: c.purlAt, inPurl: c.purl };
  }
  if (c.name === undefined || c.name === '' || c.version === undefined || c.version === '' || c.versionAt === undefined) return undefined;
  const ecosystem = supplierEcosystem(c.supplier);
  const name = ecosystem ? c.name : upstreamName(c.name);
  return { pkg: { ecosystem: ecosystem ?? 'upstream', name, version: c.version }, at: c.versionAt };
}

/**
 * Whether a component may pass the filter, from a quick split of its purl (no decoding): a purl with `%` in it is
 * always read in full, so a bad percent-encoding is reported, and so is one the split cannot make out.
 */
function mayWant<At>(c: Component<At>, wanted: NonNullable<Wanted>): boolean {
  return mayWantPurl(c.purl, wanted);
}

/** Whether a component with this purl may pass the filter (see `mayWant`); a reader may skip the others before building them. */
export function mayWantPurl(purl: string | undefined, wanted: NonNullable<Wanted>): boolean {
  if (purl === undefined) return true;
  if (!purl.startsWith('pkg:') || purl.includes('%')) return true;
  let end = purl.length;
  const question = purl.indexOf('?');
  if (question >= 0) end = question;
  const hash = purl.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  const at = purl.lastIndexOf('@', end - 1);
  const nameEnd = at > 4 ? at : end;
  const firstSlash = purl.indexOf('/', 4);
  const lastSlash = purl.lastIndexOf('/', nameEnd - 1);
  if (firstSlash < 0 || lastSlash < firstSlash || lastSlash === nameEnd - 1) return true;
  // The type and namespace are compared in place with the tables' keys; only the name is made a string (most
  // components of a big SBOM are passed over here, and each string made costs a collection later).
  const type = keyAt(purl, 4, firstSlash, typeKeys);
  const hasNamespace = lastSlash > firstSlash;
  const os = own(distroTypes, type);
  let ecosystem: string | null | undefined;
  if (os) ecosystem = hasNamespace ? own(os, keyAt(purl, firstSlash + 1, lastSlash, namespaceKeys.get(type)!)) ?? null : null;
  else ecosystem = own(languageTypes, type) ?? null;
  // A type the advisories do not cover names nothing; one whose ecosystem is unclear here is read in full.
  if (ecosystem === null) return false;
  // The name is tested in place first, when it is written whole and the index files it lowercased (not PyPI's).
  const nameStart = type === 'generic' || type === 'maven' ? -1 : (type === 'npm' || type === 'golang') && hasNamespace ? firstSlash + 1 : lastSlash + 1;
  if (nameStart >= 0 && ecosystem !== 'PyPI') {
    const quick = quickFor(wanted, ecosystem);
    if (quick && !quick(purl, nameStart, nameEnd)) return false;
  }
  const last = purl.slice(lastSlash + 1, nameEnd);
  const name = type === 'generic' ? upstreamName(last) : (type === 'npm' || type === 'golang') && hasNamespace ? purl.slice(firstSlash + 1, nameEnd) : type === 'maven' && hasNamespace ? `${purl.slice(firstSlash + 1, lastSlash)}:${last}` : last;
  return wanted(name, '', ecosystem);
}

/** The quick name tests of a filter, by ecosystem (made once per file the filter is for). */
const quickTests = new WeakMap<WantedFilter, Map<string, QuickTest | undefined>>();

function quickFor(wanted: WantedFilter, ecosystem: string): QuickTest | undefined {
  let byEcosystem = quickTests.get(wanted);
  if (!byEcosystem) quickTests.set(wanted, (byEcosystem = new Map()));
  if (!byEcosystem.has(ecosystem)) {
    const names = wanted.names?.(ecosystem);
    byEcosystem.set(ecosystem, names && quickNameTest(names));
  }
  return byEcosystem.get(ecosystem);
}

const typeKeys: readonly string[] = [...Object.keys(distroTypes), ...Object.keys(languageTypes)];
const namespaceKeys = new Map(Object.entries(distroTypes).map(([type, table]) => [type, Object.keys(table)]));

/**
 * The text between two offsets, lowercased: one of `keys` when it spells one in lowercase (no string is made), else
 * a new string.
 */
function keyAt(text: string, start: number, end: number, keys: readonly string[]): string {
  for (const key of keys) if (key.length === end - start && text.startsWith(key, start)) return key;
  return text.slice(start, end).toLowerCase();
}
