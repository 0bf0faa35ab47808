import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIndex } from '../../../server/src/advisories/index';
import { recordLookup, withImported } from '../../../server/src/advisories/imported';
import { formatFor } from '../../../server/src/formats/index';
import { bundled, type OsvRecord } from '../../../server/src/advisories/records';
import { analyzeFile, defaultIndex, type Analysis } from '../../../server/src/engine';
import { packageJson } from '../../../server/src/formats/packageJson';
import { formatPatterns } from '../../../server/src/formats/patterns';
import { defaultSettings, type Settings } from '../../../server/src/model';
import { mayMatch, prefilteredFormats, problemsUnreportedWhenNothingNamed, readsNoPath } from '../../../server/src/prefilter';
import { generatedFiles } from '../../../bench/trees';
import { repoRoot } from '../../paths';

/** One name per format, each the plain name its patterns list first. */
/** A file name (or path) each format reads, with the format's id: a pattern without `*`, else one with `*` made concrete. */
const formatNames: Array<[string, string]> = Object.entries(formatPatterns).map(([id, patterns]) => {
  const list = patterns as readonly string[];
  return [id, (list.find((p) => !p.includes('*')) ?? list[0]!).replace(/\*/g, 'x')];
});

function files(dir: string, pick: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path, pick);
    return pick(name) ? [path] : [];
  });
}

interface Difference {
  path: string;
  fast: Analysis;
  exhaustive: Analysis;
}

/** The texts under every format's name whose analysis differs with the prefilter and without, and how many it skipped. */
function differences(texts: ReadonlyArray<{ name: string; text: string }>, settings: Settings = defaultSettings): { differences: Difference[]; skipped: number; analysed: number } {
  const found: Difference[] = [];
  let skipped = 0;
  let analysed = 0;
  for (const { name, text } of texts) {
    for (const [id, format] of formatNames) {
      const path = `/corpus/${name.replace(/[^A-Za-z0-9]+/g, '_')}/${format}`;
      const fast = analyzeFile(path, text, settings);
      const exhaustive = analyzeFile(path, text, settings, { exhaustive: true });
      analysed++;
      const skippedHere = fast.findings.length === 0 && fast.problems.length === 0;
      // For some formats a skipped file's read problems go unreported (prefilter.ts says why); never a finding.
      if (skippedHere && exhaustive.findings.length === 0 && problemsUnreportedWhenNothingNamed.includes(id)) continue;
      if (skippedHere && (exhaustive.findings.length > 0 || exhaustive.problems.length > 0)) found.push({ path, fast, exhaustive });
      else assert.deepStrictEqual(fast, exhaustive, path);
      // Counted by asking the prefilter itself, so that the test shows it skips a good share (it is not vacuous).
      if (!mayMatch(id, text, defaultIndex())) skipped++;
    }
  }
  return { differences: found, skipped, analysed };
}

test('differential: every fixture, example and test source, read as every format, gives the same analysis with the prefilter and without', () => {
  const texts = [
    ...files(join(repoRoot, 'test', 'fixtures'), () => true),
    ...files(join(repoRoot, 'examples'), () => true),
    ...files(join(repoRoot, 'test'), (name) => name.endsWith('.ts')),
  ]
    .map((path) => ({ name: path.slice(repoRoot.length + 1), text: readFileSync(path, 'utf8') }))
    .filter((t) => t.text.length < 256 * 1024 && !t.text.slice(0, 8192).includes('\0'));
  const result = differences(texts);
  assert.deepStrictEqual(result.differences, []);
  assert.ok(result.skipped > 0 && result.analysed > 500, `${result.skipped} of ${result.analysed} skipped`);
});

test('differential: a generated corpus (the scan benchmark\'s files, and each file upper-cased) gives the same analysis with the prefilter and without', () => {
  const generated = generatedFiles(150).map((f) => ({ name: f.path, text: f.text }));
  const texts = [...generated, ...generated.map((f) => ({ name: `${f.name}-upper`, text: f.text.toUpperCase() }))];
  const result = differences(texts);
  assert.deepStrictEqual(result.differences, []);
  // A quarter of the readings by the formats the prefilter is for (the others are always read in full).
  const prefilteredReadings = (result.analysed / formatNames.length) * formatNames.filter(([id]) => prefilteredFormats.has(id)).length;
  assert.ok(result.skipped > prefilteredReadings / 4, `${result.skipped} of ${prefilteredReadings} skipped`);
});

