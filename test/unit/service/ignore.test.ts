// *Ignore … here…* for a client that asks for the reason: the request the server sends, the text the client
// writes from it, and that the next analysis honours what was written (a comment, or a policy-file entry).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';
import { applyPolicy, parsePolicy } from '../../../server/src/policy';
import { codeActions } from '../../../server/src/service/codeActions';
import { toDiagnostics } from '../../../server/src/service/diagnostics';
import { suppressionText, validUntil, type IgnoreRequest } from '../../../server/src/service/ignoreRequest';
import { debianFinding, dockerText, dockerUri } from './findings';

const folder = mkdtempSync(join(tmpdir(), 'pinwatch-ignore-'));
const lockPath = join(folder, 'app', 'package-lock.json');
const lockText = JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { dependencies: { chalk: '5.6.1' } }, 'node_modules/chalk': { version: '5.6.1' } } }, null, 2) + '\n';

/** The requests of the ignore actions offered for the first diagnostic of `path`, with `files` as the disk. */
function requests(path: string, text: string, files: Record<string, string> = {}): IgnoreRequest[] {
  const uri = pathToFileURL(path).href;
  const findings = analyzeFile(path, text, defaultSettings).findings;
  const diagnostics = toDiagnostics(findings.slice(0, 1));
  const readFile = (u: string) => files[u];
  const actions = codeActions(TextDocument.create(uri, 'plaintext', 1, text), diagnostics[0]!.range, { diagnostics }, { documentChanges: false, ignore: { prompt: true, folders: [folder], readFile } });
  return actions.flatMap((a) => (a.command?.command === 'pinwatch.ignoreFinding' ? [a.command.arguments![0] as IgnoreRequest] : []));
}

function insert(text: string, request: IgnoreRequest, reason: string, until = ''): string {
  const document = TextDocument.create('file:///x', 'plaintext', 1, text);
  return TextDocument.applyEdits(document, [{ range: { start: request.position, end: request.position }, newText: suppressionText(request, reason, until) }]);
}

test('in a Dockerfile the request writes the comment with the reason and date, and the next analysis suppresses the finding', () => {
  const xz = debianFinding('xz-utils', 1);
  const diagnostics = toDiagnostics([xz]);
  const actions = codeActions(TextDocument.create(dockerUri, 'dockerfile', 3, dockerText), xz.reference.range, { diagnostics }, { documentChanges: false, ignore: { prompt: true } });
  const line1 = dockerText.split('\n')[1]!;
  const request: IgnoreRequest = { kind: 'comment', id: 'CVE-2024-3094', uri: dockerUri, position: { line: 1, character: line1.length }, before: ' # pinwatch-ignore CVE-2024-3094 ', after: '', expected: `${line1}\n` };
  assert.deepStrictEqual(actions.at(-1), { title: 'Ignore CVE-2024-3094 here…', kind: 'quickfix', diagnostics, isPreferred: false, command: { title: 'Ignore CVE-2024-3094 here…', command: 'pinwatch.ignoreFinding', arguments: [request] } });
  const written = insert(dockerText, request, ' a builder stage,\nnever shipped ', '2099-12-31');
  assert.equal(written, `FROM debian:sid\n${line1} # pinwatch-ignore CVE-2024-3094 until=2099-12-31 a builder stage, never shipped\n`);
  assert.deepStrictEqual(analyzeFile('/work/Dockerfile', written, defaultSettings).findings.map((f) => f.suppression), [
    { kind: 'inSource', justification: 'a builder stage, never shipped', until: '2099-12-31', range: { start: { line: 1, character: line1.length + 1 }, end: { line: 1, character: written.split('\n')[1]!.length } } },
    { kind: 'inSource', justification: 'a builder stage, never shipped', until: '2099-12-31', range: { start: { line: 1, character: line1.length + 1 }, end: { line: 1, character: written.split('\n')[1]!.length } } },
  ]);
});

