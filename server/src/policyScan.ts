/**
 * The policy files of a CLI scan: which one applies to each file (the nearest `.pinwatch.yaml` at or above it,
 * up to the repository that holds the scanned paths), what they exclude, how they change findings, and what they
 * say afterwards (entries that expired or matched nothing). A policy file that cannot be read is the user's to
 * fix: it throws a UserError (exit 2) naming the file and line. The members of an image archive are governed by
 * the policy of the archive's path, and matched as `ARCHIVE!/member` (ARCHIVE relative to the policy's folder,
 * `images/app.tar!/var/lib/rpm/rpmdb.sqlite`); an `ignore` entry's `paths` may also name the archive itself.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { defaultIndex } from './engine';
import type { AdvisoryIndex } from './advisories/index';
import type { Finding } from './model';
import { policyAdvisories, PolicyAdvisoriesError } from './policyAdvisories';
import { applyPolicy, findPolicy, policyFileName, policyNotices, PolicyError, type Policy, type PolicyIgnore } from './policy';
import type { FileResult, ScanResult } from './report/types';
import { userError } from './scan';
import { today } from './suppressions';
import { globToRegExp } from './workspace';

/** The hooks a scan takes from its policy files, and what to add to the result once it is done. */
export interface PolicyScan {
  /** Whether a file is read; with `member`, whether that member of the image archive at `path` is. */
  keep(path: string, member?: string): boolean;
  /** A file's findings under its policy; with `member`, those of that member of the image archive at `path`. */
  adjust(path: string, findings: Finding[], member?: string): Finding[];
  /** The index a file is judged by when its policy names extra advisories; undefined for the run's own. */
  index(path: string): AdvisoryIndex | undefined;
  /** Told of each folder the walk lists (its entries), so that the policy search need not look there again. */
  folder(dir: string, entries: readonly { readonly name: string }[]): void;
  /** The result with a file entry for each policy file that has something to say. */
  finish<R extends ScanResult>(result: R): R;
}

/** The policy files for scanning `paths` from `cwd`, judged on `day` (YYYY-MM-DD). */
export function policyScan(paths: readonly string[], cwd: string, day = today()): PolicyScan {
  const roots = paths.map((p) => resolve(cwd, p));
  const cache = new Map<string, Policy | undefined>();
  const used = new Map<Policy, Set<PolicyIgnore>>();
  const top = new Map<string, string>();
  const topOf = (root: string): string => {
    if (!top.has(root)) top.set(root, repositoryOf(root));
    return top.get(root)!;
  };
  const rootPrefixes = roots.map((r) => (r.endsWith(sep) ? r : r + sep));
  const rootOf = (path: string): string => roots.find((r, i) => path === r || path.startsWith(rootPrefixes[i]!)) ?? dirname(path);
  // The folders the walk listed with a policy file among their names (by their path with a trailing separator),
  // and the folder roots it walked. By the time the scan asks about a file, the walk has listed every folder from
  // its root down to it: a file in none of those with a policy file has the policy above its root, looked up once
  // per root. The rest (a file named as a root, an image named as one) are looked up on disk.
  const listedWith = new Map<string, string>();
  const walkedRoots = new Set<string>();
  const above = new Map<string, Policy | undefined>();
  /** The nearest folder at or above `file`'s (and below its root) that the walk listed with a policy file. */
  const nearestListed = (file: string, root: string): string | undefined => {
    if (listedWith.size === 0) return undefined;
    if (listedWith.size <= 32) {
      let nearest: string | undefined;
      for (const prefix of listedWith.keys()) if (file.startsWith(prefix) && (nearest === undefined || prefix.length > nearest.length)) nearest = prefix;
      return nearest === undefined ? undefined : listedWith.get(nearest);
    }
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      const found = listedWith.get(dir.endsWith(sep) ? dir : dir + sep);
      if (found !== undefined) return found;
      if (dir === root || dirname(dir) === dir) return undefined;
    }
  };
  const lookup = (file: string, root: string): Policy | undefined => {
    const top = topOf(root);
    if (!walkedRoots.has(root)) return findPolicy(dirname(file), top, cache);
    const listed = nearestListed(file, root);
    // A listed name that is not a file (a folder named .pinwatch.yaml) is passed over by findPolicy, as on disk.
    if (listed !== undefined) return findPolicy(listed, top, cache);
    if (!above.has(root)) above.set(root, root === top ? undefined : findPolicy(dirname(root), top, cache));
    return above.get(root);
  };
  // The scan asks whether to keep a file and then which index judges it: the second asks of the same path.
  let lastFile: string | undefined;
  let lastPolicy: Policy | undefined;
  const policyOf = (file: string): Policy | undefined => {
    if (file === lastFile) return lastPolicy;
    const root = rootOf(file);
    try {
      lastPolicy = lookup(file, root);
      lastFile = file;
      return lastPolicy;
    } catch (error) {
      if ((error as { userError?: boolean }).userError) throw error;
      if (error instanceof PolicyError) throw userError(`invalid policy file ${display(cwd, error.file)}:${error.line}: ${error.message.slice(error.message.indexOf(': ') + 2)}`);
      throw userError(`cannot read a policy file above ${display(cwd, file)}: ${(error as Error).message}`);
    }
  };
  const advisoriesOf = policyAdvisories(defaultIndex);
  return {
    index(path) {
      const policy = policyOf(path);
      try {
        return advisoriesOf(policy);
      } catch (error) {
        // The policy names records that cannot be read: scanning without them would pass what they list.
        if (error instanceof PolicyAdvisoriesError) throw userError(`${display(cwd, error.policy)}: advisories: ${error.message}`);
        throw error;
      }
    },
    folder(dir, entries) {
      if (roots.includes(dir)) walkedRoots.add(dir);
      for (const entry of entries) {
        if (entry.name !== policyFileName) continue;
        listedWith.set(dir.endsWith(sep) ? dir : dir + sep, dir);
        break;
      }
    },
    keep(path, member) {
      const policy = policyOf(path);
      if (!policy || policy.exclude.length === 0) return true;
      const rel = relative(dirname(policy.path), path).split(sep).join('/') + (member === undefined ? '' : `!/${member}`);
      return !policy.exclude.some((glob) => globToRegExp(glob).test(rel));
    },
    adjust(path, findings, member) {
      const policy = policyOf(path);
      if (!policy) return findings;
      if (!used.has(policy)) used.set(policy, new Set());
      if (member === undefined) return applyPolicy(findings, path, policy, day, used.get(policy)!);
      // A member's finding is matched by its path in the archive, then by the archive's (severities apply once either way).
      return applyPolicy(applyPolicy(findings, `${path}!/${member}`, policy, day, used.get(policy)!), path, policy, day, used.get(policy)!);
    },
    finish(result) {
      const files: FileResult[] = [];
      for (const policy of new Set([...cache.values()].filter((p): p is Policy => p !== undefined))) {
        const notices = policyNotices(policy, used.get(policy) ?? new Set(), day);
        if (notices.length > 0) files.push({ path: display(cwd, policy.path), absolutePath: policy.path, findings: [], problems: [], notices });
      }
      return files.length === 0 ? result : { ...result, files: [...result.files, ...files] };
    },
  };
}

/** The folder a policy search may climb to: the nearest one above `root` that holds `.git`, else `root` itself. */
function repositoryOf(root: string): string {
  let current = root;
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return root;
    current = parent;
  }
}

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
