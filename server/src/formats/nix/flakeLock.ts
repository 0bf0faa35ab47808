/**
 * `flake.lock`: the git revision each flake input is locked to (`nodes.<input>.locked`), as a git revision
 * `github.com/NixOS/nixpkgs@<rev>` at the `rev` string, so an advisory that lists revisions of a repository
 * (the nixpkgs commits that carried a compromised package) finds the inputs locked to them.
 */
import type { ArtifactReference, Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { lineIndex } from '../textPositions';

/** The flake.lock format. */
export const flakeLock: Format = {
  id: 'nix/flake.lock',
  patterns: [...formatPatterns['nix/flake.lock']],
  // A flake.lock of a few hundred inputs is 100 KB; past 16 MB a text is not one.
  maxLength: 16 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const start = { line: 0, character: 0 };
    let lock: unknown;
    try {
      lock = JSON.parse(text);
    } catch (error) {
      return [{ kind: 'problem', reason: 'syntax', message: `This flake.lock is not valid JSON (${error instanceof Error ? error.message : String(error)}), so its inputs were not checked.`, range: { start, end: start } }];
    }
    const nodes = (lock as { nodes?: unknown } | null)?.nodes;
    if (typeof nodes !== 'object' || nodes === null) return [];
    const lines = lineIndex(text);
    const out: ArtifactReference[] = [];
    // Revisions are found in the text in the order the nodes are written, each after the one before.
    let cursor = 0;
    for (const node of Object.values(nodes as Record<string, unknown>)) {
      const locked = (node as { locked?: Record<string, unknown> } | null)?.locked;
      if (typeof locked !== 'object' || locked === null) continue;
      const repo = repositoryOf(locked);
      const rev = locked.rev;
      if (!repo || typeof rev !== 'string' || !/^[0-9a-f]{7,64}$/i.test(rev)) continue;
      const needle = `"${rev}"`;
      let at = text.indexOf(needle, cursor);
      if (at < 0) at = text.indexOf(needle);
      if (at < 0) continue;
      cursor = at + needle.length;
      out.push({ kind: 'git-tag', value: `${repo}@${rev}`, range: lines.range(at + 1, at + 1 + rev.length), context: 'flake.lock' });
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};

/** `host/owner/repo` of a locked input: GitHub, GitLab and SourceHut by owner and repo, git by its URL. */
function repositoryOf(locked: Record<string, unknown>): string | undefined {
  const { type, owner, repo, url, host } = locked;
  const hosts: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', sourcehut: 'git.sr.ht' };
  if (typeof type === 'string' && type in hosts && typeof owner === 'string' && typeof repo === 'string') {
    return `${typeof host === 'string' ? host : hosts[type]}/${owner}/${repo}`;
  }
  if (type === 'git' && typeof url === 'string') {
    const m = /^(?:git\+)?[a-z]+:\/\/(?:[^@/]*@)?([^?#]+?)(?:\.git)?\/?(?:[?#].*)?$/i.exec(url);
    return m?.[1];
  }
  return undefined;
}
