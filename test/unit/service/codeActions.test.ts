import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings, type Finding } from '../../../server/src/model';
import { codeActions, fixAll, fixAllKind, type CodeActionOptions } from '../../../server/src/service/codeActions';
import { toDiagnostics } from '../../../server/src/service/diagnostics';
import { debianFinding, dockerText, dockerUri, rangeOf } from './findings';

const xz = debianFinding('xz-utils', 1);
const liblzma = debianFinding('liblzma5', 2);
const diagnostics = toDiagnostics([xz, liblzma]);
const plain: CodeActionOptions = { documentChanges: false };

function open(text = dockerText, uri = dockerUri, version = 3): TextDocument {
  return TextDocument.create(uri, 'dockerfile', version, text);
}

/** The text of `uri` after applying a workspace edit (either form) to `text`. */
function applied(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? (edit?.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : [])) as TextEdit[];
  return TextDocument.applyEdits(open(text, uri), edits);
}

const ignoreTitle = 'Ignore CVE-2024-3094 here (write the reason after the comment)';
const line1 = dockerText.split('\n')[1]!;
const endOfLine1 = { start: { line: 1, character: line1.length }, end: { line: 1, character: line1.length } };

function at(range: Range): Range {
  return { start: range.start, end: range.start };
}

test('offers each fix of a diagnostic at the cursor, the first preferred, and the edit fixes exactly the token', () => {
  const actions = codeActions(open(), at(xz.reference.range), { diagnostics: [diagnostics[0]!] }, plain);
  assert.deepStrictEqual(actions, [
    { title: 'Pin xz-utils 5.6.1+really5.4.5-1', kind: 'quickfix', diagnostics: [diagnostics[0]], isPreferred: true, edit: { changes: { [dockerUri]: [{ range: xz.reference.range, newText: '5.6.1+really5.4.5-1' }] } } },
    { title: 'Pin xz-utils 5.4.5-0.3', kind: 'quickfix', diagnostics: [diagnostics[0]], isPreferred: false, edit: { changes: { [dockerUri]: [{ range: xz.reference.range, newText: '5.4.5-0.3' }] } } },
    { title: ignoreTitle, kind: 'quickfix', diagnostics: [diagnostics[0]], isPreferred: false, edit: { changes: { [dockerUri]: [{ range: endOfLine1, newText: ' # pinwatch-ignore CVE-2024-3094 ' }] } } },
  ]);
  assert.equal(
    applied(actions[0]!.edit, dockerUri, dockerText),
    'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1 liblzma5=5.6.1-1\n',
  );
  // The comment waits for its reason: until it has one, it suppresses nothing and a warning says so.
  const commented = applied(actions[2]!.edit, dockerUri, dockerText);
  assert.equal(commented, 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1 liblzma5=5.6.1-1 # pinwatch-ignore CVE-2024-3094 \n');
  assert.deepStrictEqual(analyzeFile('/work/Dockerfile', commented, defaultSettings).notices?.map((n) => n.code), ['suppression-without-reason']);
  const reasoned = commented.replace('CVE-2024-3094 ', 'CVE-2024-3094 a builder stage, never shipped');
  assert.deepStrictEqual(analyzeFile('/work/Dockerfile', reasoned, defaultSettings).findings.map((f) => f.suppression?.justification), ['a builder stage, never shipped', 'a builder stage, never shipped']);
});

test('uses a versioned documentChanges edit when the client supports it', () => {
  const actions = codeActions(open(), xz.reference.range, { diagnostics: [diagnostics[0]!] }, { documentChanges: true });
  assert.deepStrictEqual(actions[0]!.edit, {
    documentChanges: [{ textDocument: { uri: dockerUri, version: 3 }, edits: [{ range: xz.reference.range, newText: '5.6.1+really5.4.5-1' }] }],
  });
});

test('offers an action when the cursor sits just after the flagged token', () => {
  const end = xz.reference.range.end;
  const actions = codeActions(open(), { start: end, end }, { diagnostics: [diagnostics[0]!], only: ['quickfix'] }, plain);
  assert.deepStrictEqual(actions.map((a) => a.title), ['Pin xz-utils 5.6.1+really5.4.5-1', 'Pin xz-utils 5.4.5-0.3', ignoreTitle]);
});

test('offers nothing for a range outside the diagnostic', () => {
  assert.deepStrictEqual(codeActions(open(), at(rangeOf(dockerText, 'debian')), { diagnostics: [diagnostics[0]!] }, plain), []);
});

test('offers no fix when the text changed since the diagnostic was published', () => {
  const changed = dockerText.replace('xz-utils=5.6.1-1', 'xz-utils=5.6.2-1');
  assert.deepStrictEqual(codeActions(open(changed), at(xz.reference.range), { diagnostics: [diagnostics[0]!] }, plain), []);
});

test('offers no fix when the flagged line is now shorter than the edit range', () => {
  assert.deepStrictEqual(codeActions(open('FROM debian:sid\nRUN true\n'), at(xz.reference.range), { diagnostics: [diagnostics[0]!] }, plain), []);
});

test('ignores diagnostics from another source, even carrying fixes', () => {
  const foreign: Diagnostic = { ...diagnostics[0]!, source: 'hadolint' };
  const unrelated: Diagnostic = { range: xz.reference.range, message: 'Pin versions in apt get install', source: 'hadolint', code: 'DL3008' };
  assert.deepStrictEqual(codeActions(open(), at(xz.reference.range), { diagnostics: [foreign, unrelated] }, plain), []);
});

test('offers only the fixes of the diagnostic under the cursor, not of an unrelated one', () => {
  const actions = codeActions(open(), at(liblzma.reference.range), { diagnostics: diagnostics, only: ['quickfix'] }, plain);
  assert.deepStrictEqual(actions.map((a) => a.title), ['Pin liblzma5 5.6.1+really5.4.5-1', 'Pin liblzma5 5.4.5-0.3', ignoreTitle]);
});

test('falls back to the published diagnostics when the client sends none of ours', () => {
  const actions = codeActions(open(), at(xz.reference.range), { diagnostics: [], only: ['quickfix'] }, { ...plain, published: diagnostics });
  assert.deepStrictEqual(actions.map((a) => a.title), ['Pin xz-utils 5.6.1+really5.4.5-1', 'Pin xz-utils 5.4.5-0.3', ignoreTitle]);
});

test('source.fixAll.pinwatch applies the preferred fix of every finding', () => {
  const actions = codeActions(open(), at(rangeOf(dockerText, 'FROM')), { diagnostics: [], only: ['source.fixAll'] }, { ...plain, published: diagnostics });
  assert.equal(actions.length, 1);
  const action = actions[0] as CodeAction;
  assert.deepStrictEqual({ ...action, edit: undefined }, { title: 'Fix all 2 Pinwatch findings', kind: fixAllKind, diagnostics, edit: undefined });
  assert.equal(
    applied(action.edit, dockerUri, dockerText),
    'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1 liblzma5=5.6.1+really5.4.5-1\n',
  );
});

test('offers fix-all alongside the quick fixes when no kind is asked for and several findings are fixable', () => {
  const actions = codeActions(open(), at(xz.reference.range), { diagnostics: [diagnostics[0]!] }, { ...plain, published: diagnostics });
  assert.deepStrictEqual(actions.map((a) => a.kind), ['quickfix', 'quickfix', 'quickfix', fixAllKind]);
});

test('honours only: a source request gets no quick fixes, a quickfix request no fix-all', () => {
  const options = { ...plain, published: diagnostics };
  assert.deepStrictEqual(codeActions(open(), at(xz.reference.range), { diagnostics, only: ['source'] }, options).map((a) => a.kind), [fixAllKind]);
  assert.deepStrictEqual(codeActions(open(), at(xz.reference.range), { diagnostics, only: ['quickfix'] }, options).map((a) => a.kind), ['quickfix', 'quickfix', 'quickfix']);
  assert.deepStrictEqual(codeActions(open(), at(xz.reference.range), { diagnostics, only: ['refactor'] }, options), []);
});

test('fix-all skips a fix that overlaps one already taken, and a stale one', () => {
  const overlapping: Finding = { ...xz, fixes: [{ title: 'Other', edits: [{ ...xz.fixes[0]!.edits[0]!, newText: '5.4.5-0.3' }] }] };
  const stale: Finding = { ...liblzma, fixes: [{ title: 'Stale', edits: [{ ...liblzma.fixes[0]!.edits[0]!, expected: '5.6.0-0.1' }] }] };
  const action = fixAll(open(), toDiagnostics([xz, overlapping, stale]), plain);
  assert.equal(action?.title, 'Fix the Pinwatch finding');
  assert.equal(applied(action?.edit, dockerUri, dockerText), 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1 liblzma5=5.6.1-1\n');
  assert.equal(fixAll(open(), [], plain), undefined);
});

const lockUri = 'file:///work/package-lock.json';
const packageJsonUri = 'file:///work/package.json';
const packageJson = '{\n  "name": "app",\n  "dependencies": { "chalk": "^5.6.0" }\n}\n';
const lockText = '{\n  "packages": {\n    "node_modules/chalk": { "version": "5.6.1" }\n  }\n}\n';
const insertAt = { start: { line: 2, character: 39 }, end: { line: 2, character: 39 } };
const chalk: Finding = {
  reference: { kind: 'package', ecosystem: 'npm', name: 'chalk', version: '5.6.1', range: rangeOf(lockText, '5.6.1'), fix: { kind: 'npm-override', packageJson: '/work/package.json' } },
  advisory: { id: 'GHSA-2v46-p5h4-248w', aliases: [], summary: 'chalk 5.6.1 was published with malware.', url: 'https://github.com/advisories/GHSA-2v46-p5h4-248w' },
  severity: 'error',
  code: 'compromised-version',
  message: 'chalk 5.6.1 is a compromised release; pin 5.6.0.',
  affected: ['5.6.1'],
  safe: ['5.6.0'],
  fixes: [{ title: 'Override chalk to 5.6.0 in package.json', followUp: 'run npm install', edits: [{ uri: packageJsonUri, range: insertAt, newText: ',\n  "overrides": { "chalk": "5.6.0" }', expected: '' }] }],
};

test('a lockfile fix edits package.json, checked against the file on disk', () => {
  const document = open(lockText, lockUri);
  const range = chalk.reference.range;
  const actions = codeActions(document, range, { diagnostics: toDiagnostics([chalk]) }, { documentChanges: true, readFile: (uri) => (uri === packageJsonUri ? packageJson : undefined) });
  assert.deepStrictEqual(actions.map((a) => a.edit), [
    { documentChanges: [{ textDocument: { uri: packageJsonUri, version: null }, edits: [{ range: insertAt, newText: ',\n  "overrides": { "chalk": "5.6.0" }' }] }] },
  ]);
  assert.equal(applied(actions[0]!.edit, packageJsonUri, packageJson), '{\n  "name": "app",\n  "dependencies": { "chalk": "^5.6.0" },\n  "overrides": { "chalk": "5.6.0" }\n}\n');
});

test('a lockfile fix uses the open package.json and its version, and is withheld when package.json is unreadable', () => {
  const document = open(lockText, lockUri);
  const packageDocument = open(packageJson, packageJsonUri, 7);
  const withOpen = codeActions(document, chalk.reference.range, { diagnostics: toDiagnostics([chalk]) }, { documentChanges: true, openDocument: (uri) => (uri === packageJsonUri ? packageDocument : undefined) });
  assert.deepStrictEqual(withOpen[0]!.edit?.documentChanges?.[0], { textDocument: { uri: packageJsonUri, version: 7 }, edits: [{ range: insertAt, newText: ',\n  "overrides": { "chalk": "5.6.0" }' }] });
  assert.deepStrictEqual(codeActions(document, chalk.reference.range, { diagnostics: toDiagnostics([chalk]) }, { documentChanges: true }), []);
});
