/**
 * Bun's text lockfile, bun.lock: JSON with trailing commas, whose `packages` map each install path to an array
 * that starts with the package's `name@version` (`"chalk": ["chalk@5.6.1", "", {…}, "sha512-…"]`); `workspaces`
 * holds the manifests' ranges, which are not installs. One scan over the characters, with no tree built: the
 * reference is at the version inside that first string. Workspace, git, `file:`, `link:` and tarball packages are
 * not registry releases and are left out. The binary bun.lockb cannot be read: it gets one read problem that says so.
 */
import type { Extracted, Format } from '../model';
import { basename, everything, isPackageName, isReleaseVersion, lockExtract, type Installed, type LockRead, type OffsetProblem } from './js/installed';
import { formatPatterns } from './patterns';

const FILE = 'bun.lock';

/** How deep values may nest: bun writes four levels; the cap keeps a crafted file from exhausting the stack. */
const MAX_DEPTH = 500;

/** The package name an install path ends with (`wrap-ansi/string-width` → `string-width`, `a/@s/b` → `@s/b`). */
function lastName(path: string): string {
  const parts = path.split('/');
  const last = parts.pop() ?? '';
  const scope = parts[parts.length - 1];
  return scope !== undefined && scope.startsWith('@') ? `${scope}/${last}` : last;
}

/** Thrown inside the scan to stop at the first character that is not the JSON bun writes. */
class Stop {
  constructor(readonly at: number, readonly what: string) {}
}

