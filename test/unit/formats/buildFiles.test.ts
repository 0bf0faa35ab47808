import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bazel } from '../../../server/src/formats/bazel';
import { gitmodules } from '../../../server/src/formats/gitmodules';
import { formatFor } from '../../../server/src/formats/index';
import { makefile } from '../../../server/src/formats/makefile';
import { mesonWrap } from '../../../server/src/formats/mesonWrap';
import { shellScript } from '../../../server/src/formats/shellScript';
import { fixed, fixture, replaced, tok, withoutOrigins } from './buildHelpers';

const release = 'https://github.com/tukaani-project/xz/releases/download';
const sha561gz = '2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8';
const sha561xz = 'f334777310ca3ae9ba07206d78ed286a655aa3f44eec27854f740c26b2cd2ed0';

test('each build file kind has its format', () => {
  const paths = ['/p/WORKSPACE', '/p/WORKSPACE.bazel', '/p/MODULE.bazel', '/p/deps.bzl', '/p/subprojects/xz.wrap', '/p/Makefile', '/p/GNUmakefile', '/p/rules.mk', '/p/get.sh', '/p/.gitmodules'];
  assert.deepStrictEqual(paths.map((p) => formatFor(p)?.id), ['bazel/starlark', 'bazel/starlark', 'bazel/starlark', 'bazel/starlark', 'meson/wrap', 'make/Makefile', 'make/Makefile', 'make/Makefile', 'shell/script', 'git/.gitmodules']);
});

test('Bazel WORKSPACE: http_archive urls guarded by sha256, an unguarded url, git_repository tag; not comments', () => {
  const text = fixture('bazel/WORKSPACE');
  const url = (line: number, value: string, context: string, guards?: string[]) => ({ kind: 'url', value, range: tok(text, line, value), context, ...(guards ? { guardedBy: guards } : {}) });
  assert.deepStrictEqual(withoutOrigins(bazel.extract(text, '/p/WORKSPACE')), [
    url(6, `${release}/v5.6.1/xz-5.6.1.tar.gz`, 'http_archive urls', [sha561gz]),
    url(7, 'https://tukaani.org/xz/xz-5.6.1.tar.gz', 'http_archive urls', [sha561gz]),
    { kind: 'sha256', value: sha561gz, range: tok(text, 9, sha561gz), context: 'http_archive sha256' },
    url(13, `${release}/v5.6.0/xz-5.6.0.tar.bz2`, 'http_archive url'),
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.0', range: tok(text, 17, 'v5.6.0'), context: 'git_repository tag' },
    url(19, `${release}/v5.4.6/xz-5.4.6.tar.gz`, 'http_archive url'),
  ]);
  assert.deepStrictEqual(fixed('/p/WORKSPACE', text), [
    { line: 6, severity: 'error', code: 'compromised-artifact' },
    { line: 7, severity: 'error', code: 'compromised-artifact' },
    { line: 9, severity: 'error', code: 'compromised-artifact' },
    { line: 13, severity: 'error', code: 'compromised-artifact', text: replaced(text, 'v5.6.0/xz-5.6.0.tar.bz2', 'v5.6.2/xz-5.6.2.tar.bz2') },
    { line: 17, severity: 'info', code: 'compromised-artifact', text: replaced(text, 'tag = "v5.6.0"', 'tag = "v5.6.2"') },
  ]);
});

test('MODULE.bazel: archive_override urls guarded by an SRI integrity, which matches the digest it encodes', () => {
  const text = fixture('bazel/MODULE.bazel');
  assert.deepStrictEqual(withoutOrigins(bazel.extract(text, '/p/MODULE.bazel')), [
    { kind: 'url', value: `${release}/v5.6.1/xz-5.6.1.tar.xz`, range: tok(text, 6, `${release}/v5.6.1/xz-5.6.1.tar.xz`), context: 'archive_override urls', guardedBy: ['sha256-8zR3cxDKOum6ByBteO0oamVao/RO7CeFT3QMJrLNLtA='] },
    { kind: 'sri', value: 'sha256-8zR3cxDKOum6ByBteO0oamVao/RO7CeFT3QMJrLNLtA=', range: tok(text, 7, 'sha256-8zR3cxDKOum6ByBteO0oamVao/RO7CeFT3QMJrLNLtA='), context: 'archive_override integrity' },
  ]);
  assert.deepStrictEqual(fixed('/p/MODULE.bazel', text), [{ line: 6, severity: 'error', code: 'compromised-artifact' }, { line: 7, severity: 'error', code: 'compromised-artifact' }]);
});

test('Starlark: an unterminated string is a problem after what was read; 10,000 nested brackets are read', () => {
  const text = `http_archive(name = "a", url = "${release}/v5.6.0/xz-5.6.0.tar.gz")\nx = "open\n`;
  assert.deepStrictEqual(fixed('/p/deps.bzl', text).map((f) => `${f.line} ${f.severity}`), ['0 error', '1 problem']);
  const nested = `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\nhttp_archive(url = "${release}/v5.6.0/xz-5.6.0.tar.gz")\n`;
  assert.deepStrictEqual(fixed('/p/deps.bzl', nested).map((f) => `${f.line} ${f.severity}`), ['1 error']);
  assert.deepStrictEqual(fixed('/p/deps.bzl', `x = ${'('.repeat(10_000)}\n`), []);
});