test('differential: names written the ways the formats accept are not skipped', () => {
  const cases: Array<{ name: string; text: string }> = [
    { name: 'uppercase debian', text: 'FROM DEBIAN:sid-20240311\nRUN apt-get install -y XZ-UTILS=5.6.0-0.2\n' },
    { name: 'dated image', text: 'FROM debian:sid-20240311-slim\n' },
    { name: 'dated image through an ARG', text: 'ARG SNAPSHOT=20240312\nFROM docker.io/library/debian:unstable-${SNAPSHOT}\n' },
    { name: 'dated image without a suite', text: 'FROM opensuse/tumbleweed:20240310\n' },
    { name: 'name in an ARG', text: 'FROM debian:bookworm\nARG PKG=liblzma5\nRUN apt-get install -y ${PKG}=5.6.0-0.2\n' },
    { name: 'version in an ARG', text: 'FROM alpine:3.19\nARG V=5.6.1-r1\nRUN apk add xz=$V\n' },
    { name: 'url with the version in a variable', text: 'FROM alpine\nARG XZ_VERSION=5.6.1\nRUN curl -LO https://github.com/tukaani-project/xz/releases/download/v${XZ_VERSION}/xz-${XZ_VERSION}.tar.gz\n' },
    { name: 'continuation inside a word', text: 'FROM debian:bookworm\nRUN apt-get install -y liblz\\\nma5=5.6.0-0.2\n' },
    { name: 'digest in upper case', text: 'FROM alpine\nADD --checksum=sha256:F334777310CA3AE9BA07206D78ED286A655AA3F44EEC27854F740C26B2CD2ED0 https://example.org/a.tar.xz /a.tar.xz\n' },
    { name: 'recipe', text: 'pkgname=xz\npkgver=5.6.1\npkgrel=1\nsource="https://tukaani.org/xz/$pkgname-$pkgver.tar.gz"\n' },
    { name: 'pypi spelled differently', text: 'Ultralytics==8.3.41\nCTX==0.2.6\n' },
    { name: 'manifest with an escaped name', text: '{"dependencies": {"\\u0063halk": "5.6.1", "@nx\\/devkit": "21.5.0"}}' },
    { name: 'manifest with an alias', text: '{"dependencies": {"pretty": "npm:chalk@5.6.1"}, "overrides": {"foo>debug": "4.4.2"}}' },
    { name: 'manifest that is not JSON', text: '{"dependencies": {"left-pad": "1.0.0"' },
    { name: 'npm install in a Dockerfile', text: 'FROM node:20\nRUN npm install -g @nx/devkit@21.5.0 chalk@5.6.1 is@3.3.1\n' },
  ];
  const result = differences(cases);
  assert.deepStrictEqual(result.differences, []);
});

test('PyPI names compare as pip normalises them, with the index\'s own spelling or another', () => {
  const record: OsvRecord = {
    id: 'TEST-1',
    modified: '2025-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'PyPI', name: 'Some_Package.Name' }, versions: ['1.0.0'] }],
  };
  const index = buildIndex([record]);
  const texts = ['some-package-name==1.0.0\n', 'SOME__PACKAGE--NAME==1.0.0\n', 'some.package_name==1.0.0\n', 'other==1.0.0\n'];
  assert.deepStrictEqual(
    texts.map((text) => mayMatch('pypi/requirements.txt', text, index)),
    [true, true, true, false],
  );
  assert.deepStrictEqual(
    texts.map((text) => analyzeFile('/p/requirements.txt', text, defaultSettings, { index }).findings.length),
    [1, 1, 1, 0],
  );
});

