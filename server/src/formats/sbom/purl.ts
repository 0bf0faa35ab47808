/**
 * Package URLs (purl, https://github.com/package-url/purl-spec) as the advisories name packages: the purl type and
 * namespace give the ecosystem (`pkg:deb/debian/…` → Debian, `pkg:rpm/fedora/…` → Fedora), the `distro` qualifier
 * the suite, as a Dockerfile's `FROM` does. Parsing is `packageurl-js`'s, the purl authors' own library.
 */
import type { PackageURL as PackageUrlClass } from 'packageurl-js';
import { suiteOf } from '../installed/root';

/** What a purl names, for matching: ecosystem, suite, name and version. */
export interface PurlPackage {
  ecosystem: string;
  suite?: string;
  name: string;
  version?: string;
}

/** The distributions of the OS purl types, by type and namespace. */
export const distroTypes: Record<string, Record<string, string>> = {
  deb: { debian: 'Debian', ubuntu: 'Ubuntu', kali: 'Kali' },
  apk: { alpine: 'Alpine', wolfi: 'Wolfi', chainguard: 'Chainguard' },
  rpm: { fedora: 'Fedora', opensuse: 'openSUSE', suse: 'SUSE', redhat: 'Red Hat', rocky: 'Rocky Linux', almalinux: 'AlmaLinux' },
  alpm: { arch: 'Arch Linux', archlinux: 'Arch Linux', msys2: 'MSYS2', manjaro: 'Manjaro' },
};

/** The language ecosystems (and `generic`: a project's own releases), by purl type. */
export const languageTypes: Record<string, string> = {
  npm: 'npm', pypi: 'PyPI', gem: 'RubyGems', cargo: 'crates.io', golang: 'Go', nuget: 'NuGet', maven: 'Maven', conda: 'conda', conan: 'ConanCenter', generic: 'upstream',
};

/**
 * A project's own release names under other spellings: the upstream advisory files XZ Utils as `xz`, while SBOMs
 * name it as its distributions do (`xz-utils`) or by its library.
 */
const upstreamNames: Record<string, string> = { 'xz-utils': 'xz', liblzma: 'xz' };

/** The upstream name a generic (or unlabelled) component is filed under. */
export function upstreamName(name: string): string {
  return upstreamNames[name.toLowerCase()] ?? name;
}

/**
 * The package a purl names, or undefined for a type the advisories do not cover; throws (packageurl-js's message)
 * when the purl is malformed, such as a bad percent-encoding.
 */
export function purlPackage(purl: string): PurlPackage | undefined {
  const p = packageUrl().fromString(purl);
  const type = p.type.toLowerCase();
  const namespace = p.namespace?.toLowerCase();
  const qualifiers = (p.qualifiers ?? {}) as Record<string, string>;
  const version = p.version ?? undefined;
  const withVersion = (pkg: PurlPackage): PurlPackage => (version === undefined ? pkg : { ...pkg, version });
  const distro = namespace === undefined ? undefined : own(own(distroTypes, type), namespace);
  if (distro) {
    let v = version;
    const epoch = qualifiers['epoch'];
    if (type === 'rpm' && v !== undefined && epoch && epoch !== '0' && !v.includes(':')) v = `${epoch}:${v}`;
    const suite = distroSuite(distro, namespace!, qualifiers['distro'], v);
    return { ecosystem: distro, ...(suite ? { suite } : {}), name: p.name, ...(v === undefined ? {} : { version: v }) };
  }
  if (type === 'generic') return withVersion({ ecosystem: 'upstream', name: upstreamName(p.name) });
  const language = own(languageTypes, type);
  if (!language) return undefined;
  const ns = p.namespace ?? undefined;
  const name = ns === undefined ? p.name : type === 'maven' ? `${ns}:${p.name}` : `${ns}/${p.name}`;
  return withVersion({ ecosystem: language, name });
}

/** The suite of an OS package: its `distro` qualifier (`debian-12`, `alpine-3.20.0`, `fedora-40`), else a Fedora dist tag. */
function distroSuite(ecosystem: string, namespace: string, qualifier: string | undefined, version: string | undefined): string | undefined {
  // `distro=debian` (some generators write the distribution alone) names no release: as if there were none.
  if (qualifier && qualifier.toLowerCase() !== namespace) {
    const q = qualifier.toLowerCase();
    const release = q.startsWith(`${namespace}-`) ? q.slice(namespace.length + 1) : q;
    if (ecosystem === 'openSUSE') return release.startsWith('tumbleweed') ? 'tumbleweed' : release.startsWith('leap') ? release.replace(/^leap-?/, 'leap-') : release;
    return suiteOf(ecosystem, release);
  }
  const fedora = ecosystem === 'Fedora' && version ? /\.fc(\d+)(?:\.|$)/.exec(version) : null;
  return fedora ? `fc${fedora[1]}` : undefined;
}

/** The distribution a supplier or publisher names ("Debian Project", "Organization: Alpine Linux"), for a component without a purl. */
export function supplierEcosystem(supplier: string | undefined): string | undefined {
  if (!supplier) return undefined;
  const s = supplier.toLowerCase();
  if (/\bdebian\b/.test(s)) return 'Debian';
  if (/\bubuntu\b|\bcanonical\b/.test(s)) return 'Ubuntu';
  if (/\balpine\b/.test(s)) return 'Alpine';
  if (/\bfedora\b/.test(s)) return 'Fedora';
  if (/\barch linux\b/.test(s)) return 'Arch Linux';
  if (/\bopensuse\b/.test(s)) return 'openSUSE';
  return undefined;
}

/** A table's own entry (never an inherited `constructor` or `__proto__`). */
export function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

let packageUrlClass: typeof PackageUrlClass | undefined;

/** packageurl-js's class, loaded on first use: its tables take a start of their own, and most scans hold no SBOM. */
function packageUrl(): typeof PackageUrlClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  packageUrlClass ??= (require('packageurl-js') as typeof import('packageurl-js')).PackageURL;
  return packageUrlClass;
}