test('Meson wraps: wrap-file URLs guarded by source_hash, an unguarded one fixed, wrap-git revision as information', () => {
  const text = fixture('meson/subprojects/xz.wrap');
  assert.deepStrictEqual(withoutOrigins(mesonWrap.extract(text, '/p/subprojects/xz.wrap')), [
    { kind: 'url', value: `${release}/v5.6.1/xz-5.6.1.tar.xz`, range: tok(text, 2, `${release}/v5.6.1/xz-5.6.1.tar.xz`), context: 'wrap-file source_url', guardedBy: [sha561xz] },
    { kind: 'sha256', value: sha561xz, range: tok(text, 4, sha561xz), context: 'wrap-file source_hash' },
  ]);
  const unguarded = fixture('meson/subprojects/liblzma.wrap');
  assert.deepStrictEqual(fixed('/p/subprojects/liblzma.wrap', unguarded), [{ line: 2, severity: 'error', code: 'compromised-artifact', text: replaced(unguarded, 'xz-5.6.0.tar.gz\nsource_filename', 'xz-5.6.2.tar.gz\nsource_filename') }]);
  const git = fixture('meson/subprojects/xz-git.wrap');
  assert.deepStrictEqual(mesonWrap.extract(git, '/p/subprojects/xz-git.wrap'), [{ kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.0', range: tok(git, 3, 'v5.6.0'), context: 'wrap-git revision' }]);
});

test('Makefile: recipe lines read as shell with make variables, fixed where the variable is set; $$ is the shell\'s', () => {
  const text = fixture('make/Makefile');
  assert.deepStrictEqual(fixed('/p/Makefile', text), [
    { line: 7, severity: 'error', code: 'compromised-artifact', text: replaced(text, 'XZ_VERSION := 5.6.1', 'XZ_VERSION := 5.6.2') },
    { line: 8, severity: 'error', code: 'compromised-artifact', text: replaced(text, 'v5.6.0/xz-5.6.0.tar.gz &&', 'v5.6.2/xz-5.6.2.tar.gz &&') },
    { line: 12, severity: 'error', code: 'compromised-version', text: replaced(text, 'liblzma5=5.6.0-0.1', 'liblzma5=5.6.1+really5.4.5-1') },
  ]);
  const refs = makefile.extract(text, '/p/Makefile');
  assert.deepStrictEqual(refs.map((r) => (r.kind === 'package' ? `${r.name} ${r.version}` : `${r.kind} ${r.kind === 'problem' ? r.message : r.value}`)), [
    `url ${release}/v5.6.1/xz-5.6.1.tar.gz`,
    `url ${release}/v5.6.0/xz-5.6.0.tar.gz`,
    `url ${release}/v5.6.2/xz-5.6.2.tar.gz`,
    'liblzma5 5.6.0-0.1',
  ]);
  // The reference stays at the recipe's $(XZ_URL), which names the variable.
  assert.deepStrictEqual(refs[0]!.range, tok(text, 7, '$(XZ_URL)'));
});

test('Makefile: make variables that double on each line stop at the expansion bound with a problem, in linear time', () => {
  const lines = ['A0 = xz-5.6.1.tar.gz'];
  for (let i = 1; i <= 30; i++) lines.push(`A${i} = $(A${i - 1})$(A${i - 1})`);
  const text = `${lines.join('\n')}\nall:\n\tcurl -LO https://tukaani.org/$(A30)\n\tcurl -LO https://tukaani.org/xz/xz-5.6.0.tar.gz\n`;
  assert.deepStrictEqual(fixed('/p/Makefile', text).map((f) => `${f.line} ${f.severity} ${f.code}`), ['33 error compromised-artifact', '30 problem limit']);
  // A := chain is expanded where it is defined, and reaching the bound there is reported too.
  assert.deepStrictEqual(fixed('/p/Makefile', text.replace(/ = /g, ' := ')).map((f) => `${f.line} ${f.severity} ${f.code}`), ['33 error compromised-artifact', '30 problem limit']);
});

test('shell scripts: installs, downloads guarded by the checksums the script checks, git clone tags; not another interpreter\'s script', () => {
  const text = fixture('shell/fetch-xz.sh');
  assert.deepStrictEqual(withoutOrigins(shellScript.extract(text, '/p/fetch-xz.sh')), [
    { kind: 'url', value: `${release}/v5.6.1/xz-5.6.1.tar.gz`, range: tok(text, 3, `${release}/v\${V}/xz-\${V}.tar.gz`), context: 'curl', via: 'shell variable V, line 3', guardedBy: [sha561gz] },
    { kind: 'sha256', value: sha561gz, range: tok(text, 4, sha561gz), context: 'sha256sum -c' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: tok(text, 5, 'v5.6.1'), context: 'git clone' },
  ]);
  const install = fixture('shell/install.sh');
  assert.deepStrictEqual(fixed('/p/install.sh', install), [
    { line: 3, severity: 'error', code: 'compromised-version', text: replaced(install, 'xz-utils=5.6.1-1', 'xz-utils=5.6.1+really5.4.5-1') },
    { line: 4, severity: 'error', code: 'compromised-artifact', text: replaced(install, 'v5.6.0/xz-5.6.0', 'v5.6.2/xz-5.6.2') },
  ]);
  assert.deepStrictEqual(shellScript.extract(fixture('shell/tool.sh'), '/p/tool.sh'), []);
});

test('.gitmodules: a branch that is a compromised tag of the xz repository is information; the same branch name elsewhere is nothing', () => {
  const text = fixture('gitmodules/.gitmodules');
  assert.deepStrictEqual(gitmodules.extract(text, '/p/.gitmodules'), [
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: tok(text, 3, 'v5.6.1'), context: 'submodule branch' },
    { kind: 'git-tag', value: 'github.com/madler/zlib@v5.6.1', range: tok(text, 7, 'v5.6.1'), context: 'submodule branch' },
  ]);
  assert.deepStrictEqual(fixed('/p/.gitmodules', text), [{ line: 3, severity: 'info', code: 'compromised-artifact', text: replaced(text, 'branch = v5.6.1', 'branch = v5.6.2') }]);
});
