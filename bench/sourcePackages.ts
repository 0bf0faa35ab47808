/**
 * The source-package formats' benchmark: Pinwatch's whole analysis of generated Nix expressions, Homebrew
 * formulae, MacPorts Portfiles and Debian control files of about 1 MB each, in this process, the median of
 * several runs after a warm-up, with the throughput. Imported by bench/bench.ts.
 */
import { analyzeFile } from '../server/src/engine';
import { defaultSettings } from '../server/src/model';

interface Row {
  input: string;
  kb: number;
  medianMs: number;
}

const sha = (k: number): string => k.toString(16).padStart(64, '0');

/** Inputs of about `size` characters, each a realistic entry repeated with its own names and digests. */
function inputs(size: number): { label: string; path: string; text: string }[] {
  const fill = (entry: (k: number) => string, head = '', tail = ''): string => {
    const parts = [head];
    let length = head.length;
    for (let k = 0; length < size; k++) {
      const e = entry(k);
      parts.push(e);
      length += e.length;
    }
    parts.push(tail);
    return parts.join('');
  };
  return [
    {
      label: 'Nix: derivations with fetchurl, ${version}, SRI hashes',
      path: '/b/pkgs/default.nix',
      text: fill((k) => `  p${k} = stdenv.mkDerivation (finalAttrs: {\n    pname = "p${k}";\n    version = "1.${k}";\n    src = fetchurl {\n      url = "https://example.org/p${k}/p${k}-\${finalAttrs.version}.tar.gz";\n      hash = "sha256-${Buffer.from(sha(k), 'hex').toString('base64')}";\n    };\n    preCheck = ''\n      echo ''\${x} # not a comment\n    '';\n  });\n`, '{ stdenv, fetchurl }:\n{\n', '}\n'),
    },
    {
      label: 'Homebrew: a formula with many resources',
      path: '/b/Formula/x/big.rb',
      text: fill((k) => `  resource "r${k}" do\n    url "https://example.org/r${k}-1.${k}.tar.gz"\n    sha256 "${sha(k)}"\n  end\n\n`, 'class Big < Formula\n  url "https://example.org/big-1.0.tar.gz"\n  sha256 "' + sha(1) + '"\n', 'end\n'),
    },
    {
      label: 'MacPorts: a Portfile with many subports',
      path: '/b/Portfile',
      text: fill((k) => `subport p${k} {\n    version 1.${k}\n    checksums rmd160 ${'0'.repeat(40)} \\\n              sha256 ${sha(k)} \\\n              size ${k}\n}\n`, 'PortSystem 1.0\nname big\nversion 1.0\n'),
    },
    {
      label: 'Debian: a control file with many binary packages',
      path: '/b/debian/control',
      text: fill((k) => `\nPackage: p${k}\nArchitecture: any\nDepends: \${misc:Depends}, libp${k} (= \${binary:Version}),\n liblzma5 (>= 5.2.2), libc6 (>= 2.34) [amd64] <!nocheck>, a${k} | b${k} (<< 2)\nDescription: package ${k}\n`, 'Source: big\nBuild-Depends: debhelper-compat (= 13)\n'),
    },
  ];
}

/** Times each input; the rows for the table. */
export function benchSourcePackages(): void {
  const rows: Row[] = [];
  for (const { label, path, text } of inputs(1024 * 1024)) {
    for (let i = 0; i < 2; i++) analyzeFile(path, text, defaultSettings, { exhaustive: true });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      analyzeFile(path, text, defaultSettings, { exhaustive: true });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({ input: label, kb: Math.round(text.length / 1024), medianMs: times[3]! });
  }
  console.log('\nSource-package formats (whole analysis, median of 7):');
  const header = ['input', 'KB', 'median ms', 'MB/s'];
  const cells = rows.map((r) => [r.input, String(r.kb), r.medianMs.toFixed(1), (r.kb / 1024 / (r.medianMs / 1000)).toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}

