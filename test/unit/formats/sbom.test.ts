import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Extracted, PackageReference } from '../../../server/src/model';
import { defaultSettings } from '../../../server/src/model';
import { analyzeFile, bundledAdvisories, npmWanted } from '../../../server/src/engine';
import { formatFor } from '../../../server/src/formats/index';
import { cyclonedxJson, spdxJson } from '../../../server/src/formats/sbom/jsonSboms';
import { cyclonedxXml } from '../../../server/src/formats/sbom/cyclonedxXml';
import { spdxTag } from '../../../server/src/formats/sbom/spdxTag';
import { purlPackage } from '../../../server/src/formats/sbom/purl';
import { repoRoot } from '../../paths';

const dir = join(repoRoot, 'test', 'fixtures', 'installed', 'sboms');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

type Row = [ecosystem: string, suite: string | undefined, name: string, version: string, line: number, character: number, length: number];

/** The references of rows, as an SBOM format gives them. */
function refs(what: string, rows: readonly Row[]): PackageReference[] {
  return rows.map(([ecosystem, suite, name, version, line, character, length]) => ({
    kind: 'package',
    ecosystem,
    ...(suite ? { suite } : {}),
    name,
    version,
    range: { start: { line, character }, end: { line, character: character + length } },
    context: what,
    fix: { kind: 'none', reason: `This ${what} records what was built, so Pinwatch does not edit it: upgrade ${name} in what it describes (the image or project), then generate the SBOM again.` },
  }));
}

function problem(message: string, line: number, character: number, endCharacter = character): Extracted {
  return { kind: 'problem', reason: 'syntax', message, range: { start: { line, character }, end: { line, character: endCharacter } } };
}

const byStart = (a: Extracted, b: Extracted): number => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

test('CycloneDX JSON: metadata.component and nested components through their purls, a bad purl as a problem, the cyclic dependencies not walked', () => {
  const expected = [
    ...refs('CycloneDX SBOM', [
      ['upstream', undefined, 'app', '1.0.0', 9, 18, 5],
      ['Debian', 'sid', 'xz-utils', '5.6.1-1', 14, 22, 7],
      ['Debian', 'sid', 'liblzma5', '5.6.1+really5.4.5-1', 24, 18, 19],
      ['Alpine', 'edge', 'xz-libs', '5.6.1-r1', 30, 18, 8],
      ['Alpine', undefined, 'xz-libs', '5.6.1-r2', 36, 18, 8],
      ['Fedora', 'fc40', 'xz-libs', '5.6.0-1.fc40', 42, 18, 12],
      ['Fedora', 'fc40', 'xz-libs', '5.4.6-3.fc40', 48, 18, 12],
      ['upstream', undefined, 'node-app', '2.0.0', 54, 18, 5],
      ['npm', undefined, 'chalk', '5.6.1', 56, 58, 5],
      ['npm', undefined, 'chalk', '5.6.0', 57, 58, 5],
      ['npm', undefined, 'left-pad', '5.6.1', 58, 61, 5],
      ['PyPI', undefined, 'ultralytics', '8.3.41', 61, 60, 6],
      ['RubyGems', undefined, 'rest-client', '1.6.13', 62, 60, 6],
      ['crates.io', undefined, 'liblzma-sys', '0.3.2', 63, 60, 5],
      // No version member: the range is the version inside the purl.
      ['upstream', undefined, 'xz', '5.6.1', 64, 75, 5],
      // The component's version (5.6.1) is not the purl's release: the range is the purl's version.
      ['Arch Linux', undefined, 'xz', '5.6.1-2', 65, 123, 7],
      // No purl: the supplier names the distribution.
      ['Debian', undefined, 'liblzma5', '5.6.0-0.1', 67, 57, 9],
    ]),
    problem('This package URL could not be read (Invalid purl: unable to decode "version" component), so its component was not checked.', 66, 70, 92),
  ].sort(byStart);
  assert.deepStrictEqual(cyclonedxJson.extract(read('bom.json'), join(dir, 'bom.json')), expected);
});

