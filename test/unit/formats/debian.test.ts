import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { debianChangelog } from '../../../server/src/formats/debian/changelog';
import { debianControl } from '../../../server/src/formats/debian/control';
import { debianDsc } from '../../../server/src/formats/debian/dsc';
import { relations } from '../../../server/src/formats/debian/relations';
import { formatFor } from '../../../server/src/formats/index';
import { defaultSettings, type Range } from '../../../server/src/model';
import { repoRoot } from '../../paths';

function on(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function fixture(name: string): { path: string; text: string } {
  const path = join(repoRoot, 'test', 'fixtures', 'debian', name);
  return { path, text: readFileSync(path, 'utf8') };
}

const own = {
  kind: 'none',
  reason: 'This is the version this source package builds; a new number alone would rebuild the same source: import a safe upstream release and add a changelog entry for it.',
} as const;

/** Each finding as code, severity, range and message; and each first fix applied to the whole text. */
function outcome(path: string, text: string): { findings: [string, string, Range, string][]; fixed: string[]; problems: number } {
  const { findings, problems } = analyzeFile(path, text, defaultSettings);
  return {
    findings: findings.map((f) => [f.code, f.severity, f.reference.range, f.message]),
    fixed: findings.flatMap((f) => (f.fixes[0] ? [applyEdits(text, f.fixes[0].edits).text] : [])),
    problems: problems.length,
  };
}

test('the formats table reads debian/changelog, debian/control and *.dsc, and leaves other changelogs alone', () => {
  assert.deepStrictEqual(
    ['/p/xz-utils/debian/changelog', '/p/debian/control', '/p/xz-utils_5.6.1-1.dsc', '/p/changelog', '/p/control', '/p/doc/debian/changelog.txt'].map((p) => formatFor(p)?.id),
    ['debian/changelog', 'debian/control', 'debian/dsc', undefined, undefined, undefined],
  );
});

test("a changelog's top entry is the release the package builds, with its suite; older entries are history", () => {
  const { path, text } = fixture('xz-utils-5.6.1-1/debian/changelog');
  assert.deepStrictEqual(debianChangelog.extract(text, path), [
    { kind: 'package', ecosystem: 'Debian', suite: 'unstable', name: 'xz-utils', version: '5.6.1-1', range: on(0, 10, 17), fix: own, context: 'debian/changelog', builds: true },
  ]);
  assert.deepStrictEqual(outcome(path, text), {
    findings: [['compromised-version', 'error', on(0, 10, 17), `xz-utils 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). ${own.reason} The nearest safe release is 5.6.1+really5.4.5-1.`]],
    fixed: [],
    problems: 0,
  });
});

test('the safe 5.6.1+really5.4.5-1 upload is not flagged, though an older entry names 5.6.1-1', () => {
  const { path, text } = fixture('xz-utils-really/debian/changelog');
  assert.deepStrictEqual(outcome(path, text), { findings: [], fixed: [], problems: 0 });
});

test('Kali and Ubuntu uploads are matched against their own advisories', () => {
  const kali = debianChangelog.extract('xz-utils (5.6.1-1) kali-dev; urgency=medium\n', '/k/debian/changelog');
  const ubuntu = debianChangelog.extract('xz-utils (5.6.1+really5.4.5-1ubuntu0.2) noble-security; urgency=medium\n', '/u/debian/changelog');
  assert.deepStrictEqual([...kali, ...ubuntu].map((r) => (r.kind === 'package' ? [r.ecosystem, r.suite, r.version] : r.kind)), [
    ['Kali', 'kali-dev', '5.6.1-1'],
    ['Ubuntu', 'noble-security', '5.6.1+really5.4.5-1ubuntu0.2'],
  ]);
  assert.deepStrictEqual(outcome('/k/debian/changelog', 'xz-utils (5.6.1-1) kali-dev; urgency=medium\n').findings.map((f) => [f[0], f[1]]), [['compromised-version', 'warning']]);
  assert.deepStrictEqual(outcome('/u/debian/changelog', 'xz-utils (5.6.1+really5.4.5-1ubuntu0.2) noble-security; urgency=medium\n').findings, []);
});

test('an unrelated package at 5.6.1-1 is not flagged', () => {
  assert.deepStrictEqual(outcome('/o/debian/changelog', 'libfoo (5.6.1-1) unstable; urgency=medium\n').findings, []);
});

test('a changelog whose first line is not an entry header is a read problem, not a clean file', () => {
  assert.deepStrictEqual(debianChangelog.extract('\n\nthis is not a changelog\n', '/x/debian/changelog'), [
    {
      kind: 'problem', reason: 'syntax', range: on(2, 0, 23),
      message: 'The first line of this changelog is not an entry header "package (version) distribution; urgency=…", so the version it builds was not read.',
    },
  ]);
  assert.deepStrictEqual(debianChangelog.extract('', '/x/debian/changelog'), []);
});

test("xz-utils' own control file pins nothing: substitution variables and floors that admit the safe release", () => {
  const { path, text } = fixture('xz-utils-5.6.1-1/debian/control');
  assert.deepStrictEqual(debianControl.extract(text, path), [
    { kind: 'package', ecosystem: 'Debian', name: 'debhelper-compat', version: '13', range: on(4, 35, 37), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'dpkg-dev', constraint: '>= 1.16.2', range: on(4, 53, 59), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'autoconf', constraint: '>= 2.64~', range: on(5, 14, 19), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'libtool', constraint: '>= 2.2', range: on(5, 44, 47), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'gettext', constraint: '<< 0.18-1', range: on(6, 34, 40), context: 'Build-Depends' },
  ]);
  assert.deepStrictEqual(outcome(path, text), { findings: [], fixed: [], problems: 0 });
});

test('control relations: pins, alternatives, arch qualifiers, profiles, :any, continuation lines and the obsolete operators', () => {
  const text = [
    'Source: tool', // 0
    'Build-Depends: liblzma-dev:any (= 5.6.1-1) [amd64] <!nocheck>,',
    ' foo | xz-utils (= 5.6.0-0.2) [!hurd-any] <!stage1> <cross>,',
    ' liblzma-dev (>= 5.6.0), liblzma-dev (>= 5.6.1-1), xz-utils (< 5.6.1-1)',
    '',
    'Package: tool', // 5
    'Recommends: xz-utils (= 5.6.1+really5.4.5-1)',
    'Pre-Depends: liblzma5 (>> 5.6.0)',
    'Depends: liblzma5 (=5.6.1-1),',
    '#  a comment',
    '  xzdec (= 5.5.1alpha-0.1)', // 10
    'Suggests: liblzma5 (= 5.6.1-1)',
  ].join('\n');
  assert.deepStrictEqual(debianControl.extract(text, '/t/debian/control'), [
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma-dev', version: '5.6.1-1', range: on(1, 34, 41), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'xz-utils', version: '5.6.0-0.2', range: on(2, 19, 28), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma-dev', constraint: '>= 5.6.0', range: on(3, 17, 22), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma-dev', constraint: '>= 5.6.1-1', range: on(3, 41, 48), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'xz-utils', constraint: '<= 5.6.1-1', range: on(3, 63, 70), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'xz-utils', version: '5.6.1+really5.4.5-1', range: on(6, 24, 43), context: 'Recommends' },
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma5', constraint: '>> 5.6.0', range: on(7, 26, 31), context: 'Pre-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma5', version: '5.6.1-1', range: on(8, 20, 27), context: 'Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'xzdec', version: '5.5.1alpha-0.1', range: on(10, 11, 25), context: 'Depends' },
  ]);
  const result = outcome('/t/debian/control', text);
  assert.deepStrictEqual(result.findings.map(([code, severity, range]) => [code, severity, range]), [
    ['compromised-version', 'error', on(1, 34, 41)],
    ['compromised-version', 'error', on(2, 19, 28)],
    // Its floor is a compromised release: it resolves to it wherever it still exists.
    ['range-admits-compromised', 'warning', on(3, 41, 48)],
    ['range-admits-compromised', 'warning', on(3, 63, 70)],
    ['compromised-version', 'error', on(8, 20, 27)],
    ['compromised-version', 'error', on(10, 11, 25)],
  ]);
  assert.deepStrictEqual(result.fixed[0], text.replace('(= 5.6.1-1) [amd64]', '(= 5.6.1+really5.4.5-1) [amd64]'));
  assert.deepStrictEqual(result.fixed[1], text.replace('(= 5.6.0-0.2)', '(= 5.6.1+really5.4.5-1)'));
});

