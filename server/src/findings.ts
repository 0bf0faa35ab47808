/**
 * Findings from matches: the message (what, which advisory, what to use instead), the severity and the fixes.
 * Each builder is a pure function of the reference, the match and the file's text.
 */
import { pathToFileURL } from 'node:url';
import type { RepointedTagMatch } from './advisories/actionTags';
import type { ArtifactMatch, ImageMatch } from './advisories/artifacts';
import { nearestFirst, safeVersions } from './advisories/safe';
import { advisoryUrl, displayId, type OsvRecord } from './advisories/records';
import type { AdvisoryIndex, PackageMatch } from './advisories/index';
import { installCommand, manifestFix } from './formats/js/manifestFix';
import { lockCommand, pythonManifestFix } from './formats/python/manifestFix';
import type { AdvisoryRef, ArtifactReference, Finding, Fix, Origin, PackageManager, PackageReference, PythonLocker, Severity } from './model';
import { gemfilePinEdit } from './formats/ruby/gemfileFix';
import type { IndexedText } from './text';
import { positionsAt } from './formats/textPositions';

/** What a finding builder needs beyond the match. */
export interface FindingContext {
  index: AdvisoryIndex;
  text: IndexedText;
  uri: string;
  readFile?(path: string): string | undefined;
}

/** The finding for a package reference that an advisory matches. */
export function packageFinding(ref: PackageReference, match: PackageMatch, ctx: FindingContext): Finding {
  const advisory = advisoryRef(match.record);
  const safe = safeVersions(ctx.index, ref, match);
  const affected = match.affected.versions ?? [];
  const what = `${ref.name} ${ref.version ?? ref.constraint}${ref.via ? ` (from ${ref.via})` : ''}`;
  const unverified = match.confidence === 'unverified' ? ' The affected version list for this distribution is not verified.' : '';
  if (match.how === 'range') {
    const advice = safe.length > 0 ? ` Require ${safe[0]} or a later safe release.` : '';
    return {
      reference: ref, advisory, severity: 'warning', code: 'range-admits-compromised', affected, safe, fixes: [],
      message: `${what} admits the compromised ${list(match.versions)} (${advisory.id}).${advice}${unverified}`,
    };
  }
  if (match.record.database_specific?.kind === 'vulnerable') {
    return {
      reference: ref, advisory, affected, safe: [], fixes: [], severity: 'warning', code: 'vulnerable-version',
      message: `${what} has a known vulnerability (${advisory.id}${advisory.summary ? `: ${advisory.summary}` : ''}); it is not reported as a compromise.`,
    };
  }
  if (match.affected.database_specific?.all_versions) {
    return {
      reference: ref, advisory, affected, safe: [], fixes: [], severity: match.confidence === 'verified' ? 'error' : 'warning', code: 'compromised-version',
      message: `${what} is a compromised release (${incident(match.record, advisory.id)}). Every release of ${ref.name} is malware, so there is no fix but removing it.${unverified}`,
    };
  }
  const overridden = ref.fix?.kind === 'npm-override' ? alreadyOverridden(ref, ref.fix, safe, ctx) : ref.fix?.kind === 'python-manifest' ? alreadyPinned(ref, ref.fix, safe, ctx) : undefined;
  const gemPinned = ref.fix?.kind === 'gemfile-pin' ? gemfilePinned(ref, ref.fix.gemfile, safe, ctx) : undefined;
  const fixes = overridden || gemPinned ? [] : safe.slice(0, 3).flatMap((version) => packageFix(ref, version, ctx));
  const gone = unlistedFixes(match);
  let advice: string;
  if (ref.fix?.kind === 'none') advice = ` ${ref.fix.reason}${safe.length > 0 ? ` The nearest safe release is ${safe[0]}${unlistedAside(gone)}.` : gone ? ` ${gone}, so none is offered.` : ''}`;
  else if (overridden && ref.fix?.kind === 'python-manifest') advice = ` ${overridden} already pins it to a safe release; run ${lockCommand(ref.fix.tool)} to rewrite the lockfile.`;
  else if (overridden) advice = ` ${overridden} already overrides it with a safe release; run ${installCommand(ref.fix?.kind === 'npm-override' ? ref.fix.manager : undefined)} to rewrite the lockfile.`;
  else if (gemPinned) advice = ` ${gemPinned} already pins a safe release; run bundle update ${ref.name} --conservative to rewrite the lockfile.`;
  else if (safe.length === 0 && gone) advice = ` ${gone}, so no fix is offered; remove it or move to another version the advisory does not list.`;
  else if (safe.length === 0) advice = ` No safe release of it is known; remove it or move to another version the advisory does not list.`;
  else if (fixes.length === 0) advice = ` Use ${safe[0]} instead${unlistedAside(gone)}.`;
  else advice = ` Pin ${safe[0]} instead${unlistedAside(gone)}.${fixes[0]!.followUp ? ` ${fixes[0]!.followUp}` : ''}`;
  if (ref.fix?.kind === 'none' && ref.fix.upgrade !== undefined && (safe.length > 0 || !ref.fix.upgrade.includes('{version}'))) advice += ` Upgrade it: ${ref.fix.upgrade.replaceAll('{version}', safe[0] ?? '')}.`;
  const note = match.affected.database_specific?.note;
  return {
    reference: ref, advisory, affected, safe, fixes, ...(note ? { note } : {}),
    severity: match.confidence === 'verified' ? 'error' : 'warning',
    code: 'compromised-version',
    message: `${what} is a compromised release (${incident(match.record, advisory.id)}).${advice}${unverified}`,
  };
}

