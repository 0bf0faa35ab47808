import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { formatFor, formats } from '../../server/src/formats/index';
import { ecosystemAliases, ecosystemSchemes, schemes } from '../../server/src/versions/index';
import { cliPath, copyFixture, fixtures, pinwatch, pinwatchAs, repoRoot, shared, unprivileged } from './helpers';

interface JsonFinding {
  path: string;
  line: number;
  column: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  advisory: { id: string };
  fixes: Array<{ title: string; edits: Array<{ uri: string; newText: string }> }>;
}

test('scan reports every finding of a mixed folder as text, and exits 1', () => {
  const run = pinwatch(['scan', 'mixed'], fixtures);
  assert.equal(run.stderr, '');
  assert.equal(run.status, 1);
  assert.equal(
    run.stdout,
    [
      'mixed/Dockerfile:3:51: error xz-utils 5.6.1-1 (from ARG XZ_VER, line 2) is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1+really5.4.5-1 instead. (fix: Pin xz-utils to 5.6.1+really5.4.5-1 (at ARG XZ_VER, line 2)) [compromised-version]',
      'mixed/recipes/libfoo/APKBUILD:5:18: error xz-libs 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1-r2 instead. (fix: Pin xz-libs to 5.6.1-r2) [compromised-version]',
      'mixed/web/package-lock.json:16:19: error chalk 5.6.1 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). Pin 5.6.0 instead. Then run npm install to rewrite the lockfile. (fix: Override chalk to 5.6.0 in package.json) [compromised-version]',
      'mixed/web/package-lock.json:26:19: error ua-parser-js 0.7.29 is a compromised release (ua-parser-js hijack (2021-10), GHSA-pjwm-rvh2-c87w). Pin 0.7.30 instead. Then run npm install to rewrite the lockfile. (fix: Override ua-parser-js to 0.7.30 in package.json) [compromised-version]',
      '4 findings in 3 files (4 error, 0 warning, 0 info); 4 files scanned.',
      '',
    ].join('\n'),
  );
});

test('scan --format json gives exact ranges, advisories and fixes, and skips node_modules', () => {
  const run = pinwatch(['scan', 'mixed', '--format', 'json'], fixtures);
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as { summary: unknown; findings: JsonFinding[]; notes: string[] };
  const at = (line: number, character: number, length: number): JsonFinding['range'] => ({ start: { line, character }, end: { line, character: character + length } });
  assert.deepEqual(report.findings.map((f) => [f.line, f.column, f.range.start.line + 1, f.range.start.character + 1]), [[3, 51, 3, 51], [5, 18, 5, 18], [16, 19, 16, 19], [26, 19, 26, 19]], 'line and column are 1-based, as in the text report');
  const shape = report.findings.map((f) => ({
    path: f.path,
    range: f.range,
    severity: f.severity,
    code: f.code,
    advisory: f.advisory.id,
    fixes: f.fixes.map((fix) => fix.edits.map((e) => [fileURLToPath(e.uri).slice(fixtures.length + 1), e.newText])),
  }));
  const override = (name: string, version: string): string => `,\n  "overrides": {\n    "${name}": "${version}"\n  }`;
  assert.deepEqual(shape, [
    { path: 'mixed/Dockerfile', range: at(2, 50, 9), severity: 'error', code: 'compromised-version', advisory: 'CVE-2024-3094', fixes: [[['mixed/Dockerfile', '5.6.1+really5.4.5-1']], [['mixed/Dockerfile', '5.6.2-2']]] },
    { path: 'mixed/recipes/libfoo/APKBUILD', range: at(4, 17, 8), severity: 'error', code: 'compromised-version', advisory: 'CVE-2024-3094', fixes: [[['mixed/recipes/libfoo/APKBUILD', '5.6.1-r2']]] },
    // chalk is also a direct dependency: npm rejects an override that differs from its spec, so the spec is pinned too.
    { path: 'mixed/web/package-lock.json', range: at(15, 18, 5), severity: 'error', code: 'compromised-version', advisory: 'PINWATCH-NPM-2025-09-CHALK-DEBUG', fixes: [[['mixed/web/package.json', '"5.6.0"'], ['mixed/web/package.json', override('chalk', '$chalk')]]] },
    {
      path: 'mixed/web/package-lock.json', range: at(25, 18, 6), severity: 'error', code: 'compromised-version', advisory: 'GHSA-pjwm-rvh2-c87w',
      fixes: [[['mixed/web/package.json', override('ua-parser-js', '0.7.30')]], [['mixed/web/package.json', override('ua-parser-js', '0.8.1')]], [['mixed/web/package.json', override('ua-parser-js', '1.0.1')]]],
    },
  ]);
  assert.deepEqual(report.summary, { filesScanned: 4, filesWithFindings: 3, filesNotFullyRead: 0, findings: { error: 4, warning: 0, info: 0 }, suppressed: 0 });
  assert.deepEqual(report.notes, []);
});