test('relations that do not parse give nothing, in one pass, and the next relation is still read', () => {
  assert.deepStrictEqual(relations('aa (= 1, bb (= 2) , cc (>= ${x}), dd (~ 3), (= 4), ee (= 5 6), ff [amd64 (= 7), gg (= 8'), [
    { name: 'bb', op: '=', version: '2', start: 15, end: 16 },
  ]);
  const many = 'aa (= 1, '.repeat(50_000);
  assert.deepStrictEqual(relations(many), []);
});

test('a line that is not a field is a read problem, and the fields around it are still read', () => {
  const text = 'Source: tool\nBuild-Depends: liblzma5 (= 5.6.1-1)\nthis line has no colon\nDepends: xzdec (= 5.6.1-1)\n';
  assert.deepStrictEqual(debianControl.extract(text, '/t/debian/control'), [
    { kind: 'package', ecosystem: 'Debian', name: 'liblzma5', version: '5.6.1-1', range: on(1, 27, 34), context: 'Build-Depends' },
    { kind: 'problem', reason: 'syntax', message: 'This line of the debian/control is not a "Name: value" field, so it was not read.', range: on(2, 0, 22) },
    { kind: 'package', ecosystem: 'Debian', name: 'xzdec', version: '5.6.1-1', range: on(3, 18, 25), context: 'Depends' },
  ]);
});

