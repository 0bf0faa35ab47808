/**
 * Docker Compose files: each service's `image:`, and the `build.args` that feed an `ARG` of the Dockerfile the
 * service builds (read through the engine's `readFile`), reported at the argument with the fix there.
 */
import { dirname, relative, resolve } from 'node:path';
import type { Document } from 'yaml';
import type { Extracted, Format } from '../model';
import { buildArgReferences, type BuildArg } from './buildArgs';
import { formatPatterns } from './patterns';
import { asMap, asScalar, asSeq, get, imageReference, inOrder, keyOf, pairsOf, parseYaml, stringOf, valueOffsets, type YamlFile } from './yaml/document';

/** The Compose format. */
export const compose: Format = {
  id: 'docker/compose',
  patterns: [...formatPatterns['docker/compose']],
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    const file = parseYaml(text);
    const out: Extracted[] = [];
    for (const doc of file.docs) {
      const root = asMap(file, doc, doc.contents);
      if (!root) {
        if (doc.contents !== null && doc.errors.length === 0) out.push(notCompose(file, doc));
        continue;
      }
      const services = asMap(file, doc, get(file, doc, root, 'services'));
      if (!services) continue;
      for (const pair of pairsOf(file, doc, services)) {
        const service = asMap(file, doc, pair.value);
        if (!service) continue;
        const image = get(file, doc, service, 'image');
        const scalar = asScalar(file, doc, image);
        const value = stringOf(file, doc, image);
        if (scalar && value !== undefined) {
          const ref = imageReference(file, scalar, value, 0, 'image');
          if (ref) out.push(ref);
        }
        out.push(...buildReferences(file, doc, get(file, doc, service, 'build'), path, readFile));
      }
    }
    return inOrder(file, out);
  },
};

function notCompose(file: YamlFile, doc: Document.Parsed): Extracted {
  const [start, end] = doc.contents?.range ?? [0, 0];
  return { kind: 'problem', reason: 'syntax', message: 'This is not a Compose file (its top level is not a mapping), so it was not checked.', range: file.lines.range(start, Math.min(end, start + 200)) };
}

/** What a service's `build:` args feed in its Dockerfile; [] when the Dockerfile cannot be read. */
function buildReferences(file: YamlFile, doc: Document.Parsed, build: unknown, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
  const map = asMap(file, doc, build);
  if (!map || !readFile) return [];
  const args = buildArgs(file, doc, get(file, doc, map, 'args'));
  if (args.length === 0) return [];
  const context = stringOf(file, doc, get(file, doc, map, 'context')) ?? '.';
  const name = stringOf(file, doc, get(file, doc, map, 'dockerfile')) ?? 'Dockerfile';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context)) return [];
  const dockerPath = resolve(dirname(path), context, name);
  const text = readFile(dockerPath);
  if (text === undefined) return [];
  return buildArgReferences(text, relative(dirname(path), dockerPath).split('\\').join('/'), args, file.lines);
}

/** `args:` as a mapping (`KEY: value`) or a list of `KEY=value` strings, each value with its offsets. */
export function buildArgs(file: YamlFile, doc: Document.Parsed, node: unknown): BuildArg[] {
  const out: BuildArg[] = [];
  const map = asMap(file, doc, node);
  if (map) {
    for (const pair of pairsOf(file, doc, map)) {
      const scalar = asScalar(file, doc, pair.value);
      const value = stringOf(file, doc, pair.value);
      const offsets = scalar && valueOffsets(file.text, scalar);
      if (value !== undefined && offsets) out.push({ name: keyOf(pair), value, offsets });
    }
    return out;
  }
  for (const item of asSeq(file, doc, node)?.items ?? []) {
    const scalar = asScalar(file, doc, item);
    const entry = stringOf(file, doc, item);
    const eq = entry?.indexOf('=') ?? -1;
    const offsets = scalar && valueOffsets(file.text, scalar);
    if (entry === undefined || eq <= 0 || !offsets) continue;
    out.push({ name: entry.slice(0, eq), value: entry.slice(eq + 1), offsets: offsets.slice(eq + 1) });
  }
  return out;
}
