/**
 * The `pinwatch` command: `scan` for CI and terminals (text, JSON or SARIF, `--fix`), `compare` for version
 * questions. Exit status: 0 clean, 1 findings at or above `--fail-on`, 2 bad usage or a path that could not be
 * read (see `scanStatus`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyBaseline, baselineOf, parseBaseline, type Baseline } from './baseline';
import { policyScan } from './policyScan';
import { version } from '../../package.json';
import { isDumpError } from './advisories/dumps';
import { describeAdvisories, loadAdvisories, staleWarning, type LoadedAdvisories } from './advisories/load';
import { storeDir } from './advisories/store';
import { advisoriesCommand, advisoriesHelp, advisoriesOptions } from './advisoriesCli';
import { bundledAdvisories, useAdvisories } from './engine';
import { defaultSettings, type Settings, type Severity } from './model';
import { githubReport } from './report/github';
import { gitlabReport } from './report/gitlab';
import { jsonReport } from './report/json';
import { sarifReport } from './report/sarif';
import { textReport } from './report/text';
import { countBySeverity, incompleteFiles, type ScanResult } from './report/types';
import { isUserError, scanPaths, userError } from './scan';
import { isScanWorker, runScanWorker, type PoolPlan } from './scanPool';
import { analyzeInWorker, loadedFingerprint, loadInWorker } from './scanWorker';
import { compareLines, ecosystemAliases, ecosystemSchemes, schemeNamed, schemes } from './versions/index';

/** Where the CLI reads and writes; the real process in `main`, strings in tests. */
export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): string;
  isTTY: boolean;
  /** The environment, for `NO_COLOR` and `TERM`. */
  env: Readonly<Record<string, string | undefined>>;
}

const usage = `Usage:
  pinwatch scan [PATH...] [OPTION...]     find compromised pins in files and folders (default: .)
  pinwatch compare ECOSYSTEM A B          compare two versions as ECOSYSTEM's package manager does
  pinwatch compare ECOSYSTEM --stdin      compare "A B" lines read from standard input
  pinwatch advisories import|update|status   the local store of imported advisories
  pinwatch help [COMMAND] | COMMAND --help | --version

Exit status: 0 nothing found at or above --fail-on, 1 something was, 2 bad usage or a path that could not be read.`;

const scanHelp = `Usage: pinwatch scan [PATH...] [OPTION...]

Scans files and folders (default: the current folder) for compromised dependency pins. Folders are walked
without entering node_modules or version-control folders, and without following links out of the PATHs.

Options:
  --format text|json|sarif|gitlab|github
                                 the report format (default: text): gitlab is GitLab's code quality
                                 report, github is GitHub Actions annotations (workflow commands)
  -o, --output FILE              write the report to FILE instead of standard output
  --fail-on error|warning|info|never
                                 the lowest severity that makes the exit status 1 (default: error)
  --fix                          apply each finding's preferred fix in place, and list what changed
  --exclude GLOB                 leave out matching files and folders (repeatable), e.g. 'vendor/**'
  --archives                     also read the image archives in folders: docker save .tar files and OCI
                                 layout folders (a PATH that is one is always read as an image)
  --ignore ID                    do not report an advisory, by id or alias (repeatable), e.g. CVE-2024-3094
  --no-image-windows             do not warn about base images dated into a compromise window
  --no-config                    ignore the policy files (.pinwatch.yaml)
  --show-suppressed              list suppressed findings in the text report (they are always in JSON and SARIF)
  --write-baseline FILE          record today's findings in FILE (to adopt Pinwatch without fixing all at once)
  --baseline FILE                report only the findings that are not in FILE; the others count as suppressed
  --advisories PATH              also use the OSV records of PATH (an all.zip or a folder) for this scan,
                                 without importing them (repeatable)
  -j, --jobs N                   read and analyse files on N threads (default: one per core, for scans of
                                 4,000 files or more, 16,000 on 2 cores; 1 keeps everything on one thread)
  --offline                      guarantee no network access (scan never uses the network; this says so)
  -h, --help                     show this help

Exit status: 0 nothing found at or above --fail-on; 1 something was, or a file was read only in part (unless
--fail-on never); 2 bad usage, a PATH that does not exist,
or a file or folder that could not be read (permission denied, binary content, over the 50 MB cap, a link
out of the PATHs): the report of everything else is still written, and each such path gets one line on
standard error. Colours are used on a terminal unless NO_COLOR is set or TERM is dumb.`;

