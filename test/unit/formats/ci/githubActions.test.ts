import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile } from '../../../../server/src/engine';
import { githubActions } from '../../../../server/src/formats/githubActions';
import { formatFor } from '../../../../server/src/formats/index';
import { defaultSettings } from '../../../../server/src/model';
import { withoutOrigins } from '../recipeHelpers';
import { after, fixed, fixture, replaced, tok } from './ciHelpers';

const extract = (text: string) => withoutOrigins(githubActions.extract(text, '.github/workflows/ci.yml'));
const workflow = '/repo/.github/workflows/ci.yml';
const sha = { tj: '0e58ed8671d6b60d0890c21b07f8835ace038e67', reviewdog: 'f0d342d24037bb11d26b9bd8496e0808ba32e9ec', restored: '3f401fe1d58fe77e10d665ab713057375e39b887' };
const action = { kind: 'package', ecosystem: 'GitHub Actions', context: 'uses' } as const;

test('reads workflows by their folder and action metadata by name, and no other YAML', () => {
  assert.deepStrictEqual(
    ['/r/.github/workflows/ci.yml', 'C:\\r\\.github\\workflows\\ci.yaml', '/r/action.yml', '/r/sub/action.yaml', '/r/workflows/ci.yml', '/r/.github/ci.yml'].map((p) => formatFor(p)?.id),
    ['github/workflow', 'github/workflow', 'github/workflow', 'github/workflow', 'kubernetes/manifest', 'kubernetes/manifest'],
  );
});

test('reads uses: references, container and service images, and run: blocks with the container distribution', () => {
  const t = fixture('github', 'compromised.yml');
  const sid = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { kind: 'image', value: 'debian:sid-20240315-slim', range: tok(t, 8, 'sid-20240315-slim'), context: 'container' },
    { kind: 'image', value: 'redis:7', range: tok(t, 10, '7'), context: 'services' },
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 12, 'sid-20240320'), context: 'services' },
    { ...action, name: 'actions/checkout', version: 'v4', range: tok(t, 14, 'v4'), refComment: after(t, 14, 'v4') },
    { ...action, name: 'tj-actions/changed-files', version: sha.tj, range: tok(t, 15, sha.tj), refComment: tok(t, 15, 'v45.0.7') },
    { ...action, name: 'tj-actions/changed-files', version: 'v45', range: tok(t, 16, 'v45'), refComment: after(t, 16, 'v45') },
    { ...action, name: 'reviewdog/action-setup', version: sha.reviewdog, range: tok(t, 17, sha.reviewdog), refComment: tok(t, 17, 'v1') },
    { ...action, name: 'reviewdog/action-setup', version: 'v1', range: tok(t, 18, 'v1'), refComment: after(t, 18, 'v1') },
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 19, 'sid-20240320'), context: 'steps.uses' },
    { ...sid, name: 'xz-utils', version: '5.6.1-1', range: tok(t, 22, '5.6.1-1') },
    { ...sid, name: 'liblzma5', version: '5.6.1-1', range: tok(t, 22, '${XZ_VER}'), edit: tok(t, 3, '5.6.1-1'), via: 'env XZ_VER, line 4' },
    // A GitHub-hosted runner's own distribution; the pwsh step after it is not read as shell.
    { kind: 'package', ecosystem: 'Ubuntu', suite: 'noble', context: 'apt-get install', name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 26, '5.6.0-0.2') },
    { ...action, name: 'tj-actions/changed-files', version: 'v1.2.0', range: tok(t, 30, 'v1.2.0'), refComment: after(t, 30, 'v1.2.0') },
  ]);
});

test('reads anchors, aliases, merges, flow collections, quoted and folded scalars at their exact positions', () => {
  const t = fixture('github', 'anchors.yml');
  const sid = { kind: 'package', ecosystem: 'Debian', suite: 'sid', context: 'apt-get install' } as const;
  const debian = { kind: 'package', ecosystem: 'Debian', context: 'apt-get install' } as const;
  assert.deepStrictEqual(extract(t), [
    { ...action, name: 'tj-actions/changed-files', version: sha.tj, range: tok(t, 3, sha.tj), refComment: after(t, 3, sha.tj) },
    { ...sid, name: 'liblzma5', version: '5.6.0-0.2', range: tok(t, 6, '5.6.0-0.2') },
    { ...sid, name: 'xz-utils', version: '5.6.0-0.2', range: tok(t, 7, '5.6.0-0.2') },
    { kind: 'image', value: 'debian:sid-20240320', range: tok(t, 11, 'sid-20240320'), context: 'container' },
    { ...action, name: 'reviewdog/action-setup', version: 'v1', range: tok(t, 16, 'v1') },
    { ...debian, name: 'liblzma5', version: '5.6.1-1', range: tok(t, 17, '5.6.1-1') },
  ]);
});

test('maps run: positions through CRLF line breaks and shell line continuations', () => {
  const t = fixture('github', 'crlf.yml');
  assert.deepStrictEqual(extract(t), [
    { kind: 'package', ecosystem: 'Debian', context: 'apt-get install', name: 'xz-utils', version: '5.6.1-1', range: tok(t, 7, '5.6.1-1') },
  ]);
});

