// The YAML formats on text the `yaml` library once read in more than linear time or not at all: a line of quoted
// keys glued together (each one more nested mapping on the parser's stack, which it unwound through one generator
// per level: quadratic, and past about 2,000 levels a stack overflow that dropped the whole file), and lines that
// are all syntax errors (an Error with a stack trace each). Each format reads 16 times the input in at most
// `maxRatio` times the time of 1× (see patterns.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compose } from '../../../server/src/formats/compose';
import { conanfile } from '../../../server/src/formats/conan';
import { condaEnvironment } from '../../../server/src/formats/condaEnvironment';
import { githubActions } from '../../../server/src/formats/githubActions';
import { gitlabCi } from '../../../server/src/formats/gitlabCi';
import { helmValues } from '../../../server/src/formats/helmValues';
import { kubernetes } from '../../../server/src/formats/kubernetes';
import type { Format } from '../../../server/src/model';
import { growth, maxRatio, type Pattern } from './patterns';

/** Each YAML format: the path it reads, and the start of a file of its kind with one thing it reports. */
const formats: { name: string; format: Format; path: string; head: string }[] = [
  { name: 'GitHub Actions', format: githubActions, path: '/r/.github/workflows/ci.yml', head: 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: tj-actions/changed-files@v44\n' },
  { name: 'GitLab CI', format: gitlabCi, path: '/r/.gitlab-ci.yml', head: 'build:\n  image: alpine:edge\n  script:\n    - apk add xz=5.6.1-r1\n' },
  { name: 'compose', format: compose, path: '/r/compose.yaml', head: 'services:\n  app:\n    image: debian:sid-20240320\n' },
  { name: 'Kubernetes', format: kubernetes, path: '/r/pod.yaml', head: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: debian:sid-20240320\n' },
  { name: 'Helm values', format: helmValues, path: '/r/values.yaml', head: 'image:\n  repository: debian\n  tag: sid-20240320\n' },
  { name: 'conandata.yml', format: conanfile, path: '/r/conandata.yml', head: 'sources:\n  "5.6.1":\n    url: "https://tukaani.org/xz/xz-5.6.1.tar.gz"\n' },
  { name: 'conda environment', format: condaEnvironment, path: '/r/environment.yml', head: 'name: app\ndependencies:\n  - pip:\n      - ultralytics==8.3.41\n' },
];

/** The hostile lines, after the head, at scale `n`. */
const bodies: { name: string; body: (n: number) => string }[] = [
  // `"debug": "4.4.2"` glued: the fuzzer's conandata.yml that took 0.3-1 s, and at twice the length was not read at all.
  { name: 'a line of glued "key": "value" pairs', body: (n) => `x: "a${'"debug": "4.4.2"'.repeat(150 * n)}b"\n` },
  { name: 'lines that are all syntax errors', body: (n) => `x: 1\n${'[[package]]\n'.repeat(150 * n)}` },
];

for (const { name, format, path, head } of formats) {
  for (const { name: what, body } of bodies) {
    test(`${name}: reads ${what} in time linear in its size`, async (t) => {
      const pattern = { name: what, defect: 7, build: (n: number) => head + body(n), read: (text: string) => format.extract(text, path) } satisfies Pattern;
      let measured = await growth(pattern);
      for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth(pattern);
      const { small, large, ratio } = measured;
      t.diagnostic(`1×: ${small.toFixed(2)} ms, 16×: ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`);
      assert.ok(ratio <= maxRatio, `16× the input took ${large.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${small.toFixed(1)} ms of 1×`);
    });
  }
}
