/**
 * GitHub Actions workflows (`.github/workflows/*.yml`) and action metadata (`action.yml` of composite and Docker
 * actions): `uses:` references (`owner/repo@ref`, `owner/repo/path@ref`, `docker://image:tag`), job `container:`
 * and `services:` images, and `run:` blocks read as shell with the job container's distribution.
 */
import type { Document, Scalar } from 'yaml';
import type { Extracted, Format, PackageReference } from '../model';
import { formatPatterns } from './patterns';
import { imageDistro, type Distro } from './shell/distro';
import type { Lookup } from './shell/expand';
import { isPosixShell } from './shell/script';
import { asMap, asScalar, asSeq, get, imageParts, imageReference, inOrder, pairsOf, parseYaml, scalarRange, stringOf, writtenInOnePiece, type YamlFile } from './yaml/document';
import { envLookup, noVariables, shellReferences } from './yaml/shellScalar';

/** The GitHub Actions format: workflows and action metadata files. */
export const githubActions: Format = {
  id: 'github/workflow',
  patterns: [...formatPatterns['github/workflow']],
  // As for Dockerfiles: the shell reading is linear but about 1 s per MB; a longer workflow is generated data.
  maxLength: 8 * 1024 * 1024,
  extract(text: string, _path: string): Extracted[] {
    const file = parseYaml(text);
    const out: Extracted[] = [];
    for (const doc of file.docs) {
      const root = asMap(file, doc, doc.contents);
      if (!root) {
        if (doc.contents !== null && doc.errors.length === 0) out.push(notAMapping(file, doc));
        continue;
      }
      const cx: Cx = { file, doc, out };
      const env = envLookup(file, doc, get(file, doc, root, 'env'), noVariables, 'env');
      const shell = defaultShell(cx, root);
      const jobs = asMap(file, doc, get(file, doc, root, 'jobs'));
      if (jobs) for (const pair of pairsOf(file, doc, jobs)) job(cx, pair.value, env, shell);
      const runs = asMap(file, doc, get(file, doc, root, 'runs'));
      if (runs) {
        uses(cx, get(file, doc, runs, 'image'), 'runs.image', true);
        steps(cx, get(file, doc, runs, 'steps'), undefined, env, undefined);
      }
    }
    return inOrder(file, out);
  },
};

interface Cx { file: YamlFile; doc: Document.Parsed; out: Extracted[] }

function notAMapping(file: YamlFile, doc: Document.Parsed): Extracted {
  const [start, end] = doc.contents?.range ?? [0, 0];
  return { kind: 'problem', reason: 'syntax', message: 'This is not a GitHub Actions workflow or action (its top level is not a mapping), so it was not checked.', range: file.lines.range(start, Math.min(end, start + 200)) };
}

function job(cx: Cx, node: unknown, outer: Lookup, workflowShell: string | undefined): void {
  const { file, doc } = cx;
  const map = asMap(file, doc, node);
  if (!map) return;
  uses(cx, get(file, doc, map, 'uses'), 'jobs.<job>.uses', false);
  let distro: Distro | undefined;
  const container = get(file, doc, map, 'container');
  const containerImage = asScalar(file, doc, container) ? container : get(file, doc, asMap(file, doc, container), 'image');
  const image = stringOf(file, doc, containerImage);
  if (image !== undefined) {
    image_(cx, containerImage, 'container');
    const parts = imageParts(image);
    distro = imageDistro(parts.repository, parts.tag);
  }
  const services = asMap(file, doc, get(file, doc, map, 'services'));
  if (services) {
    for (const pair of pairsOf(file, doc, services)) {
      const service = pair.value;
      image_(cx, asScalar(file, doc, service) ? service : get(file, doc, asMap(file, doc, service), 'image'), 'services');
    }
  }
  const runsOn = runnerLabel(cx, get(file, doc, map, 'runs-on'));
  distro ??= image === undefined ? runnerDistro(runsOn) : undefined;
  const windows = image === undefined && /windows/i.test(runsOn ?? '');
  const shell = defaultShell(cx, map) ?? workflowShell ?? (windows ? 'pwsh' : undefined);
  const env = envLookup(file, doc, get(file, doc, map, 'env'), outer, 'env');
  steps(cx, get(file, doc, map, 'steps'), distro, env, shell);
}

function steps(cx: Cx, node: unknown, distro: Distro | undefined, outer: Lookup, shell: string | undefined): void {
  const { file, doc } = cx;
  const list = asSeq(file, doc, node);
  if (!list) return;
  for (const item of list.items) {
    const step = asMap(file, doc, item);
    if (!step) continue;
    uses(cx, get(file, doc, step, 'uses'), 'steps.uses', false);
    const run = get(file, doc, step, 'run');
    if (run === undefined) continue;
    const stepShell = stringOf(file, doc, get(file, doc, step, 'shell')) ?? shell;
    if (!posix(stepShell)) continue;
    const env = envLookup(file, doc, get(file, doc, step, 'env'), outer, 'env');
    cx.out.push(...shellReferences(file, doc, run, distro, env));
  }
}

