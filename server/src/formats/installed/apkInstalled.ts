/**
 * apk's database of installed packages, `lib/apk/db/installed`: one stanza per installed package, `P:` its name and
 * `V:` its version (`5.6.1-r1`), each a reference at the `V:` value's exact range. Every package listed is
 * installed. The suite comes from `etc/os-release` in the same root (`3.20`, or `edge` for a development snapshot).
 */
import type { Extracted, Format, WantedFilter } from '../../model';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { distroOfOsRelease, installedReference, opensshAside, osReleaseOf, rootOf, type RootDistro } from './root';
import { pickedStanzas, quickOf, stanzas, type StanzaField } from './stanzas';

/** The apk installed-database format. */
export const apkInstalled: Format = {
  id: 'alpine/apk-installed',
  patterns: [...formatPatterns['alpine/apk-installed']],
  maxLength: 64 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    return read(text, path, undefined, readFile);
  },
  extractWanted(text: string, path: string, wanted, readFile?: (path: string) => string | undefined): Extracted[] {
    return read(text, path, wanted, readFile);
  },
};

/**
 * The packages of an apk database; with `wanted`, only the stanzas of the packages it names (and openssh-server's)
 * are read (see dpkgStatus.ts). xz-libs (Alpine's liblzma) says what an installed openssh-server means for it.
 */
function read(text: string, path: string, wanted: WantedFilter | undefined, readFile?: (path: string) => string | undefined): Extracted[] {
  const fields = osReleaseOf(rootOf(path, 'lib/apk/db/installed'), readFile);
  const fromOs = fields && distroOfOsRelease(fields);
  const distro: RootDistro = fromOs && ['Alpine', 'Wolfi'].includes(fromOs.ecosystem) ? fromOs : { ecosystem: 'Alpine' };
  const found: { name: string; version: StanzaField }[] = [];
  let malformed: number | undefined;
  let sshd = false;
  const all = wanted ? pickedStanzas(text, 'P', { continuation: false }, (name) => name === 'openssh-server' || wanted(name, '', distro.ecosystem), quickOf(wanted, distro.ecosystem)) : stanzas(text, { continuation: false });
  for (const stanza of all) {
    if (stanza.malformedAt !== undefined) malformed ??= stanza.malformedAt;
    const name = stanza.fields.get('P')?.value;
    const version = stanza.fields.get('V');
    if (!name || !version || version.value === '') continue;
    if (name === 'openssh-server') sshd = true;
    if (!wanted || wanted(name, version.value, distro.ecosystem)) found.push({ name, version });
  }
  const positions = positionsAt(text, [...found.flatMap((f) => [f.version.start, f.version.end]), ...(malformed === undefined ? [] : [malformed])]);
  const out: Extracted[] = found.map((f, i) =>
    installedReference(distro, f.name, f.version.value, { start: positions[2 * i]!, end: positions[2 * i + 1]! }, 'lib/apk/db/installed', `apk upgrade ${f.name}`, sshd && f.name === 'xz-libs' ? opensshAside(distro.ecosystem, 'openssh-server') : ''),
  );
  if (malformed !== undefined) {
    const at = positions[positions.length - 1]!;
    out.push({ kind: 'problem', reason: 'syntax', message: 'This line is not an `X:value` line of an apk database stanza; Pinwatch read the fields it could, but the stanza it belongs to may be incomplete.', range: { start: at, end: at } });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
