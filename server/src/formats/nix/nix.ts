/**
 * Nix expressions (`*.nix`): the package a derivation builds (`pname` and `version`, or `name = "xz-5.6.1"`),
 * the URLs its fetchers download (`url`, `urls`, with `${version}` and `${finalAttrs.version}` resolved), the
 * git revisions of `fetchFromGitHub` and `fetchgit` (`rev`, `tag`), and their hashes in every spelling Nix
 * accepts (hex, Nix base32, SRI), compared as hex. A version or URL beside its hash gets no edit: in Nix a new
 * version without the new hash fails to build.
 */
import type { ArtifactReference, Extracted, Format, PackageReference, ReadProblem } from '../../model';
import { originRuns } from '../origins';
import { formatPatterns } from '../patterns';
import { lineIndex, type LineIndex } from '../textPositions';
import { definition, maxResolvedLength, resolver, scopesOf, type Resolver, type Scope, type StringToken } from './bindings';
import { decodeNixHash } from './hashes';
import { lexNix } from './lexer';

/** The Nix format. */
export const nix: Format = {
  id: 'nix/expression',
  patterns: [...formatPatterns['nix/expression']],
  commentPrefix: '#',
  // all-packages.nix, the largest file of nixpkgs, is about 1.5 MB; past 8 MB a text is generated.
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    try {
      return extractNix(text);
    } catch (error) {
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return [{ kind: 'problem', reason: 'syntax', message: `Pinwatch could not read this Nix file (internal error: ${error instanceof Error ? error.message : String(error)}), so it was not checked.`, range }];
    }
  },
};

/** Why a Nix version or URL gets no edit. */
export const nixHashReason = 'In Nix a new version without the new source hash fails to build: update the version and its hash together (nix-update does both).';

const urlAttributes = new Set(['url', 'urls']);
const hashAttributes = { sha256: 'sha256', sha512: 'sha512', hash: undefined, outputHash: undefined } as const;
const downloadUrl = /^(?:https?|ftp|mirror):\/\/\S+$/i;

function extractNix(text: string): Extracted[] {
  const lexed = lexNix(text);
  const lines = lineIndex(text);
  const scopes = scopesOf(lexed.tokens);
  const resolve = resolver();
  const out: { at: number; item: Extracted }[] = [];
  const seenVersions = new Set<StringToken>();
  for (const scope of scopes) {
    const digests = hashesOf(scope, resolve, lines);
    for (const d of digests) out.push(d);
    const guard = digests.length > 0 ? { guardedBy: digests.map((d) => (d.item as ArtifactReference).value) } : {};
    for (const b of scope.bindings.values()) {
      if (!urlAttributes.has(b.name) || b.kind === 'inherit') continue;
      for (const token of b.kind === 'string' ? [b.token] : b.tokens) {
        const value = resolve.string(token, scope);
        if (!value || !downloadUrl.test(value.value)) continue;
        const reference: ArtifactReference = { kind: 'url', value: value.value, range: contentRange(token, lines), ...via(token, scope, lines), context: b.name, ...guard, origins: originRuns(value.origins) };
        out.push({ at: token.start, item: reference });
      }
    }
    const rev = gitRevision(scope, resolve, lines, guard);
    if (rev) out.push(rev);
    const own = ownPackage(scope, resolve, lines, seenVersions);
    if (own) out.push(own);
  }
  for (const token of resolve.limited) {
    out.push({ at: token.start, item: { kind: 'problem', reason: 'limit', message: `This string's value grows past ${maxResolvedLength / 1024} KiB through its interpolations, so it was not read.`, range: contentRange(token, lines) } });
  }
  if (lexed.problem) {
    const { reason, message, start, end } = lexed.problem;
    const problem: ReadProblem = { kind: 'problem', reason, message, range: lines.range(start, end) };
    out.push({ at: start, item: problem });
  }
  // With no hash in a file read to its end, nothing pins the source to the version's tarball: the version can be edited alone.
  const hashed = lexed.problem !== undefined || lexed.tokens.some((t, k) => t.kind === 'id' && t.text in hashAttributes && lexed.tokens[k + 1]?.text === '=');
  return out.sort((a, b) => a.at - b.at).map((o) => (!hashed && o.item.kind === 'package' ? withoutFix(o.item) : o.item));
}

function withoutFix(reference: PackageReference): PackageReference {
  const { fix: _fix, ...rest } = reference;
  return rest;
}

/** The hashes a scope binds (`sha256`, `sha512`, `hash`, `outputHash`), decoded to hex. */
function hashesOf(scope: Scope, resolve: Resolver, lines: LineIndex): { at: number; item: ArtifactReference }[] {
  const out: { at: number; item: ArtifactReference }[] = [];
  for (const [name, algorithm] of Object.entries(hashAttributes)) {
    const b = scope.bindings.get(name);
    if (b?.kind !== 'string') continue;
    const value = resolve.string(b.token, scope);
    const digest = value && decodeNixHash(value.value, algorithm);
    if (!digest) continue;
    out.push({ at: b.token.start, item: { kind: digest.kind, value: digest.hex, range: contentRange(b.token, lines), context: name } });
  }
  return out;
}

