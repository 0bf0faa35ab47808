/** Running the bundled CLI (dist/cli.js) as a user would, and the paths the CLI tests share. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
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

/** Runs `pinwatch ARGS` in `cwd` with optional standard input. */
export function pinwatch(args: readonly string[], cwd: string, input?: string): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, input: input ?? '', encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary copy of a fixture folder. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pinwatch-${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}