test('scan --fix pins safe versions in place, adds npm overrides, and the rescan is clean but for the lockfile', () => {
  const dir = copyFixture('mixed');
  const before = (p: string): string => readFileSync(join(fixtures, 'mixed', p), 'utf8');
  const after = (p: string): string => readFileSync(join(dir, p), 'utf8');
  const run = pinwatch(['scan', '--fix'], dir);
  assert.equal(run.status, 1, 'the lockfile stays flagged until npm install rewrites it');
  assert.equal(after('Dockerfile'), before('Dockerfile').replace('ARG XZ_VER=5.6.1-1', 'ARG XZ_VER=5.6.1+really5.4.5-1'));
  assert.equal(after('recipes/libfoo/APKBUILD'), before('recipes/libfoo/APKBUILD').replace('xz-libs=5.6.1-r1', 'xz-libs=5.6.1-r2'));
  assert.equal(after('web/package-lock.json'), before('web/package-lock.json'));
  assert.equal(
    after('web/package.json'),
    before('web/package.json')
      .replace('"chalk": "^5.6.0"', '"chalk": "5.6.0"')
      .replace('\n  }\n}\n', '\n  },\n  "overrides": {\n    "chalk": "$chalk",\n    "ua-parser-js": "0.7.30"\n  }\n}\n'),
  );
  assert.match(run.stdout, /^fixed Dockerfile:2: Pin xz-utils to 5\.6\.1\+really5\.4\.5-1 \(at ARG XZ_VER, line 2\) \(5\.6\.1-1 -> 5\.6\.1\+really5\.4\.5-1\)$/m);
  assert.match(run.stdout, /^5 fixes applied\.$/m);

  const rescan = pinwatch(['scan', '--format', 'json'], dir);
  const findings = (JSON.parse(rescan.stdout) as { findings: JsonFinding[] }).findings;
  assert.deepEqual(findings.map((f) => [f.path, f.advisory.id, f.fixes.length]), [
    ['web/package-lock.json', 'PINWATCH-NPM-2025-09-CHALK-DEBUG', 0],
    ['web/package-lock.json', 'GHSA-pjwm-rvh2-c87w', 0],
  ]);
  const again = pinwatch(['scan', '--fix'], dir);
  assert.match(again.stdout, /^0 fixes applied\.$/m, 'a second --fix changes nothing');
});

test('the false-positive traps scan clean and exit 0', () => {
  const run = pinwatch(['scan', 'clean'], fixtures);
  assert.deepEqual(run, { status: 0, stdout: 'No compromised pins found in 4 files.\n', stderr: '' });
});

test('malformed files crash nothing: binary is not read and exits 2, a truncated lockfile is reported where it stops, an unterminated heredoc gives what it holds', () => {
  const run = pinwatch(['scan', 'malformed', '--fail-on', 'never'], fixtures);
  assert.deepEqual(run, {
    status: 2,
    stderr: 'pinwatch: cannot read malformed/APKBUILD: binary content\n',
    stdout: [
      'malformed/Dockerfile:3:12: error xz 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1-r2 instead. (fix: Pin xz to 5.6.1-r2) [compromised-version]',
      // The version is cut off ("5.6."), so it is not read as any version; the place is reported instead.
      'malformed/package-lock.json:4:40: incomplete package-lock.json is not valid JSON here: an unterminated string. Pinwatch checked the entries it could read; entries after this point may be missing. [incomplete-read]',
      '1 finding in 1 file (1 error, 0 warning, 0 info); 2 files scanned. 1 file was not fully read, so it may hold more.',
      '',
    ].join('\n'),
  });
  const json = JSON.parse(pinwatch(['scan', 'malformed', '--format', 'json'], fixtures).stdout);
  assert.deepEqual([json.summary.filesScanned, json.unread], [2, [{ path: 'malformed/APKBUILD', reason: 'binary content' }]]);
});

