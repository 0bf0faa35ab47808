/**
 * The data model shared by every layer: what a format extracts, what the engine concludes, and how a fix edits text.
 * Only LSP *types* are used here, so formats, the engine and the CLI stay free of the connection package.
 */
import type { Range } from 'vscode-languageserver-types';

export type { Range };

/** A package named in a file, with the version or constraint it pins, and exactly where. */
export interface PackageReference {
  kind: 'package';
  /** OSV's ecosystem name where one exists ("Debian", "Alpine", "npm"), else the project's documented name ("Fedora", "Arch Linux"); see versions/index.ts. */
  ecosystem: string;
  /** The distribution suite or release when the file tells it ("sid", "fc40", "edge", "tumbleweed"); used to prefer a safe version of the same suite. */
  suite?: string;
  /** The package name as the ecosystem spells it (a binary package name is fine: advisories list binaries too). */
  name: string;
  /** The exact version, after variable substitution. */
  version?: string;
  /** A range as written ("^5.6.0", ">=5.6.0"), when the file gives a constraint rather than an exact pin. */
  constraint?: string;
  /** The version token in the file (the name, when unpinned). */
  range: Range;
  /** Where a new version must be written, when it is not `range` (an ARG default, a pkgver= line). */
  edit?: Range;
  /** How the value was resolved ("ARG XZ_VER, line 2"), shown in messages. */
  via?: string;
  /**
   * How a fix is written: replace the token (the default), force the version in the manifest beside a JavaScript
   * lockfile (npm's `overrides` unless `manager` names another package manager's field), or no edit (with the reason).
   * A `none` fix may name the command that upgrades the package where it is installed (`apt-get install
   * liblzma5={version}`): the message gives it with `{version}` replaced by the nearest safe release.
   */
  fix?: { kind: 'replace' } | { kind: 'npm-override'; packageJson: string; manager?: PackageManager } | { kind: 'none'; reason: string; upgrade?: string }
    // A Python lockfile's entry, forced in the manifest its tool reads: uv's `constraint-dependencies` and Poetry's
    // `[tool.poetry.dependencies]` in pyproject.toml, pipenv's `[packages]` in the Pipfile.
    | { kind: 'python-manifest'; manifest: string; tool: PythonLocker }
    // A Gemfile.lock spec: pin the safe version on the gem's line of the Gemfile the lockfile is written from.
    | { kind: 'gemfile-pin'; gemfile: string };
  /** What kind of place this is, for messages ("apt-get install", "depends", "package-lock.json"). */
  context?: string;
  /** Set on the package the file itself builds (a recipe's pkgname/pkgver/pkgrel), as opposed to one it uses. */
  builds?: true;
  /**
   * A GitHub Actions `uses:` ref's version comment (`v4.1.1` in `@<sha> # v4.1.1`), or an empty range at the end
   * of the token where one may be added: a fix keeps the comment naming the release it pins.
   */
  refComment?: Range;
}

/**
 * The JavaScript package manager whose lockfile an entry is from, which decides where an override is written: npm
 * and bun `overrides`, yarn `resolutions`, pnpm `pnpm.overrides` (or `overrides` in pnpm-workspace.yaml).
 */
export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun';

/** The Python tool whose manifest forces a locked version (see `PackageReference.fix`). */
export type PythonLocker = 'uv' | 'poetry' | 'pipenv';

/**
 * A downloaded artifact or a base image named in a file: a source tarball URL, a git tag, a checksum, an image; or,
 * in a binary file, the byte signature of compromised code found in it (`signature`, its value the bytes as hex).
 */
export interface ArtifactReference {
  kind: 'url' | 'git-tag' | 'sha256' | 'sha512' | 'sri' | 'image' | 'signature';
  /** The value after variable substitution: a URL, `repo@tag` for a git tag, a lowercase hex digest, `image:tag`. */
  value: string;
  range: Range;
  via?: string;
  /** Where the value could be changed (an ARG default), when it is not `range`. */
  edit?: Range;
  /**
   * Where the characters of `value` come from, as runs in order: written literally at an offset of this file (in
   * the token or in a variable's literal definition), or the value of a variable that cannot be edited here (a
   * recipe's own `pkgver`, a value from elsewhere; '' when it has no name). With it, a version fix rewrites every
   * place that spells the bad version inside the value, or offers no edit and says which variable is in the way.
   */
  origins?: Origin[];
  context?: string;
  /**
   * Set when the reference is a binary file's (a library's signature or digest): it has no text range, `range` is
   * the empty range at 0:0 and stands for the whole file, and reports name the file without a line or region.
   */
  binary?: true;
  /**
   * Sibling checksums that guard a URL (same stage or recipe): an edit to the URL without changing them would break
   * the build, so the engine offers no edit and says why.
   */
  guardedBy?: string[];
}

/**
 * A part of a file that a format could not read, or stopped reading: it is reported where it is (a diagnostic, a
 * line of the report), so a file that was not fully read never looks clean. Formats emit it beside what they could read.
 */
export interface ReadProblem {
  kind: 'problem';
  /**
   * 'syntax': the text does not parse from here (a truncated lockfile); 'limit': a size, depth or expansion limit was
   * reached; 'advisories': the file was read, but advisories it was to be judged by (its policy's) could not be.
   */
  reason: 'syntax' | 'limit' | 'advisories';
  /** One sentence: what could not be read and what that means ("not valid JSON from here: entries after it were not checked"). */
  message: string;
  /** Where reading stopped, or the part that was not read (an empty range is fine). */
  range: Range;
}

/** Something a file names that advisories can match. */
export type Reference = PackageReference | ArtifactReference;

/** What a format extracts: references, and the parts it could not read. */
export type Extracted = Reference | ReadProblem;