function compareHelp(): string {
  const byScheme = new Map<string, string[]>();
  for (const [ecosystem, scheme] of Object.entries(ecosystemSchemes)) byScheme.set(scheme, [...(byScheme.get(scheme) ?? []), ecosystem]);
  const aliasesOf = (scheme: string): string[] => Object.keys(ecosystemAliases).filter((alias) => schemeNamed(alias) === scheme);
  const rows = Object.keys(schemes).map((scheme) => {
    const names = [...(byScheme.get(scheme) ?? []), ...aliasesOf(scheme), ...(byScheme.get(scheme)?.some((n) => n.toLowerCase() === scheme) ? [] : [scheme])];
    return `  ${scheme.padEnd(9)} ${names.join(', ')}`;
  });
  return `Usage: pinwatch compare ECOSYSTEM A B
       pinwatch compare ECOSYSTEM --stdin

Compares two versions as ECOSYSTEM's package manager orders them and prints <, = or >. With --stdin, reads
"A B" lines and prints one answer per line that is not blank, ? for a line it cannot compare (with its line
number on standard error, and exit status 2 at the end).

ECOSYSTEM is any of these names, in any case (an OSV suffix such as Debian:13 is ignored), by version scheme:
${rows.join('\n')}

Options:
  --stdin       read "A B" lines from standard input
  -h, --help    show this help`;
}

/** A usage error: the message and a pointer to the help. */
function usageError(message: string, command?: string): Error {
  return userError(`${message} (see 'pinwatch ${command ? `${command} ` : ''}--help')`);
}

/** Runs the CLI on its arguments and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') return io.stdout(`${version}\n${describeAdvisories(loadForRun(io, []).info)}\n`), 0;
    if (command === '--help' || command === '-h') return io.stdout(`${usage}\n`), 0;
    if (command === 'help') return help(rest, io);
    if (command === undefined) return io.stderr(`${usage}\n`), 2;
    if (command === 'scan') return await scan(rest, io);
    if (command === 'compare') return compare(rest, io);
    if (command === 'advisories') return await advisoriesCommand(parse(rest, advisoriesOptions, 'advisories'), io);
    throw usageError(`unknown command '${command}'`);
  } catch (error) {
    if (isUserError(error)) {
      io.stderr(`pinwatch: ${error.message}\n`);
      return 2;
    }
    io.stderr(`pinwatch: internal error: ${(error as Error).message}\n`);
    return 2;
  }
}

function help(args: readonly string[], io: CliIo): number {
  const [topic, ...extra] = args;
  if (extra.length > 0) throw usageError('help takes at most one COMMAND');
  if (topic === undefined) return io.stdout(`${usage}\n`), 0;
  if (topic === 'scan') return io.stdout(`${scanHelp}\n`), 0;
  if (topic === 'compare') return io.stdout(`${compareHelp()}\n`), 0;
  if (topic === 'advisories') return io.stdout(`${advisoriesHelp}\n`), 0;
  throw usageError(`unknown command '${topic}'`);
}

const scanOptions = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  fix: { type: 'boolean' },
  archives: { type: 'boolean' },
  exclude: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'no-image-windows': { type: 'boolean' },
  'show-suppressed': { type: 'boolean' },
  'no-config': { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  advisories: { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Loads the advisories of a run (the bundled set, the store, `dumps`) and makes them the engine's default;
 * the store's problems and age go to standard error, once.
 */
function loadForRun(io: CliIo, dumps: readonly string[], warn = false): LoadedAdvisories {
  let loaded: LoadedAdvisories;
  try {
    loaded = loadAdvisories(bundledAdvisories(), { storeDir: storeDir(io.env), dumps: dumps.map((d) => resolve(io.cwd, d)) });
  } catch (error) {
    if (isDumpError(error)) throw userError(error.message);
    throw error;
  }
  useAdvisories(loaded.index);
  if (warn) {
    const stale = staleWarning(loaded.info, 7);
    if (stale) io.stderr(`pinwatch: warning: ${stale}\n`);
  }
  return loaded;
}

