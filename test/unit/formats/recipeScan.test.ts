import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsOf } from '../../../server/src/formats/recipeReferences';
import { scanRecipe } from '../../../server/src/formats/shell/bashScan';

/** Each assignment as [name, conditional, [value, source text of the field, via notes][]]; undefined values are unresolved. */
function read(text: string): [string, boolean, [string | undefined, string, string[]][]][] {
  return scanRecipe(text).assignments.map((a) => [a.name, a.conditional, fieldsOf(a).map((f) => [f.value, text.slice(f.start, f.end), f.via] as [string | undefined, string, string[]])]);
}

test('reads plain, quoted and empty assignments', () => {
  assert.deepStrictEqual(read(`a=1\nb='two words'\nc="three"\nd=\ne=""\n`), [
    ['a', false, [['1', '1', []]]],
    ['b', false, [['two', 'two', []], ['words', 'words', []]]],
    ['c', false, [['three', 'three', []]]],
    ['d', false, []],
    ['e', false, []],
  ]);
});

test('splits a multi-line string into words, each with its own span', () => {
  const text = 'depends="a b\n\tc=1.0-r0\n"\nsha512sums="\nabc123  file.tar.xz\n"';
  assert.deepStrictEqual(read(text), [
    ['depends', false, [['a', 'a', []], ['b', 'b', []], ['c=1.0-r0', 'c=1.0-r0', []]]],
    ['sha512sums', false, [['abc123', 'abc123', []], ['file.tar.xz', 'file.tar.xz', []]]],
  ]);
});

test('reads arrays across lines with quoted elements, comments and appends', () => {
  const text = `source=("a b" 'c' # a comment ) with a paren\n  d\n)\nsource+=(e)\n`;
  assert.deepStrictEqual(read(text), [
    ['source', false, [['a b', 'a b', []], ['c', 'c', []], ['d', 'd', []]]],
    ['source', false, [['e', 'e', []]]],
  ]);
  assert.deepStrictEqual(scanRecipe(text).variables.get('source')?.elements, ['a b', 'c', 'd', 'e']);
});

test('expands variables assigned earlier and says how', () => {
  const text = 'pkgname=xz\npkgver=5.6.1\nsrc="https://x.org/v$pkgver/${pkgname}-$pkgver.tar.xz"';
  assert.deepStrictEqual(read(text)[2], [
    'src',
    false,
    [['https://x.org/v5.6.1/xz-5.6.1.tar.xz', 'https://x.org/v$pkgver/${pkgname}-$pkgver.tar.xz', ['pkgver=5.6.1 (line 2)', 'pkgname=xz (line 1)']]],
  ]);
});

test('resolves defaults, pattern substitution, prefix and suffix removal, case and length', () => {
  const text = [
    'pkgname=py3-foo-bar',
    'pkgver=5.6.1_beta2',
    'a=${pkgver//_/-} b=${pkgver/_/~} c=${pkgname%-*} d=${pkgname%%-*} e=${pkgname#*-} f=${pkgname##*-}',
    'g=${unset:-5.4.6} h=${pkgver:-0} i=${pkgver:+yes} j=${pkgname^^} k=${#pkgname} l=${pkgver%.*} m=${pkgver/#5/6} n=${pkgver/%2/3}',
  ].join('\n');
  const values = read(text).slice(2).map(([name, , fields]) => [name, fields[0]?.[0]]);
  assert.deepStrictEqual(values, [
    ['a', '5.6.1-beta2'], ['b', '5.6.1~beta2'], ['c', 'py3-foo'], ['d', 'py3'], ['e', 'foo-bar'], ['f', 'bar'],
    ['g', '5.4.6'], ['h', '5.6.1_beta2'], ['i', 'yes'], ['j', 'PY3-FOO-BAR'], ['k', '11'], ['l', '5.6'], ['m', '6.6.1_beta2'], ['n', '5.6.1_beta3'],
  ]);
});

test('leaves a value unresolved rather than guessing', () => {
  const text = 'a=$(uname) b=`date` c=$((1+2)) d=${x:1:2} e=${arr[@]} f=$CARCH g="pre-$1" h=${pkgver} i=${!ref}';
  assert.deepStrictEqual(read(text).map(([name, , fields]) => [name, fields.map((f) => f[0])]), [
    ['a', [undefined]], ['b', [undefined]], ['c', [undefined]], ['d', [undefined]], ['e', [undefined]],
    ['f', [undefined]], ['g', [undefined]], ['h', [undefined]], ['i', [undefined]],
  ]);
});

test('skips function bodies, even with braces and quotes in strings and heredocs', () => {
  const text = [
    'build() {',
    '  echo "}" \'{\' ; cat > x <<-EOF',
    '\t}',
    '\t"unbalanced',
    '\tEOF',
    '  case $x in a) depends="no";; (b) y=1;; esac',
    '  ( cd sub && make )',
    '}',
    'after=1',
    'function other { depends="no"; }',
    'package()',
    '{',
    '  depends="no"',
    '}',
    'last=2',
  ].join('\n');
  assert.deepStrictEqual(read(text), [
    ['after', false, [['1', '1', []]]],
    ['last', false, [['2', '2', []]]],
  ]);
});

