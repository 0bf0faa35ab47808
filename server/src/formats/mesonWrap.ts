/**
 * Meson wrap files (`subprojects/*.wrap`): `[wrap-file]` downloads (`source_url`, `source_fallback_url`,
 * `patch_url`, guarded by `source_hash`/`patch_hash`) and `[wrap-git]` checkouts (`url` with `revision`).
 */
import type { ArtifactReference, Extracted, Format } from '../model';
import { iniEntries, type IniEntry } from './build/ini';
import { digestReference, gitReference, isUrl, urlReference } from './build/refs';
import { formatPatterns } from './patterns';
import { lineIndex } from './textPositions';

/** The Meson wrap format. */
export const mesonWrap: Format = {
  id: 'meson/wrap',
  patterns: [...formatPatterns['meson/wrap']],
  commentPrefix: '#',
  maxLength: 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    const bySection = new Map<string, IniEntry[]>();
    for (const e of iniEntries(text)) {
      const list = bySection.get(e.section);
      if (list) list.push(e);
      else bySection.set(e.section, [e]);
    }
    for (const [section, entries] of bySection) {
      const get = (key: string) => entries.find((e) => e.key === key);
      if (section === 'wrap-git') {
        const url = get('url');
        const revision = get('revision');
        const ref = url && revision && gitReference(lines, url.value.value, revision.value, 'wrap-git revision');
        if (ref) out.push(ref);
        continue;
      }
      if (section !== 'wrap-file') continue;
      for (const [prefix, hashKey] of [['source', 'source_hash'], ['patch', 'patch_hash']] as const) {
        const hash = get(hashKey);
        const digest = hash && digestReference(lines, hash.value, `wrap-file ${hashKey}`);
        const guards = digest ? [digest.value] : [];
        const refs: ArtifactReference[] = [];
        for (const key of [`${prefix}_url`, `${prefix}_fallback_url`]) {
          const entry = get(key);
          if (entry && isUrl(entry.value.value)) refs.push(urlReference(lines, entry.value, `wrap-file ${key}`, guards));
        }
        out.push(...refs);
        if (digest) out.push(digest);
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};
