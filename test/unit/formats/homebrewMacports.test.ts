import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../../../server/src/engine';
import { homebrewFormula, formulaReason } from '../../../server/src/formats/homebrew/formula';
import { scanRuby } from '../../../server/src/formats/homebrew/rubyTokens';
import { formatFor } from '../../../server/src/formats/index';
import { portfile, portReason } from '../../../server/src/formats/macports/portfile';
import { defaultSettings, type Range } from '../../../server/src/model';
import { repoRoot } from '../../paths';

function on(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function fixture(name: string): { path: string; text: string } {
  const path = join(repoRoot, 'test', 'fixtures', name);
  return { path, text: readFileSync(path, 'utf8') };
}

/** Each finding as code, severity, range and the message after its first sentence. */
function findings(path: string, text: string): [string, string, Range, string][] {
  return analyzeFile(path, text, defaultSettings).findings.map((f) => [f.code, f.severity, f.reference.range, f.message.replace(/^.*?\)\.\s*/, '')]);
}

const tarGz = '0f5c81f14171b74fcc9777d302304d964e63ffc2d7b634ef023a7249d9b5d875';
const release = 'https://github.com/tukaani-project/xz/releases/download';

test('the formats table reads Formula/*.rb, Formula/x/*.rb and Portfile, and no other Ruby file', () => {
  assert.deepStrictEqual(
    ['/t/homebrew-core/Formula/x/xz.rb', '/t/tap/Formula/xz.rb', '/t/ports/archivers/xz/Portfile', '/t/lib/formula.rb', '/t/Formula/x/y/z.rb', '/t/Brewfile'].map((p) => formatFor(p)?.id),
    ['homebrew/formula', 'homebrew/formula', 'macports/Portfile', undefined, undefined, undefined],
  );
});

test("Homebrew's xz 5.6.0 formula: url and mirrors guarded by the sha256, the sha256, the bottle digests, and not the heredoc", () => {
  const { path, text } = fixture('homebrew/Formula/x/xz.rb');
  const guard = { guardedBy: [tarGz] };
  assert.deepStrictEqual(homebrewFormula.extract(text, path), [
    { kind: 'url', value: 'https://xz.tukaani.org/xz-utils/', range: on(4, 12, 44), context: 'homepage' },
    { kind: 'url', value: `${release}/v5.6.0/xz-5.6.0.tar.gz`, range: on(6, 7, 85), context: 'url', ...guard },
    { kind: 'url', value: 'https://downloads.sourceforge.net/project/lzmautils/xz-5.6.0.tar.gz', range: on(7, 10, 77), context: 'mirror', ...guard },
    { kind: 'url', value: 'http://archive.org/download/xz-5.6.0/xz-5.6.0.tar.gz', range: on(8, 10, 62), context: 'mirror', ...guard },
    { kind: 'sha256', value: tarGz, range: on(9, 10, 74), context: 'sha256' },
    { kind: 'sha256', value: '6dd426cf064ecc9ef5b832c81a307816efa1a8572964f126da173a5473c387ac', range: on(21, 58, 122), context: 'bottle arm64_sonoma' },
    { kind: 'sha256', value: '5a9febbc79a323d44320d1a73625a1a08ac9569ebe8d66a02221a2b40f4f1dc4', range: on(22, 58, 122), context: 'bottle arm64_ventura' },
    { kind: 'sha256', value: '5828e7adadf0ed4d0cc68c487b6f132355e3e81561500c64fb62a0eb68b5cba3', range: on(23, 58, 122), context: 'bottle x86_64_linux' },
  ]);
  assert.deepStrictEqual(findings(path, text).map(([code, severity, range]) => [code, severity, range.start.line]), [
    ['suspicious-source', 'info', 4],
    ['compromised-artifact', 'error', 6],
    ['compromised-artifact', 'error', 7],
    ['compromised-artifact', 'error', 8],
    ['compromised-artifact', 'error', 9],
    ['compromised-artifact', 'error', 21],
    ['compromised-artifact', 'error', 22],
    ['compromised-artifact', 'error', 23],
  ]);
  assert.deepStrictEqual(findings(path, text)[1]![3], 'Not fixed automatically: the checksum that guards it would no longer match; download 5.6.2 and update the URL and its checksum together.');
});