/** The threads `--jobs` asks for: a whole number from 1 (this thread only) to 64. */
function jobCount(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 64)) throw usageError(`--jobs must be a whole number from 1 to 64 (got '${value}')`, 'scan');
  return n;
}

/**
 * How a scan uses worker threads: with `--jobs N`, N - 1 workers beside this thread for any scan; by default one
 * per further core, for a scan with enough files to repay their start: 4,000 files, or 16,000 on two cores, where
 * the one worker repays its start only on a big tree (measured: 12,000 APKBUILDs 422 ms with it and 409 ms
 * without; 14,846 files of a 50,000-file tree 862 and 864 ms; 20,000 specs 786 and 926 ms). None with
 * `--advisories` dumps (each worker would read them again), or in a bundle that cannot start itself as a worker.
 */
function poolPlan(io: CliIo, jobs: number | undefined, dumps: readonly string[], loaded: LoadedAdvisories): PoolPlan | undefined {
  const cores = availableParallelism();
  const threads = jobs ?? Math.min(cores, 8);
  if (threads <= 1 || dumps.length > 0 || !isBundle) return undefined;
  return {
    script: __filename,
    workers: threads - 1,
    minFiles: jobs !== undefined ? 1 : cores >= 3 ? 4000 : 16_000,
    load: { storeDir: storeDir(io.env) },
    loaded: loadedFingerprint(loaded),
  };
}

/** Whether this code runs from the bundle (dist/cli.js), which a worker thread can start; not from a test's bundle. */
const isBundle = /[\\/]dist[\\/]cli\.js$/.test(__filename);

async function scan(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, scanOptions, 'scan');
  if (values.help) return io.stdout(`${scanHelp}\n`), 0;
  const format = oneOf('--format', values.format ?? 'text', ['text', 'json', 'sarif', 'gitlab', 'github']);
  const failOn = oneOf('--fail-on', values['fail-on'] ?? 'error', ['error', 'warning', 'info', 'never']);
  const output = values.output;
  const fix = values.fix === true;
  const settings: Settings = { ...defaultSettings, ignore: [...(values.ignore ?? [])], imageWindows: values['no-image-windows'] !== true };
  const jobs = values.jobs === undefined ? undefined : jobCount(values.jobs);
  const advisories = loadForRun(io, values.advisories ?? [], true);
  const paths = positionals.length > 0 ? positionals : ['.'];
  const policies = values['no-config'] === true ? undefined : policyScan(paths, io.cwd);
  const pool = poolPlan(io, jobs, values.advisories ?? [], advisories);
  const scanned = await scanPaths({
    paths,
    cwd: io.cwd,
    settings,
    exclude: [...(values.exclude ?? [])],
    fix,
    archives: values.archives === true,
    ...(policies ? { keep: policies.keep, adjust: policies.adjust, index: policies.index, folder: policies.folder } : {}),
    ...(pool ? { pool } : {}),
  });
  const { fixed } = scanned;
  let result = policies ? policies.finish(scanned.result) : scanned.result;
  if (values.baseline !== undefined) result = applyBaseline(result, readBaseline(values.baseline, io.cwd), values.baseline);
  if (values['write-baseline'] !== undefined) {
    const file = resolve(io.cwd, values['write-baseline']);
    try {
      writeFileSync(file, `${JSON.stringify(baselineOf(result), null, 2)}\n`);
    } catch (error) {
      throw userError(`cannot write ${values['write-baseline']}: ${(error as Error).message}`);
    }
  }
  const toFile = output !== undefined;
  const report =
    format === 'json' ? jsonReport(result, version, advisories.info)
    : format === 'sarif' ? sarifReport(result, version, io.cwd, advisories.info)
    : format === 'gitlab' ? gitlabReport(result)
    : format === 'github' ? githubReport(result)
    : textReport(result, !toFile && useColour(io), { showSuppressed: values['show-suppressed'] === true }) + (advisories.info.imported > 0 ? `Using ${describeAdvisories(advisories.info)}.\n` : '');
  if (fix) {
    const lines = fixed.map((f) => `fixed ${f.path}:${f.line}: ${f.title} (${f.oldText.trim() || '(insertion)'} -> ${f.newText.trim().split('\n').join(' ')})\n`);
    (format === 'text' && !toFile ? io.stdout : io.stderr)(lines.join('') + `${fixed.length} fix${fixed.length === 1 ? '' : 'es'} applied.\n`);
  }
  if (toFile) {
    try {
      writeFileSync(output, report);
    } catch (error) {
      throw userError(`cannot write ${output}: ${(error as Error).message}`);
    }
  } else io.stdout(report);
  for (const { path, reason } of result.unread) io.stderr(`pinwatch: cannot read ${path}: ${reason}\n`);
  for (const problem of advisories.problems) io.stderr(`pinwatch: ${problem}\n`);
  return advisories.problems.length > 0 ? 2 : scanStatus(result, failOn);
}