test('the prefilter skips only what cannot report a read problem (not a damaged manifest or lockfile), and finds whole words only', () => {
  const index = defaultIndex();
  assert.deepStrictEqual(
    [
      mayMatch('npm/package.json', '{"dependencies": {"left-pad": "1.0.0"', index),
      mayMatch('npm/package.json', '{"dependencies": {"left-pad": "1.0.0"}}', index),
      mayMatch('npm/package.json', '{"dependencies": {"left-pad": "1.0.0", "rc": "^1.2.8"}}', index),
      mayMatch('npm/package-lock.json', '{', index),
      mayMatch('docker/Dockerfile', 'FROM node:20\nCOPY src /src\n', index),
      mayMatch('docker/Dockerfile', 'FROM node:20\nRUN npm i rc@1.2.9\n', index),
      mayMatch('alpine/APKBUILD', 'pkgname=foo\nsource="foo-1.0.tar.xz"\n', index),
      mayMatch('alpine/APKBUILD', 'pkgname=foo\nsource="https://xz.tukaani.org/foo-1.0.tar.gz"\n', index),
      mayMatch('alpine/APKBUILD', 'pkgname=foo\nsource="https://example.org/xz/foo-1.0.tar.gz"\n', index),
      mayMatch('alpine/APKBUILD', 'pkgname=foo\ndepends="so:liblzma.so.5"\n', index),
      mayMatch('alpine/APKBUILD', 'pkgname=xzfoo\n', index),
      mayMatch('docker/Dockerfile', 'FROM debian:bookworm-slim\n', index),
      mayMatch('docker/Dockerfile', 'FROM debian:sid-20240311\n', index),
    ],
    [true, false, true, true, false, true, false, true, true, true, false, false, true],
  );
  assert.deepStrictEqual(bundled.length > 0, true);
});

test('an npm lockfile is skipped only when it is JSON, holds no backslash and names nothing known; then its analysis is empty', () => {
  const index = defaultIndex();
  const lock = (name: string, version = '1.0.0'): string =>
    `{"name": "app", "lockfileVersion": 3, "requires": true, "packages": {"": {"dependencies": {"${name}": "^${version}"}}, "node_modules/${name}": {"version": "${version}"}}}`;
  const texts = [
    lock('left-pad'),
    lock('chalk', '5.6.1'),
    lock('@nx/devkit', '21.5.0'),
    lock('pretty').replace('"node_modules/pretty": {"version": "1.0.0"}', '"node_modules/pretty": {"name": "chalk", "version": "5.6.1"}'),
    lock('\\u0063halk', '5.6.1'),
    lock('left-pad').slice(0, -3),
    `<<<<<<< HEAD\n${lock('left-pad')}\n=======\n${lock('chalk', '5.6.1')}\n>>>>>>> other\n`,
  ];
  assert.deepStrictEqual(
    texts.map((text) => mayMatch('npm/package-lock.json', text, index)),
    [false, true, true, true, true, true, true],
  );
  // A lockfile over 64 KB is always read, though it names nothing known.
  const entries = (count: number): string => `{"lockfileVersion": 3, "packages": {${Array.from({ length: count }, (_, i) => `"node_modules/dep-${i}": {"version": "1.0.0"}`).join(', ')}}}`;
  const [small, big] = [entries(1000), entries(2000)];
  assert.ok(small.length < 64 * 1024 && big.length > 64 * 1024);
  assert.deepStrictEqual([mayMatch('npm/package-lock.json', small, index), mayMatch('npm/package-lock.json', big, index)], [false, true]);
  // What a skip stands for: the reader, asked in full, finds nothing in the first.
  assert.deepStrictEqual(analyzeFile('/p/package-lock.json', texts[0]!, defaultSettings, { exhaustive: true }), { findings: [], problems: [] });
  assert.deepStrictEqual(
    texts.map((text) => analyzeFile('/p/package-lock.json', text, defaultSettings).findings.length),
    [0, 1, 1, 1, 1, 0, 1],
  );
});

