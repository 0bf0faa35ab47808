import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growth, maxRatio } from '../../growth/patterns';
import { formatFor } from '../../../../server/src/formats/index';
import { kubernetes } from '../../../../server/src/formats/kubernetes';
import { fixture, tok } from './ciHelpers';

test('reads any other YAML file as a possible manifest, after the named YAML formats', () => {
  assert.deepStrictEqual(['/r/deploy/web.yaml', '/r/k8s.yml', '/r/compose.yaml', '/r/.github/workflows/a.yml'].map((p) => formatFor(p)?.id), ['kubernetes/manifest', 'kubernetes/manifest', 'docker/compose', 'github/workflow']);
});

test('reads containers, initContainers and nested pod templates in every document, List items included', () => {
  const t = fixture('kubernetes', 'manifests.yaml');
  assert.deepStrictEqual(kubernetes.extract(t, 'manifests.yaml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 9, 'sid-20240320'), context: 'initContainers' },
    { kind: 'image', value: 'debian:sid-20240501', range: tok(t, 12, 'sid-20240501'), context: 'containers' },
    { kind: 'image', value: 'registry.example.com:5000/tools:1.0', range: tok(t, 14, '1.0'), context: 'containers' },
    { kind: 'image', value: 'debian:sid-20240315-slim', range: tok(t, 27, 'sid-20240315-slim'), context: 'containers' },
  ]);
});

test('YAML that is not a manifest gives nothing, not even a parse problem', () => {
  assert.deepStrictEqual(kubernetes.extract(fixture('kubernetes', 'not-k8s.yaml'), 'not-k8s.yaml'), []);
  assert.deepStrictEqual(kubernetes.extract('lockfileVersion: 9.0\npackages: {\n', 'pnpm-lock.yaml'), []);
});

test('reads a Helm template as the manifest it renders to: templated images are not literal, literal ones are read', () => {
  const t = fixture('kubernetes', 'chart/templates/deploy.yaml');
  assert.deepStrictEqual(kubernetes.extract(t, 'deploy.yaml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 14, 'sid-20240320'), context: 'containers' },
  ]);
});

test('unclosed template actions are read in linear time', async () => {
  // A ratio in one run, not a time: on a loaded machine an absolute bound fails linear code too.
  const { ratio } = await growth({ defect: 7, name: 'unclosed {{', build: (n) => `apiVersion: v1\nkind: Pod\n${'{{ '.repeat(12_500 * n)}\n`, read: (text) => kubernetes.extract(text, 'x.yaml') });
  assert.ok(ratio <= maxRatio, `ratio ${ratio.toFixed(1)}`);
});