/** Why the fix the reference names is not offered (`Its known fix 10.1.3 is no longer listed by the npm registry`), or undefined. */
function unlistedFixes(match: PackageMatch): string | undefined {
  const gone = match.affected.database_specific?.unlisted ?? [];
  if (gone.length === 0) return undefined;
  const registry = match.affected.package.ecosystem === 'npm' ? 'the npm registry' : `the ${match.affected.package.ecosystem} registry`;
  return `Its known fix ${list(gone)} ${gone.length === 1 ? 'is' : 'are'} no longer listed by ${registry}`;
}

/** ` (its known fix 10.1.3 is no longer listed by the npm registry)`, or nothing. */
function unlistedAside(gone: string | undefined): string {
  return gone ? ` (${gone.charAt(0).toLowerCase()}${gone.slice(1)})` : '';
}

/**
 * The manifest that already forces the package to one of the safe versions (the install has not run yet), such
 * as "package.json"; undefined when none does.
 */
function alreadyOverridden(ref: PackageReference, fix: { packageJson: string; manager?: PackageManager }, safe: readonly string[], ctx: FindingContext): string | undefined {
  for (const version of safe) {
    const planned = manifestFix(fix.manager, fix.packageJson, ref.name, ref.version, version, ctx.readFile);
    if (planned && planned.edits.every((edit) => edit.expected === edit.newText)) return planned.file;
  }
  return undefined;
}

/** The manifest that already pins a Python lockfile's package to one of the safe versions, or undefined. */
function alreadyPinned(ref: PackageReference, fix: { manifest: string; tool: PythonLocker }, safe: readonly string[], ctx: FindingContext): string | undefined {
  for (const version of safe) {
    const planned = pythonManifestFix(fix.tool, fix.manifest, ref.name, ref.version, version, ctx.readFile);
    if (planned && planned.edits.every((edit) => edit.expected === edit.newText)) return planned.file;
  }
  return undefined;
}