/** One pass over a bun.lock's text: every installed registry package `wanted` accepts, and where reading stopped. */
export function readBunLock(text: string, wanted: (name: string, version: string) => boolean): LockRead {
  const installed: Installed[] = [];
  const problems: OffsetProblem[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const blank = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
        while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      } else return;
    }
  };
  const expect = (code: number, what: string): void => {
    blank();
    if (text.charCodeAt(i) !== code) throw new Stop(i, i >= n ? 'the file ends here' : `${what} was expected here`);
    i++;
  };
  let lf = text.indexOf('\n');
  /** Skips a string starting at its quote; returns the offsets inside the quotes. */
  const string = (): { start: number; end: number } => {
    if (text.charCodeAt(i) !== 0x22) throw new Stop(i, i >= n ? 'the file ends here' : 'a string was expected here');
    const start = i + 1;
    let j = start;
    for (;;) {
      const quote = text.indexOf('"', j);
      // The next line break, kept across strings: bun writes a package's whole entry on one line.
      if (lf !== -1 && lf < j) lf = text.indexOf('\n', j);
      const line = lf;
      if (quote < 0 || (line >= 0 && line < quote)) throw new Stop(start - 1, 'a string is not closed on its line');
      let slashes = 0;
      while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes++;
      if (slashes % 2 === 0) {
        i = quote + 1;
        return { start, end: quote };
      }
      j = quote + 1;
    }
  };
  let depth = 0;
  /** Skips any value. */
  const value = (): void => {
    blank();
    const c = text.charCodeAt(i);
    if (depth > MAX_DEPTH) throw new Stop(i, `nesting deeper than ${MAX_DEPTH} levels, which Pinwatch does not read`);
    if (c === 0x22) {
      string();
    } else if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      i++;
      depth++;
      items(close, c === 0x7b);
      depth--;
    } else {
      const start = i;
      while (i < n && /[-+.\w]/.test(text[i]!)) i++;
      if (i === start) throw new Stop(i, i >= n ? 'the file ends here' : 'a value was expected here');
    }
  };
  /** The members or elements up to `close` (the opening bracket already read), trailing commas allowed. */
  const items = (close: number, keyed: boolean, member?: (key: { start: number; end: number }) => void): void => {
    for (;;) {
      blank();
      if (text.charCodeAt(i) === close) {
        i++;
        return;
      }
      if (keyed) {
        const key = string();
        expect(0x3a, 'a colon');
        blank();
        if (member) member(key);
        else value();
      } else value();
      blank();
      const c = text.charCodeAt(i);
      if (c === 0x2c) i++;
      else if (c !== close) throw new Stop(i, i >= n ? 'the file ends here' : 'a comma was expected here');
    }
  };
  let lockfileVersion: { start: number; end: number } | undefined;
  try {
    expect(0x7b, 'an object');
    items(0x7d, true, (key) => {
      const name = text.slice(key.start, key.end);
      if (name === 'lockfileVersion') {
        const start = i;
        value();
        lockfileVersion = { start, end: i };
      } else if (name === 'packages' && text.charCodeAt(i) === 0x7b) {
        i++;
        items(0x7d, true, (path) => packageEntry(path));
      } else value();
    });
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    problems.push({ reason: 'syntax', message: `${FILE} is not valid here (${error.what}). Pinwatch checked the entries before this point; entries after it may be missing.`, start: error.at, end: Math.min(error.at + 1, n) });
  }
  if (lockfileVersion && !/^[01]$/.test(text.slice(lockfileVersion.start, lockfileVersion.end))) {
    problems.push({
      reason: 'syntax',
      message: `lockfileVersion ${text.slice(lockfileVersion.start, lockfileVersion.end)} is not one Pinwatch knows (0 and 1): it read the entries whose form it recognises, and others may be missing.`,
      ...lockfileVersion,
    });
  }
  return { installed, problems };

  /** One member of `packages`: its array's first string names the package and version. */
  function packageEntry(path: { start: number; end: number }): void {
    if (text.charCodeAt(i) !== 0x5b) return value();
    i++;
    blank();
    if (text.charCodeAt(i) === 0x22) {
      const id = string();
      const raw = text.slice(id.start, id.end);
      let inside = raw;
      let start = id.start;
      let whole = false;
      if (inside.includes('\\')) {
        try {
          inside = JSON.parse(`"${inside}"`) as string;
        } catch {
          throw new Stop(id.start, 'a string with an escape JSON does not allow');
        }
        whole = true;
      }
      const at = inside.indexOf('@', inside.startsWith('@') ? 1 : 0);
      const name = inside.slice(0, at);
      const version = inside.slice(at + 1);
      if (at > 0 && isPackageName(name) && isReleaseVersion(version) && wanted(name, version)) {
        const key = text.slice(path.start, path.end);
        const direct = key === name || key.endsWith(`/${name}`);
        // An escape in the name leaves the version where it is written when the text after the last `@` spells it.
        const rawAt = raw.lastIndexOf('@');
        start = !whole ? id.start + at + 1 : rawAt > 0 && raw.slice(rawAt + 1) === version ? id.start + rawAt + 1 : id.start;
        installed.push({ name, version, start, end: id.end, rank: direct ? 0 : 1, ...(direct ? {} : { alias: lastName(key) }) });
      }
      blank();
      const c = text.charCodeAt(i);
      if (c === 0x2c) i++;
      else if (c !== 0x5d) throw new Stop(i, i >= n ? 'the file ends here' : 'a comma was expected here');
    }
    items(0x5d, false);
  }
}

/** The bun lockfile format: every installed registry package of bun.lock, and a read problem for the binary bun.lockb. */
export const bunLock: Format = {
  id: 'bun/bun.lock',
  patterns: [...formatPatterns['bun/bun.lock']],
  extract(text: string, path: string): Extracted[] {
    return bunExtract(text, path, everything);
  },
  extractWanted(text: string, path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
    return bunExtract(text, path, wanted);
  },
};

function bunExtract(text: string, path: string, wanted: (name: string, version: string) => boolean): Extracted[] {
  if (basename(path) === 'bun.lockb') {
    const start = { line: 0, character: 0 };
    return [{
      kind: 'problem',
      reason: 'limit',
      message: 'bun.lockb is Bun\'s binary lockfile, which Pinwatch cannot read, so it was not checked. Run `bun install --save-text-lockfile` to write the text bun.lock, which Pinwatch checks.',
      range: { start, end: start },
    }];
  }
  if (text.trim() === '') return [];
  return lockExtract(text, path, { manager: 'bun', context: FILE }, wanted, readBunLock);
}
