/**
 * Helm chart values (`values.yaml`): every `repository` + `tag` pair (with `registry` when given), as charts
 * write `image:` blocks, and every `image: repo:tag` string, read as `FROM` lines are (dated windows).
 */
import { isScalar, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { ArtifactReference, Extracted, Format } from '../model';
import { formatPatterns } from './patterns';
import { get, imageReference, inOrder, keyOf, parseYaml, walkMaps, type YamlFile } from './yaml/document';

/** The Helm values format. */
export const helmValues: Format = {
  id: 'helm/values.yaml',
  patterns: [...formatPatterns['helm/values.yaml']],
  maxLength: 8 * 1024 * 1024,
  extract(text: string, _path: string): Extracted[] {
    const file = parseYaml(text);
    const out: Extracted[] = [];
    for (const doc of file.docs) if (doc.contents) walk(file, doc, doc.contents as Node, out);
    return inOrder(file, out);
  },
};

function walk(file: YamlFile, doc: Document.Parsed, node: Node, out: Extracted[]): void {
  walkMaps(file, node, {
    map(map) {
      const pair = repositoryAndTag(file, doc, map);
      if (pair) out.push(pair);
    },
    pair(item) {
      const value = item.value;
      if (keyOf(item) === 'image' && isScalar(value) && typeof value.value === 'string') {
        const ref = imageReference(file, value, value.value, 0, 'image');
        if (ref) out.push(ref);
      }
    },
  });
}

/** `repository: debian` + `tag: sid-20240311` in one mapping: the image, with the range of the tag. */
function repositoryAndTag(file: YamlFile, doc: Document.Parsed, map: YAMLMap): ArtifactReference | undefined {
  const repository = written(file, get(file, doc, map, 'repository'));
  const tagNode = get(file, doc, map, 'tag');
  const tag = written(file, tagNode);
  if (!repository || !tag || tag.text === '' || !isScalar(tagNode) || /[\s:@${}]/.test(tag.text) || /[\s${}]/.test(repository.text)) return undefined;
  const registry = written(file, get(file, doc, map, 'registry'));
  const full = registry && registry.text !== '' ? `${registry.text}/${repository.text}` : repository.text;
  const short = full.replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\//, '');
  return { kind: 'image', value: `${short}:${tag.text}`, range: tag.range, context: 'image.tag' };
}

/**
 * A string or number scalar as written (`tag: 3.10` is the tag "3.10", not the number 3.1), with the range of
 * its characters; undefined for anything else, a quoted value with escapes, or one left unclosed.
 */
function written(file: YamlFile, node: unknown): { text: string; range: ArtifactReference['range'] } | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const scalar = node as Scalar;
  const [start, end] = scalar.range!;
  const raw = file.text.slice(start, end);
  if (scalar.type === 'PLAIN' && (typeof scalar.value === 'string' || typeof scalar.value === 'number')) return { text: raw, range: file.lines.range(start, end) };
  // Between its quotes, and closed: an unclosed `"s` at the end of a file has the value "", not what is written.
  const quote = scalar.type === 'QUOTE_DOUBLE' ? '"' : "'";
  if ((scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') && typeof scalar.value === 'string' && raw.length >= 2 && raw.endsWith(quote) && raw.slice(1, -1) === scalar.value) {
    return { text: scalar.value, range: file.lines.range(start + 1, end - 1) };
  }
  return undefined;
}
