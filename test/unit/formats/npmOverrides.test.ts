import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { overrideEdit, overrideEdits } from '../../../server/src/formats/npm/overrides';

/** Applies the edit the way an editor would, and checks that the result is JSON with the override in place. */
function applied(text: string, name: string, version: string): string {
  const edit = overrideEdit(text, name, version);
  assert.ok(edit, 'an edit');
  const document = TextDocument.create('file:///app/package.json', 'json', 1, text);
  assert.equal(document.getText(edit.range), edit.expected);
  const result = TextDocument.applyEdits(document, [edit]);
  const overrides = (JSON.parse(result) as { overrides: Record<string, unknown> }).overrides;
  assert.deepStrictEqual(overrides[name] === version || (overrides[name] as Record<string, unknown>)['.'] === version, true);
  return result;
}

test('adds an overrides object as the last property when there is none', () => {
  const text = '{\n  "name": "app",\n  "version": "1.0.0",\n  "dependencies": {\n    "express": "4.19.2"\n  }\n}\n';
  assert.equal(
    applied(text, 'chalk', '5.6.2'),
    '{\n  "name": "app",\n  "version": "1.0.0",\n  "dependencies": {\n    "express": "4.19.2"\n  },\n  "overrides": {\n    "chalk": "5.6.2"\n  }\n}\n',
  );
});

test('adds the entry after the existing overrides', () => {
  const text = '{\n  "name": "app",\n  "overrides": {\n    "semver": "7.7.3"\n  },\n  "scripts": {\n    "test": "node --test"\n  }\n}\n';
  assert.equal(
    applied(text, 'chalk', '5.6.2'),
    '{\n  "name": "app",\n  "overrides": {\n    "semver": "7.7.3",\n    "chalk": "5.6.2"\n  },\n  "scripts": {\n    "test": "node --test"\n  }\n}\n',
  );
});

test('replaces only the value of an existing entry', () => {
  const text = '{\n  "name": "app",\n  "overrides": {\n    "chalk":   "5.6.1",\n    "semver": "7.7.3"\n  }\n}\n';
  assert.deepStrictEqual(overrideEdit(text, 'chalk', '5.6.2'), {
    range: { start: { line: 3, character: 15 }, end: { line: 3, character: 22 } },
    newText: '"5.6.2"',
    expected: '"5.6.1"',
  });
  assert.equal(applied(text, 'chalk', '5.6.2'), '{\n  "name": "app",\n  "overrides": {\n    "chalk":   "5.6.2",\n    "semver": "7.7.3"\n  }\n}\n');
});

test('fills an empty overrides object on its own lines', () => {
  const text = '{\n  "name": "app",\n  "overrides": {}\n}\n';
  assert.equal(applied(text, 'chalk', '5.6.2'), '{\n  "name": "app",\n  "overrides": {\n    "chalk": "5.6.2"\n  }\n}\n');
});

test('keeps tab indentation', () => {
  const text = '{\n\t"name": "app",\n\t"dependencies": {\n\t\t"debug": "^4.3.0"\n\t}\n}\n';
  assert.equal(
    applied(text, 'debug', '4.4.1'),
    '{\n\t"name": "app",\n\t"dependencies": {\n\t\t"debug": "^4.3.0"\n\t},\n\t"overrides": {\n\t\t"debug": "4.4.1"\n\t}\n}\n',
  );
});

test('keeps four-space indentation, CRLF line ends and the absence of a final newline', () => {
  const text = '{\r\n    "name": "app",\r\n    "private": true\r\n}';
  assert.equal(applied(text, '@ctrl/tinycolor', '4.1.0'), '{\r\n    "name": "app",\r\n    "private": true,\r\n    "overrides": {\r\n        "@ctrl/tinycolor": "4.1.0"\r\n    }\r\n}');
});

test('sets "." in the nested form, keeping the rules for dependencies', () => {
  const withDot = '{\n  "overrides": {\n    "debug": {\n      ".": "4.4.2",\n      "ms": "2.1.3"\n    }\n  }\n}\n';
  assert.equal(applied(withDot, 'debug', '4.4.1'), '{\n  "overrides": {\n    "debug": {\n      ".": "4.4.1",\n      "ms": "2.1.3"\n    }\n  }\n}\n');
  const withoutDot = '{\n  "overrides": {\n    "debug": {\n      "ms": "2.1.3"\n    }\n  }\n}\n';
  assert.equal(applied(withoutDot, 'debug', '4.4.1'), '{\n  "overrides": {\n    "debug": {\n      "ms": "2.1.3",\n      ".": "4.4.1"\n    }\n  }\n}\n');
});

test('stays on one line in a one-line file, and opens an empty root object', () => {
  assert.equal(applied('{"name":"app"}', 'chalk', '5.6.2'), '{"name":"app", "overrides": { "chalk": "5.6.2" }}');
  assert.equal(applied('{ "overrides": { "a": "1.0.0" } }', 'chalk', '5.6.2'), '{ "overrides": { "a": "1.0.0", "chalk": "5.6.2" } }');
  assert.equal(applied('{}\n', 'chalk', '5.6.2'), '{\n  "overrides": {\n    "chalk": "5.6.2"\n  }\n}\n');
});

test('escapes names and versions as JSON strings', () => {
  assert.equal(applied('{\n  "name": "app"\n}\n', 'we"ird', '1.0.0'), '{\n  "name": "app",\n  "overrides": {\n    "we\\"ird": "1.0.0"\n  }\n}\n');
});

test('gives no edit for text that is not a JSON object, or overrides that are not an object', () => {
  assert.deepStrictEqual(
    ['', 'not json', '[]', '"x"', '{"name": "app"', '{"overrides": "5.6.2"}', '{"overrides": ["chalk"]}'].map((text) => overrideEdit(text, 'chalk', '5.6.2')),
    [undefined, undefined, undefined, undefined, undefined, undefined, undefined],
  );
});

/** Applies several edits at once, the way an editor applies one workspace edit. */
function appliedAll(text: string, name: string, version: string): string {
  const edits = overrideEdits(text, name, version);
  assert.ok(edits, 'edits');
  const document = TextDocument.create('file:///app/package.json', 'json', 1, text);
  for (const edit of edits) assert.equal(document.getText(edit.range), edit.expected);
  const result = TextDocument.applyEdits(document, edits);
  JSON.parse(result);
  return result;
}

test('pins a direct dependency and points its override at it, as npm requires', () => {
  const text = '{\n  "name": "app",\n  "dependencies": {\n    "chalk": "^5.6.0",\n    "my-chalk": "npm:chalk@5.6.1"\n  }\n}\n';
  assert.equal(
    appliedAll(text, 'chalk', '5.6.2'),
    '{\n  "name": "app",\n  "dependencies": {\n    "chalk": "5.6.2",\n    "my-chalk": "npm:chalk@5.6.1"\n  },\n  "overrides": {\n    "chalk": "$chalk"\n  }\n}\n',
  );
});

test('makes the one override edit for a package that is not a direct registry dependency', () => {
  const text = '{\n  "name": "app",\n  "devDependencies": {\n    "debug": "github:debug-js/debug#4.3.5",\n    "my-chalk": "npm:chalk@5.6.1"\n  }\n}\n';
  assert.deepStrictEqual(overrideEdits(text, 'chalk', '5.6.2'), [overrideEdit(text, 'chalk', '5.6.2')]);
  assert.deepStrictEqual(overrideEdits(text, 'debug', '4.4.1'), [overrideEdit(text, 'debug', '4.4.1')]);
  assert.deepStrictEqual(overrideEdits('not json', 'chalk', '5.6.2'), undefined);
});
