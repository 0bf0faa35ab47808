/**
 * The engine's cheap test before parsing: a file that spells none of the names the advisory index knows (package
 * names, the names in artifact file names, URLs and git repositories, hosts, digests, and image repositories
 * with a date) cannot produce a finding, so its parse is skipped. Most files of a big tree (a recipe of some other package, a
 * Dockerfile that installs nothing known) are passed over in one scan of their text.
 *
 *     if (!mayMatch(format.id, text, index)) return { findings: [], problems: [] };
 *
 * What it rests on, and why it never changes a result:
 * - It applies only where extraction can report no read problem: the Dockerfile, recipes, requirements, whose
 *   output for a file with no findings is empty, and a package.json or package-lock.json that `JSON.parse` accepts
 *   (a lockfile up to 64 KB) and that holds no backslash (an escape could spell a name); one that is not valid JSON
 *   is always parsed, to be reported. Other lockfiles are never skipped.
 * - Every needle is a name, never a version, because versions are often spelled through variables
 *   (`xz-${XZ_VERSION}.tar.gz`) while names are written out: a finding needs its package, file, repository, host
 *   or image to be spelled whole somewhere in the file (in the token or in the value of a variable it uses).
 *   Names are compared as the index compares them: case-insensitively, with runs of `-`, `_` and `.` as one (as
 *   PyPI normalises; for other names this only lets more files through), and a line continuation inside a word
 *   (`liblz\` + newline + `ma5`) is joined. Digests are compared in either case.
 * - A needle matches only as a whole word (no letter or digit either side), so that `rc` is not found in `src`;
 *   every token a format reads is delimited that way (`xz=5.6.1-r1`, `@nx/devkit@21.5.0`, `xz-libs-5.6.1`). And a
 *   name never starts right after a dot, so the `xz` of a `.tar.xz` file name does not count (the `xz` of
 *   `xz.tukaani.org`, `/xz-5.6.1.tar.gz` or `pkgname=xz` does).
 * - What it cannot see: a name assembled from pieces (`${A}${B}` with A=x, B=z), or written with shell quotes
 *   inside it (`x"z"`). The differential test (test/unit/engine/prefilter.test.ts) runs the engine with and
 *   without it over every fixture, every example and a generated corpus and asserts identical output.
 */
import type { AdvisoryIndex } from './advisories/index';
import type { ArtifactEntry } from './advisories/records';
import { isJson } from './formats/json/tolerant';

/**
 * The prefiltered formats whose extraction can report a read problem for a file that names nothing known (see
 * `prefilteredFormats`): for these the prefilter trades that report for the parse. A problem says what could not be
 * read may hold a finding; in a file that spells no name the index knows, nothing can, as for a name assembled from
 * pieces (below). A file over the size cap or with binary content is reported before the prefilter, always.
 */
export const problemsUnreportedWhenNothingNamed: readonly string[] = ['rpm/spec', 'gentoo/ebuild', 'homebrew/formula'];

/**
 * The formats whose files the prefilter may leave unparsed: their extraction reports no read problem for a file that
 * names nothing known (a package.json only when it is valid JSON).
 */
export const prefilteredFormats: ReadonlySet<string> = new Set(['docker/Dockerfile', 'alpine/APKBUILD', 'arch/PKGBUILD', 'pypi/requirements.txt', 'npm/package.json', 'npm/package-lock.json',
  // Shell scripts report no read problem; a Makefile only its make-variable expansion bound, as a recipe does.
  'shell/script', 'make/Makefile',
  // Package specs whose digests, when they have any, are hex (an SRI or Nix base32 digest would not spell a needle).
  // Their read problems (a macro or expansion bound, a stray NUL, an unterminated string) are not reported for a
  // file that names nothing known: such a problem says a finding may be missing, and none can be (see below).
  ...problemsUnreportedWhenNothingNamed]);

const prefiltered = prefilteredFormats;

/**
 * The prefiltered formats whose readers take nothing from a file's path (or only its name, for a message), so that
 * no name can come from it. Any other format's path is looked at too. Exported for the test that holds them to it.
 */
export const readsNoPath: ReadonlySet<string> = new Set(['docker/Dockerfile', 'alpine/APKBUILD', 'pypi/requirements.txt', 'npm/package.json', 'npm/package-lock.json', 'shell/script', 'make/Makefile']);

/** The needles of an index, ready to look for, or undefined when some entry has no name-only needle, so nothing may be skipped. */
const needlesByIndex = new WeakMap<AdvisoryIndex, Needles | undefined>();

