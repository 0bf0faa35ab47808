import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIndex } from '../../../server/src/advisories/index';
import { bundled, type OsvRecord } from '../../../server/src/advisories/records';
import { applyEdits } from '../../../server/src/edits';
import { analyzeFile } from '../../../server/src/engine';
import { formatFor } from '../../../server/src/formats/index';
import { flakeLock } from '../../../server/src/formats/nix/flakeLock';
import { decodeNixHash, nixBase32, toNixBase32 } from '../../../server/src/formats/nix/hashes';
import { lexNix } from '../../../server/src/formats/nix/lexer';
import { nix, nixHashReason } from '../../../server/src/formats/nix/nix';
import { defaultSettings, type Extracted, type Range } from '../../../server/src/model';
import { repoRoot } from '../../paths';

function on(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function withoutOrigins(refs: readonly Extracted[]): Extracted[] {
  return refs.map((ref) => {
    if (!('origins' in ref)) return ref;
    const { origins: _origins, ...rest } = ref;
    return rest;
  });
}

function fixture(name: string): { path: string; text: string } {
  const path = join(repoRoot, 'test', 'fixtures', 'nix', name);
  return { path, text: readFileSync(path, 'utf8') };
}

const fix = { kind: 'none', reason: nixHashReason } as const;
const bz2 = 'd300422649a0124b1121630be559c890ceedf32667d7064b8128933166c217c8';
const bz2Url = 'https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.bz2';

/** Each finding as code, severity, range and the message after its first sentence. */
function findings(path: string, text: string, index?: ReturnType<typeof buildIndex>): [string, string, Range, string][] {
  return analyzeFile(path, text, defaultSettings, index ? { index } : {}).findings.map((f) => [f.code, f.severity, f.reference.range, f.message.replace(/^.*?\)\.\s*/, '')]);
}

test('the formats table reads *.nix and flake.lock', () => {
  assert.deepStrictEqual(['/n/pkgs/by-name/xz/xz/package.nix', '/n/default.nix', '/n/flake.lock', '/n/flake.nix'].map((p) => formatFor(p)?.id), ['nix/expression', 'nix/expression', 'nix/flake.lock', 'nix/expression']);
});

test("nixpkgs' xz at 5.6.1: its version, its URL through ${finalAttrs.version}, and its base32 hash as hex", () => {
  const { path, text } = fixture('xz-5.6.1/package.nix');
  assert.deepStrictEqual(withoutOrigins(nix.extract(text, path)), [
    { kind: 'package', ecosystem: 'nixpkgs', name: 'xz', version: '5.6.1', range: on(10, 13, 18), fix, context: 'pname/version', builds: true },
    { kind: 'url', value: bz2Url, range: on(13, 11, 122), via: 'version = "5.6.1" (line 11)', context: 'url', guardedBy: [bz2] },
    { kind: 'sha256', value: bz2, range: on(14, 14, 66), context: 'sha256' },
  ]);
  assert.deepStrictEqual(findings(path, text), [
    ['compromised-version', 'error', on(10, 13, 18), `${nixHashReason} The nearest safe release is 5.4.6.`],
    ['compromised-artifact', 'error', on(13, 11, 122), 'Not fixed automatically: the checksum that guards it would no longer match; download 5.6.2 and update the URL and its checksum together.'],
    ['compromised-artifact', 'error', on(14, 14, 66), 'Replace it with the checksum of the safe release you download.'],
  ]);
});

