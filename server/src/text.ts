/** Positions in a text as LSP counts them (0-based lines, UTF-16 columns), for the few places that need them. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from './model';

/** A text with a lazily built line index: `slice(range)` is the text a range covers. */
export interface IndexedText {
  readonly text: string;
  slice(range: Range): string;
  /** The LSP position of an offset. */
  positionAt(offset: number): Range['start'];
}

/** Wraps a text so ranges can be read from it. */
export function indexText(text: string): IndexedText {
  let doc: TextDocument | undefined;
  return {
    text,
    slice(range: Range): string {
      doc ??= TextDocument.create('pinwatch:text', 'plaintext', 0, text);
      return doc.getText(range);
    },
    positionAt(offset: number) {
      doc ??= TextDocument.create('pinwatch:text', 'plaintext', 0, text);
      return doc.positionAt(offset);
    },
  };
}
