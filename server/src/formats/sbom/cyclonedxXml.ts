/**
 * CycloneDX XML (`bom.xml`, `*.cdx.xml`; spec 1.2 to 1.6): each `<component>` (under `<components>`, nested or not,
 * and `<metadata>`) with its `<name>`, `<version>`, `<purl>` and `<supplier><name>`. A small scanner that follows
 * XML's grammar for what it needs (elements, attributes, comments, CDATA, processing instructions, a doctype, the
 * predefined and numeric character references), in one forward pass and without recursion. The root must be a
 * `<bom>` in a CycloneDX namespace.
 */
import type { Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { componentReferences, type Component, type Span } from './components';


/** The CycloneDX XML format. */
export const cyclonedxXml: Format = {
  id: 'cyclonedx/xml',
  patterns: [...formatPatterns['cyclonedx/xml']],
  maxLength: 256 * 1024 * 1024,
  extract: (text) => read(text, undefined),
  extractWanted: (text, _path, wanted) => read(text, wanted),
};

/** A component being read, and the depth of the stack its element is at. */
interface Open {
  component: Component<Span>;
  depth: number;
}

function read(text: string, wanted: ((name: string, version: string, ecosystem?: string) => boolean) | undefined): Extracted[] {
  const components: Component<Span>[] = [];
  const stack: string[] = [];
  const open: Open[] = [];
  let isBom: boolean | undefined;
  let textStart = -1;
  let problem: { at: number; message: string } | undefined;
  let i = 0;
  const fail = (at: number, message: string): void => {
    problem = { at, message };
  };
  while (i < text.length && !problem) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail(lt, 'a comment that is not closed');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) fail(lt, 'a CDATA section that is not closed');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) fail(lt, 'a processing instruction that is not closed');
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!', lt)) {
      const end = doctypeEnd(text, lt);
      if (end < 0) fail(lt, 'a declaration that is not closed');
      i = end;
      continue;
    }
    const tagEnd = tagEndAt(text, lt + 1);
    if (tagEnd < 0) {
      fail(lt, 'a tag that is not closed');
      break;
    }
    if (text.charCodeAt(lt + 1) === 0x2f /* / */) {
      const name = localName(text.slice(lt + 2, tagEnd).trim());
      const top = stack[stack.length - 1];
      if (top !== name) {
        fail(lt, `a closing </${name}> where </${top ?? '(none)'}> was expected`);
        break;
      }
      const current = open[open.length - 1];
      if (current && textStart >= 0) {
        const owner = stack[stack.length - 2];
        const value = decode(text, textStart, lt);
        if (value !== undefined) {
          const span = trimmed(text, textStart, lt);
          if (current.depth === stack.length - 1) {
            if (name === 'name') current.component.name = value;
            else if (name === 'version') (current.component.version = value), (current.component.versionAt = span);
            else if (name === 'purl') (current.component.purl = value), (current.component.purlAt = span);
            else if (name === 'publisher' || name === 'author') current.component.supplier ??= value;
          } else if (current.depth === stack.length - 2 && owner === 'supplier' && name === 'name') current.component.supplier = value;
        }
      }
      if (current && current.depth === stack.length && name === 'component') open.pop();
      stack.pop();
      textStart = -1;
      i = tagEnd + 1;
      continue;
    }
    const selfClosing = text.charCodeAt(tagEnd - 1) === 0x2f;
    const inner = text.slice(lt + 1, selfClosing ? tagEnd - 1 : tagEnd);
    const nameEnd = inner.search(/[\s/]|$/);
    const name = localName(inner.slice(0, nameEnd));
    if (isBom === undefined) {
      isBom = name === 'bom' && /xmlns(?::\w+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\//.test(inner);
      if (!isBom) return [];
    }
    if (!selfClosing) {
      stack.push(name);
      const parent = stack[stack.length - 2];
      if (name === 'component' && (parent === 'components' || parent === 'metadata')) {
        const component: Component<Span> = {};
        components.push(component);
        open.push({ component, depth: stack.length });
      }
      textStart = tagEnd + 1;
    } else textStart = -1;
    i = tagEnd + 1;
  }
  if (!isBom) return [];
  const locate = (spans: readonly Span[]): Span[] => [...spans];
  const out = componentReferences(text, components, wanted, locate, 'CycloneDX SBOM');
  if (problem) {
    const [at] = positionsAt(text, [problem.at]);
    out.push({ kind: 'problem', reason: 'syntax', message: `This CycloneDX XML is not well-formed here (${problem.message}), so the components after it were not checked.`, range: { start: at!, end: at! } });
  }
  return out;
}

/** The name without its namespace prefix (`cdx:component` → `component`). */
function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The offset of the `>` that ends the tag whose name starts at `at`, skipping quoted attribute values; -1 when none. */
function tagEndAt(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x3e) return i;
    if (c === 0x3c) return -1;
    if (c === 0x22 || c === 0x27) {
      const close = text.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return -1;
      i = close + 1;
    } else i++;
  }
  return -1;
}

/** Just past a `<!DOCTYPE …>` (with an internal subset in brackets) or another `<!…>` declaration; -1 when not closed. */
function doctypeEnd(text: string, at: number): number {
  const gt = text.indexOf('>', at);
  const bracket = text.indexOf('[', at);
  if (bracket >= 0 && (gt < 0 || bracket < gt)) {
    const close = text.indexOf(']', bracket);
    const end = close < 0 ? -1 : text.indexOf('>', close);
    return end < 0 ? -1 : end + 1;
  }
  return gt < 0 ? -1 : gt + 1;
}

/** The offsets of a text run without its surrounding whitespace. */
function trimmed(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text.charAt(s))) s++;
  while (e > s && /\s/.test(text.charAt(e - 1))) e--;
  return { start: s, end: e };
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The character data of a text run (trimmed, references decoded); undefined when it holds markup or an unknown reference. */
function decode(text: string, start: number, end: number): string | undefined {
  const { start: s, end: e } = trimmed(text, start, end);
  const raw = text.slice(s, e);
  if (raw.includes('<')) return undefined;
  if (!raw.includes('&')) return raw;
  let bad = false;
  const value = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (all, ref: string | undefined) => {
    if (ref === undefined) return (bad = true), all;
    if (ref.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(ref.slice(2), 16), 0x10ffff));
    if (ref.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(ref.slice(1), 10), 0x10ffff));
    if (Object.hasOwn(entities, ref)) return entities[ref]!;
    return (bad = true), all;
  });
  return bad ? undefined : value;
}
