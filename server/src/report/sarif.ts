/**
 * The SARIF 2.1.0 report for CI: one rule per advisory, one result per finding with its exact region (1-based,
 * UTF-16 columns, as LSP counts them), and a SARIF fix for each of the finding's fixes.
 */
import { pathToFileURL } from 'node:url';
import { sep } from 'node:path';
import type { Finding, Range, Severity } from '../model';
import { isBinaryFinding, type ScanResult } from './types';

const levels = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * Renders a scan as a SARIF 2.1.0 log; URIs are relative to `root` (as %SRCROOT%) where they can be. `advisories`
 * (the data in use) goes in the driver's property bag as `pinwatch/advisories`.
 */
export function sarifReport(result: ScanResult, version: string, root: string, advisories?: object): string {
  const rules: Array<Record<string, unknown>> = [];
  const ruleIndex = new Map<string, number>();
  const rootUri = pathToFileURL(root.endsWith(sep) ? root : root + sep).href;
  const location = (uri: string): { uri: string; uriBaseId?: string } =>
    uri.startsWith(rootUri) ? { uri: uri.slice(rootUri.length), uriBaseId: '%SRCROOT%' } : { uri };

  const results = result.files.flatMap((file) =>
    file.findings.map((finding) => {
      const ruleId = finding.advisory.id;
      if (!ruleIndex.has(ruleId)) {
        ruleIndex.set(ruleId, rules.length);
        rules.push(rule(finding));
      }
      return {
        ruleId,
        ruleIndex: ruleIndex.get(ruleId)!,
        level: levels[finding.severity],
        message: { text: finding.message },
        // A finding in a binary file (a library) is about the whole file: no region.
        locations: [{ physicalLocation: { artifactLocation: location(pathToFileURL(file.absolutePath).href), ...(isBinaryFinding(finding) ? {} : { region: region(finding.reference.range) }) } }],
        partialFingerprints: { 'pinwatch/v1': `${finding.code}:${finding.advisory.id}:${'name' in finding.reference ? finding.reference.name : finding.reference.kind}:${'value' in finding.reference ? finding.reference.value : finding.reference.version ?? finding.reference.constraint ?? ''}` },
        properties: { code: finding.code, ...referenceProperties(finding) },
        // A suppressed finding stays in the log, dismissed with its reason, so code scanning shows it as such.
        ...(finding.suppression ? { suppressions: [{ kind: finding.suppression.kind, status: 'accepted', justification: finding.suppression.justification }] } : {}),
        ...(finding.fixes.length > 0
          ? {
              fixes: finding.fixes.map((fix) => ({
                description: { text: fix.followUp ? `${fix.title}. ${fix.followUp}` : fix.title },
                artifactChanges: groupByUri(fix.edits).map(([uri, edits]) => ({
                  artifactLocation: location(uri),
                  replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                })),
              })),
            }
          : {}),
      };
    }),
  );

  // Code scanning ranks alerts by the rule's security-severity (a CVSS-like score: 9.0 and up is critical): a
  // compromised release is critical, a warning (a range, an image window) high, information low.
  const worst = new Map<string, Severity>();
  for (const file of result.files) for (const f of file.findings) if (!f.suppression) worst.set(f.advisory.id, higher(worst.get(f.advisory.id), f.severity));
  for (const r of rules) {
    const severity = worst.get(r.id as string) ?? 'info';
    r.properties = { ...(r.properties as object), 'security-severity': securitySeverity[severity], 'problem.severity': problemSeverity[severity] };
  }

  // What could not be read is a tool execution notification: SARIF's place for "this run did not see everything".
  const notifications = [
    ...result.files.flatMap((file) =>
      file.problems.map((p) => ({
        level: 'warning',
        descriptor: { id: 'incomplete-read' },
        message: { text: p.message },
        locations: [{ physicalLocation: { artifactLocation: location(pathToFileURL(file.absolutePath).href), region: region(p.range) } }],
      })),
    ),
    ...(result.unread ?? []).map((u) => ({ level: 'error', descriptor: { id: 'not-read' }, message: { text: `${u.path} was not read: ${u.reason}` } })),
    ...result.notes.map((note) => ({ level: 'warning', descriptor: { id: 'note' }, message: { text: note } })),
  ];

  // Suppression comments that do not apply, or match nothing, are notes on how Pinwatch was configured.
  const configuration = result.files.flatMap((file) =>
    (file.notices ?? []).map((n) => ({
      level: n.severity === 'info' ? 'note' : 'warning',
      descriptor: { id: n.code },
      message: { text: n.message },
      locations: [{ physicalLocation: { artifactLocation: location(pathToFileURL(file.absolutePath).href), region: region(n.range) } }],
    })),
  );

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Pinwatch', version, semanticVersion: version, informationUri: 'https://github.com/pinwatch/pinwatch', rules, ...(advisories ? { properties: { 'pinwatch/advisories': advisories } } : {}) } },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        invocations: [{
          executionSuccessful: notifications.length === 0,
          toolExecutionNotifications: notifications,
          ...(configuration.length > 0 ? { toolConfigurationNotifications: configuration } : {}),
        }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const securitySeverity: Record<Severity, string> = { error: '9.8', warning: '7.0', info: '2.0' };
const problemSeverity: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };
const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function higher(a: Severity | undefined, b: Severity): Severity {
  return a === undefined || rank[b] > rank[a] ? b : a;
}

function rule(finding: Finding): Record<string, unknown> {
  const { advisory } = finding;
  return {
    id: advisory.id,
    name: advisory.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: advisory.summary || advisory.id },
    helpUri: advisory.url,
    help: { text: `${advisory.summary} See ${advisory.url}` },
    properties: { aliases: advisory.aliases, tags: ['security', 'supply-chain', 'malicious-package', ...advisory.aliases.filter((a) => a.startsWith('CVE-'))] },
  };
}

function region(range: Range): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function referenceProperties(finding: Finding): Record<string, string> {
  const ref = finding.reference;
  if (ref.kind === 'package') return { ecosystem: ref.ecosystem, package: ref.name, ...(ref.version ? { version: ref.version } : {}), ...(ref.constraint ? { constraint: ref.constraint } : {}) };
  return { artifact: ref.kind, value: ref.value };
}

function groupByUri<T extends { uri: string }>(edits: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const e of edits) groups.set(e.uri, [...(groups.get(e.uri) ?? []), e]);
  return [...groups];
}