test('the 5.4.6 formula Homebrew reverted to is clean', () => {
  const text = [
    'class Xz < Formula',
    '  url "https://downloads.sourceforge.net/project/lzmautils/xz-5.4.6.tar.gz"',
    '  mirror "https://tukaani.org/xz/xz-5.4.6.tar.gz"',
    '  sha256 "aeba3e03bf8140ddedf62a0a367158340520f6b384f75ca6045ccc6c0d43fd5c"',
    '  version_scheme 1',
    'end',
  ].join('\n');
  assert.deepStrictEqual(findings('/t/Formula/x/xz.rb', text), []);
});

test('a version stanza names the release the formula builds; a resource keeps its own url, sha256 and git revision', () => {
  const text = [
    'class Xz < Formula', // 0
    '  url "https://example.org/xz-snapshot.tar.gz"',
    '  version "5.6.1"',
    '  sha256 "' + 'a'.repeat(64) + '"',
    '  resource "xz-git" do',
    '    url "https://github.com/tukaani-project/xz.git", tag: "v5.6.1", revision: "fd1b975b7851e081ed6e5cf63df946cd5cbdbb94"', // 5
    '  end',
    '  resource "other" do',
    '    url "https://example.org/other-1.0.tar.gz"',
    '    version "5.6.1"',
    '    sha256 "' + 'b'.repeat(64) + '"', // 10
    '  end',
    'end',
  ].join('\n');
  assert.deepStrictEqual(homebrewFormula.extract(text, '/t/Formula/x/xz.rb'), [
    { kind: 'url', value: 'https://example.org/xz-snapshot.tar.gz', range: on(1, 7, 45), context: 'url', guardedBy: ['a'.repeat(64)] },
    { kind: 'package', ecosystem: 'Homebrew', name: 'xz', version: '5.6.1', range: on(2, 11, 16), fix: { kind: 'none', reason: formulaReason }, context: 'formula version', builds: true },
    { kind: 'sha256', value: 'a'.repeat(64), range: on(3, 10, 74), context: 'sha256' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: on(5, 59, 65), context: 'url tag' },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@fd1b975b7851e081ed6e5cf63df946cd5cbdbb94', range: on(5, 79, 119), context: 'url revision' },
    { kind: 'url', value: 'https://example.org/other-1.0.tar.gz', range: on(8, 9, 45), context: 'url', guardedBy: ['b'.repeat(64)] },
    { kind: 'sha256', value: 'b'.repeat(64), range: on(10, 12, 76), context: 'sha256' },
  ]);
  assert.deepStrictEqual(findings('/t/Formula/x/xz.rb', text).map(([code, severity, range]) => [code, severity, range.start.line]), [
    ['compromised-version', 'warning', 2],
    ['compromised-artifact', 'info', 5],
    ['compromised-artifact', 'info', 5],
  ]);
});

test('an unrelated formula at 5.6.1 is not flagged', () => {
  assert.deepStrictEqual(findings('/t/Formula/f/foo.rb', 'class Foo < Formula\n  url "https://example.org/foo-5.6.1.tar.gz"\n  version "5.6.1"\n  sha256 "' + 'c'.repeat(64) + '"\nend\n'), []);
});

test('the Ruby scanner skips comments, =begin blocks, heredocs, regexps, %w literals and interpolations', () => {
  const text = [
    'class Xz < Formula',
    '  desc "a \\"quoted\\" #{x("url \\"y\\"")} text" # url "https://x.org/xz-5.6.1.tar.gz"',
    '=begin',
    '  url "https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz"',
    '=end',
    '  patch <<~EOS, %w[url "a"], /url "b"/',
    '    url "https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz"',
    '  EOS',
    '  x = 10 / 2 # url "/"',
    '  url "https://example.org/a.tar.gz"',
    'end',
  ].join('\n');
  assert.deepStrictEqual(homebrewFormula.extract(text, '/t/Formula/x/xz.rb'), [{ kind: 'url', value: 'https://example.org/a.tar.gz', range: on(9, 7, 35), context: 'url' }]);
});