function packageFix(ref: PackageReference, version: string, ctx: FindingContext): Fix[] {
  if (ref.fix?.kind === 'none') return [];
  if (ref.fix?.kind === 'python-manifest') {
    const planned = pythonManifestFix(ref.fix.tool, ref.fix.manifest, ref.name, ref.version, version, ctx.readFile);
    const edits = planned?.edits ?? [];
    if (!planned || edits.every((e) => e.expected === e.newText)) return [];
    return [{
      title: planned.title,
      edits: edits.map((e) => ({ uri: pathToFileURL(e.path).href, range: e.range, newText: e.newText, expected: e.expected })),
      followUp: `Then run ${lockCommand(ref.fix.tool)} to rewrite the lockfile.`,
    }];
  }
  if (ref.fix?.kind === 'npm-override') {
    // npm rejects an override of a direct dependency whose spec differs, so npm's fix also pins that spec.
    const planned = manifestFix(ref.fix.manager, ref.fix.packageJson, ref.name, ref.version, version, ctx.readFile);
    const edits = planned?.edits ?? [];
    if (!planned || edits.every((e) => e.expected === e.newText)) return [];
    return [{
      title: planned.title,
      edits: edits.map((e) => ({ uri: pathToFileURL(e.path).href, range: e.range, newText: e.newText, expected: e.expected })),
      followUp: `Then run ${installCommand(ref.fix.manager)} to rewrite the lockfile.`,
    }];
  }
  if (ref.fix?.kind === 'gemfile-pin') return gemfileFix(ref, ref.fix.gemfile, version, ctx);
  const range = ref.edit ?? ref.range;
  const expected = ctx.text.slice(range);
  if (expected === version) return [];
  const title = `Pin ${ref.name} to ${version}${ref.edit && ref.via ? ` (at ${ref.via})` : ''}`;
  if (ref.refComment) return [actionPinFix(ref, ref.refComment, range, expected, version, title, ctx)];
  return [{ title, edits: [{ uri: ctx.uri, range, newText: version, expected }] }];
}

/** The Gemfile's name when its gem line already pins one of the safe versions (Bundler has not run yet); else undefined. */
function gemfilePinned(ref: PackageReference, gemfile: string, safe: readonly string[], ctx: FindingContext): string | undefined {
  const text = ctx.readFile?.(gemfile);
  if (text === undefined) return undefined;
  const pinned = safe.some((version) => {
    const edit = gemfilePinEdit(text, ref.name, version);
    return edit !== undefined && edit.expected === edit.newText;
  });
  return pinned ? gemfile.slice(Math.max(gemfile.lastIndexOf('/'), gemfile.lastIndexOf('\\')) + 1) : undefined;
}

/** A Gemfile.lock spec's fix: the safe version pinned on the gem's line of the Gemfile, then a conservative update. */
function gemfileFix(ref: PackageReference, gemfile: string, version: string, ctx: FindingContext): Fix[] {
  const text = ctx.readFile?.(gemfile);
  const edit = text === undefined ? undefined : gemfilePinEdit(text, ref.name, version);
  if (!edit || edit.expected === edit.newText) return [];
  const [start, end] = positionsAt(text!, [edit.start, edit.end]);
  const file = gemfile.slice(Math.max(gemfile.lastIndexOf('/'), gemfile.lastIndexOf('\\')) + 1);
  return [{
    title: `Pin ${ref.name} to ${version} in ${file}`,
    edits: [{ uri: pathToFileURL(gemfile).href, range: { start: start!, end: end! }, newText: edit.newText, expected: edit.expected }],
    followUp: `Then run bundle update ${ref.name} --conservative to rewrite the lockfile.`,
  }];
}

const fullSha = /^[0-9a-f]{40}$/i;

/**
 * A `uses:` pin fix that keeps the `@<sha> # v1.2.3` convention: a tag replacing a commented SHA also rewrites
 * the comment (and asks for the tag's SHA), and a SHA replacing a tag keeps the tag as the comment.
 */
function actionPinFix(ref: PackageReference, comment: PackageReference['range'], range: PackageReference['range'], expected: string, version: string, title: string, ctx: FindingContext): Fix {
  const written = ctx.text.slice(comment);
  if (written === '') {
    const keepTag = fullSha.test(version) && ref.version !== undefined && !fullSha.test(ref.version);
    return { title, edits: [{ uri: ctx.uri, range, newText: keepTag ? `${version} # ${ref.version}` : version, expected }] };
  }
  const edits = [{ uri: ctx.uri, range, newText: version, expected }];
  if (fullSha.test(version)) return { title, edits };
  edits.push({ uri: ctx.uri, range: comment, newText: version, expected: written });
  if (ref.version === undefined || !fullSha.test(ref.version)) return { title, edits };
  return { title, edits, followUp: `To keep the action pinned by commit, replace ${version} with the full SHA it points to.` };
}