test('CycloneDX JSON through the engine: one finding per compromised component at its version, the look-alikes clean', () => {
  const { findings, problems } = analyzeFile(join(dir, 'bom.json'), read('bom.json'), defaultSettings);
  assert.deepStrictEqual(
    findings.map((f) => [f.reference.range.start.line, f.reference.range.start.character, f.reference.kind === 'package' ? `${f.reference.name} ${f.reference.version}` : '', f.severity, f.fixes.length]),
    [
      [14, 22, 'xz-utils 5.6.1-1', 'error', 0],
      [30, 18, 'xz-libs 5.6.1-r1', 'error', 0],
      [42, 18, 'xz-libs 5.6.0-1.fc40', 'error', 0],
      [56, 58, 'chalk 5.6.1', 'error', 0],
      [61, 60, 'ultralytics 8.3.41', 'error', 0],
      [62, 60, 'rest-client 1.6.13', 'error', 0],
      [63, 60, 'liblzma-sys 0.3.2', 'error', 0],
      [64, 75, 'xz 5.6.1', 'error', 0],
      [67, 57, 'liblzma5 5.6.0-0.1', 'error', 0],
    ],
  );
  assert.deepStrictEqual(problems, [problem('This package URL could not be read (Invalid purl: unable to decode "version" component), so its component was not checked.', 66, 70, 92)]);
  assert.equal(findings[0]!.message, 'xz-utils 5.6.1-1 is a compromised release (xz-utils backdoor, CVE-2024-3094). This CycloneDX SBOM records what was built, so Pinwatch does not edit it: upgrade xz-utils in what it describes (the image or project), then generate the SBOM again. The nearest safe release is 5.6.1+really5.4.5-1.');
});

test('CycloneDX XML: nested components, an entity in the purl, a commented-out component and CDATA', () => {
  assert.deepStrictEqual(cyclonedxXml.extract(read('app.cdx.xml'), join(dir, 'app.cdx.xml')), refs('CycloneDX SBOM', [
    ['upstream', undefined, 'image', '1.0', 5, 15, 3],
    ['Alpine', 'edge', 'xz', '5.6.1-r1', 12, 15, 8],
    ['Debian', undefined, 'liblzma5', '5.6.1+really5.4.5-1', 17, 19, 19],
    // CDATA is not read as a version: the purl's is.
    ['Arch Linux', undefined, 'xz', '5.6.0-1', 25, 29, 7],
  ]));
});

test('CycloneDX XML that is not well-formed keeps what came before, with a problem where it broke; a non-CycloneDX root gives nothing', () => {
  const text = '<bom xmlns="http://cyclonedx.org/schema/bom/1.2"><components><component><name>xz</name><version>5.6.1</version></component>\n<component><name>x</nam></component>';
  assert.deepStrictEqual(cyclonedxXml.extract(text, '/a/bom.xml'), [
    ...refs('CycloneDX SBOM', [['upstream', undefined, 'xz', '5.6.1', 0, 96, 5]]),
    problem('This CycloneDX XML is not well-formed here (a closing </nam> where </name> was expected), so the components after it were not checked.', 1, 18),
  ]);
  assert.deepStrictEqual(cyclonedxXml.extract('<project><component><name>xz</name><version>5.6.1</version></component></project>', '/a/bom.xml'), []);
});

test('SPDX JSON: the purl external reference, versionInfo as the range, the version inside the purl when there is none', () => {
  assert.deepStrictEqual(spdxJson.extract(read('app.spdx.json'), join(dir, 'app.spdx.json')), refs('SPDX SBOM', [
    ['Debian', 'sid', 'liblzma5', '5.6.0-0.2', 10, 22, 9],
    ['npm', undefined, 'debug', '4.4.1', 20, 22, 5],
    ['npm', undefined, 'debug', '4.4.2', 29, 110, 5],
  ]));
});

test('SPDX tag-value: packages by PackageName, a multi-line <text> value skipped, NOASSERTION as no supplier', () => {
  assert.deepStrictEqual(spdxTag.extract(read('app.spdx'), join(dir, 'app.spdx')), refs('SPDX SBOM', [
    ['Fedora', 'fc40', 'xz-libs', '5.6.1-1.fc40', 11, 16, 12],
    ['Fedora', 'fc40', 'xz-libs', '5.4.6-3.fc40', 17, 16, 12],
    ['upstream', undefined, 'xz', '5.6.0', 22, 16, 5],
  ]));
  assert.deepStrictEqual(spdxTag.extract('PackageName: xz\nPackageVersion: 5.6.1\n', '/a/x.spdx'), [], 'without SPDXVersion it is not an SPDX document');
});

