/**
 * The `pinwatch` command: `scan` for CI and terminals (text, JSON or SARIF, `--fix`), `compare` for version
 * questions. Exit status: 0 clean, 1 findings at or above `--fail-on`, 2 bad usage or unreadable input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { version } from '../../package.json';
import { defaultSettings, type Settings, type Severity } from './model';
import { jsonReport } from './report/json';
import { sarifReport } from './report/sarif';
import { textReport } from './report/text';
import { countBySeverity, type ScanResult } from './report/types';
import { isUserError, scanPaths, userError } from './scan';
import { compareLines, knownEcosystem } from './versions/index';

const usage = `Usage:
  pinwatch scan [PATH...] [--format text|json|sarif] [--output FILE] [--fail-on error|warning|info|never]
                [--fix] [--exclude GLOB]... [--ignore ID]... [--no-image-windows]
  pinwatch compare ECOSYSTEM A B
  pinwatch compare ECOSYSTEM --stdin      (reads "A B" lines; prints <, = or > per line, ? when invalid)
  pinwatch --version | --help`;

/** Where the CLI reads and writes; the real process in `main`, strings in tests. */
export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): string;
  isTTY: boolean;
}

/** A usage error: the message and a pointer to --help. */
function usageError(message: string): Error {
  return userError(`${message} (see 'pinwatch --help')`);
}

/** Runs the CLI on its arguments and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') return io.stdout(`${version}\n`), 0;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') return io.stdout(`${usage}\n`), command === undefined ? 2 : 0;
    if (command === 'scan') return await scan(rest, io);
    if (command === 'compare') return compare(rest, io);
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

async function scan(args: readonly string[], io: CliIo): Promise<number> {
  const paths: string[] = [];
  const exclude: string[] = [];
  const ignore: string[] = [];
  let format = 'text';
  let output: string | undefined;
  let failOn: Severity | 'never' = 'error';
  let fix = false;
  let imageWindows = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw usageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': format = oneOf(flag, value(), ['text', 'json', 'sarif']); break;
      case '--output': case '-o': output = value(); break;
      case '--fail-on': failOn = oneOf(flag, value(), ['error', 'warning', 'info', 'never']); break;
      case '--fix': fix = true; break;
      case '--exclude': exclude.push(value()); break;
      case '--ignore': ignore.push(value()); break;
      case '--no-image-windows': imageWindows = false; break;
      default:
        if (flag.startsWith('-') && flag !== '-') throw usageError(`unknown option '${flag}'`);
        paths.push(arg);
    }
  }
  const settings: Settings = { ...defaultSettings, ignore, imageWindows };
  const { result, fixed } = await scanPaths({ paths: paths.length > 0 ? paths : ['.'], cwd: io.cwd, settings, exclude, fix });
  const toFile = output !== undefined;
  const report =
    format === 'json' ? jsonReport(result, version)
    : format === 'sarif' ? sarifReport(result, version, io.cwd)
    : textReport(result, io.isTTY && !toFile);
  if (fix) {
    const lines = fixed.map((f) => `fixed ${f.path}:${f.line}: ${f.title} (${f.oldText.trim() || '(insertion)'} -> ${f.newText.trim().split('\n').join(' ')})\n`);
    (format === 'text' && !toFile ? io.stdout : io.stderr)(lines.join('') + `${fixed.length} fix${fixed.length === 1 ? '' : 'es'} applied.\n`);
  }
  if (toFile) {
    try {
      writeFileSync(output!, report);
    } catch (error) {
      throw userError(`cannot write ${output}: ${(error as Error).message}`);
    }
  } else io.stdout(report);
  for (const { path, reason } of result.unread) io.stderr(`pinwatch: cannot read ${path}: ${reason}\n`);
  return scanStatus(result, failOn);
}

/**
 * The exit status of a scan: 2 when a path it should have read could not be read (the report is incomplete), 1
 * when there are findings at or above `failOn`, 0 otherwise.
 */
export function scanStatus(result: ScanResult, failOn: Severity | 'never'): number {
  if ((result.unread ?? []).length > 0) return 2;
  const counts = countBySeverity(result);
  const failing = failOn === 'never' ? 0 : failOn === 'error' ? counts.error : failOn === 'warning' ? counts.error + counts.warning : counts.error + counts.warning + counts.info;
  return failing > 0 ? 1 : 0;
}

function compare(args: readonly string[], io: CliIo): number {
  const stdin = args.includes('--stdin');
  const positional = args.filter((a) => a !== '--stdin');
  const unknown = positional.find((a) => a.startsWith('--'));
  if (unknown) throw usageError(`unknown option '${unknown}'`);
  const [ecosystem, ...versions] = positional;
  if (ecosystem === undefined) throw usageError('compare needs an ECOSYSTEM');
  if (!knownEcosystem(ecosystem)) throw usageError(`unknown ecosystem '${ecosystem}'`);
  if (stdin ? versions.length !== 0 : versions.length !== 2) throw usageError(stdin ? 'compare --stdin takes only an ECOSYSTEM' : 'compare needs ECOSYSTEM A B');
  const lines = stdin ? io.stdin().split('\n').filter((line) => line.trim() !== '') : [`${versions[0]} ${versions[1]}`];
  const { answers, errors } = compareLines(ecosystem, lines);
  io.stdout(answers.map((a) => `${a}\n`).join(''));
  for (const e of errors) io.stderr(`pinwatch: ${e}\n`);
  return errors.length > 0 ? 2 : 0;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw usageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: () => readFileSync(0, 'utf8'),
    isTTY: process.stdout.isTTY === true,
  }).then((code) => {
    process.exitCode = code;
  });
}
