/**
 * GitLab CI files (`.gitlab-ci.yml`, and the files it includes, which the Kubernetes format hands here when their
 * jobs have `script:`): `image:` (a string or `name:`) and `services:` at the top, in `default:` and in each job,
 * and `script`/`before_script`/`after_script` lines read as shell with the job's image as the distribution and
 * `variables:` as shell variables.
 */
import type { Document } from 'yaml';
import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';
import { imageDistro, type Distro } from './shell/distro';
import { asMap, asScalar, asSeq, get, imageParts, imageReference, inOrder, keyOf, pairsOf, parseYaml, stringOf, type YamlFile } from './yaml/document';
import { envLookup, noVariables, shellReferences } from './yaml/shellScalar';

/** The GitLab CI format. */
export const gitlabCi: Format = {
  id: 'gitlab/.gitlab-ci.yml',
  patterns: [...formatPatterns['gitlab/.gitlab-ci.yml']],
  maxLength: 8 * 1024 * 1024,
  extract(text: string, _path: string): Extracted[] {
    const file = parseYaml(text);
    const out: Extracted[] = [];
    for (const doc of file.docs) {
      if (!asMap(file, doc, doc.contents) && doc.contents !== null && doc.errors.length === 0) {
        const [start, end] = doc.contents.range ?? [0, 0];
        out.push({ kind: 'problem', reason: 'syntax', message: 'This is not a GitLab CI file (its top level is not a mapping), so it was not checked.', range: file.lines.range(start, Math.min(end, start + 200)) });
        continue;
      }
      out.push(...gitlabDocument(file, doc));
    }
    return inOrder(file, out);
  },
};

/** Top-level keys that are not jobs. */
const keywords = new Set(['stages', 'variables', 'include', 'default', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec']);
const scripts = ['before_script', 'script', 'after_script'];

/** Whether a document has a job: a top-level mapping with `script:` (what included files are recognised by). */
export function hasGitlabJob(file: YamlFile, doc: Document.Parsed): boolean {
  const root = asMap(file, doc, doc.contents);
  return !!root && pairsOf(file, doc, root).some((p) => !keywords.has(keyOf(p)) && get(file, doc, asMap(file, doc, p.value), 'script') !== undefined);
}

/** The references of one GitLab CI document (without its read problems, which `inOrder` adds). */
export function gitlabDocument(file: YamlFile, doc: Document.Parsed): Extracted[] {
  const root = asMap(file, doc, doc.contents);
  if (!root) return [];
  const out: Extracted[] = [];
  const defaults = asMap(file, doc, get(file, doc, root, 'default'));
  const variables = envLookup(file, doc, get(file, doc, root, 'variables'), noVariables, 'variables');
  const topImage = image(file, doc, get(file, doc, defaults, 'image') ?? get(file, doc, root, 'image'), []);
  for (const owner of [root, defaults]) {
    if (!owner) continue;
    image(file, doc, get(file, doc, owner, 'image'), out);
    services(file, doc, get(file, doc, owner, 'services'), out);
  }
  for (const pair of pairsOf(file, doc, root)) {
    const job = asMap(file, doc, pair.value);
    if (!job || keywords.has(keyOf(pair))) continue;
    const own = image(file, doc, get(file, doc, job, 'image'), out);
    services(file, doc, get(file, doc, job, 'services'), out);
    const distro = own ?? topImage;
    const lookup = envLookup(file, doc, get(file, doc, job, 'variables'), variables, 'variables');
    for (const key of scripts) {
      const lines = get(file, doc, job, key) ?? (key === 'script' ? undefined : get(file, doc, defaults, key));
      for (const line of scriptLines(file, doc, lines, 0)) out.push(...shellReferences(file, doc, line, distro?.distro, lookup));
    }
  }
  return out;
}

/** An `image:` (a string, or a mapping with `name:`): its reference, and the distribution it gives the job's shell. */
function image(file: YamlFile, doc: Document.Parsed, node: unknown, out: Extracted[]): { distro?: Distro } | undefined {
  const nameNode = asScalar(file, doc, node) ? node : get(file, doc, asMap(file, doc, node), 'name');
  const scalar = asScalar(file, doc, nameNode);
  const name = stringOf(file, doc, nameNode);
  if (!scalar || name === undefined) return undefined;
  const ref = imageReference(file, scalar, name, 0, 'image');
  if (ref) out.push(ref);
  const parts = imageParts(name);
  const distro = imageDistro(parts.repository, parts.tag);
  return distro ? { distro } : {};
}

function services(file: YamlFile, doc: Document.Parsed, node: unknown, out: Extracted[]): void {
  for (const item of asSeq(file, doc, node)?.items ?? []) {
    const nameNode = asScalar(file, doc, item) ? item : get(file, doc, asMap(file, doc, item), 'name');
    const scalar = asScalar(file, doc, nameNode);
    const name = stringOf(file, doc, nameNode);
    const ref = scalar && name !== undefined ? imageReference(file, scalar, name, 0, 'services') : undefined;
    if (ref) out.push(ref);
  }
}

/** A script's lines: a string, or a list of strings and nested lists (from `- *anchor`), flattened. */
function scriptLines(file: YamlFile, doc: Document.Parsed, node: unknown, depth: number): unknown[] {
  if (node === undefined || depth > 8) return [];
  if (asScalar(file, doc, node)) return [node];
  const list = asSeq(file, doc, node);
  return list ? list.items.flatMap((item) => scriptLines(file, doc, item, depth + 1)) : [];
}