/**
 * Needles as one pass over a text looks for them: names and image repositories by their first word (the first run
 * of letters and digits), digests (needles of 32 or more hex digits) whole.
 */
interface Needles {
  names: ReadonlyMap<string, readonly string[]>;
  images: ReadonlyMap<string, readonly string[]>;
  digests: ReadonlySet<string>;
  /**
   * Where a name may start (at the start of the text or after anything but a letter, digit or dot), a whole word
   * that is the first word of a name or image (group 1), or a whole run of hex digits as long as a digest (group 2).
   * A digest is not an alternative of its own: a hundred long words tried at every word start cost more than the
   * rest of the pass.
   */
  pattern: RegExp;
}

/**
 * Whether a file of a format may produce findings under an index: false only when it is certain that analysing
 * it would give no findings and no problems (see the module comment).
 */
export function mayMatch(formatId: string, text: string, index: AdvisoryIndex, path?: string): boolean {
  if (!prefiltered.has(formatId)) return true;
  // npm's manifest and lockfile: their only read problem is invalid JSON, and a backslash may spell a name in
  // escapes (`"\\u0063halk"`). Whether the text is JSON is asked last: a lockfile that names something is then
  // parsed once, by its reader.
  const json = formatId === 'npm/package.json' || formatId === 'npm/package-lock.json';
  // A lockfile's pass costs about what its `JSON.parse` does (its text is dense with word starts), so it pays only
  // where the reader's own cost per file dominates: a small lockfile. A big one is read, as it almost always names
  // a package the index knows anyway.
  if (formatId === 'npm/package-lock.json' && text.length > maxPrefilteredLock) return true;
  if (json && text.includes('\\')) return true;
  if (index !== lastIndex) {
    if (!needlesByIndex.has(index)) needlesByIndex.set(index, compiled(needlesOf(index)));
    lastNeedles = needlesByIndex.get(index);
    lastIndex = index;
  }
  const needles = lastNeedles;
  if (needles === undefined) return true;
  if (names(formatId, text, needles, path)) return true;
  return json && !isJson(text);
}

// A scan asks of one index file after file.
let lastIndex: AdvisoryIndex | undefined;
let lastNeedles: Needles | undefined;

/** The longest npm lockfile the prefilter looks at (see `mayMatch`). */
const maxPrefilteredLock = 64 * 1024;

/** Whether a text (or its path) spells a needle. */
function names(formatId: string, text: string, needles: Needles, path: string | undefined): boolean {
  // Some formats take names from the path (an ebuild's `app-arch/xz-utils/xz-utils-5.6.1.ebuild`, a formula's
  // `Formula/x/xz.rb`): its last three segments are read as if they began the text. The formats whose readers do
  // not read the path (most of the files of a big tree) are spared the look.
  if (path !== undefined && !readsNoPath.has(formatId) && spells(lastSegments(path, 3).toLowerCase(), needles)) return true;
  const lower = formatId === 'rpm/spec' ? withoutMacroNames(text.toLowerCase()) : text.toLowerCase();
  if (spells(lower, needles)) return true;
  // A line continuation inside a word joins it; the split word is looked for again, joined.
  return continuedWord.test(lower) && spells(lower.replace(new RegExp(continuedWord.source, 'g'), '$1$2'), needles);
}

/**
 * A spec's lowercase text without the names of its macros (`%global debug_package %{nil}`, `%{?with_debug}`,
 * `%debug_package`): a macro's name is never part of what it expands to (an undefined one stays `%{name}`), so it
 * spells no package. Common names (`debug_package` in most Fedora specs) would otherwise pass every spec.
 */