test('a version with no hash in the file is fixed in place; beside a hash it is not', () => {
  const text = '{\n  pname = "xz";\n  version = "5.6.1";\n  src = builtins.fetchTarball "https://example.org/xz-${version}.tar.gz";\n}\n';
  const { findings } = analyzeFile('/n/default.nix', text, defaultSettings);
  assert.deepStrictEqual(findings.map((f) => [f.code, f.reference.range, f.fixes.map((x) => applyEdits(text, x.edits).text)]), [
    ['compromised-version', on(2, 13, 18), [text.replace('"5.6.1"', '"5.4.6"')]],
  ]);
  // A hash of any value (`lib.fakeHash`, a variable) still goes with the version.
  const faked = text.replace('src = builtins.fetchTarball', 'src = fetchurl { hash = lib.fakeHash; url =').replace('tar.gz";', 'tar.gz"; };');
  assert.deepStrictEqual(analyzeFile('/n/default.nix', faked, defaultSettings).findings.filter((f) => f.reference.kind === 'package').map((f) => [f.code, f.fixes.length]), [['compromised-version', 0]]);
});

test('xz 5.4.6 with an SRI hash is not flagged', () => {
  const { path, text } = fixture('xz-5.4.6/default.nix');
  assert.deepStrictEqual(findings(path, text), []);
});

test('Nix base32 matches the published vectors, both ways', () => {
  const empty = createHash('sha256').update('').digest();
  const hello = createHash('sha256').update('hello').digest();
  // nix-hash --type sha256 --to-base32 of the SHA-256 of '' and of 'hello'.
  assert.deepStrictEqual([toNixBase32([...empty]), toNixBase32([...hello])], ['0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73', '094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic']);
  assert.deepStrictEqual(nixBase32('094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic', 32), [...hello]);
  // A character outside the alphabet (`e`), and bits past the end of the digest, are not a digest.
  assert.deepStrictEqual([nixBase32('e94qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic', 32), nixBase32('z94qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic', 32)], [undefined, undefined]);
});

test('every spelling of one digest decodes to the same hex; other text is no digest', () => {
  const sri = `sha256-${Buffer.from(bz2, 'hex').toString('base64')}`;
  const base32 = toNixBase32([...Buffer.from(bz2, 'hex')]);
  assert.deepStrictEqual(
    [decodeNixHash(bz2, 'sha256'), decodeNixHash(base32, 'sha256'), decodeNixHash(sri), decodeNixHash(sri, 'sha256'), decodeNixHash(`sha256:${base32}`), decodeNixHash(`sha256:${bz2.toUpperCase()}`)],
    Array(6).fill({ kind: 'sha256', hex: bz2 }),
  );
  assert.deepStrictEqual([decodeNixHash(bz2), decodeNixHash('sha256-AAAA'), decodeNixHash('lib.fakeHash', 'sha256'), decodeNixHash('', 'sha256')], [undefined, undefined, undefined, undefined]);
});

test('fetchFromGitHub: a tag of the tukaani repository is a git revision, reported as information', () => {
  const text = [
    'stdenv.mkDerivation rec {', // 0
    '  pname = "libfoo";',
    '  version = "5.6.1";',
    '  src = fetchFromGitHub {',
    '    owner = "tukaani-project";',
    '    repo = "xz";', // 5
    '    rev = "v${version}";',
    '    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";',
    '  };',
    '  xz = fetchFromGitLab { owner = "tukaani-project"; repo = "xz"; tag = "v5.6.1"; };',
    '}',
  ].join('\n');
  assert.deepStrictEqual(withoutOrigins(nix.extract(text, '/n/default.nix')), [
    { kind: 'package', ecosystem: 'nixpkgs', name: 'libfoo', version: '5.6.1', range: on(2, 13, 18), fix, context: 'pname/version', builds: true },
    { kind: 'git-tag', value: 'github.com/tukaani-project/xz@v5.6.1', range: on(6, 11, 22), via: 'version = "5.6.1" (line 3)', context: 'rev', guardedBy: ['0'.repeat(64)] },
    { kind: 'sha256', value: '0'.repeat(64), range: on(7, 12, 63), context: 'hash' },
  ]);
  // libfoo at 5.6.1 is not xz: only the tag is reported.
  assert.deepStrictEqual(findings('/n/default.nix', text).map(([code, severity, range]) => [code, severity, range]), [['compromised-artifact', 'info', on(6, 11, 22)]]);
});

