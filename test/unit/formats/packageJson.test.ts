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
    { kind: 'package', ecosystem: 'npm', name: 'any', context: 'package.json devDependencies', constraint: '*', range: on(8, 12, 13) },
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

test('manifests that are not JSON are reported where they stop, and never throw; JSON that is not a manifest gives nothing', () => {
  for (const text of ['[1,2]', '{"dependencies": "chalk"}', '"x"']) {
    assert.deepEqual(packageJson.extract(text, 'package.json'), [], JSON.stringify(text));
  }
  const at = (character: number) => ({ start: { line: 0, character }, end: { line: 0, character } });
  const problem = (character: number, what: string, length = 0) => ({
    kind: 'problem',
    reason: 'syntax',
    message: `package.json is not valid JSON here: ${what}. Pinwatch did not check its dependencies.`,
    range: { start: at(character).start, end: at(character + length).end },
  });
  assert.deepEqual(packageJson.extract('', 'package.json'), [problem(0, 'a value was expected')]);
  assert.deepEqual(packageJson.extract('not json', 'package.json'), [problem(0, 'an unexpected character', 3)]);
  assert.deepEqual(packageJson.extract('{"dependencies": {"chalk": "5.6.1"', 'package.json'), [problem(34, 'the file ends before a closing brace')]);
});

test('reads both sides of a merge conflict in a manifest', () => {
  const text = ['{', '  "dependencies": {', '<<<<<<< HEAD', '    "chalk": "5.6.1"', '=======', '    "chalk": "5.6.0"', '>>>>>>> theirs', '  }', '}'].join('\n');
  assert.deepEqual(packageJson.extract(text, 'package.json').map((r) => [r.range.start.line, r.kind === 'package' ? r.version : r.kind]), [[3, '5.6.1'], [5, '5.6.0']]);
});

test('reads the versions npm overrides and Yarn resolutions force, nested, by name@range and by path', () => {
  const text = [
    '{',
    '  "dependencies": { "debug": "^4.3.0" },',
    '  "overrides": {',
    '    "chalk": "5.6.1",',
    '    "debug": "$debug",',
    '    "foo": { ".": "1.0.0", "debug": "4.4.2", "bar": { "ansi-regex": "6.2.1" } },',
    '    "@ctrl/tinycolor@4": "4.1.1",',
    '    "my-ua": "npm:ua-parser-js@0.7.29",',
    '    "!bad key": "1.0.0"',
    '  },',
    '  "resolutions": { "**/rc": "1.2.9", "a/@nx/devkit": "~21.5.0", "coa@^2": "2.0.3", "b/**": "1.0.0" }',
    '}',
    '',
  ].join('\n');
  const lines = text.split('\n');
  // The range of the `nth` quoted occurrence of `value` on 0-based line `line` (found, never guessed).
  const at = (line: number, value: string, nth = 0): Range => {
    let from = -1;
    for (let k = 0; k <= nth; k += 1) from = lines[line]!.indexOf(`"${value}"`, from + 1);
    assert.ok(from >= 0, `${value} is on line ${line}`);
    return on(line, from + 1, from + 1 + value.length);
  };
  const base = { kind: 'package', ecosystem: 'npm' } as const;
  const overrides = { ...base, context: 'package.json overrides' } as const;
  const resolutions = { ...base, context: 'package.json resolutions' } as const;
  assert.deepEqual(packageJson.extract(text, '/app/package.json'), [
    { ...base, name: 'debug', context: 'package.json dependencies', constraint: '^4.3.0', range: at(1, '^4.3.0') },
    { ...overrides, name: 'chalk', version: '5.6.1', range: at(3, '5.6.1') },
    // "." is the parent package itself.
    { ...overrides, name: 'foo', version: '1.0.0', range: at(5, '1.0.0') },
    { ...overrides, name: 'debug', version: '4.4.2', range: at(5, '4.4.2') },
    { ...overrides, name: 'ansi-regex', version: '6.2.1', range: at(5, '6.2.1') },
    { ...overrides, name: '@ctrl/tinycolor', version: '4.1.1', range: at(6, '4.1.1') },
    { ...overrides, name: 'ua-parser-js', version: '0.7.29', via: 'npm alias my-ua', range: on(7, 31, 37) },
    { ...resolutions, name: 'rc', version: '1.2.9', range: at(10, '1.2.9') },
    { ...resolutions, name: '@nx/devkit', constraint: '~21.5.0', range: at(10, '~21.5.0') },
    { ...resolutions, name: 'coa', version: '2.0.3', range: at(10, '2.0.3') },
  ]);
});

test('a spec longer than 1024 characters is reported where it is, not handed to semver (quadratic in its length)', () => {
  const spec = '^' + '='.repeat(20_000);
  const text = `{\n  "dependencies": {\n    "chalk": "${spec}",\n    "debug": "4.4.2"\n  }\n}\n`;
  const started = performance.now();
  const extracted = packageJson.extract(text, '/app/package.json');
  assert.ok(performance.now() - started < 200, 'read in under 200 ms');
  assert.deepEqual(extracted, [
    { kind: 'problem', reason: 'limit', message: 'The spec of chalk in dependencies is longer than 1024 characters, so it was not read.', range: on(2, 14, 14 + spec.length) },
    { kind: 'package', ecosystem: 'npm', name: 'debug', context: 'package.json dependencies', version: '4.4.2', range: on(3, 14, 19) },
  ]);
});