test('a file read only in part fails the scan, in every report, unless --fail-on never', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-truncated-'));
  const lock = readFileSync(join(repoRoot, 'examples', 'node-app', 'package-lock.json'), 'utf8');
  // Cut inside the entry after debug's: chalk and debug are whole, and still found.
  writeFileSync(join(dir, 'package-lock.json'), lock.slice(0, lock.indexOf('"node_modules/ms"') + 10));
  const text = pinwatch(['scan', '.'], dir);
  assert.equal(text.status, 1);
  assert.deepEqual(text.stdout.split('\n').map((line) => line.replace(/ \(npm chalk.*$/, '').replace(/ is not valid JSON here.*$/, '')), [
    'package-lock.json:16:19: error chalk 5.6.1 is a compromised release',
    'package-lock.json:21:19: error debug 4.4.2 is a compromised release',
    'package-lock.json:28:5: incomplete package-lock.json',
    '2 findings in 1 file (2 error, 0 warning, 0 info); 1 file scanned. 1 file was not fully read, so it may hold more.',
    '',
  ]);
  const json = JSON.parse(pinwatch(['scan', '.', '--format', 'json'], dir).stdout);
  assert.deepEqual(json.problems, [{
    path: 'package-lock.json',
    line: 28,
    column: 5,
    range: { start: { line: 27, character: 4 }, end: { line: 27, character: 14 } },
    reason: 'syntax',
    message: 'package-lock.json is not valid JSON here: an unterminated string. Pinwatch checked the entries it could read; entries after this point may be missing.',
  }]);
  assert.equal(json.summary.filesNotFullyRead, 1);
  const sarif = JSON.parse(pinwatch(['scan', '.', '--format', 'sarif'], dir).stdout);
  assert.deepEqual(sarif.runs[0].invocations, [{
    executionSuccessful: false,
    toolExecutionNotifications: [{
      level: 'warning',
      descriptor: { id: 'incomplete-read' },
      message: { text: json.problems[0].message },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'package-lock.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 28, startColumn: 5, endLine: 28, endColumn: 15 } } }],
    }],
  }]);
  // Nothing at or above --fail-on, but the file was not fully read: still a failure, unless the gate is off.
  writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {"node_modules/ms": {"version": "2.1.3"}');
  assert.equal(pinwatch(['scan', '.'], dir).status, 1);
  assert.equal(pinwatch(['scan', '.', '--fail-on', 'never'], dir).status, 0);
  assert.match(pinwatch(['scan', '.'], dir).stdout, /No compromised pins found in what was read of 1 file\. 1 file was not fully read, so it may hold more\.\n$/);
});

test('a file over the size cap is not read, and exits 2 with the reason on stderr', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-big-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package-lock.json'), Buffer.alloc(51 * 1024 * 1024, 0x20));
  const run = pinwatch(['scan', '.'], dir);
  assert.deepEqual(run, { status: 2, stderr: 'pinwatch: cannot read package-lock.json: larger than the 50 MB cap (51 MB)\n', stdout: 'No compromised pins found in 0 files.\n' });
});