/** `fetchFromGitHub { owner; repo; rev or tag; }` and `fetchgit { url; rev; }` as a git revision `host/owner/repo@rev`. */
function gitRevision(scope: Scope, resolve: Resolver, lines: LineIndex, guard: { guardedBy?: string[] }): { at: number; item: ArtifactReference } | undefined {
  const revBinding = scope.bindings.get('tag') ?? scope.bindings.get('rev');
  if (revBinding?.kind !== 'string') return undefined;
  const rev = resolve.string(revBinding.token, scope)?.value;
  if (!rev) return undefined;
  let repo: string | undefined;
  if (scope.caller === 'fetchFromGitHub') {
    const owner = stringValue(scope, 'owner', resolve);
    const name = stringValue(scope, 'repo', resolve);
    if (owner && name) repo = `github.com/${owner}/${name}`;
  } else if (scope.caller === 'fetchgit' || scope.caller === 'fetchGit') {
    const url = stringValue(scope, 'url', resolve);
    const m = url && /^(?:git\+)?[a-z]+:\/\/(?:[^@/]*@)?([^?#]+?)(?:\.git)?\/?$/i.exec(url);
    if (m) repo = m[1];
  }
  if (!repo) return undefined;
  const reference: ArtifactReference = { kind: 'git-tag', value: `${repo}@${rev}`, range: contentRange(revBinding.token, lines), ...via(revBinding.token, scope, lines), context: revBinding.name, ...guard };
  return { at: revBinding.token.start, item: reference };
}

/**
 * The package a derivation builds: `pname` + `version` (either may be inherited), or `name = "xz-5.6.1"` split
 * as Nix's `parseDrvName` does (at the first `-` before a character that is not a letter). Placed on the version
 * token, once however many sets inherit it.
 */
function ownPackage(scope: Scope, resolve: Resolver, lines: LineIndex, seen: Set<StringToken>): { at: number; item: PackageReference } | undefined {
  const fix = { kind: 'none' as const, reason: nixHashReason };
  const versionBinding = scope.bindings.has('version') ? definition(scope, 'version') : undefined;
  const pname = scope.bindings.has('pname') ? stringValue(scope, 'pname', resolve) : undefined;
  if (versionBinding && pname) {
    if (seen.has(versionBinding.token)) return undefined;
    const version = resolve.string(versionBinding.token, versionBinding.scope)?.value;
    if (!version || !/^\S+$/.test(version + pname)) return undefined;
    seen.add(versionBinding.token);
    const reference: PackageReference = { kind: 'package', ecosystem: 'nixpkgs', name: pname, version, range: contentRange(versionBinding.token, lines), ...via(versionBinding.token, versionBinding.scope, lines), fix, context: 'pname/version', builds: true };
    return { at: versionBinding.token.start, item: reference };
  }
  const nameBinding = scope.bindings.get('name');
  if (nameBinding?.kind !== 'string' || scope.bindings.has('version') || scope.bindings.has('pname')) return undefined;
  const value = resolve.string(nameBinding.token, scope);
  const split = value && /^(.+?)-([^A-Za-z-].*)$/.exec(value.value);
  if (!value || !split || !/^[A-Za-z0-9_+.-]+$/.test(split[1]!) || /\s/.test(value.value)) return undefined;
  const [, name, version] = split as unknown as [string, string, string];
  // The version's own characters, when they are written in one piece in this string; else the whole string.
  const from = name.length + 1;
  const spots = value.origins.slice(from);
  const literal = spots.every((o, k) => typeof o === 'number' && o === (spots[0] as number) + k);
  const range = literal ? lines.range(spots[0] as number, (spots[0] as number) + spots.length) : contentRange(nameBinding.token, lines);
  const reference: PackageReference = { kind: 'package', ecosystem: 'nixpkgs', name, version, range, ...via(nameBinding.token, scope, lines), fix, context: 'name', builds: true };
  return { at: nameBinding.token.start, item: reference };
}

function stringValue(scope: Scope, name: string, resolve: Resolver): string | undefined {
  const b = definition(scope, name);
  return b ? resolve.string(b.token, b.scope)?.value : undefined;
}

/** The range of a string's content, inside its quotes. */
function contentRange(token: StringToken, lines: LineIndex): ArtifactReference['range'] {
  const quote = token.indented ? 2 : 1;
  return lines.range(token.start + quote, token.end - quote);
}

/** `via`: the bindings a string's interpolations took their values from (`version = "5.6.1" (line 13)`). */
function via(token: StringToken, scope: Scope, lines: LineIndex): { via?: string } {
  const names: string[] = [];
  for (const part of token.parts) {
    if (part.kind !== 'interpolation') continue;
    const t = part.tokens;
    const name = t.length === 1 ? t[0]!.text : t[2]?.text;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  const said = names.flatMap((name) => {
    const b = definition(scope, name);
    if (!b) return [];
    return [`${name} = ${b.token.text} (line ${lines.line(b.token.start) + 1})`];
  });
  return said.length > 0 ? { via: said.join(', ') } : {};
}


