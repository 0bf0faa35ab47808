import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../server/src/formats/shell/tokens';
import { scanner } from '../../../server/src/formats/shell/wordReader';
import { scanShell } from '../../../server/src/formats/shell/words';

test('one reader: a pattern substitution keeps its pattern and replacement words, ANSI-C quotes are decoded', () => {
  const [command] = scanShell({ text: "${V/a/b} $'x\\ty'" });
  assert.deepStrictEqual(command!.words, [
    {
      parts: [{
        kind: 'param', name: 'V', op: '/', start: 0, end: 8,
        operand: { parts: [{ kind: 'text', value: 'a', offsets: [4], quoted: false }], start: 4, end: 5 },
        replacement: { parts: [{ kind: 'text', value: 'b', offsets: [6], quoted: false }], start: 6, end: 7 },
      }],
      start: 0,
      end: 8,
    },
    { parts: [{ kind: 'text', value: 'x\ty', offsets: [11, 13, 14], quoted: true }], start: 9, end: 16 },
  ]);
});

test('tokens: arrays on request, redirections with their fd, a here-document body recorded on its operator', () => {
  const text = 'a=(x "y z") 2>/dev/null <<E\nbody\nE\n';
  const tokens = tokenize(scanner({ text }), { arrays: true }).map((t) => (t.type === 'word' ? ['word', text.slice(t.word.start, t.word.end)] : t.type === 'array' ? ['array', t.name, t.elements.length, t.unterminated] : t.type === 'op' ? ['op', t.value, t.heredoc && text.slice(t.heredoc.from, t.heredoc.to)] : [t.type]));
  assert.deepStrictEqual(tokens, [['array', 'a', 2, false], ['op', '2>', undefined], ['word', '/dev/null'], ['op', '<<', 'body\n'], ['word', 'E'], ['newline'], ['eof']]);
});

test('a backslash that ends the text inside double quotes is a literal backslash of an unterminated word (it threw: fuzz gitlab-ci)', () => {
  const [command] = scanShell({ text: 'echo "a\\' });
  assert.deepStrictEqual(command!.words, [
    { parts: [{ kind: 'text', value: 'echo', offsets: [0, 1, 2, 3], quoted: false }], start: 0, end: 4 },
    { parts: [{ kind: 'text', value: 'a\\', offsets: [6, 7], quoted: true }], start: 5, end: 8, unterminated: true },
  ]);
});
