/**
 * A file's bytes as the text formats read it, shared by the CLI's reader and the image reader (so a member of an
 * image is read as the same file on disk would be): UTF-8 without a byte-order mark, or the reason it is not text.
 */

/** The text of a file's bytes, or why it is not read as text (binary content: a NUL in its first 8 KB). */
export function fileText(bytes: Buffer): string | { unread: string } {
  // (Most files are shorter than that: they are searched whole, with no view made of their start.)
  if ((bytes.length <= 8192 ? bytes : bytes.subarray(0, 8192)).includes(0)) return { unread: 'binary content' };
  const text = bytes.toString('utf8');
  // Editors hide a byte-order mark and count columns after it, so the CLI reads files the same way.
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
