/**
 * One entry point for a shell script: scan it, follow nested scripts (`sh -c '…'`, `bash <<EOF`, `cat <<EOF | sh`),
 * and return the pinned installs and the artifacts it names. Dockerfile RUN instructions and recipe functions both use it.
 */
import { shellArtifacts, type ShellArtifact } from './artifacts';
import { invocations, type Invocation } from './commands';
import type { Expansion, Lookup, Span } from './expand';
import { installPins, type InstallPin } from './installs';
import { scanShell, type ShellCommand, type ShellSource } from './words';

/** What a script pins and downloads. */
export interface ScriptFacts { installs: InstallPin[]; artifacts: ShellArtifact[] }

export interface ScriptOptions {
  /** Names a shell assignment for messages ("XZ_VER=… in the RUN, line 4"). */
  describe(name: string, at: Span): string;
  /** Whether a command made only of a here-document runs its body as a script (Dockerfile `RUN <<EOF`). */
  bareHeredocRuns?: boolean;
}

const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** Whether a program (a base name) is a POSIX-style shell whose scripts this scanner reads. */
export function isPosixShell(program: string): boolean {
  return shells.has(program);
}
const maxNesting = 4;

/** Scans and analyses a script. Total: malformed text gives what could be read. */
export function analyzeScript(source: ShellSource, lookup: Lookup, options: ScriptOptions): ScriptFacts {
  const facts: ScriptFacts = { installs: [], artifacts: [] };
  visit(source, lookup, options, 0, facts);
  return facts;
}

/** Analyses commands already scanned (or built, like a Dockerfile's exec form `RUN ["apt-get", …]`). */
export function analyzeCommands(commands: readonly ShellCommand[], lookup: Lookup, options: ScriptOptions): ScriptFacts {
  const facts: ScriptFacts = { installs: [], artifacts: [] };
  visitCommands(commands, lookup, options, 0, facts);
  return facts;
}

function visit(source: ShellSource, lookup: Lookup, options: ScriptOptions, depth: number, facts: ScriptFacts): void {
  visitCommands(scanShell(source), lookup, options, depth, facts);
}

function visitCommands(commands: readonly ShellCommand[], lookup: Lookup, options: ScriptOptions, depth: number, facts: ScriptFacts): void {
  const invs = invocations(commands, lookup, options.describe);
  for (const inv of invs) for (const pin of installPins(inv)) facts.installs.push(pin);
  for (const artifact of shellArtifacts(invs)) facts.artifacts.push(artifact);
  if (depth >= maxNesting) return;
  const nested = { ...options, bareHeredocRuns: false };
  if (options.bareHeredocRuns && commands[0] && commands[0].words.length === 0) {
    for (const r of commands[0].redirects) if (r.heredoc && runsAsShell(r.heredoc.body.text)) visit(r.heredoc.body, lookup, nested, depth + 1, facts);
  }
  invs.forEach((inv, i) => {
    if (!shells.has(inv.program)) return;
    const script = shellScriptArg(inv);
    if (script) visit(script, inv.lookup, nested, depth + 1, facts);
    else if (inv.args.every((a) => a.exp.value.startsWith('-'))) {
      // `bash <<EOF`, or `cat <<EOF | bash`: the here-document is the script the shell reads from its input.
      const feeder = invs[i - 1];
      const piped = feeder && feeder.program === 'cat' && feeder.command.pipeline === inv.command.pipeline && feeder.args.every((a) => a.exp.value === '-') ? feeder.command.redirects : [];
      for (const r of [...inv.command.redirects, ...piped]) if (r.heredoc && runsAsShell(r.heredoc.body.text)) visit(r.heredoc.body, inv.lookup, nested, depth + 1, facts);
    }
  });
}

/** A here-document body runs as a shell script unless its `#!` line names another interpreter. */
function runsAsShell(body: string): boolean {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
  if (!m) return true;
  const program = m[1]!.endsWith('/env') ? (m[2] ?? '') : m[1]!;
  return shells.has(program.slice(program.lastIndexOf('/') + 1));
}

/** The script of `sh -c 'SCRIPT'` as a source with offsets, when it is literal text. */
function shellScriptArg(inv: Invocation): ShellSource | undefined {
  const at = inv.args.findIndex((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a.exp.value));
  const arg = at >= 0 ? inv.args[at + 1] : undefined;
  return arg ? literalSource(arg.exp) : undefined;
}

/** A source for an expansion made only of literal text (quotes removed, offsets kept). */
export function literalSource(exp: Expansion): ShellSource | undefined {
  if (!exp.known || exp.pieces.some((p) => !p.offsets)) return undefined;
  const offsets: number[] = [];
  for (const p of exp.pieces) for (const o of p.offsets!) offsets.push(o);
  offsets.push((offsets[offsets.length - 1] ?? 0) + 1);
  return { text: exp.value, offsets };
}