test('a signed .dsc: its release, its build relations and its SHA-256 digests, inside the armour', () => {
  const { path, text } = fixture('xz-utils_5.6.1-1.dsc');
  assert.deepStrictEqual(debianDsc.extract(text, path), [
    { kind: 'package', ecosystem: 'Debian', name: 'xz-utils', version: '5.6.1-1', range: on(7, 9, 16), fix: own, context: '.dsc Version', builds: true },
    { kind: 'package', ecosystem: 'Debian', name: 'debhelper-compat', version: '13', range: on(11, 35, 37), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'dpkg-dev', constraint: '>= 1.16.2', range: on(11, 53, 59), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'autoconf', constraint: '>= 2.64~', range: on(11, 75, 80), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'libtool', constraint: '>= 2.2', range: on(11, 105, 108), context: 'Build-Depends' },
    { kind: 'package', ecosystem: 'Debian', name: 'gettext', constraint: '<< 0.18-1', range: on(11, 144, 150), context: 'Build-Depends' },
    { kind: 'sha256', value: 'f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0', range: on(18, 1, 65), context: 'Checksums-Sha256' },
    { kind: 'sha256', value: 'a'.repeat(64), range: on(19, 1, 65), context: 'Checksums-Sha256' },
    { kind: 'sha256', value: 'b'.repeat(64), range: on(20, 1, 65), context: 'Checksums-Sha256' },
  ]);
  assert.deepStrictEqual(outcome(path, text).findings.map(([code, severity, range]) => [code, severity, range]), [
    ['compromised-version', 'error', on(7, 9, 16)],
    ['compromised-artifact', 'error', on(18, 1, 65)],
  ]);
});

test('a .dsc of the safe upload is not flagged, and a .dsc that is not deb822 is a read problem', () => {
  const safe = 'Format: 3.0 (quilt)\nSource: xz-utils\nVersion: 5.6.1+really5.4.5-1\nChecksums-Sha256:\n ' + 'c'.repeat(64) + ' 1 xz-utils_5.6.1+really5.4.5.orig.tar.xz\n';
  assert.deepStrictEqual(outcome('/d/xz-utils_5.6.1+really5.4.5-1.dsc', safe), { findings: [], fixed: [], problems: 0 });
  assert.deepStrictEqual(debianDsc.extract('<html>\n', '/d/x.dsc'), [
    { kind: 'problem', reason: 'syntax', message: 'This line of the .dsc file is not a "Name: value" field, so it was not read.', range: on(0, 0, 6) },
  ]);
});