/**
 * The finding for a GitHub Actions tag that pointed to a malicious commit during an incident and was restored:
 * a warning, since the tag is clean today, that recommends a SHA pin and offers the advisory's fixed release.
 */
export function repointedTagFinding(ref: PackageReference, match: RepointedTagMatch, ctx: FindingContext): Finding {
  const advisory = advisoryRef(match.record);
  const safe = safeVersions(ctx.index, ref, { record: match.record, affected: match.affected, how: 'exact', versions: [], confidence: 'verified' });
  const fixes = safe.slice(0, 1).flatMap((version) => packageFix(ref, version, ctx));
  const short = match.commit.slice(0, 8);
  const advice = safe.length > 0 ? ` Pin a full commit SHA so that a moved tag cannot change what runs; the advisory's fix is ${safe[0]}.` : ' Pin a full commit SHA so that a moved tag cannot change what runs.';
  return {
    reference: ref, advisory, affected: match.affected.versions ?? [], safe, fixes, severity: 'warning', code: 'compromised-version',
    message: `${ref.name}@${ref.version} is a tag that pointed to the malicious commit ${short} ${match.window} (${incident(match.record, advisory.id)}); it has since been restored, but runs in that window ran the malicious code.${advice}`,
  };
}

/** The finding for a downloaded artifact (URL, git tag, checksum, host) that an advisory names. */
export function artifactFinding(ref: ArtifactReference, match: ArtifactMatch, ctx: FindingContext): Finding {
  const advisory = advisoryRef(match.record);
  const { entry } = match;
  const upstream = upstreamSafe(match.record);
  const base = { reference: ref, advisory, affected: [] as string[], safe: upstream, ...(entry.note ? { note: sentence(entry.note) } : {}) };
  if (entry.kind === 'host') {
    return { ...base, severity: 'info', code: 'suspicious-source', fixes: [], message: `${entry.host} is not a trusted source for this project (${advisory.id}).` };
  }
  const severity: Severity = entry.severity;
  if (ref.kind === 'sha256' || ref.kind === 'sha512' || ref.kind === 'sri') {
    const name = entry.kind === 'file' ? entry.name : 'a compromised release artifact';
    const sha256 = ref.kind === 'sha256' || (ref.kind === 'sri' && ref.value.startsWith('sha256-'));
    return { ...base, severity, code: 'compromised-artifact', fixes: [], message: `This checksum is the ${sha256 ? 'SHA-256' : 'SHA-512'} of ${name} (${advisory.id}). Replace it with the checksum of the safe release you download.` };
  }
  const badVersion = 'version' in entry ? entry.version : undefined;
  const what = entry.kind === 'file'
    ? `${entry.name}, a compromised release tarball`
    : `the source of a compromised release, without the release tarball's build trigger but with its payload files`;
  const subject = ref.kind === 'git-tag' ? `Git revision ${ref.value}` : `This URL`;
  const verb = ref.kind === 'git-tag' ? 'is' : 'downloads';
  const target = badVersion ?? tagVersion(ref.value);
  const safe = target ? nearestFirst('upstream', target, upstream) : upstream;
  let advice = '';
  let fixes: Fix[] = [];
  if (ref.guardedBy && ref.guardedBy.length > 0) {
    advice = ` Not fixed automatically: the checksum that guards it would no longer match; download ${safe[0] ?? 'a safe release'} and update the URL and its checksum together.`;
  } else if (target && safe.length > 0) {
    const fix = ref.origins ? versionSpotsFix(ref, ref.origins, target, safe[0]!, ctx) : { fixes: artifactFix(ref, target, safe[0]!, ctx) };
    fixes = fix.fixes;
    advice = fixes.length > 0 ? ` Use ${safe[0]} instead.` : ` Use ${safe[0]} instead; ${fix.reason ?? 'the version is not a single token here'}, so no edit is offered.`;
  }
  return { ...base, safe, severity, code: 'compromised-artifact', fixes, message: `${subject} ${verb} ${what} (${advisory.id}).${advice}` };
}

/**
 * Replaces every spelling of the bad version inside an artifact's value, wherever each is written (the URL's own
 * text, an ARG default), so that the value no longer names it; or no edit, with the reason, when any spelling
 * comes from a place this fix cannot change. A value that names the version twice through one ARG gets one edit.
 */
