// The scanners of the Debian, Nix, Homebrew and MacPorts formats on inputs built to make a careless scanner
// quadratic: runs that are many tokens, unclosed brackets, long chains of lookups. Each reads 16 times the input
// in at most `maxRatio` times the time (see patterns.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debianControl } from '../../../server/src/formats/debian/control';
import { homebrewFormula } from '../../../server/src/formats/homebrew/formula';
import { portfile } from '../../../server/src/formats/macports/portfile';
import { nix } from '../../../server/src/formats/nix/nix';
import { growth, maxRatio, type Pattern } from './patterns';

const readNix = (text: string): unknown => nix.extract(text, '/n/default.nix');
const readFormula = (text: string): unknown => homebrewFormula.extract(text, '/t/Formula/x/xz.rb');
const readPortfile = (text: string): unknown => portfile.extract(text, '/p/Portfile');
const readControl = (text: string): unknown => debianControl.extract(text, '/d/debian/control');

/** These inputs belong to no defect of that issue; `growth` reads only `build` and `read`. */
const inputs = [
  { name: 'Nix a.a.a.… (one run of path characters, many tokens)', build: (n: number) => `{ x = ${'a.'.repeat(10_000 * n)}b; }`, read: readNix },
  { name: 'Nix ((((… }}}} (closers with nothing of their kind open)', build: (n: number) => `${'('.repeat(5_000 * n)}${'}'.repeat(5_000 * n)}`, read: readNix },
  { name: 'Nix { a = { a = … (sets never closed)', build: (n: number) => '{ a = '.repeat(2_500 * n), read: readNix },
  { name: 'Nix v1 = "${v0}"; … (a chain of interpolated bindings)', build: (n: number) => `{\n  v0 = "5.6.1";\n${Array.from({ length: 1_000 * n }, (_, k) => `  v${k + 1} = "\${v${k}}";\n`).join('')}  pname = "x"; version = "\${v${1_000 * n}}";\n}\n`, read: readNix },
  { name: 'Ruby a.a.a.…', build: (n: number) => `class X < Formula\n  x = ${'a.'.repeat(10_000 * n)}b\nend\n`, read: readFormula },
  { name: 'Ruby <<~A heredocs, one per line', build: (n: number) => `${'x <<~A\nbody\nA\n'.repeat(1_000 * n)}`, read: readFormula },
  { name: 'Ruby url "…" stanzas in do … end blocks', build: (n: number) => `class X < Formula\n${'  resource "r" do\n    url "https://example.org/r.tar.gz"\n    sha256 "' + 'a'.repeat(64) + '"\n  end\n'.repeat(1_000 * n)}end\n`, read: readFormula },
  { name: 'Tcl words ${a}${a}… and [cmd] substitutions', build: (n: number) => `${'checksums sha256 ${a}${a}[b] size 1\n'.repeat(1_000 * n)}`, read: readPortfile },
  { name: 'Tcl if { … } bodies', build: (n: number) => `${'if {$a} {\n  version 1\n} else {\n  checksums sha256 x\n}\n'.repeat(1_000 * n)}`, read: readPortfile },
  { name: 'debian/control continuation lines of relations', build: (n: number) => `Source: x\nBuild-Depends: a (>= 1),\n${' liblzma-dev (= 5.6.1-1) [amd64] <!nocheck>, b (<< 2) | c,\n'.repeat(1_000 * n)}`, read: readControl },
] as const;

for (const input of inputs) {
  test(`reads ${input.name} in time linear in its size`, async (t) => {
    const pattern = { ...input, defect: 9 } as unknown as Pattern;
    let measured = await growth(pattern);
    for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth(pattern);
    const { small, large, ratio } = measured;
    t.diagnostic(`1×: ${small.toFixed(2)} ms, 16×: ${large.toFixed(2)} ms, ratio ${ratio.toFixed(1)}`);
    assert.ok(ratio <= maxRatio, `16× the input took ${large.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${small.toFixed(1)} ms of 1×`);
  });
}