test('name = "xz-5.6.1", a version inherited from a let, urls lists and sha512', () => {
  const sha512 = 'a8b6d2e58eb61609a64b182e868c47aaf722d34f87bad3a9598c94ad96fb3357477959a95bb215c1dac59b8c84453cf00dc23669d13358f4aeb5123526f741f2';
  const text = [
    'let', // 0
    '  version = "5.6.1";',
    'in {',
    '  old = stdenv.mkDerivation { name = "xz-5.6.0"; };',
    '  new = stdenv.mkDerivation {',
    '    pname = "xz";', // 5
    '    inherit version;',
    '    src = fetchurl {',
    '      urls = [ "mirror://sourceforge/lzmautils/xz-${version}.tar.xz" "https://example.org/xz.tar.xz" ];',
    `      sha512 = "${sha512}";`,
    '    };', // 10
    '  };',
    '}',
  ].join('\n');
  assert.deepStrictEqual(withoutOrigins(nix.extract(text, '/n/default.nix')), [
    { kind: 'package', ecosystem: 'nixpkgs', name: 'xz', version: '5.6.1', range: on(1, 13, 18), fix, context: 'pname/version', builds: true },
    { kind: 'package', ecosystem: 'nixpkgs', name: 'xz', version: '5.6.0', range: on(3, 41, 46), fix, context: 'name', builds: true },
    { kind: 'url', value: 'mirror://sourceforge/lzmautils/xz-5.6.1.tar.xz', range: on(8, 16, 67), via: 'version = "5.6.1" (line 2)', context: 'urls', guardedBy: [sha512] },
    { kind: 'url', value: 'https://example.org/xz.tar.xz', range: on(8, 70, 99), context: 'urls', guardedBy: [sha512] },
    { kind: 'sha512', value: sha512, range: on(9, 16, 144), context: 'sha512' },
  ]);
  assert.deepStrictEqual(findings('/n/default.nix', text).map(([code, severity, range]) => [code, severity, range]), [
    ['compromised-version', 'error', on(1, 13, 18)],
    ['compromised-version', 'error', on(3, 41, 46)],
    ['compromised-artifact', 'error', on(8, 16, 67)],
    ['compromised-artifact', 'error', on(9, 16, 144)],
  ]);
});

test('strings, escapes, comments and indented strings are skipped as Nix reads them', () => {
  const text = [
    '{',
    '  a = "not a \\"url\\" = ${x}"; # url = "https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz";',
    "  b = ''",
    '    url = "https://github.com/tukaani-project/xz/releases/download/v5.6.1/xz-5.6.1.tar.gz";',
    "    ''${x} '''",
    "  '';",
    '  /* version = "5.6.1"; */ pname = "xz";',
    '  c = "$${version}";',
    '}',
  ].join('\n');
  assert.deepStrictEqual(nix.extract(text, '/n/default.nix'), []);
});

test('an unterminated string is a read problem at its start, and what came before is still reported', () => {
  const text = '{\n  pname = "xz";\n  version = "5.6.1";\n  src = fetchurl { url = "https://x.org/xz-5.6.1.tar.gz;\n}\n';
  assert.deepStrictEqual(nix.extract(text, '/n/default.nix'), [
    { kind: 'package', ecosystem: 'nixpkgs', name: 'xz', version: '5.6.1', range: on(2, 13, 18), fix, context: 'pname/version', builds: true },
    { kind: 'problem', reason: 'syntax', message: 'This string is not closed, so nothing after it was read.', range: on(3, 25, 26) },
  ]);
  assert.deepStrictEqual(nix.extract("{ pname = \"xz\"; version = \"5.6.1\"; x = ''\n", '/n/default.nix').map((r) => r.kind === 'problem' ? [r.message, r.range] : r.kind), [
    'package',
    ["This '' string is not closed, so nothing after it was read.", on(0, 39, 41)],
  ]);
  assert.deepStrictEqual(nix.extract('{ /* open', '/n/default.nix'), [
    { kind: 'problem', reason: 'syntax', message: 'This /* comment is not closed, so nothing after it was read.', range: on(0, 2, 3) },
  ]);
});