test('JSON that is not an SBOM of its kind gives nothing; invalid JSON is a problem where it breaks', () => {
  assert.deepStrictEqual(cyclonedxJson.extract('{"name": "x", "components": [{"purl": "pkg:npm/chalk@5.6.1"}]}', '/a/bom.json'), []);
  assert.deepStrictEqual(spdxJson.extract('{"bomFormat": "CycloneDX"}', '/a/x.spdx.json'), []);
  assert.deepStrictEqual(cyclonedxJson.extract('{"bomFormat": "CycloneDX",\n "components": [}', '/a/bom.json'), [
    problem('This CycloneDX SBOM is not valid JSON here (a value was expected), so its components were not checked.', 1, 16, 17),
  ]);
});

test('components nested past the limit are reported, not followed; a deep nest does not exhaust the stack', () => {
  let inner = '{"name": "xz", "version": "5.6.1"}';
  for (let i = 0; i < 1005; i++) inner = `{"name": "n${i}", "components": [${inner}]}`;
  const out = cyclonedxJson.extract(`{"bomFormat": "CycloneDX", "components": [${inner}]}`, '/a/bom.json');
  assert.deepStrictEqual(out.filter((e) => e.kind === 'problem').map((e) => [e.kind === 'problem' && e.reason, e.kind === 'problem' && e.message]), [['limit', 'Components nested deeper than 1000 levels were not read.']]);
  assert.equal(out.filter((e) => e.kind === 'package').length, 0, 'no component has a version or purl but the innermost, which is past the limit');
});

