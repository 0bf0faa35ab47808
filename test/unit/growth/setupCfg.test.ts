// setup.cfg on a long line of blanks with no `=` or `:`: a lazy key before `\s*[=:]` tried every split of the line
// (the fuzzer's 64 KB line of no-break spaces took over 5 s). 16 times the input in at most `maxRatio` times the time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setupCfg } from '../../../server/src/formats/setupCfg';
import { growth, maxRatio } from './patterns';

test('setup.cfg: reads a line of 4,000 × n blanks and no-break spaces in time linear in its size', async (t) => {
  const pattern = { name: 'blank line', defect: 7 as const, build: (n: number) => `[options]\ninstall_requires =\n    ultralytics==8.3.41\n${'\u00a0 '.repeat(2000 * n)}b\n`, read: (text: string) => setupCfg.extract(text, '/p/setup.cfg') };
  let measured = await growth(pattern);
  for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth(pattern);
  const { small, large, ratio } = measured;
  t.diagnostic(`1×: ${small.toFixed(2)} ms, 16×: ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`);
  assert.ok(ratio <= maxRatio, `16× the input took ${large.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${small.toFixed(1)} ms of 1×`);
});