test('in a JSON lockfile with no policy file, the request creates .pinwatch.yaml at the workspace folder with the entry', () => {
  const [request] = requests(lockPath, lockText);
  assert.deepStrictEqual(request, {
    kind: 'policy', id: 'PINWATCH-NPM-2025-09-CHALK-DEBUG', uri: pathToFileURL(join(folder, '.pinwatch.yaml')).href, position: { line: 0, character: 0 },
    before: 'ignore:\n  - id: PINWATCH-NPM-2025-09-CHALK-DEBUG\n    paths: ["app/package-lock.json"]\n    package: "chalk"\n', after: '', indent: '    ', eol: '\n', create: true, expected: '',
  });
  const policyText = insert('', request!, 'a fixture: "never" installed', '2099-01-31');
  assert.equal(policyText, 'ignore:\n  - id: PINWATCH-NPM-2025-09-CHALK-DEBUG\n    paths: ["app/package-lock.json"]\n    package: "chalk"\n    until: 2099-01-31\n    reason: "a fixture: \\"never\\" installed"\n');
  const policy = parsePolicy(policyText, join(folder, '.pinwatch.yaml'));
  const findings = analyzeFile(lockPath, lockText, defaultSettings).findings;
  assert.deepStrictEqual(applyPolicy(findings, lockPath, policy, '2026-12-01', new Set()).map((f) => f.suppression && { kind: f.suppression.kind, justification: f.suppression.justification, until: f.suppression.until }), [
    { kind: 'external', justification: 'a fixture: "never" installed', until: '2099-01-31' },
  ]);
});

test('an existing policy file gets the entry at the end of its ignore list, or a new ignore key; a shape it cannot extend gets none', () => {
  const policyUri = pathToFileURL(join(folder, 'app', '.pinwatch.yaml')).href;
  const cases: Array<[string, string | undefined]> = [
    ['exclude: ["vendor/**"]\nignore:\n- id: CVE-2024-3094\n  reason: forensics\n# the end\n', 'exclude: ["vendor/**"]\nignore:\n- id: CVE-2024-3094\n  reason: forensics\n- id: PINWATCH-NPM-2025-09-CHALK-DEBUG\n  paths: ["package-lock.json"]\n  package: "chalk"\n  reason: "why"\n# the end\n'],
    ['ignore:\n    - id: CVE-2024-3094\n      reason: forensics', 'ignore:\n    - id: CVE-2024-3094\n      reason: forensics\n    - id: PINWATCH-NPM-2025-09-CHALK-DEBUG\n      paths: ["package-lock.json"]\n      package: "chalk"\n      reason: "why"\n'],
    ['exclude: ["vendor/**"]', 'exclude: ["vendor/**"]\nignore:\n  - id: PINWATCH-NPM-2025-09-CHALK-DEBUG\n    paths: ["package-lock.json"]\n    package: "chalk"\n    reason: "why"\n'],
    ['ignore: []\n', undefined],
    ['ignore: [unclosed\n', undefined],
  ];
  for (const [existing, expected] of cases) {
    const [request] = requests(lockPath, lockText, { [policyUri]: existing });
    assert.equal(request && insert(existing, request, 'why'), expected, existing);
    if (expected) assert.equal(parsePolicy(expected, join(folder, 'app', '.pinwatch.yaml')).ignore.length, existing.includes('CVE-2024-3094') ? 2 : 1);
  }
});

test('a client that does not prompt gets no policy action for a JSON file (it could not give the entry a reason)', () => {
  const findings = analyzeFile(lockPath, lockText, defaultSettings).findings;
  const diagnostics = toDiagnostics(findings.slice(0, 1));
  const actions = codeActions(TextDocument.create(pathToFileURL(lockPath).href, 'json', 1, lockText), diagnostics[0]!.range, { diagnostics }, { documentChanges: false, ignore: { folders: [folder] } });
  assert.deepStrictEqual(actions.filter((a) => a.title.startsWith('Ignore')), []);
  // The same request with a prompting client does get one.
  assert.equal(requests(lockPath, lockText).length, 1);
});

test('dates: YYYY-MM-DD of a real day, or nothing', () => {
  assert.deepStrictEqual(['', '2027-01-31', '2027-02-30', '2027-1-31', 'tomorrow'].map(validUntil), [true, true, false, false, false]);
});
