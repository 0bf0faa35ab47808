/** The read problems of an XML file that `readXml` could not read whole, for the XML formats. */
import type { ReadProblem } from '../../model';
import type { LineIndex } from '../textPositions';
import type { XmlDocument } from './tree';

/** A problem at the first XML error (and where reading stopped, for a text that is not XML at all); none when well-formed. */
export function xmlProblems(doc: XmlDocument, lines: LineIndex, file: string): ReadProblem[] {
  if (doc.abandoned) {
    return [{
      kind: 'problem',
      reason: 'syntax',
      message: `${file} is not XML from here (${doc.error?.message ?? 'not well-formed'}, and many more errors after it), so the rest of it was not read.`,
      range: lines.range(doc.error?.offset ?? doc.abandoned.offset, doc.abandoned.offset),
    }];
  }
  if (!doc.error) return [];
  return [{
    kind: 'problem',
    reason: 'syntax',
    message: `${file} is not well-formed XML here (${doc.error.message}). Pinwatch checked the entries it could read; entries after this point may be missing.`,
    range: lines.range(doc.error.offset, doc.error.offset),
  }];
}