test('an unreadable file or folder exits 2 with one line each on stderr, and the rest is still reported', (t) => {
  const runner = unprivileged();
  if ('unavailable' in runner) {
    if (process.env.CI) assert.fail(runner.unavailable);
    t.skip(runner.unavailable);
    return;
  }
  // A world-readable folder with its own copy of the CLI, so the unprivileged user reaches both.
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-perm-'));
  chmodSync(dir, 0o755);
  const cli = join(dir, 'cli.js');
  // The CLI is its entry point, the bundle it runs and that bundle's code cache.
  for (const name of ['cli.js', 'cli-main.js', 'cli-main.cache', 'sql-wasm.wasm']) copyFileSync(join(dirname(cliPath), name), join(dir, name));
  const work = join(dir, 'work');
  mkdirSync(join(work, 'locked'), { recursive: true });
  mkdirSync(join(work, 'open'));
  writeFileSync(join(work, 'locked', 'Dockerfile'), 'FROM alpine:3.19\n');
  writeFileSync(join(work, 'open', 'Dockerfile'), 'FROM alpine:3.19\nRUN apk add xz=5.6.1-r1\n');
  writeFileSync(join(work, 'Dockerfile'), 'FROM alpine:3.19\n');
  chmodSync(join(work, 'locked'), 0o000);
  chmodSync(join(work, 'Dockerfile'), 0o000);
  t.after(() => {
    chmodSync(join(work, 'locked'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  assert.deepEqual(pinwatchAs(runner.prefix, cli, ['scan', 'Dockerfile'], work), {
    status: 2,
    stdout: 'No compromised pins found in 0 files.\n',
    stderr: 'pinwatch: cannot read Dockerfile: permission denied\n',
  });
  assert.deepEqual(pinwatchAs(runner.prefix, cli, ['scan', 'locked'], work), {
    status: 2,
    stdout: 'No compromised pins found in 0 files.\n',
    stderr: 'pinwatch: cannot read locked: permission denied\n',
  });
  assert.deepEqual(pinwatchAs(runner.prefix, cli, ['scan', 'locked/Dockerfile', 'open'], work), {
    status: 2,
    stdout: [
      'open/Dockerfile:2:16: error xz 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1-r2 instead. (fix: Pin xz to 5.6.1-r2) [compromised-version]',
      '1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.',
      '',
    ].join('\n'),
    stderr: 'pinwatch: cannot read locked/Dockerfile: permission denied\n',
  });
  assert.deepEqual(pinwatchAs(runner.prefix, cli, ['scan', '--fail-on', 'never'], work), {
    status: 2,
    stdout: [
      'open/Dockerfile:2:16: error xz 5.6.1-r1 is a compromised release (xz-utils backdoor, CVE-2024-3094). Pin 5.6.1-r2 instead. (fix: Pin xz to 5.6.1-r2) [compromised-version]',
      '1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.',
      '',
    ].join('\n'),
    stderr: 'pinwatch: cannot read Dockerfile: permission denied\npinwatch: cannot read locked: permission denied\n',
  });
});

test('links out of the scanned folder are not followed, reported as unread, and --fix writes nothing through them', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-links-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const outside = join(dir, 'outside');
  const root = join(dir, 'root');
  mkdirSync(join(outside, 'shared'), { recursive: true });
  mkdirSync(join(root, 'app'), { recursive: true });
  const dockerfile = 'FROM alpine:3.19\nRUN apk add xz=5.6.1-r1\n';
  const manifest = '{\n  "name": "app",\n  "dependencies": {\n    "chalk": "^5.6.0"\n  }\n}\n';
  writeFileSync(join(outside, 'Dockerfile'), dockerfile);
  writeFileSync(join(outside, 'shared', 'Dockerfile'), dockerfile);
  writeFileSync(join(outside, 'package.json'), manifest);
  writeFileSync(join(root, 'app', 'package-lock.json'), '{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" },\n    "node_modules/chalk": { "version": "5.6.1" }\n  }\n}\n');
  symlinkSync(join(outside, 'Dockerfile'), join(root, 'Dockerfile'));
  symlinkSync(join(outside, 'shared'), join(root, 'shared'));
  symlinkSync(join(outside, 'package.json'), join(root, 'app', 'package.json'));
  symlinkSync(join(root, 'app'), join(root, 'app-again'));

  const run = pinwatch(['scan', '--fix'], root);
  assert.deepEqual(run, {
    status: 2,
    stdout: [
      '0 fixes applied.',
      'app/package-lock.json:6:41: error chalk 5.6.1 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). Use 5.6.0 instead. [compromised-version]',
      '1 finding in 1 file (1 error, 0 warning, 0 info); 1 file scanned.',
      '',
    ].join('\n'),
    stderr: [
      `pinwatch: cannot read Dockerfile: symbolic link to ${join(outside, 'Dockerfile')}, outside the scanned folders`,
      `pinwatch: cannot read app/package.json: symbolic link to ${join(outside, 'package.json')}, outside the scanned folders`,
      `pinwatch: cannot read shared: symbolic link to ${join(outside, 'shared')}, outside the scanned folders`,
      '',
    ].join('\n'),
  });
  assert.deepEqual([readFileSync(join(outside, 'Dockerfile'), 'utf8'), readFileSync(join(outside, 'shared', 'Dockerfile'), 'utf8'), readFileSync(join(outside, 'package.json'), 'utf8')], [dockerfile, dockerfile, manifest]);
  // Named as a root, a link is the user's choice and is read.
  assert.equal(pinwatch(['scan', 'Dockerfile'], root).status, 1);
});

test('--fail-on sets which severities fail the run', () => {
  assert.equal(pinwatch(['scan', 'mixed', '--fail-on', 'never'], fixtures).status, 0);
  assert.equal(pinwatch(['scan', 'mixed', '--fail-on', 'warning'], fixtures).status, 1);
  assert.equal(pinwatch(['scan', 'clean', '--fail-on', 'info'], fixtures).status, 0);
});

test('--exclude and --ignore may be repeated, and options may follow the paths or be given as --name=value', () => {
  assert.deepEqual(pinwatch(['scan', 'mixed', '--exclude', 'web', '--exclude=recipes', '--ignore', 'CVE-2024-3094'], fixtures), { status: 0, stdout: 'No compromised pins found in 1 file.\n', stderr: '' });
  assert.deepEqual(JSON.parse(pinwatch(['scan', '--exclude=web', 'mixed', '--format=json'], fixtures).stdout).summary, { filesScanned: 2, filesWithFindings: 2, filesNotFullyRead: 0, findings: { error: 2, warning: 0, info: 0 }, suppressed: 0 });
});

test('--output writes the report to a file and nothing to stdout', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pinwatch-out-')), 'report.json');
  const run = pinwatch(['scan', 'clean', '--format', 'json', '--output', out], fixtures);
  assert.deepEqual(run, { status: 0, stdout: '', stderr: '' });
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).summary, { filesScanned: 4, filesWithFindings: 0, filesNotFullyRead: 0, findings: { error: 0, warning: 0, info: 0 }, suppressed: 0 });
});

