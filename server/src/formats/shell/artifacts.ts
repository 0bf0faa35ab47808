/**
 * Downloaded artifacts named in shell commands: URLs fetched by curl and wget, git tags (`git clone --branch TAG`,
 * `git checkout TAG` after a clone), and the SHA-256/SHA-512 digests a `sha256sum -c` line checks.
 */
import type { Arg, Invocation } from './commands';
import { bindingSpan, expandWord, type Expansion, type Span } from './expand';
import { languageTool } from './languagePins';

/** An artifact found in a script: its value is `exp.value.slice(from, to)` (lowercased for a digest). */
export interface ShellArtifact {
  kind: 'url' | 'git-tag' | 'sha256' | 'sha512';
  value: string;
  context: string;
  exp: Expansion;
  from: number;
  to: number;
}

const fetchers: Record<string, Set<string>> = {
  curl: new Set(['-x', '--proxy', '-e', '--referer', '-H', '--header', '-o', '--output', '-u', '--user', '-A', '--user-agent', '-d', '--data', '-F', '--form', '-T', '--upload-file']),
  wget: new Set(['-e', '--execute', '-O', '--output-document', '-P', '--directory-prefix', '--header', '-U', '--user-agent', '--referer']),
};
const checkers = new Set(['sha256sum', 'sha512sum', 'sha384sum', 'sha224sum', 'sha1sum', 'shasum', 'b2sum', 'md5sum', 'cksum']);
const urlPattern = /^(?:https?|ftp):\/\/\S+$/i;
const hexPattern = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{128}|[0-9A-Fa-f]{64})(?![0-9A-Fa-f])/g;

/** The artifacts named by a script's invocations, in order of appearance per kind of command. */
export function shellArtifacts(invs: readonly Invocation[]): ShellArtifact[] {
  const out: ShellArtifact[] = [];
  let lastRepo: string | undefined;
  const pipelines = new Map<number, Invocation[]>();
  for (const inv of invs) {
    const members = pipelines.get(inv.command.pipeline);
    if (members) members.push(inv); else pipelines.set(inv.command.pipeline, [inv]);
  }
  for (const inv of invs) {
    const skip = fetchers[inv.program];
    if (skip) {
      for (let i = 0; i < inv.args.length; i += 1) {
        const { exp } = inv.args[i]!;
        if (skip.has(exp.value)) { i += 1; continue; }
        if (exp.known && urlPattern.test(exp.value)) out.push({ kind: 'url', value: exp.value, context: inv.program, exp, from: 0, to: exp.value.length });
      }
    }
    if (languageTool(inv)) {
      // `npm install https://registry.npmjs.org/nx/-/nx-21.5.0.tgz`, `pip install https://files.pythonhosted.org/…`:
      // the file downloaded is the release installed (the engine reads a registry's URL as its package).
      for (const { exp } of inv.args) if (exp.known && urlPattern.test(exp.value)) out.push({ kind: 'url', value: exp.value, context: `${inv.program} install`, exp, from: 0, to: exp.value.length });
    }
    if (inv.program === 'git') {
      const found = gitTag(inv.args, lastRepo);
      if (found.repo) lastRepo = found.repo;
      if (found.artifact) out.push(found.artifact);
    }
    if (checkers.has(inv.program) && inv.args.some((a) => /^-[A-Za-z]*c[A-Za-z]*$|^--check$/.test(a.exp.value))) {
      for (const c of checksums(inv, pipelines.get(inv.command.pipeline) ?? [])) out.push(c);
    }
  }
  return out;
}

/** Where a URL's value could be changed: the ARG that supplied its version (or its only variable). */
export function urlEdit(exp: Expansion): { edit?: Span; via?: string } {
  const params = exp.pieces.filter((p) => p.param).map((p) => p.param!);
  const names = [...new Set(params.map((p) => p.name))];
  const pick = names.length === 1 ? params[0] : params.find((p) => /^v?\d/.test(p.binding.value));
  if (!pick) return {};
  const edit = bindingSpan(pick.binding);
  const out: { edit?: Span; via?: string } = {};
  if (edit) out.edit = edit;
  if (pick.binding.via) out.via = pick.binding.via;
  return out;
}