/** A run of a value's characters, `value.slice(from, to)`: written at offset `at` of the file, or from `variable`. */
export type Origin = { from: number; to: number; at: number } | { from: number; to: number; variable: string };


/** A text edit in one file. */
export interface FixEdit {
  uri: string;
  range: Range;
  newText: string;
  /** The text at `range` when the fix was computed: a client applies the edit only while it is still there. */
  expected: string;
}

/** One way to fix a finding: a title for the quick fix and the edits it makes. */
export interface Fix {
  title: string;
  edits: FixEdit[];
  /** Something to do after the edit that Pinwatch cannot do ("run npm install"). */
  followUp?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'compromised-version'
  | 'vulnerable-version'
  | 'compromised-artifact'
  | 'range-admits-compromised'
  | 'image-in-compromise-window'
  | 'suspicious-source';

/** The advisory a finding cites. */
export interface AdvisoryRef {
  id: string;
  aliases: string[];
  summary: string;
  url: string;
}

/** What the engine concludes about one reference. */
export interface Finding {
  reference: Reference;
  advisory: AdvisoryRef;
  severity: Severity;
  code: FindingCode;
  /** One or two sentences of fact: what, which advisory, what to use instead. */
  message: string;
  /** The versions the advisory lists as affected for this package (for hovers). */
  affected: string[];
  /** The safe versions the advisory offers, best first (for hovers). */
  safe: string[];
  /** More about this case from the advisory (why it is inert, what a distribution did), for hovers and reports. */
  note?: string;
  /** Ordered, the preferred one first; may be empty, and then the message says why. */
  fixes: Fix[];
  /** Set when a suppression with a reason covers this finding: it is reported as dismissed, and fails nothing. */
  suppression?: Suppression;
}

/** Why a finding is dismissed: an inline comment (`inSource`) or a policy file or baseline (`external`). */
export interface Suppression {
  kind: 'inSource' | 'external';
  /** The reason the suppression gives. */
  justification: string;
  /** The last day it applies (YYYY-MM-DD), when it has one. */
  until?: string;
  /** Where the suppression is written, when it is in the analysed file. */
  range?: Range;
}

/** Something to say about a file that is neither a finding nor a read problem: a suppression that does not apply. */
export interface Notice {
  code: 'suppression-invalid' | 'suppression-unused' | 'suppression-without-reason' | 'suppression-expired';
  severity: Severity;
  message: string;
  range: Range;
}

/** Settings that shape the analysis; passed in, never read from global state. */
export interface Settings {
  /** Advisory ids or aliases to ignore. */
  ignore: string[];
  /** Report base images dated into a compromise window (warnings). */
  imageWindows: boolean;
  /** Severity for what would otherwise be a warning (users may raise it to error or lower it to info). */
  warningSeverity: Severity;
  /** The day suppressions are judged by (YYYY-MM-DD); today when absent. */
  today?: string;
}

export const defaultSettings: Settings = { ignore: [], imageWindows: true, warningSeverity: 'warning' };

/**
 * The engine's filter for `Format.extractWanted`: whether a package (its name, its version or '' for any, and its
 * ecosystem) may have a finding. `names`, when there, gives every name it may accept in an ecosystem as the index
 * files them (lowercased; PyPI's normalised as pip does), or undefined when it cannot tell (a store may add any
 * name), so that a format may test a name before it makes a string of it.
 */
export interface WantedFilter {
  (name: string, version: string, ecosystem?: string): boolean;
  names?(ecosystem: string): ReadonlySet<string> | undefined;
}

/** A file format: which files it reads and how it extracts references from them. */
export interface Format {
  /** A stable id: 'docker/Dockerfile', 'npm/package-lock.json', 'alpine/APKBUILD'. */
  id: string;
  /** Basename globs: `*` matches any run of characters, nothing else is special. */
  patterns: string[];
  /** How the file's comments start, for inline suppressions (`# pinwatch-ignore …`); none for JSON. */
  commentPrefix?: '#' | '//';
  /** Whether quoted values span lines (a shell recipe's `depends="…"`), so a `#` inside one is not a comment. */
  multilineQuotes?: true;
  /** Texts longer than this (in UTF-16 units) are not read: the engine reports them as a read problem (see `engine.skipReason`). */
  maxLength?: number;
  /**
   * Pure and total: never throws, never hangs; malformed input gives what could be read. `readFile` reads a file
   * this one names (the Dockerfile a Compose service builds), when the caller can; undefined when unreadable.
   * `listFolder` lists the names in a folder beside it (a pacman database's package folders), when the caller can.
   */
  extract(text: string, path: string, readFile?: (path: string) => string | undefined, listFolder?: (path: string) => readonly string[] | undefined): Extracted[];
  /**
   * An optional fast path for large files: extract only the packages `wanted` accepts (by name and version), so
   * the format locates exact ranges for those alone. Artifacts are still all returned. `ecosystem` is npm when not
   * given; formats that list packages of many ecosystems (an SBOM) pass it.
   */
  extractWanted?(text: string, path: string, wanted: WantedFilter, readFile?: (path: string) => string | undefined): Extracted[];
  /** The ecosystem whose advisories `extractWanted`'s `wanted` asks about by default (npm when absent). */
  wantedEcosystem?: string;
  /**
   * For a binary file (rpm's rpmdb.sqlite): extract from its bytes. The walker and the CLI pass such a file's bytes
   * here instead of its text; `extract` then only says the file is binary.
   */
  extractBytes?(bytes: Uint8Array, path: string, readFile?: (path: string) => string | undefined): Extracted[];
  /** Loads what `extractBytes` needs (a WebAssembly module) once; callers await it before the first `extractBytes`. */
  prepare?(): Promise<void>;
}
