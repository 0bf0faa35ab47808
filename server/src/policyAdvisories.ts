/**
 * The advisories a policy file adds (`advisories: ["./security/advisories"]`): OSV folders or dumps, relative to the
 * policy file, used for the files that policy governs on top of the run's own index. Shared by the CLI's scan and
 * the language server, so both judge a file by the same records.
 */
import { dirname, resolve } from 'node:path';
import { isDumpError } from './advisories/dumps';
import type { AdvisoryIndex } from './advisories/index';
import { loadAdvisories } from './advisories/load';
import type { Policy } from './policy';

/** A policy's `advisories` entry that cannot be read: the user's to fix. */
export class PolicyAdvisoriesError extends Error {
  constructor(
    readonly policy: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Indexes of policies' advisories over a base index, each built once per policy file and base. `base` is read on
 * each call, so a change of the run's index (new settings in the server) builds new ones.
 */
export function policyAdvisories(base: () => AdvisoryIndex): (policy: Policy | undefined) => AdvisoryIndex | undefined {
  const built = new Map<string, { base: AdvisoryIndex; key: string; index: AdvisoryIndex }>();
  return (policy) => {
    if (!policy || policy.advisories.length === 0) return undefined;
    const current = base();
    const dumps = policy.advisories.map((entry) => resolve(dirname(policy.path), entry));
    const key = dumps.join('\n');
    const cached = built.get(policy.path);
    if (cached && cached.base === current && cached.key === key) return cached.index;
    let index: AdvisoryIndex;
    try {
      index = loadAdvisories(current, { dumps }).index;
    } catch (error) {
      if (isDumpError(error)) throw new PolicyAdvisoriesError(policy.path, error.message);
      throw error;
    }
    built.set(policy.path, { base: current, key, index });
    return index;
  };
}
