/**
 * The policy files of the language server's workspace folders: the suppressions and severities applied to each
 * analysis, and the extra advisories (`advisories:`) a file is judged by. A policy file that cannot be read applies
 * nothing and the log says why; advisories it names that cannot be read are reported on each file they govern, so
 * the file does not look clean for want of the records it was meant to be checked against.
 */
import { dirname, sep } from 'node:path';
import type { AdvisoryIndex } from '../advisories/index';
import { defaultIndex, type Analysis } from '../engine';
import { applyPolicy, findPolicy, type Policy } from '../policy';
import { policyAdvisories, PolicyAdvisoriesError } from '../policyAdvisories';

/** What the server needs of its state. */
export interface PolicyHost {
  folders(): readonly string[];
  today(): string;
  log(message: string): void;
}

/** The server's view of policy files. */
export interface ServerPolicy {
  /** The index `path` is judged by, or undefined for the default; `problem` when its policy's advisories cannot be read. */
  indexFor(path: string): { index?: AdvisoryIndex; problem?: string };
  /** The analysis with its policy's suppressions and severities applied (never stored in it). */
  apply(path: string, analysis: Analysis): Analysis;
  /** An analysis of `path`, made by `run` with the index it is to be judged by, under its policy. */
  analyse(path: string, run: (index: AdvisoryIndex | undefined) => Analysis | undefined): Analysis | undefined;
}

/** The policy files of the host's folders. */
export function serverPolicy(host: PolicyHost): ServerPolicy {
  const advisoriesOf = policyAdvisories(defaultIndex);
  const policyOf = (path: string): Policy | undefined => {
    const root = host.folders().find((folder) => path.startsWith(folder.endsWith(sep) ? folder : folder + sep));
    if (!root) return undefined;
    try {
      return findPolicy(dirname(path), root);
    } catch (error) {
      host.log(`Pinwatch: reading the policy file for ${path}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const self: ServerPolicy = {
    indexFor(path) {
      try {
        const index = advisoriesOf(policyOf(path));
        return index ? { index } : {};
      } catch (error) {
        if (!(error instanceof PolicyAdvisoriesError)) throw error;
        return { problem: `The advisories of ${error.policy} cannot be read, so this file was not checked against them: ${error.message}` };
      }
    },
    apply(path, analysis) {
      if (analysis.findings.length === 0) return analysis;
      const policy = policyOf(path);
      return policy ? { ...analysis, findings: applyPolicy(analysis.findings, path, policy, host.today(), new Set()) } : analysis;
    },
    analyse(path, run) {
      const { index, problem } = self.indexFor(path);
      const analysis = run(index);
      if (!analysis) return analysis;
      const withProblem = problem ? { ...analysis, problems: [...analysis.problems, { kind: 'problem' as const, reason: 'advisories' as const, message: problem, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] } : analysis;
      return self.apply(path, withProblem);
    },
  };
  return self;
}
