/**
 * The package managers' own comparison tools, driven in bulk for the differential tests: each takes pairs and
 * returns one answer per pair, `<`, `=`, `>`, or `!` when the tool rejects a version.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One answer of a tool for one pair. */
export type Answer = '<' | '=' | '>' | '!';

/** Why a tool cannot run here, or undefined when it can. */
export function missing(command: string): string | undefined {
  const check = probes[command] ?? `command -v ${command}`;
  const found = spawnSync('sh', ['-c', check], { encoding: 'utf8' });
  return found.status === 0 ? undefined : `'${command}' is not installed (apt-get install ${packageOf[command] ?? command})`;
}

/** Debian's maven package's maven-artifact jar, which holds org.apache.maven.artifact.versioning.ComparableVersion. */
const mavenArtifactJar = '/usr/share/maven/lib/maven-artifact-3.x.jar';

const packageOf: Readonly<Record<string, string>> = { dpkg: 'dpkg', rpm: 'rpm', vercmp: 'makepkg', ruby: 'ruby', 'python3-packaging': 'python3-packaging', maven: 'maven' };
// Debian's python3, not whichever python3 comes first on PATH: the `packaging` module is Debian's package.
const probes: Readonly<Record<string, string>> = {
  'python3-packaging': '/usr/bin/python3 -c "import packaging.version"',
  // Maven's own ComparableVersion, from Debian's maven package (which brings a Java runtime).
  maven: `command -v java && test -f ${mavenArtifactJar}`,
};

/** Runs a shell script over a file of `A B` lines and returns its stdout lines. */
function runScript(script: string, file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, 'oracle', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`oracle exited ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`));
      else resolve(Buffer.concat(out).toString('utf8').split('\n').filter((l) => l !== ''));
    });
  });
}

/** Writes the pairs into `chunks` files and runs `script` on each at once (the machine has two cores). */
async function inChunks(pairs: ReadonlyArray<readonly [string, string]>, script: string, chunks: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pinwatch-oracle-'));
  try {
    const size = Math.ceil(pairs.length / chunks);
    const runs = [];
    for (let i = 0; i < chunks; i++) {
      const file = join(dir, `pairs-${i}.txt`);
      writeFileSync(file, pairs.slice(i * size, (i + 1) * size).map(([a, b]) => `${a} ${b}\n`).join(''));
      runs.push(runScript(script, file));
    }
    const lines = (await Promise.all(runs)).flat();
    if (lines.length !== pairs.length) throw new Error(`oracle answered ${lines.length} of ${pairs.length} pairs`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fromSign = (line: string): Answer => {
  const n = Number(line);
  if (!Number.isFinite(n)) throw new Error(`oracle printed '${line}'`);
  return n < 0 ? '<' : n > 0 ? '>' : '=';
};

/** `dpkg --compare-versions`, one shell loop per chunk: `lt`, then `eq` when needed; exit status 2 means rejected. */
export async function dpkgAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  const script = `export LC_ALL=C; while read -r a b; do
    dpkg --compare-versions "$a" lt "$b" 2>/dev/null; r=$?
    if [ $r = 0 ]; then echo '<'
    elif [ $r = 1 ]; then if dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo '='; else echo '>'; fi
    else echo '!'; fi
  done < "$1"`;
  return (await inChunks(pairs, script, 4)) as Answer[];
}

/** rpm's `rpm.vercmp`, one rpm process running a Lua loop over the pairs. */
export async function rpmAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  // The pairs file's path comes in as $1; the Lua pattern avoids `$`, which the shell's double quotes would see.
  const script = `rpm --eval "%{lua: for line in io.lines('$1') do local a, b = line:match('(%S+) (%S+)'); io.write(rpm.vercmp(a, b), string.char(10)) end}"`;
  return (await inChunks(pairs, script, 1)).map(fromSign);
}

/** pacman's `vercmp`, one shell loop per chunk. */
export async function vercmpAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  return (await inChunks(pairs, 'while read -r a b; do vercmp "$a" "$b"; done < "$1"', 4)).map(fromSign);
}

/** RubyGems' Gem::Version#<=>, one ruby process; `!` when Gem::Version.new rejects a version. */
export async function gemAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  const ruby = 'File.foreach(ARGV[0]) { |l| a, b = l.split(" "); begin; puts(Gem::Version.new(a) <=> Gem::Version.new(b)); rescue ArgumentError; puts("!"); end }';
  const lines = await inChunks(pairs, `ruby -e '${ruby}' "$1"`, 1);
  return lines.map((l) => (l === '!' ? '!' : fromSign(l)));
}

/** The `packaging` library's Version ordering (what pip uses), one Debian python3 process; `!` for InvalidVersion. */
export async function packagingAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  const python = [
    'import sys',
    'from packaging.version import Version, InvalidVersion',
    'for line in open(sys.argv[1]):',
    '    a, b = line.split()',
    '    try:',
    '        x, y = Version(a), Version(b)',
    '        print((x > y) - (x < y))',
    '    except InvalidVersion:',
    '        print("!")',
  ].join('\n');
  const lines = await inChunks(pairs, `/usr/bin/python3 -c '${python}' "$1"`, 1);
  return lines.map((l) => (l === '!' ? '!' : fromSign(l)));
}

/**
 * Maven's ComparableVersion#compareTo through the class's own main, which prints `A op B` for each two successive
 * arguments: the pairs go in as arguments `a1 b1 a2 b2 …`, a thousand pairs a process (two at once), and every
 * other line is kept. ComparableVersion rejects nothing, so the answer is never `!`.
 */
export async function mavenAnswers(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  const size = 1000;
  const chunks: Array<ReadonlyArray<readonly [string, string]>> = [];
  for (let i = 0; i < pairs.length; i += size) chunks.push(pairs.slice(i, i + size));
  const answers: Answer[][] = new Array(chunks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const at = next++;
      answers[at] = await mavenChunk(chunks[at]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return answers.flat();
}

function mavenChunk(pairs: ReadonlyArray<readonly [string, string]>): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const args = ['-cp', mavenArtifactJar, 'org.apache.maven.artifact.versioning.ComparableVersion', ...pairs.flat()];
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ComparableVersion exited ${code}`));
      // Lines are `N. A -> canonical; tokens: …` and, between two arguments, `   A op B`.
      const ops = Buffer.concat(out).toString('utf8').split('\n').filter((l) => l.startsWith('   ')).map((l) => l.trim().split(' ')[1]);
      const kept = ops.filter((_, i) => i % 2 === 0).map((op): Answer => (op === '<' ? '<' : op === '>' ? '>' : op === '==' ? '=' : '!'));
      if (kept.length !== pairs.length || kept.includes('!')) reject(new Error(`ComparableVersion answered ${kept.length} of ${pairs.length} pairs`));
      else resolve(kept);
    });
  });
}
