/** The shape every version scheme file implements (dpkg.ts, rpm.ts, apk.ts, …). */
export interface Scheme {
  /** The scheme's name: 'dpkg', 'rpm', 'apk', 'alpm', 'semver', 'pep440', 'gentoo', 'rubygems', 'go', 'conda', 'nuget', 'maven', 'generic'. */
  readonly name: string;
  /** The reason a version is invalid in this scheme, or undefined when it is valid. */
  invalid(version: string): string | undefined;
  /** Orders two versions as the package manager does: negative, zero or positive. Total: never throws. */
  compare(a: string, b: string): number;
}