/**
 * The exit status of a scan: 2 when a path it should have read could not be read at all (the report is
 * incomplete); 1 when there are findings at or above `failOn`, or a file was read only in part (a gate cannot pass
 * what it did not read), unless `failOn` is `never`; 0 otherwise.
 */
export function scanStatus(result: ScanResult, failOn: Severity | 'never'): number {
  if ((result.unread ?? []).length > 0) return 2;
  if (failOn === 'never') return 0;
  const counts = countBySeverity(result);
  const failing = failOn === 'error' ? counts.error : failOn === 'warning' ? counts.error + counts.warning : counts.error + counts.warning + counts.info;
  return failing > 0 || incompleteFiles(result).length > 0 ? 1 : 0;
}

/** The baseline a --baseline FILE names; a UserError (exit 2) when it cannot be read or is not one. */
function readBaseline(name: string, cwd: string): Baseline {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, name), 'utf8');
  } catch (error) {
    throw userError(`cannot read the baseline ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    throw userError(`cannot use the baseline ${name}: ${(error as Error).message}`);
  }
}

/** Whether the text report may use ANSI colours: on a terminal, unless NO_COLOR is set (https://no-color.org) or TERM is dumb. */
function useColour(io: CliIo): boolean {
  return io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

const compareOptions = {
  stdin: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function compare(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, compareOptions, 'compare');
  if (values.help) return io.stdout(`${compareHelp()}\n`), 0;
  const stdin = values.stdin === true;
  const [ecosystem, ...versions] = positionals;
  if (ecosystem === undefined) throw usageError('compare needs an ECOSYSTEM', 'compare');
  if (schemeNamed(ecosystem) === undefined) throw usageError(`unknown ecosystem '${ecosystem}'`, 'compare');
  if (stdin ? versions.length !== 0 : versions.length !== 2) throw usageError(stdin ? 'compare --stdin takes only an ECOSYSTEM' : 'compare needs ECOSYSTEM A B', 'compare');
  const lines = stdin ? io.stdin().split(/\r?\n/) : [`${versions[0]} ${versions[1]}`];
  const { answers, errors } = compareLines(ecosystem, lines);
  io.stdout(answers.map((a) => `${a}\n`).join(''));
  for (const e of errors) io.stderr(`pinwatch: ${e}\n`);
  return errors.length > 0 ? 2 : 0;
}

type OptionTable = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Parses a command's arguments with `util.parseArgs`, turning its errors into one-line usage errors: an unknown
 * option, a value missing (or given to a flag that takes none). A value that looks like an option is taken as
 * missing (`--output --fix`), unless given inline (`--output=-x`); arguments after `--` are all paths.
 */
function parse<T extends OptionTable>(args: readonly string[], options: T, command: string): ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>> {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) throw usageError(`unknown option '${token.rawName}'`, command);
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-'))) throw usageError(`${token.rawName} needs a value`, command);
    if (option.type === 'boolean' && token.value !== undefined) throw usageError(`${token.rawName} takes no value`, command);
  }
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(((error as Error).message.split('\n')[0] ?? '').replace(/\.$/, ''), command);
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw usageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`, 'scan');
  return value as T;
}

if (isScanWorker()) {
  runScanWorker(loadInWorker, analyzeInWorker);
} else if (require.main === module) {
  // A reader that stops early (`pinwatch scan --format json | head`) closes the pipe: what is left unwritten is
  // dropped, and the scan still ends with its own status.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: () => readFileSync(0, 'utf8'),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
    // Once all that was written is with the system (writes to files, and on Linux to pipes, are synchronous), the
    // process ends at once: winding down ran a garbage collection of the heap it is about to free (8 ms after a
    // scan of 10,000 files). Output still queued (a pipe on macOS) is left to drain first.
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  });
}