test('a digest is found whole, in either case, with no name beside it; a longer run of hex digits holds none', () => {
  const index = defaultIndex();
  // The SHA-512 of xz-5.6.1.tar.gz and the SHA-256 of xz-5.6.0.tar.gz, as the bundled advisories record them.
  const sha512 = '8af100eb83288f032e4813be2bf8de7d733c8761f77f078776c1391709241ad8fe3192d107664786e2543677915c5eeb3fe7add5c53b48b50c10a9de7c9f4fda';
  const sha256 = '0f5c81f14171b74fcc9777d302304d964e63ffc2d7b634ef023a7249d9b5d875';
  const recipe = (sums: string): string => `pkgname=foo\npkgver=1.0\nsource="https://example.org/foo-1.0.tar.gz"\nsha512sums="\n${sums}  foo-1.0.tar.gz\n"\n`;
  const docker = (sum: string): string => `FROM alpine\nADD --checksum=sha256:${sum} https://example.org/a.tar.gz /a.tar.gz\n`;
  assert.deepStrictEqual(
    [
      mayMatch('alpine/APKBUILD', recipe(sha512), index),
      mayMatch('alpine/APKBUILD', recipe(sha512.toUpperCase()), index),
      mayMatch('alpine/APKBUILD', recipe(`${sha512}0`), index),
      mayMatch('alpine/APKBUILD', recipe(`0${sha512}`), index),
      mayMatch('alpine/APKBUILD', recipe(sha512.slice(0, 127)), index),
      mayMatch('docker/Dockerfile', docker(sha256), index),
      mayMatch('docker/Dockerfile', docker(`${sha256}${sha256}`), index),
      mayMatch('docker/Dockerfile', docker(`${sha256}g`), index),
      mayMatch('docker/Dockerfile', docker(`x.${sha256}`), index),
    ],
    [true, true, false, false, false, true, false, false, false],
  );
});

test('package.json read for the wanted names gives the wanted references of a full read', () => {
  const wanted = (name: string): boolean => defaultIndex().names.get('npm')!.has(name.toLowerCase());
  const texts = [
    ...generatedFiles(60).filter((f) => f.path.endsWith('/package.json')).map((f) => f.text),
    readFileSync(join(repoRoot, 'examples', 'node-app', 'package.json'), 'utf8'),
    '{"dependencies": {"pretty": "npm:chalk@5.6.1", "chalk": "^5.6.1"}, "overrides": {"debug": "4.4.2"}}',
    '<<<<<<< ours\n{"dependencies": {"chalk": "5.6.1"}}\n=======\n{"dependencies": {"chalk": "5.6.0", "left-pad": "1.0.0"}}\n>>>>>>> theirs\n',
    '{"dependencies": {"chalk": "5.6.1"',
  ];
  for (const text of texts) {
    const all = packageJson.extract(text, '/p/package.json');
    const picked = packageJson.extractWanted!(text, '/p/package.json', (name) => wanted(name));
    assert.deepStrictEqual(picked, all.filter((e) => e.kind !== 'package' || wanted(e.name)));
  }
});

test('a spec, ebuild or formula whose text spells its package only through macros or its path is still read', () => {
  const ebuild = 'EAPI=8\nDESCRIPTION="Utils for LZMA compression"\nSRC_URI="https://github.com/tukaani-project/${PN%-utils}/releases/download/v${PV}/${MY_P}.tar.gz"\nKEYWORDS="~amd64"\n';
  const spec = '%global base x%{nil}z\nName: %{base}\nVersion: 5.6.0\nRelease: 1%{?dist}\n';
  const cases = [
    { path: '/g/app-arch/xz-utils/xz-utils-5.6.1.ebuild', text: ebuild },
    { path: '/brew/Formula/x/xz.rb', text: 'class Lzma < Formula\n  url "https://example.org/pkg-5.6.0.tar.gz"\n  version "5.6.0"\nend\n' },
    { path: '/rpms/xz/xz.spec', text: spec },
  ];
  const results = cases.map(({ path, text }) => {
    const fast = analyzeFile(path, text, defaultSettings);
    assert.deepStrictEqual(fast, analyzeFile(path, text, defaultSettings, { exhaustive: true }), path);
    return { path, codes: fast.findings.map((f) => `${f.code} ${f.advisory.id}`) };
  });
  // The path alone makes the ebuild a finding; the formula and the spec pass the prefilter through their paths.
  assert.deepStrictEqual(results.map((r) => r.path), cases.map((c) => c.path));
  assert.ok(results[0]!.codes.length > 0, JSON.stringify(results));
  assert.deepStrictEqual(cases.map(({ path, text }) => mayMatch(path.endsWith('.ebuild') ? 'gentoo/ebuild' : path.endsWith('.rb') ? 'homebrew/formula' : 'rpm/spec', text, defaultIndex(), path)), [true, true, true]);
  assert.deepStrictEqual(cases.map(({ path, text }) => mayMatch(path.endsWith('.ebuild') ? 'gentoo/ebuild' : path.endsWith('.rb') ? 'homebrew/formula' : 'rpm/spec', text, defaultIndex(), '/other/place/pkg.txt')), [false, false, false]);
});

