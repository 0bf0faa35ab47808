/**
 * What the SBOM formats share: a component as read (name, version, purl, supplier, and where its version and purl
 * are written), how it becomes a package reference (through its purl; else its name, version and supplier), and the
 * fast shape of big SBOMs: cheap checks on every component, and offsets located only for the few the caller wants.
 */
import type { Extracted, PackageReference, Range, ReadProblem } from '../../model';
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
export type Wanted = ((name: string, version: string, ecosystem?: string) => boolean) | undefined;

/** What a component resolved to: a package and where to report it, or a purl that could not be read. */
type Resolved<At> = { pkg: PurlPackage & { version: string }; at: At } | { error: string; at: At } | undefined;

/**
 * The references of an SBOM's components, located by `locate` (the ranges of the picked places, in the order
 * given), each with no edit and the reason. Components the filter passes over cost a quick look at their purl only.
 */
export function componentReferences<At>(components: readonly Component<At>[], wanted: Wanted, locate: (places: readonly At[]) => (Range | undefined)[], what: string): Extracted[] {
  const picked: Exclude<Resolved<At>, undefined>[] = [];
  for (const c of components) {
    if (wanted && !mayWant(c, wanted)) continue;
    const resolved = resolve(c);
    if (!resolved) continue;
    if ('error' in resolved || !wanted || wanted(resolved.pkg.name, resolved.pkg.version, resolved.pkg.ecosystem)) picked.push(resolved);
  }
  const ranges = locate(picked.map((p) => p.at));
  const out: Extracted[] = [];
  picked.forEach((p, i) => {
    const range = ranges[i];
    if (!range) return;
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

/** The package a component names and the place to report it; undefined when it names nothing checkable. */
function resolve<At>(c: Component<At>): Resolved<At> {
  if (c.purl !== undefined && c.purlAt !== undefined) {
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
    const sameVersion = c.version !== undefined && (c.version === version || version.endsWith(`:${c.version}`));
    const at = sameVersion && c.versionAt !== undefined ? c.versionAt : c.purlAt;
    return { pkg: { ...pkg, version }, at };
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
  const purl = c.purl;
  if (purl === undefined) return true;
  if (purl.includes('%') || !purl.startsWith('pkg:')) return true;
  let rest = purl.slice(4);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question >= 0) rest = rest.slice(0, question);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const segments = rest.split('/').filter((s) => s !== '');
  if (segments.length < 2) return true;
  const type = segments[0]!.toLowerCase();
  const last = segments[segments.length - 1]!;
  const name = type === 'generic' ? upstreamName(last) : type === 'npm' || type === 'golang' ? segments.slice(1).join('/') : type === 'maven' ? `${segments.slice(1, -1).join('/')}:${last}` : last;
  const ecosystem = quickEcosystem(type, segments.length > 2 ? segments[1]!.toLowerCase() : undefined);
  // A type the advisories do not cover names nothing; one whose ecosystem is unclear here is read in full.
  if (ecosystem === null) return false;
  return ecosystem === undefined || wanted(name, '', ecosystem);
}

/** The ecosystem of a purl type and namespace for the quick look; null for a type nothing covers, undefined when unsure. */
function quickEcosystem(type: string, namespace: string | undefined): string | null | undefined {
  const os = own(distroTypes, type);
  if (os) return namespace === undefined ? null : own(os, namespace) ?? null;
  return own(languageTypes, type) ?? null;
}
