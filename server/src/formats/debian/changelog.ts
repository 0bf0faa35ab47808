/**
 * A source package's `debian/changelog`: the top entry, `name (version) distribution; urgency=…`, is the release
 * the package builds (marked `builds: true`, with no edit: a new number alone would rebuild the same source, as
 * for a recipe's own version). Older entries are history and are not read.
 */
import type { Extracted, Format, PackageReference } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex } from '../textPositions';
import { ownVersionReason, unreadableFile } from './common';

/** The debian/changelog format. */
export const debianChangelog: Format = {
  id: 'debian/changelog',
  patterns: [...formatPatterns['debian/changelog']],
  // Only the first entry is read, but the whole file is indexed for positions: 16 MB is far past any real changelog.
  maxLength: 16 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      return extractChangelog(text);
    } catch (error) {
      return [unreadableFile('debian/changelog', error)];
    }
  },
};

/** Ubuntu's series names, which its uploads name as the distribution (`noble`, `noble-proposed`). */
const ubuntuSeries = new Set(['trusty', 'xenial', 'bionic', 'focal', 'jammy', 'kinetic', 'lunar', 'mantic', 'noble', 'oracular', 'plucky', 'questing', 'resolute']);

/** The ecosystem an upload belongs to, by its distribution (and Ubuntu's version suffix). */
function ecosystemOf(distribution: string, version: string): string {
  if (distribution.startsWith('kali-')) return 'Kali';
  if (ubuntuSeries.has(distribution.replace(/-(proposed|updates|security|backports)$/, '')) || /ubuntu/.test(version)) return 'Ubuntu';
  return 'Debian';
}

function extractChangelog(text: string): Extracted[] {
  const lines = lineIndex(text);
  // The first line that is not blank is the top entry's header.
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.trim() !== '' || end < 0) break;
    start = end + 1;
  }
  const newline = text.indexOf('\n', start);
  const header = text.slice(start, newline < 0 ? text.length : newline).replace(/\r$/, '');
  if (header.trim() === '') return [];
  const m = /^([a-z0-9][a-z0-9+.-]+) \(([^ ()]+)\)((?:\s+[^\s;]+)+)\s*;/.exec(header);
  if (!m) {
    return [{ kind: 'problem', reason: 'syntax', message: 'The first line of this changelog is not an entry header "package (version) distribution; urgency=…", so the version it builds was not read.', range: lines.range(start, start + header.length) }];
  }
  const [, name, version, distributions] = m as unknown as [string, string, string, string];
  const distribution = distributions.trim().split(/\s+/)[0]!;
  const at = start + name.length + 2;
  const reference: PackageReference = {
    kind: 'package',
    ecosystem: ecosystemOf(distribution, version),
    suite: distribution,
    name,
    version,
    range: lines.range(at, at + version.length),
    fix: { kind: 'none', reason: ownVersionReason },
    context: 'debian/changelog',
    builds: true,
  };
  return [reference];
}