test('bad usage and unreadable paths exit 2 with one line on stderr', () => {
  const cases: Array<[string[], string]> = [
    [['scan', 'no-such-folder'], "pinwatch: cannot read no-such-folder: no such file or directory\n"],
    [['scan', '--format', 'xml'], "pinwatch: --format must be one of text, json, sarif, gitlab, github (got 'xml') (see 'pinwatch scan --help')\n"],
    [['scan', '--frobnicate'], "pinwatch: unknown option '--frobnicate' (see 'pinwatch scan --help')\n"],
    [['scan', '--output'], "pinwatch: --output needs a value (see 'pinwatch scan --help')\n"],
    [['scan', '--output', '--fix'], "pinwatch: --output needs a value (see 'pinwatch scan --help')\n"],
    [['scan', '--fix=yes'], "pinwatch: --fix takes no value (see 'pinwatch scan --help')\n"],
    [['lint'], "pinwatch: unknown command 'lint' (see 'pinwatch --help')\n"],
    [['help', 'lint'], "pinwatch: unknown command 'lint' (see 'pinwatch --help')\n"],
    [['compare', 'Debian', '1.0'], "pinwatch: compare needs ECOSYSTEM A B (see 'pinwatch compare --help')\n"],
    [['compare', 'Nonesuch', '1', '2'], "pinwatch: unknown ecosystem 'Nonesuch' (see 'pinwatch compare --help')\n"],
    [['compare', 'Debian', '1', '2', '--frobnicate'], "pinwatch: unknown option '--frobnicate' (see 'pinwatch compare --help')\n"],
  ];
  for (const [args, stderr] of cases) assert.deepEqual(pinwatch(args, fixtures), { status: 2, stdout: '', stderr }, args.join(' '));
});

test('compare answers as the package managers do', () => {
  assert.deepEqual(pinwatch(['compare', 'Debian', '5.6.1+really5.4.5-1', '5.6.1-1'], repoRoot), { status: 0, stdout: '>\n', stderr: '' });
  assert.deepEqual(pinwatch(['compare', 'Alpine', '5.6.1-r1', '5.6.1-r2'], repoRoot), { status: 0, stdout: '<\n', stderr: '' });
  assert.deepEqual(pinwatch(['compare', 'Debian', '0:1.0', '1.0'], repoRoot), { status: 0, stdout: '=\n', stderr: '' });
});

test('compare --stdin answers line by line, ? for an invalid version, and exits 2 at the end', () => {
  const run = pinwatch(['compare', 'Arch Linux', '--stdin'], repoRoot, '5.6.1-2 5.6.1-1\n5.6.0-1 5.6.0-1\n1:1.0 2.0\n');
  assert.deepEqual(run, { status: 0, stdout: '>\n=\n>\n', stderr: '' });
  const bad = pinwatch(['compare', 'Debian', '--stdin'], repoRoot, '1.0 2.0\n1.0 1.0-\n2.0 1.0\n');
  assert.deepEqual(bad, { status: 2, stdout: '<\n?\n>\n', stderr: "pinwatch: line 2: invalid dpkg version '1.0-': revision number is empty\n" });
});

test('compare --stdin skips blank lines but counts them in the line numbers of its errors', () => {
  const run = pinwatch(['compare', 'Debian', '--stdin'], repoRoot, '\n1.0 2.0\r\n\n  \n1.0 1.0-\nonly-one\n');
  assert.deepEqual(run, {
    status: 2,
    stdout: '<\n?\n?\n',
    stderr: "pinwatch: line 5: invalid dpkg version '1.0-': revision number is empty\npinwatch: line 6: expected two versions 'A B', got 1 field\n",
  });
});

