import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultIndex } from '../../../server/src/engine';
import { mayMatch } from '../../../server/src/prefilter';
import { growth, maxRatio, type Pattern } from './patterns';

/**
 * The prefilter's pass over a text that holds the first word of a longer name many times (`node` of `node-ipc` in
 * each `node_modules/`): each such word once looked for the whole name in the whole text again (a 2.8 MB lockfile of
 * 20,000 entries took 30 s). The pass alone is timed, over a lockfile's text read as a shell script (a lockfile
 * over 64 KB is not prefiltered at all, and `JSON.parse`'s own time grows faster than its input at megabytes).
 */
const patterns: Array<Omit<Pattern, 'defect'>> = [
  {
    name: 'a lockfile\'s text (5,000 node_modules/ entries per scale, none known) as a script',
    build: (n) => `{"lockfileVersion": 3, "packages": {${Array.from({ length: 5000 * n }, (_, i) => `"node_modules/dep-${i}": {"version": "1.0.0"}`).join(',\n')}}}\n`,
    read: (t) => mayMatch('shell/script', t, defaultIndex()),
  },
  {
    name: 'Dockerfile: one RUN of 10,000 `node` words per scale',
    build: (n) => `FROM alpine:3.19\nRUN echo ${'node '.repeat(10000 * n)}\n`,
    read: (t) => mayMatch('docker/Dockerfile', t, defaultIndex()),
  },
];

for (const pattern of patterns) {
  test(`the prefilter reads ${pattern.name} in time linear in its size`, async (t) => {
    let measured = await growth(pattern as Pattern);
    for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth(pattern as Pattern);
    t.diagnostic(`1×: ${measured.small.toFixed(2)} ms, 16×: ${measured.large.toFixed(2)} ms, ratio ${measured.ratio.toFixed(1)}`);
    assert.ok(measured.ratio <= maxRatio, `ratio ${measured.ratio.toFixed(1)}`);
  });
}
