import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFor } from '../../../../server/src/formats/index';
import { gitlabCi } from '../../../../server/src/formats/gitlabCi';
import { kubernetes } from '../../../../server/src/formats/kubernetes';
import { fixed, fixture, replaced, tok } from './ciHelpers';

test('reads .gitlab-ci.yml by name, and an included file by its jobs', () => {
  assert.deepStrictEqual(['/r/.gitlab-ci.yml', '/r/ci/build.yml'].map((p) => formatFor(p)?.id), ['gitlab/.gitlab-ci.yml', 'kubernetes/manifest']);
  const t = fixture('gitlab', 'ci/build.yml');
  assert.deepStrictEqual(kubernetes.extract(t, 'ci/build.yml'), [
    { kind: 'image', value: 'debian:sid-20240315', range: tok(t, 1, 'sid-20240315'), context: 'image' },
    { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install', name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 3, '5.6.0-0.2') },
  ]);
});

test('reads images (string or name:), services, and script lines as shell with the job image and variables', () => {
  const t = fixture('gitlab', '.gitlab-ci.yml');
  const sid = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install', name: 'xz-utils' } as const;
  const alpine = { kind: 'package', ecosystem: 'Alpine', suite: '3.19', context: 'apk add' } as const;
  assert.deepStrictEqual(gitlabCi.extract(t, '.gitlab-ci.yml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 2, 'sid-20240320'), context: 'image' },
    { kind: 'image', value: 'postgres:16', range: tok(t, 6, '16'), context: 'services' },
    { ...sid, version: '5.6.1-1', range: tok(t, 9, '${XZ_VER}'), edit: tok(t, 4, '5.6.1-1'), via: 'variables XZ_VER, line 5' },
    { kind: 'image', value: 'alpine:3.19', range: tok(t, 16, '3.19'), context: 'image' },
    { kind: 'image', value: 'debian:sid-20240311', range: tok(t, 18, 'sid-20240311'), context: 'services' },
    { ...alpine, name: 'xz', version: '5.6.1-r1', range: tok(t, 19, '5.6.1-r1') },
    { ...alpine, name: 'xz-libs', version: '5.6.1-r0', range: tok(t, 23, '5.6.1-r0') },
    { ...alpine, name: 'xz-dev', version: '5.6.1-r2', range: tok(t, 24, '5.6.1-r2') },
    { kind: 'image', value: 'debian:sid-20240501', range: tok(t, 26, 'sid-20240501'), context: 'image' },
    { ...sid, version: '5.6.1+really5.4.5-1', range: tok(t, 29, '$XZ_VER'), edit: tok(t, 28, '5.6.1+really5.4.5-1'), via: 'variables XZ_VER, line 29' },
  ]);
});

test('flags the compromised pins and in-window images only, and fixes a pin at its variable', () => {
  const t = fixture('gitlab', '.gitlab-ci.yml');
  assert.deepStrictEqual(fixed('/r/.gitlab-ci.yml', t), [
    { line: 2, severity: 'warning', code: 'image-in-compromise-window' },
    { line: 9, severity: 'error', code: 'compromised-version', text: replaced(t, 'XZ_VER: 5.6.1-1', 'XZ_VER: 5.6.1+really5.4.5-1') },
    { line: 18, severity: 'warning', code: 'image-in-compromise-window' },
    { line: 19, severity: 'error', code: 'compromised-version', text: replaced(t, 'xz=5.6.1-r1', 'xz=5.6.1-r2') },
    { line: 23, severity: 'error', code: 'compromised-version', text: replaced(t, 'xz-libs=5.6.1-r0', 'xz-libs=5.6.1-r2') },
  ]);
});
