/**
 * Dev containers (`.devcontainer/devcontainer.json`, `.devcontainer.json`, JSON with comments): the `image`, and
 * the `build.args` that feed an `ARG` of the Dockerfile named by `build.dockerfile` (read through the engine's
 * `readFile`), reported at the argument as for Compose.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { dirname, relative, resolve } from 'node:path';
import type { Extracted, Format } from '../model';
import { buildArgReferences, type BuildArg } from './buildArgs';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';

/** The devcontainer format. */
export const devcontainer: Format = {
  id: 'devcontainer/devcontainer.json',
  patterns: [...formatPatterns['devcontainer/devcontainer.json']],
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    const lines = lineIndex(text);
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    const out: Extracted[] = [];
    if (errors[0]) {
      const e = errors[0];
      out.push({ kind: 'problem', reason: 'syntax', message: `Not valid JSON here (${printParseErrorCode(e.error)}): what follows may not have been checked.`, range: lines.range(e.offset, e.offset + e.length) });
    }
    if (!root || root.type !== 'object') return out;
    const image = literal(text, findNodeAtLocation(root, ['image']));
    if (image) {
      const ref = imageAt(image, lines);
      if (ref) out.push(ref);
    }
    const build = findNodeAtLocation(root, ['build']);
    const dockerfile = literal(text, findNodeAtLocation(root, ['build', 'dockerfile']) ?? findNodeAtLocation(root, ['dockerFile']));
    const argsNode = build ? findNodeAtLocation(build, ['args']) : undefined;
    if (dockerfile && argsNode?.type === 'object' && readFile) {
      const args: BuildArg[] = [];
      for (const prop of argsNode.children ?? []) {
        const [key, value] = prop.children ?? [];
        const v = literal(text, value);
        if (key && typeof key.value === 'string' && v) args.push({ name: key.value, value: v.value, offsets: v.value.split('').map((_, i) => v.offset + i) });
      }
      const dir = dirname(path);
      const dockerPath = resolve(dir, dockerfile.value);
      const dockerText = args.length > 0 ? readFile(dockerPath) : undefined;
      if (dockerText !== undefined) out.push(...buildArgReferences(dockerText, relative(dir, dockerPath).split('\\').join('/'), args, lines));
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};

/** A JSON string written without escapes: its value and the offset of its first character. */
function literal(text: string, node: Node | undefined): { value: string; offset: number } | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  if (node.length !== node.value.length + 2 || text.slice(node.offset + 1, node.offset + node.length - 1) !== node.value) return undefined;
  return { value: node.value, offset: node.offset + 1 };
}

function imageAt(image: { value: string; offset: number }, lines: LineIndex): Extracted | undefined {
  const named = image.value.split('@')[0]!;
  const colon = named.lastIndexOf(':');
  if (colon <= named.lastIndexOf('/') || /[\s${}]/.test(named)) return undefined;
  const repository = named.slice(0, colon).replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\//, '');
  const tag = named.slice(colon + 1);
  if (tag === '' || repository === '') return undefined;
  return { kind: 'image', value: `${repository}:${tag}`, range: lines.range(image.offset + colon + 1, image.offset + named.length), context: 'image' };
}