test('reads composite action steps (POSIX shells only) and a Docker action image', () => {
  const t = fixture('github', 'action.yml');
  assert.deepStrictEqual(extract(t), [
    { ...action, name: 'tj-actions/changed-files', version: 'v45.0.7', range: tok(t, 5, 'v45.0.7'), refComment: after(t, 5, 'v45.0.7') },
    { kind: 'package', ecosystem: 'Alpine', context: 'apk add', name: 'xz', version: '5.6.1-r0', range: tok(t, 7, '5.6.1-r0') },
  ]);
  const d = fixture('github', 'docker-action.yml');
  assert.deepStrictEqual(extract(d), [{ kind: 'image', value: 'debian:sid-20240311', range: tok(d, 3, 'sid-20240311'), context: 'runs.image' }]);
});

test('flags nothing at safe values: clean SHAs, current tags, images dated outside the window, echoed versions', () => {
  assert.deepStrictEqual(analyzeFile(workflow, fixture('github', 'safe.yml'), defaultSettings), { findings: [], problems: [] });
});

test('a workflow that is not YAML, or not a mapping, is a read problem, never a silent pass', () => {
  const broken = analyzeFile(workflow, fixture('github', 'not-yaml.yml'), defaultSettings);
  assert.deepStrictEqual(broken.problems.map((p) => ({ reason: p.reason, line: p.range.start.line })), [{ reason: 'syntax', line: 0 }]);
  const prose = analyzeFile(workflow, fixture('github', 'prose.yml'), defaultSettings);
  assert.deepStrictEqual(prose.problems, [{
    kind: 'problem', reason: 'syntax', message: 'This is not a GitHub Actions workflow or action (its top level is not a mapping), so it was not checked.',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 31 } },
  }]);
});

test('fixes action pins and keeps the # vX comment convention', () => {
  const t = fixture('github', 'compromised.yml');
  const results = fixed(workflow, t).filter((r) => r.line >= 14 && r.line <= 18);
  assert.deepStrictEqual(results, [
    // The malicious commit is an error; its fix is the advisory's release, and the comment follows it.
    { line: 15, severity: 'error', code: 'compromised-version', text: replaced(t, `${sha.tj} # v45.0.7`, 'v46.0.1 # v46.0.1') },
    // A repointed, restored tag is a warning whose fix is the advisory's release.
    { line: 16, severity: 'warning', code: 'compromised-version', text: replaced(t, 'changed-files@v45\n', 'changed-files@v46.0.1\n') },
    // The restored commit keeps the `# v1` comment, which names the tag that points to it now.
    { line: 17, severity: 'error', code: 'compromised-version', text: replaced(t, sha.reviewdog, sha.restored) },
    // A tag replaced by a SHA keeps the tag as the comment.
    { line: 18, severity: 'warning', code: 'compromised-version', text: replaced(t, 'action-setup@v1\n', `action-setup@${sha.restored} # v1\n`) },
  ]);
});

test('the warning for a restored tag says so and recommends a SHA pin', () => {
  const { findings } = analyzeFile(workflow, 'jobs:\n  a:\n    steps:\n      - uses: tj-actions/changed-files@v45.0.7\n      - uses: tj-actions/changed-files@v45.0.8\n      - uses: tj-actions/changed-files@v46\n      - uses: tj-actions/changed-files@main\n', defaultSettings);
  assert.deepStrictEqual(findings.map((f) => [f.reference.range.start.line, f.severity, f.message]), [[
    3, 'warning',
    'tj-actions/changed-files@v45.0.7 is a tag that pointed to the malicious commit 0e58ed86 from 2025-03-14 to 2025-03-15 (tj-actions/changed-files compromise (2025-03), CVE-2025-30066); it has since been restored, but runs in that window ran the malicious code. Pin a full commit SHA so that a moved tag cannot change what runs; the advisory\'s fix is v46.0.1.',
  ]]);
});

test('reads around ${{ }} expressions, quoted uses: with comments, folded and indented blocks, quoted run: lines', () => {
  const t = fixture('github', 'expressions.yml');
  assert.deepStrictEqual(fixed(workflow, t), [
    { line: 9, severity: 'warning', code: 'compromised-version', text: replaced(replaced(t, '@v45"', '@v46.0.1"'), '# v45', '# v46.0.1') },
    { line: 10, severity: 'error', code: 'compromised-version', text: replaced(t, sha.reviewdog, sha.restored) },
    { line: 11, severity: 'error', code: 'compromised-version', text: replaced(t, 'liblzma5=5.6.1-1', 'liblzma5=5.6.1+really5.4.5-1') },
    // In a `>` block a more-indented line keeps its line break, so `liblzma5=5.6.1-1` on line 15 is a shell
    // assignment, not an argument of apt-get: nothing is flagged there.
    { line: 18, severity: 'error', code: 'compromised-version', text: replaced(t, 'liblzma-dev=5.6.1-1', 'liblzma-dev=5.6.1+really5.4.5-1') },
    { line: 21, severity: 'error', code: 'compromised-version', text: replaced(t, 'xz-utils=5.6.0-0.2', 'xz-utils=5.6.1+really5.4.5-1') },
  ]);
});
