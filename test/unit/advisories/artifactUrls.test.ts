import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchArtifact } from '../../../server/src/advisories/artifacts';
import { bundled } from '../../../server/src/advisories/records';
import { normaliseRepo } from '../../../server/src/formats/shell/artifacts';
import type { ArtifactReference } from '../../../server/src/model';
import { testGrowth } from '../growth/patterns';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function matched(value: string): { id: string; kind: string }[] {
  const ref: ArtifactReference = { kind: 'url', value, range: at };
  return matchArtifact(bundled, ref).map((m) => ({ id: m.record.id, kind: m.entry.kind }));
}

test('a URL matches an advisory URL, file or host whatever slashes end it, and a run of slashes inside is not one of them', () => {
  const upstream = 'x_PINWATCH-XZ-2024-3094-UPSTREAM';
  assert.deepStrictEqual(
    {
      archive: matched('https://github.com/tukaani-project/xz/archive/v5.6.1.tar.gz///'),
      file: matched('https://example.org/mirror/xz-5.6.1.tar.xz/'),
      host: matched('https://xz.tukaani.org/'),
      inside: matched(`https://example.org/xz-5.6.1.tar.xz${'/'.repeat(50000)}x`),
      safe: matched('https://github.com/tukaani-project/xz/archive/v5.4.6.tar.gz/'),
    },
    {
      archive: [{ id: upstream, kind: 'url' }],
      file: [{ id: upstream, kind: 'file' }],
      host: [{ id: upstream, kind: 'host' }],
      inside: [],
      safe: [],
    },
  );
});

test('a git repository URL is normalised without its query, fragment, trailing slashes and .git', () => {
  assert.deepStrictEqual(
    [
      normaliseRepo('https://GitHub.com/tukaani-project/xz.git//?ref=x#frag'),
      normaliseRepo('git@github.com:tukaani-project/xz'),
      normaliseRepo(`https://github.com/o/r${'/'.repeat(50000)}x?${'?'.repeat(50000)}\n`),
    ],
    ['github.com/tukaani-project/xz', 'github.com/tukaani-project/xz', `github.com/o/r${'/'.repeat(50000)}x`],
  );
});

// Defect 5: `/\/+$/` on a URL with a long run of slashes inside took time quadratic in its length.
testGrowth(5);
