/**
 * `.gitmodules`: a submodule that follows a `branch` which is a compromised release tag of a repository the
 * advisories name (`branch = v5.6.1`). The commit a submodule is pinned to is in the superproject's tree, not in
 * this file, so it is not read here.
 */
import type { Extracted, Format } from '../model';
import { iniEntries } from './build/ini';
import { gitReference } from './build/refs';
import { formatPatterns } from './patterns';
import { lineIndex } from './textPositions';

/** The .gitmodules format. */
export const gitmodules: Format = {
  id: 'git/.gitmodules',
  patterns: [...formatPatterns['git/.gitmodules']],
  commentPrefix: '#',
  maxLength: 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const out: Extracted[] = [];
    const entries = iniEntries(text);
    for (const e of entries) {
      if (e.key !== 'branch' || !e.section.startsWith('submodule')) continue;
      const url = entries.find((u) => u.section === e.section && u.key === 'url');
      const ref = url && gitReference(lines, url.value.value, e.value, 'submodule branch');
      if (ref) out.push(ref);
    }
    return out;
  },
};
