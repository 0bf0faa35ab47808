// The GitHub Action's entry point (action.yml). It is plain JavaScript, committed as written: the bundled CLI is
// build output and not in the repository, so the first run on a runner builds it (npm ci, then esbuild), and
// every run then scans the workspace with the action's inputs and passes the exit status on.
'use strict';
const { spawnSync } = require('node:child_process');
const { appendFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

/** An input as the runner passes it: INPUT_ and the name in upper case (hyphens kept). */
function input(name, fallback) {
  const value = process.env[`INPUT_${name.toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status === null ? 2 : result.status;
}

function main() {
  if (!existsSync(cli)) {
    console.log('Pinwatch: building the CLI (npm ci, then esbuild), once per runner');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    if (run(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root }) !== 0 || run(npm, ['run', 'build:fast'], { cwd: root }) !== 0) {
      console.log('::error title=Pinwatch::could not build the Pinwatch CLI');
      return 2;
    }
  }
  const paths = input('path', '.').split(/\s+/).filter((p) => p !== '');
  const args = ['scan', ...paths, '--format', input('format', 'github'), '--fail-on', input('fail-on', 'error')];
  const output = input('output', '');
  if (output !== '') args.push('--output', output);
  const status = run(process.execPath, [cli, ...args], { cwd: process.env.GITHUB_WORKSPACE || process.cwd() });
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `exit-code=${status}\n`);
  return status;
}

process.exitCode = main();
