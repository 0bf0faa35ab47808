/**
 * Shell scripts (`*.sh`): read as a Dockerfile RUN is, with the same shell reader: pinned installs, downloaded
 * URLs (guarded by the checksums the script checks), git tags it checks out.
 */
import type { ArtifactReference, Extracted, Format } from '../model';
import { guardUrls, shellBlock } from './build/shellBlock';
import { formatPatterns } from './patterns';
import { lineIndex } from './textPositions';

/** The shell script format. */
export const shellScript: Format = {
  id: 'shell/script',
  patterns: [...formatPatterns['shell/script']],
  commentPrefix: '#',
  // The shell reader reads about 1 MB a second: a longer script is generated data.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const acc = { out: [] as Extracted[], urls: [] as ArtifactReference[], checksums: [] as string[] };
    // A script for another interpreter (`#!/usr/bin/env python3`) is not shell.
    const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(text);
    if (shebang) {
      const program = shebang[1]!.endsWith('/env') ? (shebang[2] ?? '') : shebang[1]!;
      if (!/^(?:sh|bash|ash|dash|zsh|ksh)$/.test(program.slice(program.lastIndexOf('/') + 1))) return [];
    }
    shellBlock(lines, { text, base: 0 }, () => undefined, acc);
    guardUrls(acc);
    return acc.out;
  },
};
