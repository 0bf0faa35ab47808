import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { githubReport } from '../../server/src/report/github';
import type { ScanResult } from '../../server/src/report/types';
import { pinwatch, repoRoot } from './helpers';

interface JsonReport {
  findings: Array<{ path: string; line: number; column: number; severity: string; code: string; message: string; range: { end: { line: number; character: number } } }>;
  problems: unknown[];
}

const examples = (): JsonReport => JSON.parse(pinwatch(['scan', 'examples', '--format', 'json', '--fail-on', 'never'], repoRoot).stdout) as JsonReport;

test('--format github writes one annotation per finding, at its file, line and columns, and a summary line', () => {
  const json = examples();
  const run = pinwatch(['scan', 'examples', '--format', 'github', '--fail-on', 'never'], repoRoot);
  assert.equal(run.status, 0);
  const lines = run.stdout.trimEnd().split('\n');
  const levels = { error: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
  assert.deepStrictEqual(
    lines.slice(0, -1).map((l) => /^::(\w+) file=([^,]+),line=(\d+),endLine=\d+,col=(\d+),endColumn=\d+,title=Pinwatch%3A [^:]+::/.exec(l)?.slice(1)),
    json.findings.map((f) => [levels[f.severity], f.path, String(f.line), String(f.column)]),
  );
  assert.equal(lines.at(-1), `Pinwatch: ${json.findings.length} findings in ${JSON.parse(pinwatch(['scan', 'examples', '--format', 'json', '--fail-on', 'never'], repoRoot).stdout).summary.filesScanned} files scanned.`);
});

test('workflow commands escape what the runner would read as syntax', () => {
  const result: ScanResult = {
    files: [{ path: 'a,b:c/Dockerfile', absolutePath: '/r/a,b:c/Dockerfile', findings: [], problems: [{ kind: 'problem', reason: 'syntax', message: '100% broken\nhere', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } } }] }],
    filesScanned: 1,
    notes: [],
    unread: [{ path: 'secret', reason: 'permission denied' }],
  };
  assert.equal(githubReport(result), [
    '::warning file=a%2Cb%3Ac/Dockerfile,line=3,col=5,title=Pinwatch%3A not fully read::100%25 broken%0Ahere',
    '::error file=secret,title=Pinwatch%3A not read::Pinwatch could not read this path: permission denied.',
    'Pinwatch: 0 findings in 1 file scanned.',
    '',
  ].join('\n'));
});

test('--format gitlab writes a code quality report: an issue per finding, with distinct fingerprints', () => {
  const json = examples();
  const run = pinwatch(['scan', 'examples', '--format', 'gitlab', '--fail-on', 'never'], repoRoot);
  assert.equal(run.status, 0);
  const issues = JSON.parse(run.stdout) as Array<{ check_name: string; description: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } } }>;
  const severities = { error: 'critical', warning: 'major', info: 'info' } as Record<string, string>;
  assert.deepStrictEqual(
    issues.map((i) => [i.check_name, i.description, i.severity, i.location.path, i.location.lines.begin]),
    json.findings.map((f) => [f.code, f.message, severities[f.severity], f.path, f.line]),
  );
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
  assert.ok(issues.every((i) => /^[0-9a-f]{32}$/.test(i.fingerprint)));
});

test('SARIF rules carry a security-severity and tags, so code scanning ranks the alerts', () => {
  const sarif = JSON.parse(pinwatch(['scan', 'examples', '--format', 'sarif', '--fail-on', 'never'], repoRoot).stdout);
  const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; properties: Record<string, unknown> }>;
  const results = sarif.runs[0].results as Array<{ ruleId: string; level: string }>;
  for (const rule of rules) {
    const levels = results.filter((r) => r.ruleId === rule.id).map((r) => r.level);
    const expected = levels.includes('error') ? '9.8' : levels.includes('warning') ? '7.0' : '2.0';
    assert.equal(rule.properties['security-severity'], expected, rule.id);
    assert.ok((rule.properties.tags as string[]).includes('security'), rule.id);
  }
  assert.ok(rules.some((r) => r.properties['security-severity'] === '9.8'));
});

test('the GitHub Action scans its inputs with the bundled CLI, passes the exit status on and sets the exit-code output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-action-'));
  const outputs = join(dir, 'outputs');
  const action = (inputs: Record<string, string>) =>
    spawnSync(process.execPath, [join(repoRoot, 'action', 'main.js')], {
      encoding: 'utf8',
      env: { ...process.env, GITHUB_WORKSPACE: repoRoot, GITHUB_OUTPUT: outputs, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])) },
    });
  const failing = action({ path: 'examples/node-app examples/python-app', 'fail-on': 'error', format: 'github', output: '' });
  assert.equal(failing.status, 1, failing.stderr);
  assert.match(failing.stdout, /^::error file=examples\/node-app\/package-lock\.json,line=\d+/m);
  assert.match(failing.stdout, /^::error file=examples\/python-app\/requirements\.txt,/m);
  const sarif = join(dir, 'pinwatch.sarif');
  const passing = action({ path: 'examples', 'fail-on': 'never', format: 'sarif', output: sarif });
  assert.equal(passing.status, 0, passing.stderr);
  assert.equal(JSON.parse(readFileSync(sarif, 'utf8')).version, '2.1.0');
  assert.equal(readFileSync(outputs, 'utf8'), 'exit-code=1\nexit-code=0\n');
  // The manifest names this entry point and the inputs it reads.
  const manifest = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
  assert.match(manifest, /^ {2}using: node20\n {2}main: action\/main\.js$/m);
  for (const name of ['path', 'fail-on', 'format', 'output']) assert.match(manifest, new RegExp(`^ {2}${name}:$`, 'm'));
});

test('the pre-commit hook scans the files it is given, and picks the ones Pinwatch reads', () => {
  const hook = readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');
  assert.match(hook, /^ {2}entry: action\/pre-commit\.sh$/m);
  assert.match(hook, /^ {2}language: script$/m);
  assert.ok((statSync(join(repoRoot, 'action', 'pre-commit.sh')).mode & 0o111) !== 0, 'the hook script is executable');
  const run = spawnSync(join(repoRoot, 'action', 'pre-commit.sh'), ['examples/node-app/package-lock.json', 'README.md', 'examples/debian-sid/Dockerfile'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const files = [...new Set(run.stdout.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l)).map((l) => l.split(':')[0]))];
  // README.md is not a file Pinwatch reads: it is passed over, and the two others are scanned, in the order given.
  assert.deepStrictEqual(files, ['examples/node-app/package-lock.json', 'examples/debian-sid/Dockerfile']);
  assert.match(run.stdout, /; 2 files scanned\.\n$/);
});