test('compare takes ecosystem names in any case, version scheme names and common aliases', () => {
  const cases: Array<[string, string, string, string]> = [
    ['arch', '5.6.1-2', '5.6.1-1', '>'],
    ['Arch', '1:1.0-1', '2.0-1', '>'],
    ['ARCH LINUX', '5.6.1-1', '5.6.1-2', '<'],
    ['alpm', '1.0a-1', '1.0-1', '<'],
    ['debian', '5.6.1+really5.4.5-1', '5.6.1-1', '>'],
    ['dpkg', '1.0~rc1', '1.0', '<'],
    ['rpm', '5.4.6-3.fc40', '5.6.0-2.fc40', '<'],
    ['pep440', '1.0', '1.0.0', '='],
    ['pypi', '8.3.41', '8.3.40', '>'],
    ['cargo', '0.3.3', '0.3.2', '>'],
  ];
  const answers = cases.map(([ecosystem, a, b]) => [ecosystem, a, b, pinwatch(['compare', ecosystem, a, b], repoRoot).stdout.trim()]);
  assert.deepEqual(answers, cases);
});

test('each command has its own --help, which exits 0, and compare --help lists every ecosystem and alias', () => {
  const scanHelp = pinwatch(['scan', '--help'], repoRoot);
  assert.deepEqual([scanHelp.status, scanHelp.stderr, scanHelp.stdout.split('\n')[0]], [0, '', 'Usage: pinwatch scan [PATH...] [OPTION...]']);
  for (const flag of ['--format', '--output', '--fail-on', '--fix', '--exclude', '--ignore', '--no-image-windows', 'NO_COLOR']) assert.ok(scanHelp.stdout.includes(flag), flag);
  assert.deepEqual(pinwatch(['scan', '-h'], repoRoot), scanHelp);
  assert.deepEqual(pinwatch(['help', 'scan'], repoRoot), scanHelp);
  assert.deepEqual(pinwatch(['scan', 'no-such-folder', '--help'], repoRoot), scanHelp, 'help wins over the rest of the line');

  const compareHelp = pinwatch(['compare', '--help'], repoRoot);
  assert.deepEqual([compareHelp.status, compareHelp.stderr, compareHelp.stdout.split('\n')[0]], [0, '', 'Usage: pinwatch compare ECOSYSTEM A B']);
  assert.deepEqual(pinwatch(['help', 'compare'], repoRoot), compareHelp);
  const listed = new Set(compareHelp.stdout.split('\n').filter((line) => /^  \w+ {2,}/.test(line) && !line.trim().startsWith('-')).flatMap((line) => line.trim().split(/ {2,}/)[1]!.split(', ')));
  const names = [...Object.keys(ecosystemSchemes), ...Object.keys(ecosystemAliases), ...Object.keys(schemes).filter((s) => !Object.keys(ecosystemSchemes).some((e) => e.toLowerCase() === s))];
  assert.deepEqual(names.filter((n) => !listed.has(n)), []);

  const general = pinwatch(['--help'], repoRoot);
  assert.deepEqual([general.status, general.stderr, general.stdout.startsWith('Usage:\n  pinwatch scan')], [0, '', true]);
  assert.deepEqual(pinwatch([], repoRoot), { status: 2, stdout: '', stderr: general.stdout });
});

