import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pinwatch } from './helpers';

const dockerfile = [
  'FROM debian:sid',
  'RUN apt-get install -y xz-utils=5.6.1-1 # pinwatch-ignore CVE-2024-3094 until=2999-12-31 forensics image, never pushed',
  'RUN apt-get install -y liblzma5=5.6.1-1 # pinwatch-ignore CVE-2024-3094 until=2000-01-01 long expired',
  '',
].join('\n');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-suppress-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

test('a suppressed finding fails nothing, is counted in the text report and listed on request; an expired one is active again', () => {
  const dir = tree();
  const run = pinwatch(['scan', '.'], dir);
  assert.equal(run.status, 1);
  assert.deepStrictEqual(run.stdout.split('\n').map((l) => l.replace(/ \(xz-utils backdoor.*?\[/, ' … [')), [
    'Dockerfile:3:33: error liblzma5 5.6.1-1 is a compromised release … [compromised-version]',
    'Dockerfile:3:41: warning This suppression of CVE-2024-3094 expired on 2000-01-01: the finding is reported again. [suppression-expired]',
    '1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned. 1 suppressed (list them with --show-suppressed).',
    '',
  ]);
  const shown = pinwatch(['scan', '.', '--show-suppressed'], dir).stdout.split('\n')[0]!;
  assert.match(shown, /^Dockerfile:2:33: suppressed xz-utils 5\.6\.1-1 is a compromised release .* \(suppressed: forensics image, never pushed, until 2999-12-31\) \[compromised-version\]$/);
  // With the expired one fixed, only the suppressed finding is left: the gate passes.
  writeFileSync(join(dir, 'Dockerfile'), dockerfile.replace('liblzma5=5.6.1-1', 'liblzma5=5.6.1+really5.4.5-1').replace(/ # pinwatch-ignore CVE-2024-3094 until=2000-01-01 long expired/, ''));
  assert.deepStrictEqual(pinwatch(['scan', '.'], dir), { status: 0, stderr: '', stdout: 'No compromised pins found in 1 file. 1 suppressed (list them with --show-suppressed).\n' });
});

test('JSON and SARIF keep suppressed findings, with the reason, and the notices', () => {
  const dir = tree();
  const json = JSON.parse(pinwatch(['scan', '.', '--format', 'json'], dir).stdout);
  assert.deepStrictEqual(json.findings.map((f: { line: number; suppressed?: unknown }) => [f.line, f.suppressed ?? null]), [
    [2, { kind: 'inSource', justification: 'forensics image, never pushed', until: '2999-12-31', range: { start: { line: 1, character: 40 }, end: { line: 1, character: 118 } } }],
    [3, null],
  ]);
  assert.deepStrictEqual([json.summary.suppressed, json.summary.findings, json.notices.map((n: { code: string }) => n.code)], [1, { error: 1, warning: 0, info: 0 }, ['suppression-expired']]);
  const sarif = JSON.parse(pinwatch(['scan', '.', '--format', 'sarif'], dir).stdout);
  const run = sarif.runs[0];
  assert.deepStrictEqual(run.results.map((r: { suppressions?: unknown }) => r.suppressions ?? null), [[{ kind: 'inSource', status: 'accepted', justification: 'forensics image, never pushed' }], null]);
  assert.deepStrictEqual(run.invocations[0].toolConfigurationNotifications.map((n: { descriptor: { id: string }; level: string }) => [n.descriptor.id, n.level]), [['suppression-expired', 'warning']]);
});

test('a baseline records the findings of today, and only new ones fail later', () => {
  const dir = tree();
  const baseline = join(dir, 'pinwatch-baseline.json');
  assert.equal(pinwatch(['scan', '.', '--write-baseline', baseline], dir).status, 1);
  const written = JSON.parse(readFileSync(baseline, 'utf8'));
  assert.deepStrictEqual(written, { tool: 'pinwatch', kind: 'baseline', version: 1, fingerprints: ['Dockerfile|compromised-version|CVE-2024-3094|Debian/liblzma5@5.6.1-1'] });
  // Lines move and the baselined finding is still known; a new pin is not.
  writeFileSync(join(dir, 'Dockerfile'), `# a comment\n${dockerfile}`);
  assert.deepStrictEqual(pinwatch(['scan', '.', '--baseline', baseline], dir), {
    status: 0,
    stderr: '',
    stdout: [
      // The expired comment still says so: the baseline dismisses the finding, not the notice.
      'Dockerfile:4:41: warning This suppression of CVE-2024-3094 expired on 2000-01-01: the finding is reported again. [suppression-expired]',
      'No compromised pins found in 1 file. 2 suppressed (list them with --show-suppressed).',
      '',
    ].join('\n'),
  });
  writeFileSync(join(dir, 'Dockerfile'), `${dockerfile}RUN apt-get install -y xz-utils=5.6.0-0.1\n`);
  const later = pinwatch(['scan', '.', '--baseline', baseline], dir);
  assert.equal(later.status, 1);
  assert.match(later.stdout, /^Dockerfile:4:\d+: error xz-utils 5\.6\.0-0\.1 is a compromised release/m);
  writeFileSync(baseline, '{"tool": "pinwatch"}');
  assert.deepStrictEqual(pinwatch(['scan', '.', '--baseline', baseline], dir), {
    status: 2,
    stdout: '',
    stderr: `pinwatch: cannot use the baseline ${baseline}: it is not a Pinwatch baseline (write one with --write-baseline)\n`,
  });
});

/** A project with a lockfile fixture, a vendored Dockerfile and a policy file for both. */
function policyTree(policy: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-policy-'));
  mkdirSync(join(dir, 'fixtures'));
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'fixtures', 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/chalk': { version: '5.6.1' }, 'node_modules/debug': { version: '4.4.2' } } }, null, 2));
  writeFileSync(join(dir, 'vendor', 'Dockerfile'), 'FROM debian:sid\nRUN apt-get install -y xz-utils=5.6.1-1\n');
  writeFileSync(join(dir, 'requirements.txt'), 'ultralytics>=8.3.41\n');
  writeFileSync(join(dir, '.pinwatch.yaml'), policy);
  return dir;
}

const policy = [
  'ignore:',
  '  - id: PINWATCH-NPM-2025-09-CHALK-DEBUG',
  '    paths: ["fixtures/**"]',
  '    package: chalk',
  '    until: 2999-01-31',
  '    reason: test fixture, never installed',
  '  - id: CVE-2024-3094',
  '    until: 2000-01-01',
  '    reason: long expired',
  '  - id: GHSA-xxxx-unused',
  '    reason: left over',
  'exclude: ["vendor/**"]',
  'severity:',
  '  range-admits-compromised: error',
  '',
].join('\n');

test('a policy file suppresses by id, path and package, excludes, changes severities, and says what it did not use', () => {
  const dir = policyTree(policy);
  const run = pinwatch(['scan', '.', '--format', 'json'], dir);
  assert.equal(run.status, 1, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.deepStrictEqual(json.findings.map((f: { path: string; reference: { name: string }; severity: string; code: string; suppressed?: { kind: string; justification: string } }) => [f.path, f.reference.name, f.severity, f.code, f.suppressed?.justification ?? null]), [
    ['fixtures/package-lock.json', 'chalk', 'error', 'compromised-version', 'test fixture, never installed'],
    ['fixtures/package-lock.json', 'debug', 'error', 'compromised-version', null],
    // A warning by default; the policy makes it an error.
    ['requirements.txt', 'ultralytics', 'error', 'range-admits-compromised', null],
  ]);
  // The vendored Dockerfile is excluded, so the expired CVE entry matches nothing: it is unused, as is the last one.
  assert.deepStrictEqual(json.notices.map((n: { path: string; line: number; code: string }) => [n.path, n.line, n.code]), [
    ['.pinwatch.yaml', 7, 'suppression-unused'],
    ['.pinwatch.yaml', 10, 'suppression-unused'],
  ]);
  assert.equal(json.summary.filesScanned, 2);
  // --no-config reads none of it: the vendored pin is back, nothing is suppressed, the range is a warning again.
  const plain = JSON.parse(pinwatch(['scan', '.', '--format', 'json', '--no-config'], dir).stdout);
  assert.deepStrictEqual([plain.summary.filesScanned, plain.summary.suppressed, plain.findings.map((f: { severity: string }) => f.severity)], [3, 0, ['error', 'error', 'warning', 'error']]);
});

test('a policy entry past its date applies no more and says so; a broken policy file exits 2 with its line', () => {
  const dir = policyTree(policy.replace('exclude: ["vendor/**"]\n', ''));
  const json = JSON.parse(pinwatch(['scan', '.', '--format', 'json'], dir).stdout);
  assert.deepStrictEqual(json.notices.map((n: { line: number; code: string; message: string }) => [n.line, n.code, n.message]), [
    [7, 'suppression-expired', 'This suppression of CVE-2024-3094 expired on 2000-01-01: its findings are reported again.'],
    [10, 'suppression-unused', 'This suppression of GHSA-xxxx-unused matches no finding; remove it if it is no longer needed.'],
  ]);
  assert.equal(json.findings.find((f: { reference: { name: string } }) => f.reference.name === 'xz-utils').suppressed, undefined);
  writeFileSync(join(dir, '.pinwatch.yaml'), 'ignore:\n  - id: X\n');
  assert.deepStrictEqual(pinwatch(['scan', '.'], dir), { status: 2, stdout: '', stderr: 'pinwatch: invalid policy file .pinwatch.yaml:2: an ignore entry needs a reason: why the finding is accepted\n' });
});
