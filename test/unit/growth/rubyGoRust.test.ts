import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cargoToml } from '../../../server/src/formats/cargoToml';
import { gemfile } from '../../../server/src/formats/gemfile';
import { gemfileLock } from '../../../server/src/formats/gemfileLock';
import { goMod } from '../../../server/src/formats/goMod';
import { growth, maxRatio, type Pattern } from './patterns';

// The hostile inputs of the Ruby, Go and Rust formats, read in time linear in their size (see patterns.ts). The
// Gemfile inputs stay at 1,000 calls or brackets at 1×: at 16 times 8,000 tokens the tokens outgrow V8's young
// generation and each costs about three times as much (measured per token at 1× to 32×), which is the collector's
// doing, not the scan's.
const patterns: Array<Omit<Pattern, 'defect'>> = [
  // Each require looked through every replace: many of both multiplied.
  { name: 'go.mod many requires and many replaces', build: (n) => `module m\n${Array.from({ length: 1500 * n }, (_, i) => `require example.com/m${i} v1.0.0\nreplace example.com/r${i} => example.com/s${i} v1.0.0\n`).join('')}`, read: (t) => goMod.extract(t, '/r/go.mod') },
  { name: 'go.mod an unclosed require block of malformed lines', build: (n) => `require (\n${'\t"x\n'.repeat(16000 * n)}`, read: (t) => goMod.extract(t, '/r/go.mod') },
  { name: 'Gemfile gem "a" gem "a" … on one line', build: (n) => `${'gem "a" '.repeat(1000 * n)}\n`, read: (t) => gemfile.extract(t, '/r/Gemfile') },
  { name: 'Gemfile gem "a", [[[[… nesting', build: (n) => `gem "a", ${'['.repeat(1000 * n)}\n`, read: (t) => gemfile.extract(t, '/r/Gemfile') },
  { name: 'Gemfile.lock malformed spec lines', build: (n) => `GEM\n  specs:\n${'    a (1.0\n'.repeat(16000 * n)}`, read: (t) => gemfileLock.extract(t, '/r/Gemfile.lock') },
  { name: 'Cargo.toml a = [[[… lines', build: (n) => `[dependencies]\n${'a = [[[[[[[[x\n'.repeat(12000 * n)}`, read: (t) => cargoToml.extract(t, '/r/Cargo.toml') },
  { name: 'Cargo.toml unclosed inline tables', build: (n) => `[dependencies]\n${'a = { version = "1", b = {\n'.repeat(3000 * n)}`, read: (t) => cargoToml.extract(t, '/r/Cargo.toml') },
];

for (const pattern of patterns) {
  test(`reads ${pattern.name} in time linear in its size`, async (t) => {
    let measured = await growth({ ...pattern, defect: 9 });
    for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth({ ...pattern, defect: 9 });
    const { small, large, ratio } = measured;
    t.diagnostic(`1×: ${small.toFixed(2)} ms, 16×: ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`);
    assert.ok(ratio <= maxRatio, `16× the input took ${large.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${small.toFixed(1)} ms of 1×`);
  });
}
