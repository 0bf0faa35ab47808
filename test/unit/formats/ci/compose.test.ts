import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compose } from '../../../../server/src/formats/compose';
import { formatFor } from '../../../../server/src/formats/index';
import { withoutOrigins } from '../recipeHelpers';
import { repoRoot } from '../../../paths';
import { fixed, fixture, replaced, tok } from './ciHelpers';

const dir = join(repoRoot, 'test', 'fixtures', 'ci', 'compose');
const path = join(dir, 'compose.yaml');
const readFile = (p: string): string | undefined => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } };

test('reads compose.yaml, compose.yml and docker-compose*.yml', () => {
  assert.deepStrictEqual(['/r/compose.yaml', '/r/compose.yml', '/r/docker-compose.yml', '/r/docker-compose.prod.yaml'].map((p) => formatFor(p)?.id), Array(4).fill('docker/compose'));
});

test('reads service images, and build.args (a mapping or a KEY=VALUE list) where they feed the Dockerfile', () => {
  const t = fixture('compose', 'compose.yaml');
  const debian = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install', name: 'xz-utils' } as const;
  const via = (name: string) => `build arg ${name}, for ARG ${name} in app/Dockerfile`;
  assert.deepStrictEqual(withoutOrigins(compose.extract(t, path, readFile)), [
    { kind: 'image', value: 'debian:sid-20240320-slim', range: tok(t, 2, 'sid-20240320-slim'), context: 'image' },
    { kind: 'image', value: 'debian:sid-20240501', range: tok(t, 4, 'sid-20240501'), context: 'image' },
    { ...debian, version: '5.6.1-1', range: tok(t, 9, '5.6.1-1'), via: via('XZ_VER') },
    { kind: 'image', value: 'debian:sid-20240311', range: tok(t, 10, 'sid-20240311'), context: 'FROM', via: via('BASE_TAG') },
    { ...debian, version: '5.6.0-0.2', range: tok(t, 17, '5.6.0-0.2'), via: via('XZ_VER') },
    {
      kind: 'url', value: 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz', range: tok(t, 19, '5.6.1'),
      context: 'curl', via: via('XZ_URL_VER'),
    },
  ]);
});

test('fixes a pin fed by a build arg at the arg, in the Compose file', () => {
  const t = fixture('compose', 'compose.yaml');
  assert.deepStrictEqual(fixed(path, t, readFile), [
    { line: 2, severity: 'warning', code: 'image-in-compromise-window' },
    { line: 9, severity: 'error', code: 'compromised-version', text: replaced(t, 'XZ_VER: 5.6.1-1', 'XZ_VER: 5.6.1+really5.4.5-1') },
    { line: 10, severity: 'warning', code: 'image-in-compromise-window' },
    { line: 17, severity: 'error', code: 'compromised-version', text: replaced(t, 'XZ_VER=5.6.0-0.2', 'XZ_VER=5.6.1+really5.4.5-1') },
    { line: 19, severity: 'error', code: 'compromised-artifact', text: replaced(t, 'XZ_URL_VER=5.6.1', 'XZ_URL_VER=5.6.2') },
  ]);
});

test('without the Dockerfile, build args give nothing, and the images are still read', () => {
  const t = fixture('compose', 'compose.yaml');
  assert.deepStrictEqual(compose.extract(t, path, () => undefined).map((r) => r.kind), ['image', 'image']);
});
