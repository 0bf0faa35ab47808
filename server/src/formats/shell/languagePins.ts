/**
 * Language package managers run from a shell: `npm install -g name@1.2.3` (also yarn, pnpm and bun) and
 * `pip install name==1.2.3` (also `python -m pip`, `uv pip`, `uv tool` and `pipx install`). The npm malware incidents (chalk/debug, nx, …) reach images this way too.
 */
import type { Arg, Invocation } from './commands';
import type { InstallPin } from './installs';

const npmInstalls: Record<string, Set<string>> = {
  npm: new Set(['install', 'i', 'add', 'in', 'isntall']),
  pnpm: new Set(['add', 'install', 'i']),
  yarn: new Set(['add']),
  bun: new Set(['add', 'install', 'i']),
};
const npmValued = new Set(['--prefix', '--registry', '-w', '--workspace', '--tag', '--cache', '--userconfig', '-C', '--dir', '--cwd', '--filter']);
const exactSemver = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const npmRange = /^(?:[~^]|[<>]=?|=)\s*v?\d/;
const npmName = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

/** npm-style pins: `name@1.2.3` is a version, `name@^1.2.0` a constraint; tags, paths and URLs are skipped. */
export function npmPins(inv: Invocation): InstallPin[] {
  const installs = npmInstalls[inv.program];
  if (!installs) return [];
  const args = inv.program === 'yarn' && inv.args[0]?.exp.value === 'global' ? inv.args.slice(1) : inv.args;
  const out: InstallPin[] = [];
  let subcommand: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (v === '--dry-run') return [];
    if (v.startsWith('-')) { if (npmValued.has(v)) i += 1; continue; }
    if (subcommand === undefined) {
      if (!installs.has(v)) return [];
      subcommand = v;
      continue;
    }
    const at = v.lastIndexOf('@');
    if (at <= 0) continue;
    const name = v.slice(0, at);
    const spec = v.slice(at + 1);
    if (!npmName.test(name)) continue;
    const context = `${inv.program} ${subcommand}`;
    if (exactSemver.test(spec)) out.push({ tool: 'npm', context, name, version: spec.replace(/^v/, ''), arg, from: spec.startsWith('v') ? at + 2 : at + 1, to: v.length });
    else if (npmRange.test(spec)) out.push({ tool: 'npm', context, name, constraint: spec, arg, from: at + 1, to: v.length });
  }
  return out;
}

const pipValued = new Set(['--pip-args', '--suffix', '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi', '--trusted-host', '--cache-dir', '--src', '-e', '--editable', '--upgrade-strategy', '--progress-bar', '--log', '--proxy', '--timeout', '--retries', '--python']);

/** The language package manager an invocation runs (npm's family, or pip's with `python -m pip`), if any. */
export function languageTool(inv: Invocation): 'npm' | 'pip' | undefined {
  if (npmInstalls[inv.program]) return 'npm';
  return pipInvocation(inv) ? 'pip' : undefined;
}

/** A pip-family invocation as pip, uv or pipx and its arguments (`python -m pip …` is pip's), or undefined. */
function pipInvocation(inv: Invocation): { program: string; args: readonly Arg[] } | undefined {
  let args: readonly Arg[] = inv.args;
  let program = inv.program;
  if (/^python(?:\d+(?:\.\d+)?)?$/.test(program)) {
    if (args[0]?.exp.value !== '-m' || !/^pip\d?$/.test(args[1]?.exp.value ?? '')) return undefined;
    program = 'pip';
    args = args.slice(2);
  }
  return /^pip(?:\d+(?:\.\d+)?)?$|^uv$|^pipx$/.test(program) ? { program, args } : undefined;
}

/** pip-style pins: `name==1.2.3` (also `name[extra]===1.2.3`) is a version, `name>=1.2` a constraint. */
export function pipPins(inv: Invocation): InstallPin[] {
  const invocation = pipInvocation(inv);
  if (!invocation) return [];
  const { program } = invocation;
  let { args } = invocation;
  if (program === 'uv') {
    // `uv pip install …` and `uv tool install …` take pip's requirement specifiers.
    if (args[0]?.exp.value !== 'pip' && args[0]?.exp.value !== 'tool') return [];
    args = args.slice(1);
  }
  if (args[0]?.exp.value !== 'install') return [];
  const context = program === 'pipx' ? 'pipx install' : 'pip install';
  const out: InstallPin[] = [];
  for (let i = 1; i < args.length; i += 1) {
    const arg = args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (v === '--dry-run') return [];
    if (v.startsWith('-')) { if (pipValued.has(v)) i += 1; continue; }
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(===|==|~=|!=|>=|<=|>|<)\s*([0-9][A-Za-z0-9.+!_-]*(?:\.\*)?)\s*(?:;.*)?$/.exec(v);
    if (!m) {
      const several = pipClauses(v);
      if (several) out.push({ tool: 'pip', context, name: several.name, constraint: v.slice(several.from, several.to), arg, from: several.from, to: several.to });
      continue;
    }
    const from = v.indexOf(m[4]!, m[1]!.length + (m[2]?.length ?? 0) + m[3]!.length);
    const exact = (m[3] === '==' || m[3] === '===') && !m[4]!.endsWith('.*');
    const opFrom = v.indexOf(m[3]!, m[1]!.length + (m[2]?.length ?? 0));
    out.push(exact
      ? { tool: 'pip', context, name: m[1]!, version: m[4]!, arg, from, to: from + m[4]!.length }
      : { tool: 'pip', context, name: m[1]!, constraint: `${m[3]}${m[4]}`, arg, from: opFrom, to: from + m[4]!.length });
  }
  return out;
}

const pipClause = '(?:===|==|~=|!=|>=|<=|>|<)\\s*[0-9][A-Za-z0-9.+!_-]*(?:\\.\\*)?';
const pipSeveral = new RegExp(`^([A-Za-z0-9][A-Za-z0-9._-]*)(\\[[^\\]]*\\])?\\s*(${pipClause}(?:\\s*,\\s*${pipClause})+)\\s*(?:;.*)?$`);

/** `name>=8.3.40,<8.3.47`: a constraint of several comma-separated clauses, and where it is in the argument. */
function pipClauses(value: string): { name: string; from: number; to: number } | undefined {
  const m = pipSeveral.exec(value);
  if (!m) return undefined;
  const from = value.indexOf(m[3]!, m[1]!.length + (m[2]?.length ?? 0));
  return { name: m[1]!, from, to: from + m[3]!.length };
}
