import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { devcontainer } from '../../../../server/src/formats/devcontainer';
import { helmValues } from '../../../../server/src/formats/helmValues';
import { formatFor } from '../../../../server/src/formats/index';
import { repoRoot } from '../../../paths';
import { fixed, fixture, replaced, tok } from './ciHelpers';

const readFile = (p: string): string | undefined => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } };

test('reads values.yaml as Helm values and devcontainer.json in .devcontainer/ or as .devcontainer.json', () => {
  assert.deepStrictEqual(
    ['/r/chart/values.yaml', '/r/.devcontainer/devcontainer.json', '/r/.devcontainer.json', '/r/devcontainer.json'].map((p) => formatFor(p)?.id),
    ['helm/values.yaml', 'devcontainer/devcontainer.json', 'devcontainer/devcontainer.json', undefined],
  );
});

test('reads Helm repository + tag pairs (with a registry, quoted, numeric) and image strings', () => {
  const t = fixture('helm', 'values.yaml');
  assert.deepStrictEqual(helmValues.extract(t, 'values.yaml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 2, 'sid-20240320'), context: 'image.tag' },
    { kind: 'image', value: 'debian:sid-20240315-slim', range: tok(t, 8, 'sid-20240315-slim'), context: 'image.tag' },
    { kind: 'image', value: 'debian:sid-20240501', range: tok(t, 12, 'sid-20240501'), context: 'image.tag' },
    // A number as YAML reads it would be 3.1: the tag is what is written.
    { kind: 'image', value: 'alpine:3.10', range: tok(t, 16, '3.10'), context: 'image.tag' },
    { kind: 'image', value: 'debian:sid-20240311', range: tok(t, 18, 'sid-20240311'), context: 'image' },
  ]);
});

test('an unclosed quoted tag at the end of a file is not read as an empty tag (fuzz helm-values: token)', () => {
  const t = 'image:\n  repository: debian\n  tag: sid-20240320\nworker:\n  image:\n    repository: library/debian\n    tag: "s';
  assert.deepStrictEqual(helmValues.extract(t, 'values.yaml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 2, 'sid-20240320'), context: 'image.tag' },
    { kind: 'problem', reason: 'syntax', message: 'Not valid YAML here (Missing closing "quote): what follows in this document may not have been checked.', range: { start: { line: 6, character: 11 }, end: { line: 6, character: 11 } } },
  ]);
});

test('reads a devcontainer image, and build.args where they feed the Dockerfile, fixed at the arg', () => {
  const image = fixture('devcontainer', 'image/.devcontainer/devcontainer.json');
  assert.deepStrictEqual(devcontainer.extract(image, '/r/.devcontainer/devcontainer.json'), [
    { kind: 'image', value: 'debian:sid-20240320-slim', range: tok(image, 2, 'sid-20240320-slim'), context: 'image' },
  ]);
  const path = join(repoRoot, 'test', 'fixtures', 'ci', 'devcontainer', '.devcontainer', 'devcontainer.json');
  const t = readFileSync(path, 'utf8');
  assert.deepStrictEqual(devcontainer.extract(t, path, readFile), [
    { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 5, '5.6.1-1'), via: 'build arg XZ_VER, for ARG XZ_VER in Dockerfile' },
  ]);
  assert.deepStrictEqual(fixed(path, t, readFile), [{ line: 5, severity: 'error', code: 'compromised-version', text: replaced(t, '"5.6.1-1"', '"5.6.1+really5.4.5-1"') }]);
  const plain = fixture('devcontainer', '.devcontainer.json');
  assert.deepStrictEqual(devcontainer.extract(plain, '/r/.devcontainer.json'), [
    { kind: 'image', value: 'mcr.microsoft.com/devcontainers/base:debian', range: tok(plain, 0, 'debian'), context: 'image' },
  ]);
  assert.deepStrictEqual(fixed('/r/.devcontainer.json', plain), []);
});

test('a devcontainer.json that is not JSON is a read problem', () => {
  assert.deepStrictEqual(devcontainer.extract('{ "image": ', '/r/.devcontainer.json').map((r) => r.kind), ['problem']);
});