test('a distro qualifier that names the distribution alone (distro=debian) is as none: no suite, or Fedora\'s dist tag', () => {
  assert.deepStrictEqual(
    ['pkg:deb/debian/liblzma5@5.6.0-0.2?arch=amd64&distro=debian&upstream=xz-utils', 'pkg:apk/alpine/xz-libs@5.6.1-r1?distro=Alpine', 'pkg:alpm/arch/xz@5.6.1-1?distro=arch', 'pkg:rpm/fedora/xz-libs@5.6.0-1.fc40?distro=fedora'].map((p) => purlPackage(p)),
    [
      { ecosystem: 'Debian', name: 'liblzma5', version: '5.6.0-0.2' },
      { ecosystem: 'Alpine', name: 'xz-libs', version: '5.6.1-r1' },
      { ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1' },
      // Fedora's release then comes from the version's dist tag, as with no qualifier.
      { ecosystem: 'Fedora', suite: 'fc40', name: 'xz-libs', version: '5.6.0-1.fc40' },
    ],
  );
});

test('purls: each type to its ecosystem, the distro qualifier to the suite, an rpm epoch, namespaces in names', () => {
  assert.deepStrictEqual(
    [
      'pkg:deb/debian/xz-utils@5.6.1-1?distro=debian-sid',
      'pkg:deb/debian/libc6@2.36-9?distro=debian-12.5',
      'pkg:deb/ubuntu/liblzma5@5.6.0-0.2?distro=ubuntu-24.04',
      'pkg:apk/alpine/xz@5.6.1-r1?distro=alpine-3.19.1',
      'pkg:rpm/fedora/xz@5.6.0-1.fc40?epoch=1',
      'pkg:rpm/opensuse/xz@5.6.1-1.1?distro=opensuse-tumbleweed-20240329',
      'pkg:alpm/arch/xz@5.6.1-1',
      'pkg:npm/%40nx/devkit@21.5.0',
      'pkg:pypi/Ultra_lytics@8.3.41',
      'pkg:golang/github.com/a/b@v1.0.0',
      'pkg:maven/org.a/b@1.0',
      'pkg:generic/xz-utils@5.6.1',
      'pkg:deb/mint/xz@1',
      'pkg:constructor/x@1',
    ].map((p) => purlPackage(p)),
    [
      { ecosystem: 'Debian', suite: 'sid', name: 'xz-utils', version: '5.6.1-1' },
      { ecosystem: 'Debian', suite: 'bookworm', name: 'libc6', version: '2.36-9' },
      { ecosystem: 'Ubuntu', suite: '24.04', name: 'liblzma5', version: '5.6.0-0.2' },
      { ecosystem: 'Alpine', suite: '3.19', name: 'xz', version: '5.6.1-r1' },
      { ecosystem: 'Fedora', suite: 'fc40', name: 'xz', version: '1:5.6.0-1.fc40' },
      { ecosystem: 'openSUSE', suite: 'tumbleweed', name: 'xz', version: '5.6.1-1.1' },
      { ecosystem: 'Arch Linux', name: 'xz', version: '5.6.1-1' },
      { ecosystem: 'npm', name: '@nx/devkit', version: '21.5.0' },
      { ecosystem: 'PyPI', name: 'ultra-lytics', version: '8.3.41' },
      { ecosystem: 'Go', name: 'github.com/a/b', version: 'v1.0.0' },
      { ecosystem: 'Maven', name: 'org.a:b', version: '1.0' },
      { ecosystem: 'upstream', name: 'xz', version: '5.6.1' },
      undefined,
      undefined,
    ],
  );
});

test('the SBOM file names, confirmed by content', () => {
  assert.deepStrictEqual(['/a/bom.json', '/a/app.cdx.json', '/a/x.bom.json', '/a/bom.xml', '/a/app.cdx.xml', '/a/app.spdx.json', '/a/app.spdx', '/a/sbom.json'].map((p) => formatFor(p)?.id), [
    'cyclonedx/json', 'cyclonedx/json', 'cyclonedx/json', 'cyclonedx/xml', 'cyclonedx/xml', 'spdx/json', 'spdx/tag-value', undefined,
  ]);
});

test('a purl whose version is percent-encoded is reported at the whole purl, since no part of it spells the version', () => {
  const text = '{"bomFormat": "CycloneDX", "components": [{"name": "liblzma5", "purl": "pkg:deb/debian/liblzma5@5.6.0-0.1%7E1"}]}';
  assert.deepStrictEqual(cyclonedxJson.extract(text, '/a/bom.json'), refs('CycloneDX SBOM', [['Debian', undefined, 'liblzma5', '5.6.0-0.1~1', 0, 72, 37]]));
});

test('the fast path finds the same ranges as the full read: a unique member by its text, repeated ones by counting keys, integer-like keys by walking the paths', () => {
  const wanted = npmWanted(bundledAdvisories());
  const twice = '{"bomFormat": "CycloneDX", "components": [{"name": "chalk", "version": "5.6.1", "purl": "pkg:npm/chalk@5.6.1"}, {"description": "\\"version\\": \\"5.6.1\\"", "components": [{"name": "chalk", "version": "5.6.1", "purl": "pkg:npm/chalk@5.6.1"}]}]}';
  const integerKeys = '{"bomFormat": "CycloneDX", "components": [{"name": "chalk", "version": "5.6.1", "purl": "pkg:npm/chalk@5.6.1", "properties": {"1": {"version": "x"}}}], "metadata": {"component": {"name": "debug", "version": "4.4.2", "purl": "pkg:npm/debug@4.4.2"}}}';
  for (const text of [read('bom.json'), twice, integerKeys]) {
    const all = cyclonedxJson.extract(text, '/a/bom.json').filter((e) => e.kind === 'problem' || (e.kind === 'package' && wanted(e.name, e.version ?? '', e.ecosystem)));
    assert.deepStrictEqual(cyclonedxJson.extractWanted!(text, '/a/bom.json', wanted), all);
  }
  assert.deepStrictEqual(cyclonedxJson.extractWanted!(twice, '/a/bom.json', wanted).map((e) => e.range.start.character), [72, 199]);
  assert.deepStrictEqual(spdxJson.extractWanted!(read('app.spdx.json'), '/a/app.spdx.json', wanted), spdxJson.extract(read('app.spdx.json'), '/a/app.spdx.json').filter((e) => e.kind === 'package' && wanted(e.name, e.version ?? '', e.ecosystem)));
});