test('deeply nested interpolations and values that grow through interpolation stop at a limit', () => {
  const deep = `{ x = ${'"${'.repeat(100)}`;
  assert.deepStrictEqual(lexNix(deep).problem?.reason, 'limit');
  // Found by the fuzzer: dynamic attribute names nested in code, each level's tokens were copied to the one above.
  assert.deepStrictEqual(lexNix(`{${'${'.repeat(5000)}`).problem, { reason: 'limit', message: 'Interpolations are nested more than 64 levels deep here, so nothing after this was read.', start: 129, end: 130 });
  const lines = ['{', '  v0 = "5.6.1";'];
  for (let k = 1; k <= 20; k++) lines.push(`  v${k} = "\${v${k - 1}}\${v${k - 1}}";`);
  lines.push('  url = "https://example.org/${v20}";', '}');
  const problems = nix.extract(lines.join('\n'), '/n/default.nix').filter((r) => r.kind === 'problem');
  assert.deepStrictEqual(problems.map((p) => p.kind === 'problem' && p.reason), ['limit']);
});

test('the scanner is linear on runs that are many tokens and on unclosed brackets', () => {
  for (const text of ['a.'.repeat(200_000), '('.repeat(200_000) + '}'.repeat(200_000), '{ a = '.repeat(100_000), '"${'.repeat(60) + 'x'.repeat(100_000)]) {
    const started = process.hrtime.bigint();
    nix.extract(text, '/n/default.nix');
    // A quadratic scan of these takes minutes; a linear one a few hundred milliseconds on a loaded machine.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 10, text.slice(0, 10));
  }
});

const lock = (rev: string): string => JSON.stringify({
  nodes: {
    nixpkgs: { locked: { lastModified: 1711000000, narHash: 'sha256-AAAA', owner: 'NixOS', repo: 'nixpkgs', rev, type: 'github' }, original: { owner: 'NixOS', ref: 'nixos-unstable', repo: 'nixpkgs', type: 'github' } },
    root: { inputs: { nixpkgs: 'nixpkgs' } },
  },
  root: 'root',
  version: 7,
}, null, 2);

test('flake.lock: each locked input is a git revision at its rev; the bundled advisories list no nixpkgs revision', () => {
  const rev = '1234567890abcdef1234567890abcdef12345678';
  assert.deepStrictEqual(flakeLock.extract(lock(rev), '/f/flake.lock'), [
    { kind: 'git-tag', value: `github.com/NixOS/nixpkgs@${rev}`, range: on(8, 16, 56), context: 'flake.lock' },
  ]);
  assert.deepStrictEqual(bundled.filter((r) => (r.database_specific?.artifacts ?? []).some((a) => a.kind === 'git-tag' && a.repo.toLowerCase().includes('nixos/nixpkgs'))), []);
  assert.deepStrictEqual(findings('/f/flake.lock', lock(rev)), []);
});

test('flake.lock: a nixpkgs revision an advisory lists is found', () => {
  const rev = '1234567890abcdef1234567890abcdef12345678';
  const record: OsvRecord = {
    schema_version: '1.6.0', id: 'TEST-NIXPKGS-REV', modified: '2026-12-01T00:00:00Z', summary: 'a nixpkgs revision with a compromised xz',
    database_specific: { kind: 'compromised', artifacts: [{ kind: 'git-tag', repo: 'github.com/NixOS/nixpkgs', commits: [rev], severity: 'warning', note: 'nixpkgs master with xz 5.6.1' }] },
  } as OsvRecord;
  assert.deepStrictEqual(findings('/f/flake.lock', lock(rev), buildIndex([record])), [
    ['compromised-artifact', 'warning', on(8, 16, 56), ''],
  ]);
  assert.deepStrictEqual(flakeLock.extract('{"nodes": ', '/f/flake.lock').map((r) => r.kind), ['problem']);
});