function versionSpotsFix(ref: ArtifactReference, runs: readonly Origin[], bad: string, good: string, ctx: FindingContext): { fixes: Fix[]; reason?: string } {
  const spots = new Map<number, number>();
  const origins: Array<number | string> = [];
  for (const run of runs) for (let i = run.from; i < run.to; i++) origins.push('at' in run ? run.at + (i - run.from) : run.variable);
  for (let at = ref.value.indexOf(bad); at >= 0; at = ref.value.indexOf(bad, at + bad.length)) {
    const from = origins.slice(at, at + bad.length);
    const blocker = from.find((o): o is string => typeof o === 'string');
    if (blocker !== undefined) return { fixes: [], reason: `part of the version comes from ${blocker === '' ? 'text that is not written in this file' : `\${${blocker}}`}, which this fix cannot change` };
    const start = from[0] as number;
    if (from.some((o, i) => o !== start + i)) return { fixes: [], reason: 'the version is not written in one piece here' };
    spots.set(start, start + bad.length);
  }
  if (spots.size === 0) return { fixes: [], reason: 'the value does not spell the version' };
  const edits = [...spots].sort((a, b) => a[0] - b[0]).map(([start, end]) => ({ uri: ctx.uri, range: { start: ctx.text.positionAt(start), end: ctx.text.positionAt(end) }, newText: good, expected: bad }));
  if (edits.some((e) => ctx.text.slice(e.range) !== bad)) return { fixes: [], reason: 'the version is not written as it reads here' };
  return { fixes: [{ title: `Use ${good} instead of ${bad}`, edits }] };
}

/** Replaces the bad version inside the token (URL, tag or ARG default) with the safe one. */
function artifactFix(ref: ArtifactReference, bad: string, good: string, ctx: FindingContext): Fix[] {
  const range = ref.edit ?? ref.range;
  const expected = ctx.text.slice(range);
  if (!expected.includes(bad)) return [];
  const newText = expected.split(bad).join(good);
  return [{ title: `Use ${good} instead of ${bad}`, edits: [{ uri: ctx.uri, range, newText, expected }] }];
}

/** The finding for a base image dated into a compromise window. */
export function imageFinding(ref: ArtifactReference, match: ImageMatch): Finding {
  const advisory = advisoryRef(match.record);
  const { window } = match;
  return {
    reference: ref, advisory, affected: [], safe: [], fixes: [], severity: 'warning', code: 'image-in-compromise-window',
    ...(window.note ? { note: sentence(window.note) } : {}),
    message: `${ref.value} is dated ${match.date}, inside ${window.from} to ${window.to}, when builds of this image could ship a compromised package (${advisory.id}). Use a tag dated after ${window.to}.`,
  };
}

/** The advisory as a finding cites it. */
export function advisoryRef(record: OsvRecord): AdvisoryRef {
  return { id: displayId(record), aliases: record.aliases ?? [], summary: record.summary ?? '', url: advisoryUrl(record) };
}

/** `xz-utils backdoor, CVE-2024-3094`: the incident's name and the id users know, each said once. */
function incident(record: OsvRecord, id: string): string {
  const full = (record.database_specific?.incident ?? '').trim();
  const name = full.endsWith(`(${id})`) ? full.slice(0, -id.length - 2).trim() : full;
  return name === '' ? id : `${name}, ${id}`;
}

/** The upstream safe releases a record names (its `upstream` entries), for artifact fixes. */
function upstreamSafe(record: OsvRecord): string[] {
  return (record.affected ?? []).filter((a) => a.package.ecosystem === 'upstream').flatMap((a) => a.database_specific?.safe ?? []);
}

/** The release a git revision names (`v5.6.1` → `5.6.1`); undefined for a commit hash, which names no release. */
function tagVersion(value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (at < 0) return undefined;
  const rev = value.slice(at + 1);
  return /^[0-9a-f]{7,64}$/i.test(rev) ? undefined : rev.replace(/^v/, '');
}

function list(versions: readonly string[]): string {
  return versions.length <= 3 ? versions.join(', ') : `${versions.slice(0, 3).join(', ')} and ${versions.length - 3} more`;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
