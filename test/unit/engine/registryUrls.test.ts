import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryTarball } from '../../../server/src/advisories/registryTarballs';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';

test('registryTarball: npm tarballs (scoped, escaped, yarn mirror) and PyPI sdists and wheels; anything else is no release', () => {
  const cases: Array<[string, ReturnType<typeof registryTarball>]> = [
    ['https://registry.npmjs.org/nx/-/nx-21.5.0.tgz', { ecosystem: 'npm', name: 'nx', version: '21.5.0' }],
    ['https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.1.tgz', { ecosystem: 'npm', name: '@ctrl/tinycolor', version: '4.1.1' }],
    ['https://registry.npmjs.org/@ctrl%2ftinycolor/-/tinycolor-4.1.1.tgz', { ecosystem: 'npm', name: '@ctrl/tinycolor', version: '4.1.1' }],
    ['https://registry.yarnpkg.com/chalk/-/chalk-5.6.1.tgz', { ecosystem: 'npm', name: 'chalk', version: '5.6.1' }],
    ['http://registry.npmjs.org:80/debug/-/debug-4.4.2-beta.1.tgz', { ecosystem: 'npm', name: 'debug', version: '4.4.2-beta.1' }],
    ['https://files.pythonhosted.org/packages/ab/cd/0123/ultralytics-8.3.41.tar.gz', { ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.41' }],
    ['https://files.pythonhosted.org/packages/ab/cd/0123/ultralytics-8.3.41-py3-none-any.whl', { ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.41' }],
    ['https://pypi.org/packages/source/c/ctx/ctx-0.2.6.tar.gz', { ecosystem: 'PyPI', name: 'ctx', version: '0.2.6' }],
    ['https://files.pythonhosted.org/packages/source/s/some-name/some-name-1.0rc1.zip', { ecosystem: 'PyPI', name: 'some-name', version: '1.0rc1' }],
    // The file must be the package's own: another base name, no version, a tag or another host names no release.
    ['https://registry.npmjs.org/chalk/-/not-chalk-5.6.1.tgz', undefined],
    ['https://registry.npmjs.org/chalk/-/chalk-latest.tgz', undefined],
    ['https://registry.npmjs.org/chalk', undefined],
    ['https://example.org/chalk/-/chalk-5.6.1.tgz', undefined],
    ['https://files.pythonhosted.org/simple/ultralytics/', undefined],
    ['https://files.pythonhosted.org/packages/ab/ultralytics-8.3.41-py3.whl', undefined],
    ['https://registry.npmjs.org/%E0%A4%A/-/x-1.0.0.tgz', undefined],
  ];
  assert.deepStrictEqual(cases.map(([url]) => registryTarball(url)), cases.map(([, release]) => release));
});

/** The findings of a file, as (line:character, code, severity, message, fixes). */
function findings(path: string, text: string): string[] {
  return analyze(path, text, defaultSettings).map((f) => `${f.reference.range.start.line}:${f.reference.range.start.character} ${f.severity} ${f.code} ${f.message} fixes=${f.fixes.length}`);
}

test('a registry download installs the release it names: curl, npm and pip install from a URL in a Dockerfile; safe releases and other packages give nothing', () => {
  const text = [
    'FROM node:20',
    'RUN curl -fsSLO https://registry.npmjs.org/debug/-/debug-4.4.2.tgz',
    'RUN npm install -g https://registry.npmjs.org/chalk/-/chalk-5.6.1.tgz https://registry.npmjs.org/chalk/-/chalk-5.6.2.tgz',
    'RUN python3 -m pip install https://files.pythonhosted.org/packages/aa/bb/ultralytics-8.3.41-py3-none-any.whl',
    'RUN npm install -g https://registry.npmjs.org/left-pad/-/left-pad-5.6.1.tgz https://registry.npmjs.org/debug/-/debug-4.4.1.tgz',
    '',
  ].join('\n');
  assert.deepStrictEqual(findings('/d/Dockerfile', text), [
    "1:16 error compromised-version debug 4.4.2 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). This URL downloads it from npm's registry: change the URL to a safe release. The nearest safe release is 4.4.1. fixes=0",
    "2:19 error compromised-version chalk 5.6.1 is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). This URL downloads it from npm's registry: change the URL to a safe release. The nearest safe release is 5.6.0. fixes=0",
    '3:27 error compromised-version ultralytics 8.3.41 is a compromised release (ultralytics release compromise (2024-12), PINWATCH-PYPI-2024-12-ULTRALYTICS). This URL downloads it from PyPI: change the URL to a safe release. The nearest safe release is 8.3.40. fixes=0',
  ]);
});

test('a formula and a PKGBUILD that download a registry tarball: the URL is the finding, and its checksum is named in the advice', () => {
  const formula = 'class Nx < Formula\n  desc "Build system"\n  homepage "https://nx.dev"\n  url "https://registry.npmjs.org/nx/-/nx-21.5.0.tgz"\n  sha256 "0000000000000000000000000000000000000000000000000000000000000000"\nend\n';
  assert.deepStrictEqual(findings('/tap/Formula/n/nx.rb', formula), [
    '3:7 error compromised-version nx 21.5.0 is a compromised release (nx "s1ngularity" compromise (2025-08-26), CVE-2025-10894). This URL downloads it from npm\'s registry: change the URL and the checksum that guards it to a safe release. fixes=0',
  ]);
  const pkgbuild = `pkgname=nodejs-chalk\npkgver=5.6.1\npkgrel=1\narch=(any)\nsource=("https://registry.npmjs.org/chalk/-/chalk-$pkgver.tgz")\nsha256sums=(\'${'1'.repeat(64)}\')\n`;
  assert.deepStrictEqual(findings('/r/nodejs-chalk/PKGBUILD', pkgbuild), [
    "4:9 error compromised-version chalk 5.6.1 (from pkgver=5.6.1 (line 2)) is a compromised release (npm chalk/debug maintainer hijack (2025-09-08), PINWATCH-NPM-2025-09-CHALK-DEBUG). This URL downloads it from npm's registry: change the URL and the checksum that guards it to a safe release. The nearest safe release is 5.6.0. fixes=0",
  ]);
  assert.deepStrictEqual(findings('/r/nodejs-chalk/PKGBUILD', pkgbuild.replace('pkgver=5.6.1', 'pkgver=5.6.2')), []);
});
