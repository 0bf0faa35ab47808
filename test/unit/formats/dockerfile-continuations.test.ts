import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinContinuations } from '../../../server/src/formats/shell/dockerText';
import type { ShellSource } from '../../../server/src/formats/shell/words';

/**
 * The rule of a shell-form RUN's command text, one character at a time, as plainly as it can be written: an escape
 * character followed by nothing but spaces, tabs and carriage returns up to a line end (or the instruction's end)
 * joins the lines, and the comment and empty lines after it are dropped; the first other line end ends the
 * logical line, and what follows (here-document bodies) is kept as written.
 */
function model(text: string, escape: string, start: number, end: number): ShellSource {
  let out = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    if (text[i] === escape) {
      let j = i + 1;
      while (j < end && ' \t\r'.includes(text[j]!)) j += 1;
      if (j >= end || text[j] === '\n') {
        i = j + 1;
        for (;;) {
          if (i >= end) break;
          let lineEnd = text.indexOf('\n', i);
          if (lineEnd < 0 || lineEnd > end) lineEnd = end;
          const content = text.slice(i, lineEnd).trim();
          if (content !== '' && !content.startsWith('#')) break;
          i = lineEnd + 1;
        }
        continue;
      }
    }
    if (text[i] === '\n') {
      for (let k = i; k < end; k += 1) (out += text[k]!), offsets.push(k);
      break;
    }
    out += text[i]!;
    offsets.push(i);
    i += 1;
  }
  offsets.push(end);
  return { text: out, offsets };
}

/** A small deterministic generator (xorshift), so that a failure names the case that gives it. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test('joinContinuations gives the text and the source offset of each character that the rule gives, on written and random texts', () => {
  const written = [
    'apt-get update \\\n && apt-get install -y xz-utils=5.6.1-1',
    'a \\  \t\r\n# a comment\n\n   \n b \\\n',
    'echo `x` \\\r\n y',
    'cat <<EOF\nbody \\\nline\nEOF\n',
    'a\\b \\c\\\n d',
    '\\',
    '\\\n',
    '',
    'x \\\n#only comments after\n# and more',
  ];
  for (const text of written) {
    for (const escape of ['\\', '`']) assert.deepEqual(joinContinuations(text, escape, 0, text.length), model(text, escape, 0, text.length), JSON.stringify({ text, escape }));
  }
  const next = random(20240329);
  const alphabet = ['a', 'b', ' ', '\t', '\r', '\n', '\\', '`', '#', 'RUN '];
  for (let n = 0; n < 20_000; n++) {
    const length = Math.floor(next() * 40);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)]!;
    const start = Math.floor(next() * (text.length + 1));
    const end = start + Math.floor(next() * (text.length - start + 1));
    const escape = next() < 0.8 ? '\\' : '`';
    assert.deepEqual(joinContinuations(text, escape, start, end), model(text, escape, start, end), JSON.stringify({ n, text, escape, start, end }));
  }
});

test('joinContinuations is linear: a line of 200,000 escaped characters that are not continuations', () => {
  const line = (n: number): string => `echo ${'\\$'.repeat(n)} \\\n done`;
  const time = (text: string): number => {
    const begin = performance.now();
    joinContinuations(text, '\\', 0, text.length);
    return performance.now() - begin;
  };
  time(line(1000));
  const small = Math.min(time(line(12_500)), time(line(12_500)));
  const big = Math.min(time(line(200_000)), time(line(200_000)));
  // 16 times the input: well under 16² times the time (a rescan of the line for each escape would be 256 times).
  assert.ok(big < small * 64 + 20, `12,500 escapes: ${small.toFixed(1)} ms; 200,000: ${big.toFixed(1)} ms`);
  const joined = joinContinuations(line(3), '\\', 0, line(3).length);
  assert.equal(joined.text, 'echo \\$\\$\\$  done');
});
