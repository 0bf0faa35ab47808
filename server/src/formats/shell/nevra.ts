/**
 * Splitting package file names and specs into name and version: RPM's `name-[epoch:]version[-release][.arch]`
 * (package names contain hyphens too, so the version is found from the right), pacman's
 * `name-[epoch:]pkgver-pkgrel-arch.pkg.tar.*` archive names and Debian's `name_version_arch.deb`.
 */

/** A name and a version, with the version's position in the split string. */
export interface SplitVersion { name: string; version: string; from: number; to: number }

const rpmArches = new Set(['x86_64', 'x86_64_v2', 'x86_64_v3', 'i386', 'i586', 'i686', 'aarch64', 'armv7hl', 'armhfp', 'ppc64le', 'ppc64', 's390x', 'riscv64', 'noarch', 'src']);
const rpmVersionPart = /^(?:\d+:)?[0-9][A-Za-z0-9._+~^]*$/;
const rpmReleasePart = /^[0-9][A-Za-z0-9._+~^]*$/;
const rpmName = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/**
 * Splits `xz-libs-5.6.0-2.fc40[.x86_64]` into `xz-libs` and `5.6.0-2.fc40`, or `xz-5.6.1` into `xz` and `5.6.1`.
 * Both version and release must start with a digit, so `java-17-openjdk` is a name, not `java` at `17-openjdk`.
 * With `archRequired` (a file name) the `.arch` suffix must be there; the version keeps its epoch.
 */
export function splitNevra(spec: string, archRequired: boolean): SplitVersion | undefined {
  let body = spec;
  const dot = body.lastIndexOf('.');
  if (dot > 0 && rpmArches.has(body.slice(dot + 1))) body = body.slice(0, dot);
  else if (archRequired) return undefined;
  const parts = body.split('-');
  const n = parts.length;
  const withRelease = n >= 3 && rpmVersionPart.test(parts[n - 2]!) && rpmReleasePart.test(parts[n - 1]!);
  const keep = withRelease ? 2 : n >= 2 && rpmVersionPart.test(parts[n - 1]!) ? 1 : 0;
  if (keep === 0) return undefined;
  const name = parts.slice(0, n - keep).join('-');
  if (!rpmName.test(name)) return undefined;
  const version = parts.slice(n - keep).join('-');
  return { name, version, from: name.length + 1, to: name.length + 1 + version.length };
}

const pacmanSuffix = /\.pkg\.tar(?:\.(?:zst|xz|gz|bz2|lz4|lrz|lzo|Z|lz))?$/;

/**
 * Splits a pacman package file or URL (`…/xz-5.6.1-1-x86_64.pkg.tar.zst`) into name and `pkgver-pkgrel`, with
 * the version's position in the whole value. A percent-encoded epoch (`1%3A2.0-1`) is decoded in `version`.
 */
export function splitPacmanFile(value: string): SplitVersion | undefined {
  const path = value.split(/[?#]/)[0]!;
  if (!pacmanSuffix.test(path)) return undefined;
  const slash = path.lastIndexOf('/');
  const file = path.slice(slash + 1).replace(pacmanSuffix, '');
  const parts = file.split('-');
  const n = parts.length;
  if (n < 4) return undefined;
  const rawVersion = `${parts[n - 3]}-${parts[n - 2]}`;
  const name = parts.slice(0, n - 3).join('-');
  let version: string;
  try { version = decodeURIComponent(rawVersion); } catch { return undefined; }
  if (!/^(?:\d+:)?[A-Za-z0-9._+~]+-[0-9][0-9.]*$/.test(version) || name === '') return undefined;
  const from = slash + 1 + name.length + 1;
  return { name, version, from, to: from + rawVersion.length };
}

/**
 * Splits a Debian package file or URL (`…/liblzma5_5.6.1-1_amd64.deb`) into name and version, with the version's
 * position in the whole value. A percent-encoded epoch (`1%3a2.0-1`) is decoded in `version`.
 */
export function splitDebFile(value: string): SplitVersion | undefined {
  const path = value.split(/[?#]/)[0]!;
  if (!/\.u?deb$/.test(path)) return undefined;
  const slash = path.lastIndexOf('/');
  const parts = path.slice(slash + 1).replace(/\.u?deb$/, '').split('_');
  if (parts.length !== 3 || !/^[a-z0-9][a-z0-9+.-]+$/.test(parts[0]!)) return undefined;
  let version: string;
  try { version = decodeURIComponent(parts[1]!); } catch { return undefined; }
  if (!/^(?:\d+:)?[0-9][A-Za-z0-9.+~-]*$/.test(version)) return undefined;
  const from = slash + 1 + parts[0]!.length + 1;
  return { name: parts[0]!, version, from, to: from + parts[1]!.length };
}
