import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageJson } from '../../../server/src/formats/packageJson';
import type { Range } from '../../../server/src/model';

const on = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });

test('reads exact pins and ranges from every dependency field, at the version inside the quotes', () => {
  const text = [
    '{',
    '  "name": "app",',
    '  "dependencies": { "chalk": "5.6.1", "debug": "^4.4.2", "ua": "npm:ua-parser-js@=0.7.29" },',
    '  "devDependencies": {',
    '    "event-stream": "v3.3.6",',
    '    "nx": "latest",',
    '    "lodash": "github:lodash/lodash",',
    '    "local": "file:../local",',
    '    "any": "*"',
    '  },',
    '  "optionalDependencies": { "colors": " 1.4.1 " },',
    '  "peerDependencies": { "rc": ">=1.2.0 <2" }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(packageJson.extract(text, '/app/package.json'), [
    { kind: 'package', ecosystem: 'npm', name: 'chalk', context: 'package.json dependencies', version: '5.6.1', range: on(2, 30, 35) },
    { kind: 'package', ecosystem: 'npm', name: 'debug', context: 'package.json dependencies', constraint: '^4.4.2', range: on(2, 48, 54) },
    { kind: 'package', ecosystem: 'npm', name: 'ua-parser-js', context: 'package.json dependencies', version: '0.7.29', via: 'npm alias ua', range: on(2, 82, 88) },
    { kind: 'package', ecosystem: 'npm', name: 'event-stream', context: 'package.json devDependencies', version: '3.3.6', range: on(4, 22, 27) },
    { kind: 'package', ecosystem: 'npm', name: 'colors', context: 'package.json optionalDependencies', version: '1.4.1', range: on(10, 40, 45) },
    { kind: 'package', ecosystem: 'npm', name: 'rc', context: 'package.json peerDependencies', constraint: '>=1.2.0 <2', range: on(11, 31, 41) },
  ]);
});

test('the last of repeated keys wins, as in JSON.parse, and escaped specs are passed over', () => {
  const text = '{"dependencies":{"chalk":"5.6.1","chalk":"5.6.0","debug":"4.4.\\u0032"}}';
  assert.deepEqual(packageJson.extract(text, 'package.json'), [
    { kind: 'package', ecosystem: 'npm', name: 'chalk', context: 'package.json dependencies', version: '5.6.0', range: on(0, 42, 47) },
  ]);
});

test('malformed manifests give nothing and never throw', () => {
  for (const text of ['', 'not json', '{"dependencies": {"chalk": "5.6.1"', '[1,2]', '{"dependencies": "chalk"}', '\u0000\u0001binary']) {
    assert.deepEqual(packageJson.extract(text, 'package.json'), [], JSON.stringify(text));
  }
});
