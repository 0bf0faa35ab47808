import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bazel } from '../../../server/src/formats/bazel';
import { cmake } from '../../../server/src/formats/cmake';
import { conanfile } from '../../../server/src/formats/conan';
import { makefile } from '../../../server/src/formats/makefile';
import { growth, maxRatio, type Pattern } from './patterns';

const url = 'https://tukaani.org/xz/xz-5.6.1.tar.gz';

/** Hostile inputs of the C/C++ build file readers (not defects found before: `defect` is not used by `growth`). */
const patterns: Array<Omit<Pattern, 'defect'>> = [
  { name: 'CMake: parentheses nested 20,000 deep per scale', build: (n) => `f${'('.repeat(20000 * n)}${')'.repeat(20000 * n)}\nFetchContent_Declare(x URL ${url})\n`, read: (t) => cmake.extract(t, '/r/CMakeLists.txt') },
  { name: 'CMake: 2,000 unclosed commands per scale', build: (n) => `set(A\n`.repeat(2000 * n) + `FetchContent_Declare(x URL ${url})\n`, read: (t) => cmake.extract(t, '/r/CMakeLists.txt') },
  { name: 'CMake: a chain of 250 set() variables that each grow by one per scale', build: (n) => Array.from({ length: 250 * n }, (_, i) => `set(V${i} ${i > 0 ? `\${V${i - 1}}` : ''}x)\nFetchContent_Declare(x${i} URL ${url}?\${V${i}})\n`).join(''), read: (t) => cmake.extract(t, '/r/CMakeLists.txt') },
  { name: 'Starlark: brackets nested 5,000 deep per scale', build: (n) => `x = ${'['.repeat(5000 * n)}${']'.repeat(5000 * n)}\nhttp_archive(url = "${url}")\n`, read: (t) => bazel.extract(t, '/r/deps.bzl') },
  { name: 'Python: 2,000 self.requires calls in one unclosed call per scale', build: (n) => `f(\n${'    self.requires("xz_utils/5.6.1", (\n'.repeat(2000 * n)}`, read: (t) => conanfile.extract(t, '/r/conanfile.py') },
  { name: 'Makefile: 200 recipe uses of a doubling variable chain per scale', build: (n) => `${Array.from({ length: 12 }, (_, i) => (i === 0 ? 'A0 = xz-5.6.1.tar.gz' : `A${i} = $(A${i - 1})$(A${i - 1})`)).join('\n')}\nall:\n${'\tcurl -LO https://tukaani.org/$(A3)\n'.repeat(200 * n)}`, read: (t) => makefile.extract(t, '/r/Makefile') },
  // Each URL in one expanded word walked the whole word for its origins (fuzz makefile: hang at 37 KB).
  { name: 'Makefile: a variable of 100 URLs per scale in one recipe line', build: (n) => `V := 5.6.1\nU = ${'https://tu = '.repeat(100 * n)}https://tukaani.org/xz/xz-$(V).tar.gz\nall:\n\tcurl -LO $(U)\n`, read: (t) => makefile.extract(t, '/r/Makefile') },
];

for (const pattern of patterns) {
  test(`reads ${pattern.name} in time linear in its size`, async (t) => {
    let measured = await growth(pattern as Pattern);
    for (let attempt = 1; attempt < 3 && measured.ratio > maxRatio; attempt++) measured = await growth(pattern as Pattern);
    t.diagnostic(`1×: ${measured.small.toFixed(2)} ms, 16×: ${measured.large.toFixed(2)} ms, ratio ${measured.ratio.toFixed(1)}`);
    assert.ok(measured.ratio <= maxRatio, `ratio ${measured.ratio.toFixed(1)}`);
  });
}
