/**
 * A source package's `debian/control`: the versioned relations of the source paragraph (`Build-Depends`,
 * `Build-Depends-Indep`, `Build-Depends-Arch`) and of each binary paragraph (`Depends`, `Pre-Depends`,
 * `Recommends`), as Debian package references at their version tokens: `(= 5.6.1-1)` pins, `(>= 5.6.0)` and
 * the other operators constrain (reported as the engine reports constraints).
 */
import type { Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex } from '../textPositions';
import { byPosition, deb822Problems, relationFields, relationReferences, unreadableFile } from './common';
import { scanDeb822 } from './deb822';

/** The debian/control format. */
export const debianControl: Format = {
  id: 'debian/control',
  patterns: [...formatPatterns['debian/control']],
  commentPrefix: '#',
  // Real control files are a few KB (the largest source packages list a few hundred binaries); past 8 MB a text is generated.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      const scanned = scanDeb822(text, true);
      const lines = lineIndex(text);
      const wanted = new Set(relationFields.map((f) => f.toLowerCase()));
      const refs = scanned.paragraphs.flatMap((paragraph) => paragraph.filter((f) => wanted.has(f.name.toLowerCase())).flatMap((f) => relationReferences(f, 'Debian', lines)));
      return byPosition(refs, deb822Problems(scanned, 'debian/control', lines));
    } catch (error) {
      return [unreadableFile('debian/control', error)];
    }
  },
};