test('marks assignments inside top-level conditionals and makes the variable unknown after them', () => {
  const text = 'v=1\nif [ "$CARCH" = x86_64 ]; then\n  v=2\nfi\ncase "$CARCH" in\n  aarch64) o="!check" ;;\nesac\nw=$v';
  assert.deepStrictEqual(read(text), [
    ['v', false, [['1', '1', []]]],
    ['v', true, [['2', '2', []]]],
    ['o', true, [['!check', '!check', []]]],
    ['w', false, [[undefined, '$v', []]]],
  ]);
});

test('treats assignments after && or || as conditional, and groups opened there too', () => {
  const text = 'a=1 && b=2\n[ "$X" ] || c=3\n[ "$X" ] && { d=4; e=5; }\nf=6';
  assert.deepStrictEqual(read(text).map(([name, conditional]) => [name, conditional]), [
    ['a', false], ['b', true], ['c', true], ['d', true], ['e', true], ['f', false],
  ]);
});

test('reads export and line continuations, and ignores assignments that only prefix a command', () => {
  const text = 'FOO=bar make\nexport A=1 B="x \\\ny"\nC=a\\\nb';
  assert.deepStrictEqual(read(text), [
    ['A', false, [['1', '1', []]]],
    ['B', false, [['x', 'x', []], ['y', 'y', []]]],
    ['C', false, [['ab', 'a\\\nb', []]]],
  ]);
});

test('expands braces in array elements, as bash does for source=(url{,.sig})', () => {
  const text = 'p=xz\nsource=("$p.tar"{,.sig} x{1..3})';
  assert.deepStrictEqual(read(text)[1], [
    'source',
    false,
    [['xz.tar', '$p.tar', ['p=xz (line 1)']], ['xz.tar.sig', '$p.tar"{,.sig', ['p=xz (line 1)']], [undefined, 'x{1..3}', []]],
  ]);
});

test('drops a value whose quote never closes, and keeps what came before', () => {
  assert.deepStrictEqual(read('a=1\nb="open\nc=2\n'), [['a', false, [['1', '1', []]]]]);
  assert.deepStrictEqual(read("a=1\nb=(x 'y\nc=2)\n"), [['a', false, [['1', '1', []]]]]);
});

test('is total on hostile input', () => {
  const nested = '${a:-'.repeat(5000) + '}'.repeat(5000);
  const inputs = ['', '\0\0', '$', '${', '$(', '`', "'", '"', 'a=(', 'a=${b', 'f() {', '}}}}', '<<EOF', 'x=' + nested, '(((((', ')))))', 'esac fi done }'];
  for (const input of inputs) assert.doesNotThrow(() => scanRecipe(input), input.slice(0, 20));
});

test('appends to arrays in place, and an append that may not run leaves the array unknown unless it adds nothing', () => {
  const elements = (text: string) => {
    const v = scanRecipe(text).variables.get('a');
    return v && { value: v.value, elements: v.elements };
  };
  assert.deepStrictEqual(
    [
      elements('a=(x)\na+=(y z)\na+=w\n'),
      elements('s=x\na=$s\na+=(y)\n'),
      elements('a=(x)\n[ -n "$c" ] && a+=()\n'),
      elements('a=(x)\n[ -n "$c" ] && a+=(y)\n'),
      elements('a=(x)\nif true; then a+=w; fi\n'),
      elements(`a=(x)\n${'a+=(y)\n'.repeat(3)}`),
    ],
    [
      { value: 'x', elements: ['x', 'y', 'z', 'w'] },
      { value: 'x', elements: ['x', 'y'] },
      { value: 'x', elements: ['x'] },
      { value: undefined, elements: undefined },
      { value: undefined, elements: undefined },
      { value: 'x', elements: ['x', 'y', 'y', 'y'] },
    ],
  );
});

test('deep nesting keeps track of functions and conditional compounds', () => {
  const depth = 50;
  const text = [
    `${'{ '.repeat(depth)}a=1; ${'}\n'.repeat(depth)}`,
    `${'if true; then '.repeat(depth)}b=2; ${'fi\n'.repeat(depth)}`,
    'c=3',
    `f() {\n${'{ '.repeat(depth)}d=4; if true; then e=5; fi\n${'}\n'.repeat(depth)}}`,
    'g=6',
  ].join('\n');
  const recipe = scanRecipe(text);
  assert.deepStrictEqual(
    {
      top: recipe.assignments.map((a) => [a.name, a.conditional]),
      inFunctions: recipe.functionAssignments.map((a) => [a.name, a.fn, a.conditional]),
    },
    {
      top: [['a', false], ['b', true], ['c', false], ['g', false]],
      inFunctions: [['d', 'f', false], ['e', 'f', true]],
    },
  );
});

test('brace expansion reads nested pairs, commas at their own level and sequences as before', () => {
  // `{a,b` never closes, so it stays as written; the `}` after `{c,d}` is a literal of both words.
  const text = 'source=(a{b,c{d,e}}f {x}{y,z} {1..3} {a,b {c,d}})';
  assert.deepStrictEqual(scanRecipe(text).variables.get('source')?.elements, ['abf', 'acdf', 'acef', '{x}y', '{x}z', undefined, '{a,b', 'c}', 'd}']);
});