function withoutMacroNames(lower: string): string {
  return lower.replace(/^([ \t]*%(?:global|define)[ \t]+)[a-z_][a-z0-9_]*/gm, '$1').replace(/%\{?[?!]*[a-z_][a-z0-9_]*/g, '%');
}

/** The last `count` segments of a path (`/` or `\\` separated), with the separators between them. */
function lastSegments(path: string, count: number): string {
  let start = path.length;
  for (let i = 0; i < count && start > 0; i++) start = Math.max(path.lastIndexOf('/', start - 1), path.lastIndexOf('\\', start - 1));
  return path.slice(start + 1);
}

const continuedWord = /([a-z0-9])(?:\\|`)\r?\n([a-z0-9])/;

/**
 * Whether lowercase text spells a needle as a whole word, or an image repository and a date: an image is matched
 * by the date in its tag (`sid-20240311`), eight digits written out in the tag or in the value of the variable it
 * uses. A needle's first word is then a whole word of the text, so only the needles whose first word the text has
 * are looked for, and a needle of one word is found by that. A word right after a dot is not a name's first word
 * (`tar.xz`, `x86_64.rpm` are extensions; a name starts a token, or follows `/`, `=`, `:`, `-`, a quote or a
 * space), so the words of `foo-1.0.tar.xz` do not include `xz`.
 */
function spells(lower: string, needles: Needles): boolean {
  // A needle of more than one word is looked for in the whole text, so once: a text may hold its first word
  // thousands of times (`node` in a lockfile's `node_modules/`), and looking again each time would be quadratic.
  // (Both sets are made when first needed: most texts of a big tree spell no first word at all.)
  let absent: Set<string> | undefined;
  const has = (needle: string, word: string): boolean => {
    if (needle === word) return true;
    if (absent?.has(needle)) return false;
    if (spelledAnywhere(lower, needle)) return true;
    (absent ??= new Set()).add(needle);
    return false;
  };
  let image = false;
  // The words whose needles have all been looked for: another occurrence of one adds nothing.
  let done: Set<string> | undefined;
  const { names, images, digests, pattern } = needles;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(lower); m !== null; m = pattern.exec(lower)) {
    const word = m[1];
    if (word === undefined) {
      if (digests.has(m[2]!)) return true;
      continue;
    }
    if (done?.has(word)) continue;
    const named = names.get(word);
    if (named !== undefined) for (const needle of named) if (has(needle, word)) return true;
    const imaged = image ? undefined : images.get(word);
    if (imaged !== undefined) for (const needle of imaged) if (has(needle, word)) image = true;
    (done ??= new Set()).add(word);
  }
  return image && /\d{8}/.test(lower);
}

/** Needles made ready to look for; undefined when there are none to compile (nothing may be skipped). */
function compiled(found: { names: string[]; images: string[] } | undefined): Needles | undefined {
  if (found === undefined) return undefined;
  const isDigest = (needle: string): boolean => needle.length >= 32 && /^[0-9a-f]+$/.test(needle);
  const digests = new Set(found.names.filter(isDigest));
  const names = byFirstWord(found.names.filter((needle) => !isDigest(needle)));
  const images = byFirstWord(found.images);
  if (names === undefined || images === undefined) return undefined;
  const words = [...new Set([...names.keys(), ...images.keys()])].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const shortest = Math.min(...[...digests].map((d) => d.length));
  const hex = digests.size > 0 ? `|([0-9a-f]{${shortest},})` : '';
  const pattern = new RegExp(`(?:^|[^a-z0-9.])(?:(${words.length > 0 ? words.join('|') : '(?!)'})${hex})(?![a-z0-9])`, 'g');
  return { names, images, digests, pattern };
}

/** Needles by their first word (the first run of letters and digits); undefined when one has none. */
function byFirstWord(needles: readonly string[]): Map<string, string[]> | undefined {
  const byWord = new Map<string, string[]>();
  for (const needle of needles) {
    const first = /[a-z0-9]+/.exec(needle)?.[0];
    if (first === undefined) return undefined;
    byWord.set(first, [...(byWord.get(first) ?? []), needle]);
  }
  return byWord;
}

/**
 * The needles of an index, canonical (see `canonicalText`): names, and image repositories (which match only with
 * a date); undefined when an entry has none that omits its version, or the index has imported entries. Exported
 * for tests.
 */
export function needlesOf(index: AdvisoryIndex): { names: string[]; images: string[] } | undefined {
  // Imported advisories are looked up by name (`extra`), and their names are not listed: nothing may be skipped.
  if (index.extra !== undefined) return undefined;
  const needles = new Set<string>();
  const images = new Set<string>();
  for (const names of index.names.values()) for (const name of names) needles.add(name);
  for (const record of index.records) {
    for (const affected of record.affected ?? []) {
      for (const name of [affected.package.name, ...(affected.ecosystem_specific?.binaries ?? [])]) needles.add(name);
    }
    for (const entry of record.database_specific?.artifacts ?? []) {
      const found = artifactNeedles(entry);
      if (found === undefined) return undefined;
      for (const needle of found) needles.add(needle);
    }
    for (const window of record.database_specific?.images ?? []) {
      for (const repository of window.repositories) images.add(repository.slice(repository.lastIndexOf('/') + 1));
    }
  }
  const names = pruned(needles);
  const imageNames = pruned(images);
  return names && imageNames ? { names, images: imageNames } : undefined;
}

/** Needles, canonical, without those that hold another; undefined when one is empty. */
function pruned(needles: ReadonlySet<string>): string[] | undefined {
  const canonical = [...new Set([...needles].map(canonicalText))];
  if (canonical.some((n) => n === '' || n === '-')) return undefined;
  // A needle that holds another as a whole word (`xz-libs` holds `xz`) is found whenever it is: it is left out.
  // (Only a shorter needle can be held: the length is compared first, since this runs at every start.)
  return canonical.filter((needle) => !canonical.some((other) => other.length < needle.length && containsWord(needle, other)));
}

/**
 * What a reference that an artifact entry matches must spell: its file name without the version (`xz` for
 * `xz-5.6.1.tar.gz`), a GitHub archive's repository name, a host, a digest; undefined when there is none.
 */
function artifactNeedles(entry: ArtifactEntry): string[] | undefined {
  switch (entry.kind) {
    case 'sha256':
    case 'sha512':
      return [entry.value];
    case 'host':
      return [entry.host];
    case 'git-tag': {
      const repo = entry.repo.replace(/\.git$/i, '').replace(/\/+$/, '');
      return [repo.slice(repo.lastIndexOf('/') + 1)];
    }
    case 'file': {
      const name = withoutVersion(entry.name, entry.version);
      const digests = [entry.sha256, entry.sha512].filter((d): d is string => d !== undefined);
      return name === undefined ? undefined : [name, ...digests];
    }
    case 'url': {
      const needles: string[] = entry.sha256 ? [entry.sha256] : [];
      for (const url of entry.urls) {
        const needle = urlNeedle(url, entry.version);
        if (needle === undefined) return undefined;
        needles.push(needle);
      }
      return needles;
    }
    default:
      return undefined;
  }
}

/**
 * What a URL that matches `url` must spell: for a GitHub archive (matched by repository and revision), the
 * repository name; for another URL (matched by host and path), the last segment without its version, else the host.
 */
function urlNeedle(url: string, version: string | undefined): string | undefined {
  const m = /^(?:git\+)?[a-z][a-z0-9+.-]*:\/\/([^/?#]+)([^?#]*)/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[1]!.toLowerCase().replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  const segments = m[2]!.split('/').filter((s) => s !== '');
  if (host === 'github.com' || host === 'www.github.com' || host === 'codeload.github.com') return segments[1];
  return withoutVersion(segments[segments.length - 1] ?? '', version) ?? host;
}

/** A file name's part before its version (`xz` of `xz-5.6.1.tar.gz`); undefined when nothing precedes it. */
function withoutVersion(name: string, version: string | undefined): string | undefined {
  if (version === undefined || version === '') return /\d/.test(name) ? undefined : name;
  const at = name.indexOf(version);
  if (at < 0) return /\d/.test(name) ? undefined : name;
  // The part before the version must end at a separator (`xz-5.6.1`, `tool-v2.0`), so that it is a whole word.
  const m = /^(.*?[a-z0-9])[-_.]+v?$/i.exec(name.slice(0, at));
  return m?.[1];
}

/** Text as needles are compared with it: lowercase, each run of `-`, `_` and `.` as one `-`. */
export function canonicalText(text: string): string {
  return text.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Whether lowercase text spells a canonical needle as a whole word, as `containsWord` would find it in the text's
 * canonical form: each `-` of the needle stands for a run of `-`, `_` and `.`. One search, with no canonical copy
 * of the text (which for a text of megabytes cost more than the rest of the pass).
 */
function spelledAnywhere(lower: string, needle: string): boolean {
  let pattern = needlePatterns.get(needle);
  if (pattern === undefined) {
    const body = needle.split('-').map((part) => part.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('[-_.]+');
    const before = isWordChar(needle.charCodeAt(0)) ? '(?<![a-z0-9])' : '';
    const after = isWordChar(needle.charCodeAt(needle.length - 1)) ? '(?![a-z0-9])' : '';
    pattern = new RegExp(before + body + after);
    needlePatterns.set(needle, pattern);
  }
  return pattern.test(lower);
}

/** The search of each needle `spelledAnywhere` has been asked for (needles are few, and the same in every call). */
const needlePatterns = new Map<string, RegExp>();

/** Whether `needle` occurs in `text` as a whole word: no ASCII letter or digit right before or after it. */
function containsWord(text: string, needle: string): boolean {
  const first = needle.charCodeAt(0);
  const last = needle.charCodeAt(needle.length - 1);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (isWordChar(first) && isWordChar(text.charCodeAt(at - 1))) continue;
    if (isWordChar(last) && isWordChar(text.charCodeAt(at + needle.length))) continue;
    return true;
  }
  return false;
}

function isWordChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
}