test('an unterminated string or heredoc is a read problem at its start, and what came before still stands', () => {
  const text = `class Xz < Formula\n  sha256 "${tarGz}"\n  desc "open\n`;
  assert.deepStrictEqual(homebrewFormula.extract(text, '/t/Formula/x/xz.rb'), [
    { kind: 'sha256', value: tarGz, range: on(1, 10, 74), context: 'sha256' },
    { kind: 'problem', reason: 'syntax', message: 'This string is not closed, so nothing after it was read.', range: on(2, 7, 8) },
  ]);
  assert.deepStrictEqual(scanRuby('x <<~EOS\nbody\n').problem, { message: 'This heredoc (<<EOS) is not closed, so nothing after it was read.', start: 2, end: 3 });
});

test('the Ruby scanner is linear on deep interpolations and long runs', () => {
  for (const text of ['"#{'.repeat(2000), 'a.'.repeat(200_000), '<<~A\n'.repeat(20_000), '%w['.repeat(50_000)]) {
    const started = process.hrtime.bigint();
    homebrewFormula.extract(text, '/t/Formula/x/xz.rb');
    assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 10, text.slice(0, 10));
  }
});

test("MacPorts' xz 5.6.1 Portfile: the release from github.setup, its sha256, and nothing from its subport", () => {
  const { path, text } = fixture('macports/archivers/xz/Portfile');
  assert.deepStrictEqual(portfile.extract(text, path), [
    { kind: 'package', ecosystem: 'MacPorts', name: 'xz', version: '5.6.1', range: on(6, 35, 40), fix: { kind: 'none', reason: portReason }, context: 'Portfile version', builds: true },
    { kind: 'sha256', value: '2398f4a8e53345325f44bdd9f0cc7401bd9025d736c6d43b372f4dea77bf75b8', range: on(10, 24, 88), context: 'checksums' },
  ]);
  assert.deepStrictEqual(findings(path, text), [
    ['compromised-version', 'error', on(6, 35, 40), `${portReason} The nearest safe release is 5.6.2.`],
    ['compromised-artifact', 'error', on(10, 24, 88), 'Replace it with the checksum of the safe release you download.'],
  ]);
});

test('the 5.4.6 Portfile MacPorts reverted to, with name, epoch and version, is clean; a port of another name is not xz', () => {
  const text = 'PortSystem 1.0\nname xz\nepoch 1\nversion 5.4.6\nchecksums rmd160 b520491a5cae36c5295859d51eee5573a5953a1f \\\n  sha256 913851b274e8e1d31781ec949f1c23e8dbcf0ecf6e73a2436dc21769dd3e6f49 \\\n  size 2181925\n';
  assert.deepStrictEqual(portfile.extract(text, '/p/Portfile').map((r) => (r.kind === 'package' ? [r.name, r.version, r.range] : r.kind)), [['xz', '5.4.6', on(3, 8, 13)], 'sha256']);
  assert.deepStrictEqual(findings('/p/Portfile', text), []);
  assert.deepStrictEqual(findings('/p/Portfile', 'name libfoo\nversion 5.6.1\n'), []);
});

test('Tcl: comments, continuations, braces and quotes; an open brace is a read problem and what came before stands', () => {
  const text = [
    '# version 5.6.1',
    'name xz ; version {5.6.0}',
    'long_description "version 5.6.1 \\',
    '  text"',
    'platform darwin {',
    '    checksums-append sha256 ' + 'd'.repeat(64),
    '}',
    'variant x description {version 9} {',
  ].join('\n');
  assert.deepStrictEqual(portfile.extract(text, '/p/Portfile'), [
    { kind: 'package', ecosystem: 'MacPorts', name: 'xz', version: '5.6.0', range: on(1, 19, 24), fix: { kind: 'none', reason: portReason }, context: 'Portfile version', builds: true },
    { kind: 'sha256', value: 'd'.repeat(64), range: on(5, 28, 92), context: 'checksums' },
    { kind: 'problem', reason: 'syntax', message: 'This { is not closed, so nothing after it was read.', range: on(7, 34, 35) },
  ]);
});