test('colours the text report on a terminal only, and honours NO_COLOR and TERM=dumb', (t) => {
  // A terminal is what turns colours on, so the CLI runs under script(1), which gives it a pseudo-terminal.
  const onTerminal = (env: Record<string, string>): string | undefined => {
    const run = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} scan mixed/Dockerfile`, '/dev/null'], { cwd: fixtures, encoding: 'utf8', env: { ...withoutColourSettings(process.env), ...env } });
    return run.status === null || run.error ? undefined : run.stdout.replace(/\r\n/g, '\n');
  };
  const coloured = onTerminal({ TERM: 'xterm-256color' });
  if (coloured === undefined) {
    if (process.env.CI) assert.fail('script(1) is needed to run the CLI on a pseudo-terminal');
    t.skip('script(1) is not available: the colour test needs a pseudo-terminal');
    return;
  }
  assert.match(coloured, /\x1b\[31merror\x1b\[0m/);
  const plain = pinwatch(['scan', 'mixed/Dockerfile'], fixtures).stdout;
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain);
  assert.deepEqual([onTerminal({ TERM: 'xterm', NO_COLOR: '1' }), onTerminal({ TERM: 'dumb' }), onTerminal({ TERM: 'xterm', NO_COLOR: '' })], [plain, plain, coloured]);
});

function withoutColourSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NO_COLOR: _noColor, TERM: _term, FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

test('SARIF output is valid SARIF 2.1.0 with exact regions and fixes', async (t) => {
  const run = pinwatch(['scan', 'mixed', '--format', 'sarif'], fixtures);
  assert.equal(run.status, 1);
  const log = JSON.parse(run.stdout);
  const results = log.runs[0].results.map((r: { ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: unknown } }>; fixes?: unknown[] }) => ({
    ruleId: r.ruleId,
    level: r.level,
    uri: r.locations[0]!.physicalLocation.artifactLocation.uri,
    region: r.locations[0]!.physicalLocation.region,
    fixes: r.fixes?.length ?? 0,
  }));
  assert.deepEqual(results, [
    { ruleId: 'CVE-2024-3094', level: 'error', uri: 'mixed/Dockerfile', region: { startLine: 3, startColumn: 51, endLine: 3, endColumn: 60 }, fixes: 2 },
    { ruleId: 'CVE-2024-3094', level: 'error', uri: 'mixed/recipes/libfoo/APKBUILD', region: { startLine: 5, startColumn: 18, endLine: 5, endColumn: 26 }, fixes: 1 },
    { ruleId: 'PINWATCH-NPM-2025-09-CHALK-DEBUG', level: 'error', uri: 'mixed/web/package-lock.json', region: { startLine: 16, startColumn: 19, endLine: 16, endColumn: 24 }, fixes: 1 },
    { ruleId: 'GHSA-pjwm-rvh2-c87w', level: 'error', uri: 'mixed/web/package-lock.json', region: { startLine: 26, startColumn: 19, endLine: 26, endColumn: 25 }, fixes: 3 },
  ]);
  assert.deepEqual(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['CVE-2024-3094', 'PINWATCH-NPM-2025-09-CHALK-DEBUG', 'GHSA-pjwm-rvh2-c87w']);
  const schemaPath = join(shared, 'reference', 'schemas', 'sarif-schema-2.1.0.json');
  if (!existsSync(schemaPath)) {
    if (process.env.CI) assert.fail(`the SARIF schema is missing at ${schemaPath}`);
    t.skip('../shared is absent: SARIF schema validation not run');
    return;
  }
  const { default: Ajv } = await import('ajv-draft-04');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
});

test('a byte-order mark is not counted in columns, and --fix keeps it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-bom-'));
  writeFileSync(join(dir, 'Dockerfile'), '\uFEFFFROM debian:sid-20240311-slim\nRUN apt-get install -y xz-utils=5.6.1-1\n');
  const json = JSON.parse(pinwatch(['scan', '--format', 'json'], dir).stdout) as { findings: JsonFinding[] };
  assert.deepEqual(json.findings.map((f) => [f.code, f.range]), [
    ['image-in-compromise-window', { start: { line: 0, character: 12 }, end: { line: 0, character: 29 } }],
    ['compromised-version', { start: { line: 1, character: 32 }, end: { line: 1, character: 39 } }],
  ]);
  pinwatch(['scan', '--fix'], dir);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), '\uFEFFFROM debian:sid-20240311-slim\nRUN apt-get install -y xz-utils=5.6.1+really5.4.5-1\n');
});

test('--fix applies each fix whole: a manifest pin and its lockfile entry end in one consistent package.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-both-'));
  writeFileSync(join(dir, 'package.json'), '{\n  "name": "both",\n  "dependencies": {\n    "chalk": "5.6.1"\n  }\n}\n');
  const lock = '{\n  "name": "both",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "both" },\n    "node_modules/chalk": { "version": "5.6.1" }\n  }\n}\n';
  writeFileSync(join(dir, 'package-lock.json'), lock);
  const run = pinwatch(['scan', '--fix'], dir);
  assert.equal(run.status, 1);
  assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), '{\n  "name": "both",\n  "dependencies": {\n    "chalk": "5.6.0"\n  },\n  "overrides": {\n    "chalk": "$chalk"\n  }\n}\n');
  assert.equal(readFileSync(join(dir, 'package-lock.json'), 'utf8'), lock);
  const rescan = JSON.parse(pinwatch(['scan', '--format', 'json'], dir).stdout) as { findings: JsonFinding[] };
  assert.deepEqual(rescan.findings.map((f) => [f.path, f.code, f.fixes.length]), [['package-lock.json', 'compromised-version', 0]]);
});

test('--ignore takes the advisory id the output displays, as well as the stored id and the aliases', () => {
  const lines = (args: readonly string[]): string[] => pinwatch(['scan', 'mixed', ...args], fixtures).stdout.split('\n').filter((l) => l.includes('[compromised-version]'));
  const all = lines([]);
  assert.equal(all.length, 4);
  const withoutChalk = all.filter((l) => !l.includes('chalk'));
  assert.deepEqual(lines(['--ignore', 'PINWATCH-NPM-2025-09-CHALK-DEBUG']), withoutChalk);
  assert.deepEqual(lines(['--ignore', 'x_PINWATCH-NPM-2025-09-CHALK-DEBUG']), withoutChalk);
  assert.deepEqual(lines(['--ignore', 'GHSA-rxwq-x6h5-x525']), all.filter((l) => !l.includes('CVE-2024-3094')));
});

test('the examples show every kind of finding the README claims: each format, each code, each severity', () => {
  const run = pinwatch(['scan', 'examples', '--format', 'json', '--fail-on', 'never'], repoRoot);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { findings: Array<JsonFinding & { reference: { ecosystem?: string } }>; unread: unknown[] };
  const kinds = (pick: (f: (typeof report.findings)[number]) => string | undefined): string[] => [...new Set(report.findings.map(pick).filter((k): k is string => k !== undefined))].sort();
  assert.deepEqual(
    {
      formats: kinds((f) => formatFor(f.path)?.id),
      codes: kinds((f) => f.code),
      severities: kinds((f) => f.severity),
      ecosystems: kinds((f) => f.reference.ecosystem?.replace(/:.*/, '')),
      unread: report.unread,
    },
    {
      // No Go, NuGet or Maven compromise is bundled (the reference verifies none), so those formats cannot show one here.
      formats: [...formats.map((f) => f.id)].filter((id) => !id.startsWith('go/') && !/^(nuget|maven|gradle)\//.test(id)).sort(),
      codes: ['compromised-artifact', 'compromised-version', 'image-in-compromise-window', 'range-admits-compromised', 'suspicious-source'],
      severities: ['error', 'info', 'warning'],
      ecosystems: ['Alpine', 'Arch Linux', 'ConanCenter', 'Debian', 'Fedora', 'Gentoo', 'GitHub Actions', 'MacPorts', 'PyPI', 'RubyGems', 'crates.io', 'nixpkgs', 'npm', 'vcpkg'],
      unread: [],
    },
  );
});

test('a bun.lockb alone is not read, and the reason says how to get a bun.lock; beside a bun.lock it adds nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-bunb-'));
  writeFileSync(join(dir, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x00, 0x01, 0x02]));
  assert.deepStrictEqual(pinwatch(['scan', '.'], dir), {
    status: 2,
    stdout: 'No compromised pins found in 0 files.\n',
    stderr: 'pinwatch: cannot read bun.lockb: bun.lockb is binary; run `bun install --save-text-lockfile` to write bun.lock, which Pinwatch reads\n',
  });
  writeFileSync(join(dir, 'bun.lock'), '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "app" } },\n  "packages": {}\n}\n');
  assert.equal(pinwatch(['scan', '.'], dir).status, 0);
});

test('the CLI ends as soon as its report is written, and a slow reader of the pipe still gets all of it (190 KB, more than a pipe holds)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-pipe-'));
  try {
    const file = join(dir, 'file.json');
    const written = spawnSync(process.execPath, [cliPath, 'scan', 'examples', '--format', 'json', '--no-config', '--output', file], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(written.status, 1, written.stderr);
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliPath}" scan examples --format json --no-config | (sleep 0.3; cat > "${join(dir, 'piped.json')}")`], { cwd: repoRoot, encoding: 'utf8' });
    assert.deepStrictEqual({ status: piped.status, stderr: piped.stderr }, { status: 1, stderr: '' });
    const report = readFileSync(file, 'utf8');
    assert.ok(report.length > 128 * 1024, `${report.length} bytes`);
    assert.equal(readFileSync(join(dir, 'piped.json'), 'utf8'), report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that closes the pipe early (| head) stops the output, not the scan: no stack trace, the scan\'s own status', () => {
  // `head -c 1` reads once and exits; the rest of the JSON report (about 190 KB, more than a pipe holds) meets a
  // closed pipe.
  const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliPath}" scan examples --format json --no-config | head -c 1 >/dev/null`], { cwd: repoRoot, encoding: 'utf8' });
  assert.deepStrictEqual({ status: piped.status, stderr: piped.stderr }, { status: 1, stderr: '' });
});
