import assert from 'node:assert/strict';
import { test } from 'node:test';
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
  assert.deepStrictEqual(findings.map((f) => ({ severity: f.severity, message: f.message, edits: f.fixes.map((x) => x.edits.map((e) => e.newText)) })), [{
    severity: 'info',
    message: "This URL downloads the source of a compromised release, without the release tarball's build trigger but with its payload files (CVE-2024-3094). Use 5.6.2 instead.",
    edits: [['https://github.com/tukaani-project/xz/archive/v5.6.2/xz-5.6.2.tar.gz']],
  }]);
});
