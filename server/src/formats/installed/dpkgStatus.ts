/**
 * dpkg's database of installed packages: `var/lib/dpkg/status`, and the one-stanza files of `var/lib/dpkg/status.d/`
 * that distroless images carry instead. Each stanza whose `Status` says the package's files are on disk (`install ok
 * installed`, `hold ok installed`, or unpacked and not yet configured or triggered) is a reference to that binary
 * package at its `Version`, at the value's exact range. A removed package whose configuration files remain
 * (`deinstall ok config-files`) is not installed.
 * The distribution and suite come from `etc/os-release` in the same root (Debian when there is none); Termux's
 * database (under `com.termux/files/usr/`, or whose packages name their CPU as Termux does) is Termux's.
 */
import type { Extracted, Format, WantedFilter } from '../../model';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { distroOfOsRelease, installedReference, opensshAside, osReleaseOf, rootOf, type RootDistro } from './root';
import { pickedStanzas, quickOf, stanzas, type StanzaField } from './stanzas';

/** The dpkg status format. */
export const dpkgStatus: Format = {
  id: 'debian/dpkg-status',
  patterns: [...formatPatterns['debian/dpkg-status']],
  maxLength: 64 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    return read(text, path, undefined, readFile);
  },
  extractWanted(text: string, path: string, wanted, readFile?: (path: string) => string | undefined): Extracted[] {
    return read(text, path, wanted, readFile);
  },
};

const termux: RootDistro = { ecosystem: 'Termux' };

/**
 * The states of dpkg's `Status` (its third word) in which a package's files are unpacked on disk: installed, and on
 * the way there or waiting for triggers (`unpacked`, `half-configured`, `triggers-awaited`, `triggers-pending`, as
 * dpkg(1) describes them). Not `half-installed` (an unpack that did not finish), `config-files` or `not-installed`.
 */
const unpackedStates: ReadonlySet<string> = new Set(['installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

/**
 * The architectures Termux names its packages by (the GNU CPU names); Debian, Ubuntu and Kali name the same CPUs
 * arm64, armhf, i386 and amd64, and never these.
 */
const termuxArchitectures: ReadonlySet<string> = new Set(['aarch64', 'arm', 'i686', 'x86_64']);

/**
 * The installed packages of a status text; with `wanted`, only the stanzas of the packages it names (and
 * openssh-server's) are read, found by their `Package:` lines, and a malformed line is reported only in those.
 */
function read(text: string, path: string, wanted: WantedFilter | undefined, readFile?: (path: string) => string | undefined): Extracted[] {
  // distroless keeps each package's file list beside its stanza, as `<package>.md5sums`: digests, not a stanza.
  if (/\.md5sums$/.test(path)) return [];
  const fragment = rootOf(path, 'var/lib/dpkg/status') === undefined;
  const root = fragment ? rootOf(path, 'var/lib/dpkg/status.d/*') : rootOf(path, 'var/lib/dpkg/status');
  const fields = osReleaseOf(root, readFile);
  const fromOs = fields && distroOfOsRelease(fields);
  // Termux (Android) keeps a dpkg database under its prefix, with no os-release: its packages are not Debian's.
  const inTermux = root !== undefined && /[\\/]com\.termux[\\/]/.test(root);
  const distro: RootDistro = inTermux ? termux : fromOs && ['Debian', 'Ubuntu', 'Kali'].includes(fromOs.ecosystem) ? fromOs : { ecosystem: 'Debian' };
  const found: { name: string; version: StanzaField; distro: RootDistro }[] = [];
  let malformed: number | undefined;
  let sshd = false;
  const all = wanted ? pickedStanzas(text, 'Package', { continuation: true }, (name) => name === 'openssh-server' || wanted(name, '', distro.ecosystem), quickOf(wanted, distro.ecosystem)) : stanzas(text, { continuation: true });
  for (const stanza of all) {
    if (stanza.malformedAt !== undefined) malformed ??= stanza.malformedAt;
    const name = stanza.fields.get('Package')?.value;
    const version = stanza.fields.get('Version');
    const status = stanza.fields.get('Status')?.value;
    // A status.d fragment is the package's control file as the image installed it, and has no Status field.
    const installed = status === undefined ? fragment : status === 'install ok installed' || status === 'hold ok installed' || unpackedStates.has(status.split(/\s+/)[2] ?? '');
    if (!name || !version || version.value === '' || !installed) continue;
    if (name === 'openssh-server') sshd = true;
    // A package built for a CPU by its GNU name (aarch64, where Debian says arm64) is Termux's, wherever it is found.
    const own = termuxArchitectures.has(stanza.fields.get('Architecture')?.value ?? '') ? termux : distro;
    if (!wanted || wanted(name, version.value, own.ecosystem)) found.push({ name, version, distro: own });
  }
  const positions = positionsAt(text, [...found.flatMap((f) => [f.version.start, f.version.end]), ...(malformed === undefined ? [] : [malformed])]);
  const where = fragment ? 'var/lib/dpkg/status.d' : 'var/lib/dpkg/status';
  const out: Extracted[] = found.map((f, i) =>
    installedReference(f.distro, f.name, f.version.value, { start: positions[2 * i]!, end: positions[2 * i + 1]! }, where, `apt-get install ${f.name}={version}`, sshd && f.name === 'liblzma5' ? opensshAside(f.distro.ecosystem, 'openssh-server') : ''),
  );
  if (malformed !== undefined) {
    const at = positions[positions.length - 1]!;
    out.push({ kind: 'problem', reason: 'syntax', message: 'This line is not a `Field: value` line of a dpkg status stanza; Pinwatch read the fields it could, but the stanza it belongs to may be incomplete.', range: { start: at, end: at } });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
