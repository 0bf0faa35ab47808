/**
 * What the installed-package databases share: the root filesystem a database belongs to (the folders above
 * `var/lib/dpkg/status`), its distribution and release from `etc/os-release` in that root, the suite a distribution
 * names a release by, and the words of a package reference that no edit can fix.
 */
import type { PackageReference, Range } from '../../model';

/** A distribution as the advisories name it (OSV's ecosystem, or the project's) and, when known, its suite. */
export interface RootDistro {
  ecosystem: string;
  suite?: string;
}

const debianCodenames: Record<string, string> = { '9': 'stretch', '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie', '14': 'forky' };

/**
 * The root filesystem of a database path: the part before `tail` (`/img/var/lib/dpkg/status` with tail
 * `var/lib/dpkg/status` gives `/img/`), or undefined when the path does not end so. `*` in the tail stands for one
 * path segment. Separators may be `/` or `\\`; the root keeps its own.
 */
export function rootOf(path: string, tail: string): string | undefined {
  const segments = path.split(/(?<=[\\/])/);
  const wanted = tail.split('/');
  if (segments.length < wanted.length) return undefined;
  const last = segments.slice(segments.length - wanted.length).map((s) => s.replace(/[\\/]$/, ''));
  if (!wanted.every((w, i) => w === '*' || w === last[i])) return undefined;
  return segments.slice(0, segments.length - wanted.length).join('');
}

/** The fields of an os-release file (`ID=debian`, `VERSION_CODENAME="bookworm"`), unquoted. */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    const quote = value.charAt(0);
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([\\"$`])/g, '$1');
    }
    out.set(line.slice(0, eq), value);
  }
  return out;
}

/** The os-release fields of a root (`etc/os-release`, else `usr/lib/os-release`), or undefined when neither reads. */
export function osReleaseOf(root: string | undefined, readFile: ((path: string) => string | undefined) | undefined): Map<string, string> | undefined {
  if (root === undefined || !readFile) return undefined;
  for (const rel of ['etc/os-release', 'usr/lib/os-release']) {
    const text = readFile(root + rel);
    if (text !== undefined) return parseOsRelease(text);
  }
  return undefined;
}

/** The distribution an os-release describes (by its `ID`), or undefined for one the advisories do not name. */
export function distroOfOsRelease(fields: Map<string, string>): RootDistro | undefined {
  const id = (fields.get('ID') ?? '').toLowerCase();
  const versionId = fields.get('VERSION_ID');
  const codename = fields.get('VERSION_CODENAME')?.toLowerCase() || undefined;
  const withSuite = (ecosystem: string, suite: string | undefined): RootDistro => (suite ? { ecosystem, suite } : { ecosystem });
  if (id === 'debian') return withSuite('Debian', codename ?? (versionId ? debianCodenames[versionId.split('.')[0]!] : undefined));
  if (id === 'ubuntu') return withSuite('Ubuntu', codename);
  if (id === 'kali') return withSuite('Kali', codename);
  if (id === 'alpine') return withSuite('Alpine', alpineSuite(versionId));
  if (id === 'wolfi') return { ecosystem: 'Wolfi' };
  if (id === 'fedora') return withSuite('Fedora', versionId && /^\d+$/.test(versionId) ? `fc${versionId}` : undefined);
  if (id === 'arch' || id === 'archarm') return { ecosystem: 'Arch Linux' };
  if (id === 'opensuse-tumbleweed') return { ecosystem: 'openSUSE', suite: 'tumbleweed' };
  if (id === 'opensuse-leap') return withSuite('openSUSE', versionId ? `leap-${versionId}` : 'leap');
  return undefined;
}

/**
 * The suite a distribution and release name (a purl's `distro=debian-12`, an os-release's fields): Debian's
 * codename, Alpine's `3.20` or `edge`, Fedora's `fc40`; undefined when the release says nothing usable.
 */
export function suiteOf(ecosystem: string, release: string | undefined): string | undefined {
  if (!release) return undefined;
  const r = release.toLowerCase();
  if (ecosystem === 'Debian') return debianCodenames[r.split('.')[0]!] ?? r;
  if (ecosystem === 'Alpine') return alpineSuite(r);
  if (ecosystem === 'Fedora') return /^\d+$/.test(r) ? `fc${r}` : r;
  return r;
}

/** Alpine's suite from its VERSION_ID: `3.20` of `3.20.3`; `edge` for a development snapshot (`3.20.0_alpha20240329`). */
function alpineSuite(versionId: string | undefined): string | undefined {
  if (!versionId) return undefined;
  if (versionId === 'edge' || /_(alpha|beta|rc)/.test(versionId)) return 'edge';
  return /^\d+\.\d+/.exec(versionId)?.[0];
}

/** The reference of an installed package: at its version's range, with no edit and the command that upgrades it. */
export function installedReference(
  distro: RootDistro,
  name: string,
  version: string,
  range: Range,
  where: string,
  upgrade: string,
  aside = '',
): PackageReference {
  return {
    kind: 'package',
    ecosystem: distro.ecosystem,
    ...(distro.suite ? { suite: distro.suite } : {}),
    name,
    version,
    range,
    context: where,
    fix: {
      kind: 'none',
      reason: `${name} ${version} is installed in this root filesystem (${where}); a package database records what is installed, so Pinwatch does not edit it.${aside}`,
      upgrade,
    },
  };
}

/**
 * What an installed OpenSSH server means for an installed compromised liblzma, for the message, as the reference
 * states it per distribution: OpenSSH does not link liblzma itself; Debian, Ubuntu and Fedora patch sshd to notify
 * systemd through libsystemd, which links liblzma, so sshd loads it; Arch's sshd does not link liblzma, and Alpine's
 * has no libsystemd. Elsewhere (openSUSE, Kali, Wolfi, …) the reference does not say, so neither does the message.
 * `server` is the package that holds sshd (`openssh-server`; Arch's `openssh`).
 */
export function opensshAside(ecosystem: string, server: string): string {
  if (ecosystem === 'Debian' || ecosystem === 'Ubuntu' || ecosystem === 'Fedora') {
    return ` ${server} is installed here too: this distribution patches sshd to notify systemd through libsystemd, which links liblzma, so sshd loads this library; upgrade, then restart sshd.`;
  }
  if (ecosystem === 'Arch Linux') return ` ${server} is installed here too, but Arch's sshd does not link liblzma, so the backdoor is not loaded into sshd; upgrade all the same.`;
  if (ecosystem === 'Alpine') return ` ${server} is installed here too, but Alpine's sshd does not link libsystemd, through which other distributions' sshd loads liblzma; upgrade all the same.`;
  return ` ${server} is installed here too: OpenSSH does not link liblzma itself, but Debian, Ubuntu, Fedora and others patch sshd to notify systemd through libsystemd, which links liblzma; if this system's sshd links libsystemd, it loads this library: upgrade, then restart sshd.`;
}
