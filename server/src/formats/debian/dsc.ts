/**
 * A Debian source control file (`*.dsc`): the release it describes (`Source`, `Version`, marked as what the
 * package builds), the digests of its files (`Checksums-Sha256`; `Files` lists MD5 sums, which no advisory
 * names), and its build relations. A signed `.dsc` is read inside its OpenPGP armour.
 */
import type { ArtifactReference, Extracted, Format, PackageReference } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex, type LineIndex } from '../textPositions';
import { byPosition, deb822Problems, ownVersionReason, relationFields, relationReferences, unreadableFile, valueRange } from './common';
import { fieldOf, scanDeb822, type Deb822Field } from './deb822';

/** The .dsc format. */
export const debianDsc: Format = {
  id: 'debian/dsc',
  patterns: [...formatPatterns['debian/dsc']],
  // A .dsc is a few KB; past 8 MB a text is not one.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      return extractDsc(text);
    } catch (error) {
      return [unreadableFile('.dsc file', error)];
    }
  },
};

function extractDsc(text: string): Extracted[] {
  const scanned = scanDeb822(text, false);
  const lines = lineIndex(text);
  const out: Extracted[] = [];
  const wanted = new Set(relationFields.map((f) => f.toLowerCase()));
  for (const paragraph of scanned.paragraphs) {
    const own = ownRelease(fieldOf(paragraph, 'Source'), fieldOf(paragraph, 'Version'), lines);
    if (own) out.push(own);
    for (const field of paragraph) {
      if (wanted.has(field.name.toLowerCase())) out.push(...relationReferences(field, 'Debian', lines));
      else if (field.name.toLowerCase() === 'checksums-sha256') out.push(...digests(field, 'sha256', 64, lines));
      else if (field.name.toLowerCase() === 'checksums-sha512') out.push(...digests(field, 'sha512', 128, lines));
    }
  }
  return byPosition(out, deb822Problems(scanned, '.dsc file', lines));
}

/** `Source` + `Version`: the release this source package builds, at the version token. */
function ownRelease(source: Deb822Field | undefined, version: Deb822Field | undefined, lines: LineIndex): PackageReference | undefined {
  // `Source: name (version)` is a .changes form; a .dsc names the package alone.
  const name = source?.value.split(/\s/)[0];
  if (!name || !version || !/^[a-z0-9][a-z0-9+.-]+$/.test(name) || !/^\S+$/.test(version.value)) return undefined;
  return {
    kind: 'package',
    ecosystem: 'Debian',
    name,
    version: version.value,
    range: valueRange(version, 0, version.value.length, lines),
    fix: { kind: 'none', reason: ownVersionReason },
    context: '.dsc Version',
    builds: true,
  };
}

/** The digests of a `Checksums-*` field: each line is `<digest> <size> <file>`. */
function digests(field: Deb822Field, kind: 'sha256' | 'sha512', length: number, lines: LineIndex): ArtifactReference[] {
  const out: ArtifactReference[] = [];
  const value = field.value;
  for (let at = 0; at < value.length; ) {
    const end = value.indexOf('\n', at) < 0 ? value.length : value.indexOf('\n', at);
    const word = /^\s*([0-9a-fA-F]+)(?=\s|$)/.exec(value.slice(at, end));
    if (word && word[1]!.length === length) {
      const start = at + word[0].length - word[1]!.length;
      out.push({ kind, value: word[1]!.toLowerCase(), range: valueRange(field, start, start + length, lines), context: field.name });
    }
    at = end + 1;
  }
  return out;
}
