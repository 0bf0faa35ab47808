import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { matchArtifact } from '../../../server/src/advisories/artifacts';
import { bundled } from '../../../server/src/advisories/records';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import type { ArtifactReference } from '../../../server/src/model';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What a URL matches in the bundled advisories: each entry's kind, severity and the version it names. */
function matches(url: string): Array<[string, string, string | undefined]> {
  const ref: ArtifactReference = { kind: 'url', value: url, range };
  return matchArtifact(bundled, ref).map((m) => [m.entry.kind, m.entry.severity, 'version' in m.entry ? m.entry.version : undefined]);
}

test('a GitHub tag archive is the git tag, information, however its URL is spelt', () => {
  const tagArchive: Array<[string, string, string | undefined]> = [['url', 'info', '5.6.1']];
  assert.deepStrictEqual(
    [
      'https://github.com/tukaani-project/xz/archive/refs/tags/v5.6.1.tar.gz',
      'https://github.com/tukaani-project/xz/archive/refs/tags/v5.6.1.tar.gz/xz-5.6.1.tar.gz',
      'https://github.com/tukaani-project/xz/archive/refs/tags/v5.6.1/xz-5.6.1.tar.gz',
      'https://github.com/tukaani-project/xz/archive/v5.6.1/xz-5.6.1.tar.gz',
      'https://github.com/tukaani-project/xz/archive/v5.6.1.zip',
      'https://codeload.github.com/tukaani-project/xz/tar.gz/refs/tags/v5.6.1',
      'https://github.com/Tukaani-Project/XZ/archive/refs/tags/v5.6.1.tar.gz?raw=1',
    ].map(matches),
    Array(7).fill(tagArchive),
  );
});

test('a GitHub archive of a compromised tag commit matches the git tag entry', () => {
  assert.deepStrictEqual(matches('https://github.com/tukaani-project/xz/archive/fd1b975b7851e081ed6e5cf63df946cd5cbdbb94.tar.gz'), [['git-tag', 'info', undefined]]);
});

test('a GitHub archive of a clean tag matches nothing, whatever file name it ends with', () => {
  assert.deepStrictEqual(
    [
      'https://github.com/tukaani-project/xz/archive/refs/tags/v5.6.2.tar.gz/xz-5.6.1.tar.gz',
      'https://github.com/tukaani-project/xz/archive/v5.4.6/xz-5.6.0.tar.xz',
      'https://github.com/someone/else/archive/v5.6.1/xz-5.6.1.tar.gz',
    ].map(matches),
    [[], [], []],
  );
});

test('the release tarball is still an error by file name, on GitHub releases and on mirrors', () => {
  assert.deepStrictEqual(
    [
      'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz',
      'https://downloads.sourceforge.net/project/lzmautils/xz-5.6.1.tar.gz',
      'https://mirror.example.org/xz/xz-5.6.0.tar.bz2',
    ].map(matches),
    [[['file', 'error', '5.6.1']], [['file', 'error', '5.6.1']], [['file', 'error', '5.6.0']]],
  );
});

test('the engine reports a named GitHub tag archive as information and fixes it to the clean tag', () => {
  const url = 'https://github.com/tukaani-project/xz/archive/v5.6.1/xz-5.6.1.tar.gz';
  const text = `FROM alpine\nRUN wget ${url}\n`;
  const findings = analyze('/work/Dockerfile', text, defaultSettings, { uri: 'file:///work/Dockerfile' });
  assert.deepStrictEqual(findings.map((f) => ({ severity: f.severity, message: f.message, fixed: f.fixes.map((x) => applyEdits(text, x.edits).text) })), [{
    severity: 'info',
    message: "This URL downloads the source of a compromised release, without the release tarball's build trigger but with its payload files (CVE-2024-3094). Use 5.6.2 instead.",
    fixed: ['FROM alpine\nRUN wget https://github.com/tukaani-project/xz/archive/v5.6.2/xz-5.6.2.tar.gz\n'],
  }]);
});

const tarXz512 = 'a8b6d2e58eb61609a64b182e868c47aaf722d34f87bad3a9598c94ad96fb3357477959a95bb215c1dac59b8c84453cf00dc23669d13358f4aeb5123526f741f2';
const tarGz512 = '8af100eb83288f032e4813be2bf8de7d733c8761f77f078776c1391709241ad8fe3192d107664786e2543677915c5eeb3fe7add5c53b48b50c10a9de7c9f4fda';

/** The checksum findings of a file: severity, message and the digest they cover. */
function checksumFindings(path: string, text: string): Array<{ severity: string; message: string; value: string }> {
  return analyze(path, text, defaultSettings).flatMap((f) =>
    f.reference.kind === 'sha512' ? [{ severity: f.severity, message: f.message, value: f.reference.value }] : []);
}

const sha512Of = (name: string, value: string, severity = 'error'): { severity: string; message: string; value: string } => ({
  severity, value, message: `This checksum is the SHA-512 of ${name} (CVE-2024-3094). Replace it with the checksum of the safe release you download.`,
});

test('the SHA-512 of a malicious release tarball is flagged in an APKBUILD, a PKGBUILD and a Dockerfile', () => {
  const apkbuild = `pkgname=foo\npkgver=1.0\npkgrel=0\nsource="https://example.org/foo-1.0.tar.gz"\nsha512sums="\n${tarXz512}  xz-5.6.1.tar.xz\n"\n`;
  const pkgbuild = `pkgname=foo\npkgver=1.0\npkgrel=1\nsource=(foo-1.0.tar.gz)\nsha512sums=('${tarGz512}')\n`;
  const dockerfile = `FROM debian\nRUN echo "${tarXz512}  xz-5.6.1.tar.xz" | sha512sum -c -\nADD --checksum=sha512:${tarGz512} https://example.org/x.tar.gz /x\n`;
  assert.deepStrictEqual(
    [checksumFindings('/aports/foo/APKBUILD', apkbuild), checksumFindings('/src/foo/PKGBUILD', pkgbuild), checksumFindings('/work/Dockerfile', dockerfile)],
    [[sha512Of('xz-5.6.1.tar.xz', tarXz512)], [sha512Of('xz-5.6.1.tar.gz', tarGz512)], [sha512Of('xz-5.6.1.tar.xz', tarXz512), sha512Of('xz-5.6.1.tar.gz', tarGz512)]],
  );
});

test("Alpine's own xz 5.6.1 recipe: its sha512sums entry is an error at r1 and information at the fixed r2", () => {
  const recipe = (pkgrel: number): string => [
    'pkgname=xz', 'pkgver=5.6.1', `pkgrel=${pkgrel}`,
    'source="https://github.com/tukaani-project/xz/releases/download/v$pkgver/xz-$pkgver.tar.xz"',
    `sha512sums="\n${tarXz512}  xz-5.6.1.tar.xz\n"`, '',
  ].join('\n');
  const r2 = checksumFindings('/aports/main/xz/APKBUILD', recipe(2));
  assert.deepStrictEqual(checksumFindings('/aports/main/xz/APKBUILD', recipe(1)), [sha512Of('xz-5.6.1.tar.xz', tarXz512)]);
  assert.deepStrictEqual(r2.map((f) => f.severity), ['info']);
});
