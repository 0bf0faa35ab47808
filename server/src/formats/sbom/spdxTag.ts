/**
 * SPDX 2.2/2.3 tag-value documents (`*.spdx`): `Tag: value` lines, where `PackageName:` starts a package and
 * `PackageVersion:`, `PackageSupplier:` and `ExternalRef: PACKAGE-MANAGER purl <purl>` describe it. A `<text>`
 * value may span lines up to `</text>`; its lines are not tags. One forward pass over the lines.
 */
import type { Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { componentReferences, type Component, type Span } from './components';


/** The SPDX tag-value format. */
export const spdxTag: Format = {
  id: 'spdx/tag-value',
  patterns: [...formatPatterns['spdx/tag-value']],
  commentPrefix: '#',
  maxLength: 256 * 1024 * 1024,
  extract: (text) => read(text, undefined),
  extractWanted: (text, _path, wanted) => read(text, wanted),
};

function read(text: string, wanted: ((name: string, version: string, ecosystem?: string) => boolean) | undefined): Extracted[] {
  const components: Component<Span>[] = [];
  let current: Component<Span> | undefined;
  let isSpdx = false;
  let inText = false;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const lineEnd = end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const line = text.slice(at, lineEnd);
    const lineStart = at;
    at = end + 1;
    if (inText) {
      if (line.includes('</text>')) inText = false;
      continue;
    }
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon <= 0) continue;
    const tag = line.slice(0, colon).trim();
    let from = colon + 1;
    while (line.charCodeAt(from) === 0x20 || line.charCodeAt(from) === 0x09) from++;
    let to = line.length;
    while (to > from && (line.charCodeAt(to - 1) === 0x20 || line.charCodeAt(to - 1) === 0x09)) to--;
    const value = line.slice(from, to);
    if (value.startsWith('<text>') && !value.includes('</text>')) {
      inText = true;
      continue;
    }
    if (tag === 'SPDXVersion' && value.startsWith('SPDX-')) isSpdx = true;
    else if (tag === 'PackageName') components.push((current = { name: value }));
    else if (!current) continue;
    else if (tag === 'PackageVersion') (current.version = value), (current.versionAt = { start: lineStart + from, end: lineStart + to });
    else if (tag === 'PackageSupplier' && value !== 'NOASSERTION') current.supplier = value;
    else if (tag === 'ExternalRef' && current.purl === undefined) {
      const words = /^(\S+)\s+(\S+)\s+(\S+)/.exec(value);
      if (words && words[2] === 'purl') {
        const start = lineStart + from + value.indexOf(words[3]!, words[1]!.length + words[2]!.length);
        (current.purl = words[3]!), (current.purlAt = { start, end: start + words[3]!.length });
      }
    }
  }
  if (!isSpdx) return [];
  const locate = (spans: readonly Span[]): Span[] => [...spans];
  return componentReferences(text, components, wanted, locate, 'SPDX SBOM');
}
