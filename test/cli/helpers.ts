/** Running the bundled CLI (dist/cli.js) as a user would, and the paths the CLI tests share. */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../paths';

export const cliPath = join(repoRoot, 'dist', 'cli.js');
export const fixtures = join(repoRoot, 'test', 'fixtures', 'cli');
export { repoRoot };
/** ../shared beside the repository, present in CI and for the developers, absent for a user's clone. */
export const shared = sharedDir;

/** What one run of the CLI printed and returned. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** An empty advisory store folder, so that no test reads the store of the user running it. */
export const emptyCache = mkdtempSync(join(tmpdir(), 'pinwatch-cache-'));
// Readable by the unprivileged user of pinwatchAs too.
chmodSync(emptyCache, 0o755);

/** Runs `pinwatch ARGS` in `cwd` with optional standard input (and `env` over the test's own environment). */
export function pinwatch(args: readonly string[], cwd: string, input?: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, input: input ?? '', encoding: 'utf8', env: { ...process.env, PINWATCH_CACHE_DIR: emptyCache, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * How to run a command as an unprivileged user, for tests of unreadable files (root reads mode-000 files): no
 * prefix when the tests already run unprivileged, else `setpriv` or `runuser` to the `nobody` user, or the
 * reason neither works.
 */
export function unprivileged(): { prefix: string[] } | { unavailable: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const candidates = [
    ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'],
    ['runuser', '-u', 'nobody', '--'],
  ];
  for (const prefix of candidates) {
    const probe = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, '-e', 'process.stdout.write(String(process.getuid()))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout !== '0') return { prefix };
  }
  return { unavailable: 'running as root, and neither setpriv nor runuser can switch to the nobody user' };
}

/** Runs `pinwatch ARGS` in `cwd` behind a prefix such as `unprivileged()`'s, with the bundled CLI at `cli`. */
export function pinwatchAs(prefix: readonly string[], cli: string, args: readonly string[], cwd: string): Run {
  const [command, ...rest] = prefix.length > 0 ? [...prefix, process.execPath] : [process.execPath];
  const result = spawnSync(command!, [...rest, cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PINWATCH_CACHE_DIR: emptyCache } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary copy of a fixture folder. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pinwatch-${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}
