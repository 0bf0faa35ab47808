// The bounds of the one YAML reader (formats/yaml/document.ts) every YAML format shares: deep nesting and runs of
// syntax errors stop the document they are in with a limit problem there, what came before is read, and so are the
// documents after the next `---`. Before the bounds, the `yaml` library's parser recursed once per open collection
// (and overflowed the stack), or its composer caught its own overflow at a depth that changed from run to run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conanfile } from '../../../../server/src/formats/conan';
import { helmValues } from '../../../../server/src/formats/helmValues';
import { kubernetes } from '../../../../server/src/formats/kubernetes';
import { maxYamlDepth, maxYamlErrors } from '../../../../server/src/formats/yaml/document';
import { tok } from './ciHelpers';

const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

// The fuzzer's conandata.yml of this shape (34 KB, 2,096 pairs) overflowed the library's parser where the CLI runs
// it, and the file was reported as not readable at all, its two findings dropped.
test('conandata.yml: a line of 10,000 glued "key": "value" pairs stops at the nesting limit, and the URLs before it are read', () => {
  const release = 'https://github.com/tukaani-project/xz/releases/download';
  const text = `sources:\n  "5.6.1":\n    url: "${release}/v5.6.1/xz-5.6.1.tar.xz"\n  "5.6.0":\n    url: "${release}/v5.6.0/xz-5.6.0.tar.xz"\n    sha256: "cdaf${'"debug": "4.4.2"'.repeat(10_000)}c02b"\n`;
  assert.deepStrictEqual(conanfile.extract(text, '/p/conandata.yml'), [
    { kind: 'url', value: `${release}/v5.6.1/xz-5.6.1.tar.xz`, range: tok(text, 2, `${release}/v5.6.1/xz-5.6.1.tar.xz`), context: 'conandata.yml url', origins: [{ from: 0, to: 78, at: 30 }] },
    { kind: 'url', value: `${release}/v5.6.0/xz-5.6.0.tar.xz`, range: tok(text, 4, `${release}/v5.6.0/xz-5.6.0.tar.xz`), context: 'conandata.yml url', origins: [{ from: 0, to: 78, at: 131 }] },
    { kind: 'problem', reason: 'syntax', message: 'Not valid YAML here (Nested mappings are not allowed in compact mappings): what follows in this document may not have been checked.', range: { start: { line: 5, character: 12 }, end: { line: 5, character: 13 } } },
    { kind: 'problem', reason: 'limit', message: `Nested deeper than ${maxYamlDepth} levels here, so the rest of this document was not read.`, range: at(5, 1994) },
  ]);
});

test('Kubernetes: 5,000 unclosed [ in one document are a limit problem at the 128th, and the next document is read', () => {
  const pod = (tag: string, rest = ''): string => `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: debian:${tag}\n${rest}`;
  const text = `${pod('sid-20240320', `      args: ${'['.repeat(5000)}\n`)}---\n${pod('sid-20240315')}`;
  assert.deepStrictEqual(kubernetes.extract(text, '/p/pod.yaml'), [
    { kind: 'image', value: 'debian:sid-20240320', range: tok(text, 4, 'sid-20240320'), context: 'containers' },
    // The walk of what was read stops at 100 levels; the parser stopped at its own bound.
    { kind: 'problem', reason: 'limit', message: 'Nested deeper than 100 levels: what is inside was not checked.', range: at(5, 109) },
    { kind: 'problem', reason: 'limit', message: `Nested deeper than ${maxYamlDepth} levels here, so the rest of this document was not read.`, range: at(5, 135) },
    { kind: 'image', value: 'debian:sid-20240315', range: tok(text, 11, 'sid-20240315'), context: 'containers' },
  ]);
});

test('Helm values: after 1,000 syntax errors the document is not read further, and the one after the next --- is', () => {
  const text = `${'[[package]]\n'.repeat(400)}---\nimage:\n  repository: debian\n  tag: sid-20240320\n`;
  assert.deepStrictEqual(helmValues.extract(text, '/p/values.yaml'), [
    { kind: 'problem', reason: 'syntax', message: 'Not valid YAML here (Unexpected flow-seq-start at node end): what follows in this document may not have been checked.', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } },
    { kind: 'problem', reason: 'limit', message: `More than ${maxYamlErrors} YAML syntax errors by here, so the rest of this document was not read.`, range: at(201, 9) },
    { kind: 'image', value: 'debian:sid-20240320', range: tok(text, 403, 'sid-20240320'), context: 'image.tag' },
  ]);
});

test('Helm values: each document that nests too deep stops at its own limit problem, and the documents between them are read', () => {
  const deep = `x: ${'['.repeat(200)}\n`;
  const text = `${deep}---\n${deep}---\nimage:\n  repository: debian\n  tag: sid-20240320\n---\n${deep}`;
  const stopped = (line: number) => [
    { kind: 'problem', reason: 'limit', message: 'Nested deeper than 100 levels: what is inside was not checked.', range: at(line, 103) },
    { kind: 'problem', reason: 'limit', message: `Nested deeper than ${maxYamlDepth} levels here, so the rest of this document was not read.`, range: at(line, 129) },
  ];
  assert.deepStrictEqual(helmValues.extract(text, '/p/values.yaml'), [
    ...stopped(0),
    ...stopped(2),
    { kind: 'image', value: 'debian:sid-20240320', range: tok(text, 6, 'sid-20240320'), context: 'image.tag' },
    ...stopped(8),
  ]);
});