test('a spec\'s macro names spell no package, what its macros and sections say still does', () => {
  const index = defaultIndex();
  const head = '%global debug_package %{nil}\n%{?with_debug:%global x 1}\nName: libfoo\nVersion: 1.0\n';
  assert.deepStrictEqual(
    [
      head,
      `${head}%install\n%debug_package\n`,
      `${head}%build\nnpm install debug@4.4.2\n`,
      `${head}%global pkg debug\n%build\nnpm install %{pkg}@4.4.2\n`,
      `${head}BuildRequires: npm(debug)\n`,
      `${head}Source0: https://github.com/tukaani-project/xz/releases/download/v%{version}/xz-%{version}.tar.gz\n`,
    ].map((text) => mayMatch('rpm/spec', text, index, '/rpms/libfoo/libfoo.spec')),
    [false, false, true, true, true, true],
  );
  // The npm install in the spec's %build is a finding, so passing it through matters.
  const spec = `${head}%build\nnpm install debug@4.4.2\n`;
  assert.deepStrictEqual(analyzeFile('/rpms/libfoo/libfoo.spec', spec, defaultSettings), analyzeFile('/rpms/libfoo/libfoo.spec', spec, defaultSettings, { exhaustive: true }));
  assert.equal(analyzeFile('/rpms/libfoo/libfoo.spec', spec, defaultSettings).findings.length, 1);
});

test('with imported advisories (whose names the index does not list) nothing is skipped: a package only an imported record lists is found in every format', () => {
  const record: OsvRecord = { id: 'MAL-2099-7', modified: '2099-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, versions: ['1.0.1'] }] };
  const { lookup, idsOf } = recordLookup([record]);
  const index = withImported(defaultIndex(), [lookup], idsOf);
  const files: Array<[string, string]> = [
    ['/p/package.json', '{"dependencies": {"evil-pkg": "1.0.1"}}'],
    ['/p/package-lock.json', '{"lockfileVersion": 3, "packages": {"": {}, "node_modules/evil-pkg": {"version": "1.0.1"}}}'],
    ['/p/Dockerfile', 'FROM node:20\nRUN npm install -g evil-pkg@1.0.1\n'],
  ];
  assert.deepStrictEqual(
    files.map(([path, text]) => [mayMatch(formatFor(path)!.id, text, index, path), analyzeFile(path, text, defaultSettings, { index }).findings.map((f) => `${f.code} ${f.advisory.id}`)]),
    files.map(() => [true, ['compromised-version MAL-2099-7']]),
  );
});

test('the formats whose path the prefilter does not look at read the same from a file wherever it is, even in folders named after a compromised package', () => {
  const texts = [
    ...generatedFiles(40).map((f) => f.text),
    ...files(join(repoRoot, 'examples'), () => true).map((path) => readFileSync(path, 'utf8')).filter((t) => t.length < 256 * 1024 && !t.includes('\0')),
  ];
  const places = ['/a/b/c', '/work/xz/xz-5.6.1/main/xz', '/tree/Formula/x/chalk-5.6.1', '/repo/app-arch/xz-utils/xz-utils-5.6.1', '/src/MINGW-packages/mingw-w64-xz', '/rpms/xz/f40'];
  let compared = 0;
  for (const id of readsNoPath) {
    const name = formatNames.find(([f]) => f === id)![1];
    for (const text of texts) {
      const [first, ...rest] = places.map((place) => {
        const analysis = analyzeFile(`${place}/${name}`, text, defaultSettings, { exhaustive: true, uri: 'file:///same' });
        return JSON.stringify(analysis).split(place).join('<place>');
      });
      for (const other of rest) assert.equal(other, first, `${id} read differently at another path`);
      compared++;
    }
  }
  assert.ok(compared > 100, `${compared} compared`);
});
