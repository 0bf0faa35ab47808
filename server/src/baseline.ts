/**
 * Baselines, for adopting Pinwatch on a large tree without fixing everything on the first day: `--write-baseline`
 * records today's findings by fingerprint, and `--baseline` treats the findings it lists as suppressed, so only new
 * ones fail the gate. A fingerprint names the file, the finding's code, its advisory and what it is about (package
 * and version, or the artifact), not its line, so it survives edits elsewhere in the file.
 */
import type { Finding } from './model';
import type { ScanResult } from './report/types';

/** The baseline file's content. */
export interface Baseline {
  tool: 'pinwatch';
  kind: 'baseline';
  version: 1;
  fingerprints: string[];
}

/** The fingerprint of a finding in a file (by the path the scan displays). */
export function fingerprint(path: string, finding: Finding): string {
  const ref = finding.reference;
  const subject = ref.kind === 'package' ? `${ref.ecosystem}/${ref.name}@${ref.version ?? ref.constraint ?? ''}` : `${ref.kind}:${ref.value}`;
  return `${path.split('\\').join('/')}|${finding.code}|${finding.advisory.id}|${subject}`;
}

/** The baseline of a scan: every active finding's fingerprint, sorted, each once. */
export function baselineOf(result: ScanResult): Baseline {
  const prints = new Set<string>();
  for (const file of result.files) for (const f of file.findings) if (!f.suppression) prints.add(fingerprint(file.path, f));
  return { tool: 'pinwatch', kind: 'baseline', version: 1, fingerprints: [...prints].sort() };
}

/** Reads a baseline file's text; throws an Error with a one-line reason when it is not one. */
export function parseBaseline(text: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('it is not JSON');
  }
  const b = value as Partial<Baseline> | null;
  if (!b || b.tool !== 'pinwatch' || b.kind !== 'baseline' || b.version !== 1 || !Array.isArray(b.fingerprints) || !b.fingerprints.every((f) => typeof f === 'string')) {
    throw new Error('it is not a Pinwatch baseline (write one with --write-baseline)');
  }
  return b as Baseline;
}

/** The scan with the findings the baseline lists marked as suppressed (external, naming the baseline). */
export function applyBaseline<R extends ScanResult>(result: R, baseline: Baseline, name: string): R {
  const known = new Set(baseline.fingerprints);
  return {
    ...result,
    files: result.files.map((file) => ({
      ...file,
      findings: file.findings.map((f) => (f.suppression || !known.has(fingerprint(file.path, f)) ? f : { ...f, suppression: { kind: 'external' as const, justification: `recorded in the baseline ${name}` } })),
    })),
  };
}
