import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/edits';
import { analyze } from '../../../server/src/engine';
import { defaultSettings } from '../../../server/src/model';

const release = 'https://github.com/tukaani-project/xz/releases/download';

/** The artifact findings of a file: what the fix does to the whole text (or why there is none). */
function fixed(path: string, text: string): { messages: string[]; texts: string[] } {
  const findings = analyze(path, text, defaultSettings).filter((f) => f.code === 'compromised-artifact' && f.reference.kind === 'url');
  return {
    messages: findings.map((f) => f.message.replace(/^.*?\)\./, '').trim()),
    texts: findings.flatMap((f) => (f.fixes[0] ? [applyEdits(text, f.fixes[0].edits).text] : [])),
  };
}

test('a URL whose version comes from an ARG and from literal text is fixed in both places', () => {
  const text = `FROM debian:bookworm\nARG V=5.6.1\nRUN curl -LO ${release}/v\${V}/xz-5.6.1.tar.gz\n`;
  assert.deepStrictEqual(fixed('/d/Dockerfile', text), {
    messages: ['Use 5.6.2 instead.'],
    texts: [`FROM debian:bookworm\nARG V=5.6.2\nRUN curl -LO ${release}/v\${V}/xz-5.6.2.tar.gz\n`],
  });
  // The other way round, the literal directory is fixed with the ARG, not turned into a file that does not exist.
  const other = `FROM debian:bookworm\nARG V=5.6.1\nRUN curl -LO ${release}/v5.6.1/xz-\${V}.tar.gz\n`;
  assert.deepStrictEqual(fixed('/d/Dockerfile', other).texts, [`FROM debian:bookworm\nARG V=5.6.2\nRUN curl -LO ${release}/v5.6.2/xz-\${V}.tar.gz\n`]);
});

test('an ARG used twice in one URL is edited once, and a fixed file has no finding left', () => {
  const text = `FROM debian:bookworm\nARG V=5.6.1\nRUN wget ${release}/v\${V}/xz-\${V}.tar.gz\n`;
  const { texts } = fixed('/d/Dockerfile', text);
  assert.deepStrictEqual(texts, [`FROM debian:bookworm\nARG V=5.6.2\nRUN wget ${release}/v\${V}/xz-\${V}.tar.gz\n`]);
  assert.deepStrictEqual(analyze('/d/Dockerfile', texts[0]!, defaultSettings), []);
});

test('a version from a variable the fix cannot change gives no edit, and the message says which', () => {
  const text = `FROM debian:bookworm\nRUN V=$(cat version) && curl -LO ${release}/v5.6.1/xz-5.6.1.tar.gz?\${V}\n`;
  // The command's own output is unknown, so this URL is not read at all; with a literal-only URL it is fixed in place.
  assert.deepStrictEqual(fixed('/d/Dockerfile', `FROM debian:bookworm\nRUN curl -LO ${release}/v5.6.1/xz-5.6.1.tar.gz\n`).texts, [
    `FROM debian:bookworm\nRUN curl -LO ${release}/v5.6.2/xz-5.6.2.tar.gz\n`,
  ]);
  assert.deepStrictEqual(fixed('/d/Dockerfile', text), { messages: [], texts: [] });
  // A PKGBUILD without checksums: the file name comes from the recipe's own $pkgver, which a fix does not bump.
  const pkgbuild = `pkgname=xz\npkgver=5.6.1\npkgrel=1\nsource=("${release}/v5.6.1/xz-$pkgver.tar.gz")\nsha256sums=('SKIP')\n`;
  assert.deepStrictEqual(fixed('/r/xz/PKGBUILD', pkgbuild), {
    messages: ['Use 5.6.2 instead; part of the version comes from ${pkgver}, which this fix cannot change, so no edit is offered.'],
    texts: [],
  });
  // The default of ${pkgver-5.6.1} is not used when pkgver is set: it is never rewritten.
  const unused = `pkgname=xz\npkgver=5.6.1\npkgrel=1\nsource=("${release}/v\${pkgver-5.6.1}/xz-\${pkgver-5.6.1}.tar.gz")\nsha256sums=('SKIP')\n`;
  assert.deepStrictEqual(fixed('/r/xz/PKGBUILD', unused), {
    messages: ['Use 5.6.2 instead; part of the version comes from ${pkgver}, which this fix cannot change, so no edit is offered.'],
    texts: [],
  });
});
