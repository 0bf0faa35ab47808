import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { repoRoot } from './recipeHelpers';

const syntaxes = join(repoRoot, 'syntaxes');

/** A registry that knows the two recipe grammars; `source.shell` is VS Code's own and is absent here, as a missing embed must be harmless. */
async function registry(): Promise<Registry> {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => {
      const file = { 'source.apkbuild': 'apkbuild.tmLanguage.json', 'source.pkgbuild': 'pkgbuild.tmLanguage.json' }[scope];
      return file ? parseRawGrammar(readFileSync(join(syntaxes, file), 'utf8'), join(syntaxes, file)) : null;
    },
  });
}

const loaded = registry();

/** Each non-blank token as [text, innermost scope], line by line. */
function tokens(grammar: IGrammar, text: string): [string, string][][] {
  let state = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens
      .map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!] as [string, string])
      .filter(([t]) => t.trim() !== '');
  });
}

test('the APKBUILD grammar colours recipe variables, strings with expansions, checksums and functions', async () => {
  const grammar = (await (await loaded).loadGrammar('source.apkbuild'))!;
  const text = ['# Maintainer: someone', 'pkgver=5.6.1', 'source="https://x.org/v$pkgver/xz-${pkgver//_/-}.tar.xz"', 'sha512sums="', `${'ab'.repeat(64)}  xz.tar.xz`, '"', 'build() {', '}'].join('\n');
  assert.deepStrictEqual(tokens(grammar, text), [
    [['#', 'punctuation.definition.comment.apkbuild'], [' Maintainer: someone', 'comment.line.number-sign.apkbuild']],
    [['pkgver', 'variable.language.recipe.apkbuild'], ['=', 'keyword.operator.assignment.apkbuild'], ['5.6.1', 'source.apkbuild']],
    [
      ['source', 'variable.language.recipe.apkbuild'], ['=', 'keyword.operator.assignment.apkbuild'],
      ['"', 'punctuation.definition.string.begin.apkbuild'], ['https://x.org/v', 'markup.underline.link.apkbuild'],
      ['$', 'punctuation.definition.variable.apkbuild'], ['pkgver', 'variable.other.normal.apkbuild'], ['/xz-', 'string.quoted.double.apkbuild'],
      ['${', 'punctuation.definition.variable.begin.apkbuild'], ['pkgver', 'variable.other.apkbuild'], ['//', 'keyword.operator.expansion.apkbuild'],
      ['_/-', 'variable.other.bracket.apkbuild'], ['}', 'punctuation.definition.variable.end.apkbuild'], ['.tar.xz', 'string.quoted.double.apkbuild'],
      ['"', 'punctuation.definition.string.end.apkbuild'],
    ],
    [['sha512sums', 'variable.language.recipe.apkbuild'], ['=', 'keyword.operator.assignment.apkbuild'], ['"', 'punctuation.definition.string.begin.apkbuild']],
    [['ab'.repeat(64), 'constant.other.checksum.apkbuild'], ['  xz.tar.xz', 'string.quoted.double.apkbuild']],
    [['"', 'punctuation.definition.string.end.apkbuild']],
    [['build', 'entity.name.function.apkbuild'], ['()', 'punctuation.definition.arguments.apkbuild'], ['{', 'punctuation.definition.group.begin.apkbuild']],
    [['}', 'punctuation.definition.group.end.apkbuild']],
  ]);
});

test('the PKGBUILD grammar colours arrays across lines, with quoted elements and comments', async () => {
  const grammar = (await (await loaded).loadGrammar('source.pkgbuild'))!;
  const text = ["depends=('sh' # needed", "         'xz>=5.6')", '_realname=xz'].join('\n');
  assert.deepStrictEqual(tokens(grammar, text), [
    [
      ['depends', 'variable.language.recipe.pkgbuild'], ['=', 'keyword.operator.assignment.pkgbuild'], ['(', 'punctuation.definition.array.begin.pkgbuild'],
      ["'", 'punctuation.definition.string.begin.pkgbuild'], ['sh', 'string.quoted.single.pkgbuild'], ["'", 'punctuation.definition.string.end.pkgbuild'],
      ['#', 'punctuation.definition.comment.pkgbuild'], [' needed', 'comment.line.number-sign.pkgbuild'],
    ],
    [
      ["'", 'punctuation.definition.string.begin.pkgbuild'], ['xz>=5.6', 'string.quoted.single.pkgbuild'], ["'", 'punctuation.definition.string.end.pkgbuild'],
      [')', 'punctuation.definition.array.end.pkgbuild'],
    ],
    [['_realname', 'variable.language.recipe.pkgbuild'], ['=', 'keyword.operator.assignment.pkgbuild'], ['xz', 'source.pkgbuild']],
  ]);
});

test('the grammars use the scope names the manifest registers', () => {
  for (const [file, scope] of [['apkbuild.tmLanguage.json', 'source.apkbuild'], ['pkgbuild.tmLanguage.json', 'source.pkgbuild']]) {
    assert.equal(JSON.parse(readFileSync(join(syntaxes, file!), 'utf8')).scopeName, scope);
  }
  const configuration = JSON.parse(readFileSync(join(syntaxes, 'recipe.language-configuration.json'), 'utf8'));
  assert.deepStrictEqual(configuration.comments, { lineComment: '#' });
});
