/**
 * Bazel (`WORKSPACE`, `WORKSPACE.bazel`, `MODULE.bazel`, `*.bzl`): the archives that `http_archive`, `http_file`
 * and `archive_override` download (`url`, `urls`, guarded by `sha256` or an SRI `integrity`), and the git revisions
 * that `git_repository`, `new_git_repository` and `git_override` check out (`remote` with `tag` or `commit`).
 * Read with the Starlark token scanner; only string literals (and lists of them) are read, so a URL built with
 * `.format()` or `+` is not.
 */
import type { ArtifactReference, Extracted, Format } from '../model';
import { pyStatements, scanPython, type PyArg, type PyToken } from './build/pyTokens';
import { digestReference, gitReference, isUrl, literalAt, problemAt, sriReference, urlReference, type Located } from './build/refs';
import { formatPatterns } from './patterns';
import { lineIndex, type LineIndex } from './textPositions';

/** The Bazel format. */
export const bazel: Format = {
  id: 'bazel/starlark',
  patterns: [...formatPatterns['bazel/starlark']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const lines = lineIndex(text);
    const { tokens, problems } = scanPython(text);
    const { calls } = pyStatements(tokens);
    const out: Extracted[] = [];
    for (const call of calls) {
      const name = call.callee.slice(call.callee.lastIndexOf('.') + 1);
      const args = new Map<string, PyArg>();
      for (const a of call.args) if (a.keyword !== undefined) args.set(a.keyword, a);
      if (name === 'http_archive' || name === 'http_file' || name === 'archive_override' || name === 'http_jar') archive(lines, name, args, out);
      else if (name === 'git_repository' || name === 'new_git_repository' || name === 'git_override') git(lines, name, args, out);
    }
    for (const p of problems) out.push(problemAt(lines, 'syntax', p.start, p.end, `${p.message}.`));
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};

function located(token: PyToken): Located | undefined {
  return token.value !== undefined && token.valueStart !== undefined ? literalAt(token.value, token.valueStart) : undefined;
}

function archive(lines: LineIndex, name: string, args: ReadonlyMap<string, PyArg>, out: Extracted[]): void {
  const digests: ArtifactReference[] = [];
  const sha = args.get('sha256')?.strings[0];
  const shaAt = sha && located(sha);
  const shaRef = shaAt && digestReference(lines, shaAt, `${name} sha256`);
  if (shaRef) digests.push(shaRef);
  const sri = args.get('integrity')?.strings[0];
  const sriAt = sri && located(sri);
  const sriRef = sriAt && sriReference(lines, sriAt, `${name} integrity`);
  if (sriRef) digests.push(sriRef);
  const guards = digests.map((d) => d.value);
  for (const key of ['url', 'urls']) {
    for (const token of args.get(key)?.strings ?? []) {
      const at = located(token);
      if (at && isUrl(at.value)) out.push(urlReference(lines, at, `${name} ${key}`, guards));
    }
  }
  out.push(...digests);
}

function git(lines: LineIndex, name: string, args: ReadonlyMap<string, PyArg>, out: Extracted[]): void {
  const remote = args.get('remote')?.strings[0]?.value;
  if (remote === undefined) return;
  for (const key of ['tag', 'commit']) {
    const token = args.get(key)?.strings[0];
    const at = token && located(token);
    const ref = at && gitReference(lines, remote, at, `${name} ${key}`);
    if (ref) out.push(ref);
  }
}
