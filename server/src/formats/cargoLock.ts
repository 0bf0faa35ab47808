/**
 * Cargo's lockfile, Cargo.lock (lockfile versions 1 to 4): every `[[package]]` table whose source is crates.io is a
 * reference to that crate's exact version, at the characters inside the version's quotes. Path packages (no
 * source), git packages (`git+` sources) and other registries are not crates.io releases and give nothing.
 */
import type { Extracted, Format, PackageReference, ReadProblem } from '../model';
import { positionsAt } from './textPositions';
import { nextLine, parseKey, parseValue, readHeader, skipBlank, skipSpace, type TomlString } from './cargo/tomlScanner';
import { formatPatterns } from './patterns';

/**
 * How a lockfile names crates.io. Cargo writes the git index URL even when it fetches over the sparse protocol; the
 * sparse URL is accepted too. Another registry (`registry+https://my.corp/index`) may publish its own crate of the
 * same name, so it is not taken for crates.io: a finding must be certain.
 */
const cratesIoSources: ReadonlySet<string> = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);

/** The keys of a `[[package]]` table that a reference needs. */
type PackageKeys = Partial<Record<'name' | 'version' | 'source', TomlString>>;

/** The Cargo.lock format: the crates.io packages of a Rust lockfile, each at its version's exact range. */
export const cargoLock: Format = {
  id: 'cargo/Cargo.lock',
  patterns: [...formatPatterns['cargo/Cargo.lock']],
  commentPrefix: '#',
  // The lockfiles of the largest workspaces (rustc's own) are well under 1 MB; far past that it is not a lockfile
  // anyone maintains, and reading it as the user types would cost more than it tells.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const progress: Progress = { found: [], at: 0 };
    try {
      scanCargoLock(text, progress);
      return references(text, progress.found);
    } catch (error) {
      // The scanner is total by construction; should it fail all the same, what it read before stays reported, and
      // the rest is reported as not read rather than passed as clean.
      return [...references(text, progress.found), stoppedAt(text, progress.at, error)];
    }
  },
};

/** A package read so far: its name and its version string. */
interface Found {
  name: string;
  version: TomlString;
}

/** What a scan has read so far, and the offset of the statement it is reading. */
interface Progress {
  found: Found[];
  at: number;
}

/** Scans a lockfile's `[[package]]` tables into `progress`; malformed statements are passed over line by line. */
function scanCargoLock(text: string, progress: Progress): void {
  const { found } = progress;
  const finish = (keys: PackageKeys | undefined): void => {
    const { name, version, source } = keys ?? {};
    if (!name || !version || !source || !cratesIoSources.has(source.value)) return;
    // A version written with escapes has no range that is exactly its text, and cargo never writes one: skip it.
    if (!version.exact || version.value === '' || name.value === '') return;
    found.push({ name: name.value, version });
  };
  // The keys of the `[[package]]` table being read; undefined inside any other table.
  let current: PackageKeys | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    progress.at = i;
    i = skipBlank(text, i);
    if (i >= text.length) break;
    const statement = i;
    progress.at = i;
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */) {
      finish(current);
      const header = readHeader(text, i);
      // A header that cannot be read leaves the table unknown, so no key below it is attributed to a package.
      current = header && header.array && header.path.length === 1 && header.path[0] === 'package' ? {} : undefined;
      i = header ? header.end : nextLine(text, i);
      continue;
    }
    const key = parseKey(text, i);
    let failedAt = key ? -1 : i;
    if (key) {
      const equals = skipSpace(text, key.end);
      if (text.charCodeAt(equals) !== 0x3d /* = */) failedAt = equals;
      else {
        const value = parseValue(text, skipSpace(text, equals + 1));
        if ('error' in value) failedAt = value.error;
        else {
          const name = key.path.length === 1 ? key.path[0] : undefined;
          // TOML forbids repeated keys and cargo rejects such a file; the first one is kept.
          if (current && value.string && (name === 'name' || name === 'version' || name === 'source') && !current[name]) current[name] = value.string;
          i = value.end;
        }
      }
    }
    if (failedAt >= 0) {
      // Resume at the line the error is on when it is past the statement's own line (an unclosed array runs into the
      // next `[[package]]` header), else at the next line.
      const errorLine = lineStart(text, failedAt, statement);
      i = errorLine > statement ? errorLine : nextLine(text, failedAt);
      continue;
    }
    // Anything after a value on its line other than a comment is malformed; the value already read is kept.
    i = nextLine(text, i);
  }
  finish(current);
}

/** The packages found, in document order, as references at their versions' exact ranges. */
function references(text: string, found: readonly Found[]): PackageReference[] {
  const positions = positionsAt(text, found.flatMap((f) => [f.version.start, f.version.end]));
  return found.map((f, index): PackageReference => ({
    kind: 'package',
    ecosystem: 'crates.io',
    name: f.name,
    version: f.version.value,
    range: { start: positions[2 * index]!, end: positions[2 * index + 1]! },
    context: 'Cargo.lock',
    fix: {
      kind: 'none',
      reason: `Cargo.lock is written by cargo: run cargo update -p ${f.name}@${f.version.value} --precise with a safe release, or raise the requirement in Cargo.toml.`,
    },
  }));
}


/** Where reading stopped after an internal failure, as a problem at the statement being read. */
function stoppedAt(text: string, at: number, error: unknown): ReadProblem {
  const [position] = positionsAt(text, [at]);
  const reason = error instanceof Error ? error.message : String(error);
  return {
    kind: 'problem',
    reason: 'syntax',
    message: `Pinwatch could not read this Cargo.lock from here (internal error: ${reason}), so the packages after this point were not checked.`,
    range: { start: position!, end: position! },
  };
}

/**
 * The offset of the start of the line `i` is on, looking back no further than `floor` (returned when no line break
 * lies between them). Bounding the look-back keeps each malformed line's cost to its own text: searching back to
 * the start of the file, once per malformed line, made a long run of them quadratic.
 */
function lineStart(text: string, i: number, floor: number): number {
  for (let j = i - 1; j >= floor; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x0a || c === 0x0d) return j + 1;
  }
  return floor;
}

