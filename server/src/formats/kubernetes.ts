/**
 * Kubernetes manifests: any other `*.yaml`/`*.yml` file whose documents have `apiVersion` and `kind` (multi-document
 * files and `kind: List` included): the `image:` of every `containers`, `initContainers` and `ephemeralContainers`
 * entry. A YAML file that is not a manifest is left alone after one cheap look at its text, unless it holds GitLab CI
 * jobs (a file that `.gitlab-ci.yml` names in `include:`), which are read as GitLab CI.
 */
import { isMap, isSeq, type Document, type Node } from 'yaml';
import type { Extracted, Format } from '../model';
import { gitlabDocument, hasGitlabJob } from './gitlabCi';
import { formatPatterns } from './patterns';
import { asScalar, get, imageReference, inOrder, keyOf, parseYaml, stringOf, walkMaps, type YamlFile } from './yaml/document';

/** The Kubernetes manifest format (the last in the table: it reads YAML that no other format claims). */
export const kubernetes: Format = {
  id: 'kubernetes/manifest',
  patterns: [...formatPatterns['kubernetes/manifest']],
  // No `maxLength`: the engine would report every long YAML file as unread, manifest or not; the cap is below.
  extract(text: string, _path: string): Extracted[] {
    const manifest = looksLikeManifest(text);
    const jobs = !manifest && /^[ \t]+script[ \t]*:/m.test(text);
    if (!manifest && !jobs) return [];
    if (text.length > maxLength) {
      return [{ kind: 'problem', reason: 'limit', message: `This YAML file looks like a ${manifest ? 'Kubernetes manifest' : 'GitLab CI file'} but is longer than the 16 MB that Pinwatch reads of one, so it was not checked.`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    const file = parseYaml(withoutTemplates(text));
    const out: Extracted[] = [];
    for (const doc of file.docs) {
      const root = doc.contents;
      // A file that `.gitlab-ci.yml` includes has jobs but no name of its own to be known by.
      if (jobs && hasGitlabJob(file, doc)) out.push(...gitlabDocument(file, doc));
      if (!isMap(root) || get(file, doc, root, 'apiVersion') === undefined || get(file, doc, root, 'kind') === undefined) continue;
      walk(file, doc, root, out);
    }
    // A parse error in a file that is not a manifest says nothing about manifests.
    return out.length > 0 || file.docs.some((d) => isMap(d.contents) && get(file, d, d.contents, 'kind') !== undefined) ? inOrder(file, out) : [];
  },
};

/**
 * The text with each `{{ … }}` action of a Helm or Go template blanked out (line breaks kept, so offsets stay
 * those of the file): a chart's `templates/*.yaml` then reads as the manifest it renders to, and an image whose
 * tag is templated is not taken for a literal one.
 */
function withoutTemplates(text: string): string {
  let out = '';
  let last = 0;
  // One pass: an action with no `}}` after it ends the search (a lazy regex would rescan the rest per `{{`).
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', last)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    out += text.slice(last, open) + text.slice(open, close + 2).replace(/[^\r\n]/g, ' ');
    last = close + 2;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Whether some line starts with `apiVersion:` and some with `kind:` (at any indentation, for `kind: List`). */
function looksLikeManifest(text: string): boolean {
  return /^[ \t-]*apiVersion[ \t]*:/m.test(text) && /^[ \t-]*kind[ \t]*:/m.test(text);
}

const maxLength = 16 * 1024 * 1024;
const containerKeys = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** Every container list under a node (aliases are not followed: what they name is walked where it is written). */
function walk(file: YamlFile, doc: Document.Parsed, node: Node, out: Extracted[]): void {
  walkMaps(file, node, {
    pair(pair) {
      const value = pair.value;
      if (!containerKeys.has(keyOf(pair)) || !isSeq(value)) return;
      for (const item of value.items) {
        if (!isMap(item)) continue;
        const image = get(file, doc, item, 'image');
        const scalar = asScalar(file, doc, image);
        const name = stringOf(file, doc, image);
        const ref = scalar && name !== undefined ? imageReference(file, scalar, name, 0, keyOf(pair)) : undefined;
        if (ref) out.push(ref);
      }
    },
  });
}
