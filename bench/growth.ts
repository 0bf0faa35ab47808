/**
 * Growth on hostile input: for each pattern of test/unit/growth/patterns.ts, the best time of a few runs at 1×, 2×,
 * 4×, 8× and 16× the input, in milliseconds. Linear reading keeps the 16× time near 16 times the 1× time.
 *
 * Run with `node esbuild.mjs --bench && node out/bench/growth.js [name filter]`.
 */
import { patterns } from '../test/unit/growth/patterns';

const filter = process.argv[2] ?? '';
const scales = [1, 2, 4, 8, 16];
/** Past this, a row stops growing: the point is made, and the machine is shared. */
const giveUpMs = 20000;

for (const pattern of patterns.filter((p) => p.name.includes(filter))) {
  const times: string[] = [];
  for (const n of scales) {
    const text = pattern.build(n);
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      pattern.read(text);
      best = Math.min(best, performance.now() - started);
      if (best > 2000) break;
    }
    times.push(best.toFixed(1));
    if (best > giveUpMs / 4) break;
  }
  console.log(`${pattern.name.padEnd(40)} ${times.join(' / ')}`);
}