/** Whether a `shell:` value (`bash`, `sh -e {0}`, `pwsh`) is a POSIX shell; unset means bash on Linux runners. */
function posix(shell: string | undefined): boolean {
  if (shell === undefined) return true;
  const program = shell.trim().split(/\s+/)[0] ?? '';
  return isPosixShell(program.slice(program.lastIndexOf('/') + 1));
}

function defaultShell(cx: Cx, map: unknown): string | undefined {
  const { file, doc } = cx;
  const defaults = asMap(file, doc, get(file, doc, asMap(file, doc, map), 'defaults'));
  return stringOf(file, doc, get(file, doc, asMap(file, doc, get(file, doc, defaults, 'run')), 'shell'));
}

/** The first label of `runs-on` (a string, a list, or `{ labels: … }`). */
function runnerLabel(cx: Cx, node: unknown): string | undefined {
  const { file, doc } = cx;
  const one = stringOf(file, doc, node);
  if (one !== undefined) return one;
  const list = asSeq(file, doc, node) ?? asSeq(file, doc, get(file, doc, asMap(file, doc, node), 'labels'));
  return list ? list.items.map((i) => stringOf(file, doc, i)).find((s) => s !== undefined) : undefined;
}

const ubuntuRunners: Record<string, string> = { '20.04': 'focal', '22.04': 'jammy', '24.04': 'noble' };

/** The distribution of a GitHub-hosted Ubuntu runner (`ubuntu-22.04` is jammy); others are not known. */
function runnerDistro(label: string | undefined): Distro | undefined {
  const m = /^ubuntu-(\d\d\.\d\d|latest)(?:-arm)?$/.exec(label ?? '');
  if (!m) return undefined;
  const suite = ubuntuRunners[m[1]!];
  return suite ? { ecosystem: 'Ubuntu', tool: 'apt', suite } : { ecosystem: 'Ubuntu', tool: 'apt' };
}

function image_(cx: Cx, node: unknown, context: string): void {
  const { file, doc } = cx;
  const scalar = asScalar(file, doc, node);
  const value = stringOf(file, doc, node);
  if (!scalar || value === undefined) return;
  const ref = imageReference(file, scalar, value, 0, context);
  if (ref) cx.out.push(ref);
}

/** A `uses:` value: an action or reusable workflow at a ref, or a `docker://` image; local paths name nothing. */
function uses(cx: Cx, node: unknown, context: string, imageOnly: boolean): void {
  const { file, doc } = cx;
  const scalar = asScalar(file, doc, node);
  const value = stringOf(file, doc, node);
  if (!scalar || value === undefined) return;
  if (value.startsWith('docker://')) {
    const ref = imageReference(file, scalar, value.slice('docker://'.length), 'docker://'.length, context);
    if (ref) cx.out.push(ref);
    return;
  }
  if (imageOnly || value.startsWith('.')) return;
  const at = value.lastIndexOf('@');
  if (at < 0) return;
  const segments = value.slice(0, at).split('/');
  const version = value.slice(at + 1);
  if (segments.length < 2 || segments[0] === '' || segments[1] === '' || version === '' || /[\s${}]/.test(value)) return;
  if (!writtenInOnePiece(file, scalar, at + 1, value.length)) return;
  const range = scalarRange(file, scalar, at + 1, value.length);
  if (!range) return;
  const ref: PackageReference = { kind: 'package', ecosystem: 'GitHub Actions', name: `${segments[0]}/${segments[1]}`, version, range, context: 'uses' };
  const comment = refComment(file, scalar);
  if (comment) ref.refComment = comment;
  cx.out.push(ref);
}

/**
 * The version in a `# v4.1.1` comment right after a `uses:` value on its line, or an empty range at the end of
 * a plain value with nothing after it (where such a comment may be added).
 */
function refComment(file: YamlFile, scalar: Scalar): PackageReference['range'] | undefined {
  const end = scalar.range?.[1];
  if (end === undefined) return undefined;
  const text = file.text;
  let lineEnd = end;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  const rest = text.slice(end, lineEnd);
  const m = /^([ \t]+#[ \t]*)(v?\d[\w.+-]*)/.exec(rest);
  if (m) return file.lines.range(end + m[1]!.length, end + m[1]!.length + m[2]!.length);
  if (scalar.type === 'PLAIN' && /^[ \t]*$/.test(rest)) return file.lines.range(end, end);
  return undefined;
}