/** The digests a checker reads: from `echo`/`printf` earlier in its pipeline, a here-string or a here-document. */
function checksums(checker: Invocation, pipeline: readonly Invocation[]): ShellArtifact[] {
  const context = `${checker.program} -c`;
  const sources: Expansion[] = [];
  for (const inv of pipeline) {
    if (inv === checker) break;
    if (inv.program === 'echo' || inv.program === 'printf') for (const a of inv.args) sources.push(a.exp);
  }
  for (const r of checker.command.redirects) {
    if (r.op.endsWith('<<<') && r.target) sources.push(expandWord(r.target, checker.lookup));
    if (r.heredoc) sources.push(expandWord(r.heredoc.bodyWord, checker.lookup));
  }
  const out: ShellArtifact[] = [];
  for (const exp of sources) {
    for (const m of exp.value.matchAll(hexPattern)) {
      const from = m.index!;
      out.push({ kind: m[0].length === 128 ? 'sha512' : 'sha256', value: m[0].toLowerCase(), context, exp, from, to: from + m[0].length });
    }
  }
  return out;
}

const gitGlobalValued = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);
const cloneValued = new Set(['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '-j', '--jobs', '--reference', '--separate-git-dir', '--template', '-u', '--upload-pack', '--filter', '--shallow-since', '--shallow-exclude']);

function gitTag(args: readonly Arg[], lastRepo: string | undefined): { repo?: string; artifact?: ShellArtifact } {
  let i = 0;
  while (i < args.length && args[i]!.exp.value.startsWith('-')) i += gitGlobalValued.has(args[i]!.exp.value) ? 2 : 1;
  const sub = args[i]?.exp.value;
  const rest = args.slice(i + 1);
  if (sub === 'clone') {
    let branch: { exp: Expansion; from: number } | undefined;
    let url: string | undefined;
    for (let j = 0; j < rest.length; j += 1) {
      const { exp } = rest[j]!;
      const v = exp.value;
      if (v === '-b' || v === '--branch') { const next = rest[j + 1]; if (next) branch = { exp: next.exp, from: 0 }; j += 1; continue; }
      if (v.startsWith('--branch=')) { branch = { exp, from: '--branch='.length }; continue; }
      if (cloneValued.has(v)) { j += 1; continue; }
      if (v.startsWith('-')) continue;
      if (url === undefined && exp.known) url = v;
    }
    const repo = url === undefined ? undefined : normaliseRepo(url);
    if (!repo) return {};
    if (!branch || !branch.exp.known) return { repo };
    const tag = branch.exp.value.slice(branch.from);
    return { repo, artifact: { kind: 'git-tag', value: `${repo}@${tag}`, context: 'git clone', exp: branch.exp, from: branch.from, to: branch.exp.value.length } };
  }
  if ((sub === 'checkout' || sub === 'switch') && lastRepo) {
    for (let j = 0; j < rest.length; j += 1) {
      const { exp } = rest[j]!;
      const v = exp.value;
      if (v === '-b' || v === '-B' || v === '-c' || v === '-C') { j += 1; continue; }
      if (v === '--') continue;
      if (v.startsWith('-')) continue;
      if (!exp.known) return {};
      const from = v.startsWith('tags/') ? 5 : v.startsWith('refs/tags/') ? 10 : 0;
      return { artifact: { kind: 'git-tag', value: `${lastRepo}@${v.slice(from)}`, context: `git ${sub}`, exp, from, to: v.length } };
    }
  }
  return {};
}

/** `https://github.com/tukaani-project/xz.git` and `git@github.com:tukaani-project/xz` → `github.com/tukaani-project/xz`. */
export function normaliseRepo(url: string): string | undefined {
  let rest = url.trim();
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(rest);
  if (scp) rest = `${scp[1]}/${scp[2]}`;
  else {
    const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/]+@)?(.+)$/.exec(rest);
    if (!m) return undefined;
    rest = m[1]!;
  }
  // Cut at the query or fragment and trim trailing slashes by hand: `/[?#].*$/` and `/\/+$/` are quadratic on a long
  // run of `?` (before a line break) or of `/` (before anything else).
  const query = rest.search(/[?#]/);
  if (query >= 0) rest = rest.slice(0, query);
  let end = rest.length;
  while (end > 0 && rest.charCodeAt(end - 1) === 0x2f) end--;
  rest = rest.slice(0, end).replace(/\.git$/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return rest.slice(0, slash).toLowerCase() + rest.slice(slash);
}
