/**
 * XML read into a light element tree with the offsets of every tag, attribute value and element content, for the
 * formats whose files are XML (MSBuild projects, packages.config, pom.xml). `saxes` parses (well-formedness and
 * positions); the offsets of attribute values are found afterwards in the text of their tag, which saxes has just
 * read. No DTD is processed and no entity beyond XML's five and character references is ever expanded: an
 * entity declared in a DTD stays as written (`&lol9;`), so an entity-expansion bomb is read in linear time.
 */
import { SaxesParser } from 'saxes';

/** An attribute: its decoded value, and where its raw value is (inside the quotes). */
export interface XmlAttribute {
  name: string;
  value: string;
  start: number;
  end: number;
  /** Whether the raw text at start..end is the value itself (no entity or character reference in it). */
  exact: boolean;
}

/** An element: its name, attributes, children, and where its tags and content are. */
export interface XmlElement {
  name: string;
  /** The offset of its `<`. */
  start: number;
  /** The offset just past its start tag's `>`. */
  openEnd: number;
  /** The offset of its end tag's `<` (openEnd for an empty element `<a/>`, and the text's end for one never closed). */
  closeStart: number;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
}

/** What reading an XML text gives: the root elements read, and the first well-formedness error. */
export interface XmlDocument {
  roots: XmlElement[];
  /** The first error saxes reported (a truncated file, a stray `<`, an undefined entity), with its offset. */
  error?: { offset: number; message: string };
  /** Set when reading stopped early because the text is not XML at all (too many errors). */
  abandoned?: { offset: number };
}

/** Errors after which a text is taken for something other than XML (a binary file): reading stops there. */
const maxErrors = 100;
const noAttributes: XmlAttribute[] = [];

/** What the error handler throws to stop saxes. */
const stop = new Error('too many XML errors');

/** Reads an XML text into elements. Total: never throws, linear in the text; errors are reported, not thrown. */
export function readXml(text: string): XmlDocument {
  const roots: XmlElement[] = [];
  const doc: XmlDocument = { roots };
  const parser = new SaxesParser({ position: true });
  let errors = 0;
  let current: XmlElement | undefined;
  parser.on('error', (error) => {
    if (!doc.error) doc.error = { offset: Math.min(parser.position, text.length), message: errorMessage(error.message) };
    // An entity declared in a DTD is reported and left as written: that is not a sign of a text that is not XML.
    if (error.message.endsWith('undefined entity.')) return;
    // saxes reports an error per character of a text that is not XML (a binary file), each an Error with its
    // stack: past `maxErrors` the handler stops the parse where it is.
    if (++errors > maxErrors) throw stop;
  });
  parser.on('opentagstart', (tag) => {
    const start = text.lastIndexOf('<', parser.position - 1);
    const element: XmlElement = { name: tag.name, start, openEnd: start, closeStart: text.length, attributes: noAttributes, children: [], parent: current };
    if (current) current.children.push(element);
    else roots.push(element);
    current = element;
  });
  parser.on('opentag', (tag) => {
    if (!current) return;
    current.openEnd = parser.position;
    // Most elements of a POM or project file have no attributes: their tags are not scanned again.
    for (const _ in tag.attributes) {
      current.attributes = locateAttributes(text, current.start, current.openEnd, tag.attributes as Record<string, string>);
      break;
    }
    if (tag.isSelfClosing) current.closeStart = current.openEnd;
  });
  parser.on('closetag', (tag) => {
    if (!current) return;
    if (!tag.isSelfClosing) current.closeStart = Math.max(current.openEnd, text.lastIndexOf('</', parser.position - 1));
    current = current.parent;
  });
  // An element's text is read from the text itself, between its tags (see `exactText`): saxes's text, CDATA and
  // comment events are not needed.
  try {
    parser.write(text);
    parser.close();
  } catch (error) {
    if (error === stop) doc.abandoned = { offset: Math.min(parser.position, text.length) };
    // saxes reports errors through the handler; anything it throws all the same stops reading here.
    else doc.error ??= { offset: Math.min(parser.position, text.length), message: error instanceof Error ? error.message : String(error) };
  }
  return doc;
}

/** saxes prefixes its messages with `line:column: `; the range already says where. */
function errorMessage(message: string): string {
  return message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '').replace(/\.$/, '');
}

/**
 * The attributes of the start tag at start..end, each at its raw value's offsets, in the tag's order, with the
 * decoded values saxes gave. An attribute saxes did not keep (a duplicate) is left out.
 */
function locateAttributes(text: string, start: number, end: number, decoded: Record<string, string>): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  let i = start + 1;
  // Past the element's name.
  while (i < end && !isSpace(text.charCodeAt(i)) && text[i] !== '>' && text[i] !== '/') i++;
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end || text[i] === '>' || text[i] === '/') break;
    const nameStart = i;
    while (i < end && !isSpace(text.charCodeAt(i)) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
    const name = text.slice(nameStart, i);
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text[i] !== '=') break;
    i++;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") break;
    const close = text.indexOf(quote, i + 1);
    if (close < 0 || close >= end) break;
    const raw = text.slice(i + 1, close);
    if (Object.hasOwn(decoded, name) && !out.some((a) => a.name === name)) {
      out.push({ name, value: decoded[name]!, start: i + 1, end: close, exact: raw === decoded[name] });
    }
    i = close + 1;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * The element's text with its offsets, when its raw content is one run of text around blanks and comments (a
 * CDATA section counts as text, read inside its brackets): no child and no entity reference in it; else undefined.
 */
export function exactText(text: string, element: XmlElement): { value: string; start: number; end: number } | undefined {
  if (element.children.length > 0 || element.closeStart <= element.openEnd) return undefined;
  let found: { value: string; start: number; end: number } | undefined;
  const run = (from: number, to: number): boolean => {
    const raw = text.slice(from, to);
    const value = raw.trim();
    if (value === '') return true;
    if (found || value.includes('&')) return false;
    const start = from + raw.indexOf(value);
    found = { value, start, end: start + value.length };
    return true;
  };
  let i = element.openEnd;
  const end = element.closeStart;
  while (i < end) {
    const lt = text.indexOf('<', i);
    const stop = lt < 0 || lt >= end ? end : lt;
    if (!run(i, stop)) return undefined;
    if (stop === end) break;
    if (text.startsWith('<!--', stop)) {
      const close = text.indexOf('-->', stop + 4);
      if (close < 0 || close + 3 > end) return undefined;
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', stop)) {
      const close = text.indexOf(']]>', stop + 9);
      if (close < 0 || close + 3 > end || !run(stop + 9, close)) return undefined;
      i = close + 3;
    } else return undefined;
  }
  return found;
}

/** The first child of an element with a name (case-sensitive, as XML is). */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Every element of the documents in document order, depth first (iteratively: a deep text does not exhaust the stack). */
export function* elements(roots: readonly XmlElement[]): Generator<XmlElement> {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const next = stack.pop()!;
    yield next;
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
}
