/**
 * RPM spec files (`*.spec`, Fedora's and openSUSE's packaging): the package the spec builds (Name, Epoch, Version,
 * Release after macro expansion, `%{?dist}` included), its versioned `BuildRequires`/`Requires`, its `Source`
 * URLs, and the downloads and installs of its `%prep`/`%build`/`%install`/`%check` sections, read as shell by the
 * shell reader. Macros are expanded by ./rpm/macros.ts, bounded, with every character's origin kept. `%changelog`,
 * `%description` and `%files` are not read: a changelog line names old releases, not pins.
 */
import type { ArtifactReference, Extracted, Format, PackageReference, Range } from '../model';
import { formatPatterns } from './patterns';
import { inOrder, originsOf, rebuildReason, repeatsOwnPackage, unreadable, type Located } from './recipeReferences';
import { expandMacros, macroContext, type Macro, type MacroContext } from './rpm/macros';
import type { RChar } from './shell/bashExpand';
import { sliceField, wholeField, type Field } from './shell/fields';
import { artifactReference, pinReference } from './shell/references';
import { analyzeScript } from './shell/script';
import type { Distro } from './shell/distro';
import type { ShellSource } from './shell/words';
import { lineIndex, type LineIndex } from './textPositions';

/** The RPM spec format. */
export const rpmSpec: Format = {
  id: 'rpm/spec',
  patterns: [...formatPatterns['rpm/spec']],
  commentPrefix: '#',
  // Real specs are tens of KB; past 4 MB a text is generated data, reported as not read.
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    try {
      return extractSpec(text, path);
    } catch (error) {
      return [unreadable('spec file', error)];
    }
  },
};

const shellSections = new Set(['prep', 'build', 'install', 'check', 'conf', 'generate_buildrequires']);
const section = /^%(package|description|files|changelog|prep|build|install|check|conf|clean|pre|post|preun|postun|pretrans|posttrans|preuntrans|postuntrans|trigger\w*|filetrigger\w*|transfiletrigger\w*|verifyscript|sepolicy|generate_buildrequires|sourcelist|patchlist)(?=\s|$)/;
const conditionalOpen = /^%(if|ifarch|ifnarch|ifos|ifnos)(?=\s|$)/;
const tagLine = /^([A-Za-z][A-Za-z0-9]*)(\([^)]*\))?[ \t]*:[ \t]*/;
const definition = /^%(global|define)[ \t]+([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?(?:[ \t]+|$)/;
const macroTags = new Set(['name', 'version', 'release', 'epoch', 'url', 'summary', 'license']);
const signature = /\.(?:sig|asc|sign)$/i;

interface Spec {
  text: string;
  pos: LineIndex;
  ctx: MacroContext;
  located: Located<Extracted>[];
  /** The last unconditional value of each of Name, Epoch, Version, Release in the main preamble. */
  own: Map<string, Field>;
  /** Names the spec builds: Name and each `%package`. */
  built: Set<string>;
  deps: { field: Field; tag: string }[];
  sources: { field: Field; tag: string }[];
  shell: RChar[][];
}

function extractSpec(text: string, path: string): Extracted[] {
  const pos = lineIndex(text);
  const ctx = macroContext(text);
  const spec: Spec = { text, pos, ctx, located: [], own: new Map(), built: new Set(), deps: [], sources: [], shell: [] };
  const fedora = /(?:^|[\\/])fc?(\d{2,3})(?=[\\/])/.exec(path);
  if (fedora && !/%(global|define)[ \t]+dist\b/.test(text)) {
    const via = `the Fedora ${fedora[1]} branch in the path`;
    ctx.macros.set('dist', { chars: literalChars(`.fc${fedora[1]}`), via });
    ctx.macros.set('fedora', { chars: literalChars(fedora[1]!), via });
  }
  const nul = text.indexOf('\0');
  const end = nul < 0 ? text.length : nul;
  if (nul >= 0) {
    spec.located.push({ at: nul, reference: { kind: 'problem', reason: 'syntax', message: 'This spec file holds binary data from here, so Pinwatch did not read it past this point.', range: pos.range(nul, nul) } });
  }
  readLines(spec, end);
  for (const p of ctx.problems) spec.located.push({ at: p.start, reference: { kind: 'problem', reason: p.reason, message: p.message, range: pos.range(p.start, p.end) } });
  const distro = specDistro(spec, path);
  const own = ownPackage(spec, distro);
  if (own) spec.located.push(own);
  for (const { field, tag } of spec.deps) {
    for (const dep of dependencies(spec, field, tag, distro)) if (!repeatsOwnPackage(dep, own, spec.built)) spec.located.push(dep);
  }
  for (const { field, tag } of spec.sources) {
    const url = sourceUrl(spec, field, tag);
    if (url) spec.located.push(url);
  }
  for (const chars of spec.shell) for (const ref of shellReferences(spec, chars, distro)) spec.located.push(ref);
  return inOrder(spec.located);
}

/** Characters for a value that is not written in the file (from its path). */
function literalChars(value: string): RChar[] {
  return [...value].map((ch) => ({ ch, start: 0, end: 0 }));
}

/** Walks the spec line by line: definitions, conditionals, sections, tags, and the shell sections' text. */
function readLines(spec: Spec, end: number): void {
  const { text, ctx } = spec;
  let kind: 'preamble' | 'package' | 'shell' | 'other' = 'preamble';
  let shell: RChar[] | undefined;
  let depth = 0;
  let at = 0;
  while (at < end) {
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let next = lineEnd + 1;
    const indent = at + (/^[ \t]*/.exec(text.slice(at, Math.min(lineEnd, at + 256)))?.[0].length ?? 0);
    const head = text.slice(indent, Math.min(lineEnd, indent + 256));
    const def = definition.exec(head);
    if (def) {
      // A body continues on the next line after a trailing backslash.
      let bodyEnd = lineEnd;
      while (bodyEnd < end && /\\\r?$/.test(text.slice(Math.max(at, bodyEnd - 2), bodyEnd)) && bodyEnd + 1 < end) {
        const more = text.indexOf('\n', bodyEnd + 1);
        bodyEnd = more < 0 || more > end ? end : more;
      }
      next = bodyEnd + 1;
      define(spec, def, indent + def[0].length, trimEnd(text, indent + def[0].length, bodyEnd), depth > 0);
    } else if (conditionalOpen.test(head)) depth += 1;
    else if (/^%endif(?=\s|$)/.test(head)) depth = Math.max(0, depth - 1);
    else if (/^%(else|elif\w*)(?=\s|$)/.test(head)) { /* the branches stay conditional */ }
    else if (/^%undefine[ \t]/.test(head)) ctx.macros.delete(head.slice('%undefine'.length).trim());
    else if (section.test(head)) {
      const name = section.exec(head)![1]!;
      shell = undefined;
      if (name === 'package') {
        kind = 'package';
        subpackage(spec, indent + '%package'.length, trimEnd(text, indent, lineEnd));
      } else if (shellSections.has(name)) {
        kind = 'shell';
        shell = [];
        spec.shell.push(shell);
      } else kind = 'other';
    } else if (kind === 'shell' && shell) {
      for (const c of expandMacros(ctx, at, trimEnd(text, at, lineEnd))) shell.push(c);
      shell.push({ ch: '\n', start: lineEnd, end: lineEnd + 1 });
    } else if ((kind === 'preamble' || kind === 'package') && !head.startsWith('#')) {
      const tag = tagLine.exec(head);
      if (tag) readTag(spec, tag[1]!.toLowerCase(), tag[1]! + (tag[2] ?? ''), indent + tag[0].length, trimEnd(text, indent, lineEnd), kind === 'preamble', depth > 0);
    }
    at = next;
  }
}

/** The offset before trailing blanks (and a `\r`) of text[from, to). */
function trimEnd(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && /[ \t\r]/.test(text[e - 1]!)) e--;
  return e;
}

/** `%global` (expanded now) or `%define` (expanded where used); parametric or conditional ones are unknown. */
function define(spec: Spec, def: RegExpExecArray, from: number, to: number, conditional: boolean): void {
  const [, how, name, params] = def as unknown as [string, string, string, string | undefined];
  const via = `%${how} ${name}, line ${spec.pos.line(from) + 1}`;
  let macro: Macro;
  if (conditional || params !== undefined) macro = { unknown: true, via };
  else if (how === 'global') macro = { chars: expandMacros(spec.ctx, from, to), via };
  else macro = { body: { from, to }, via };
  spec.ctx.macros.set(name, macro);
}

/** `%package NAME` (a subpackage `<name>-NAME`) or `%package -n NAME`. */
function subpackage(spec: Spec, from: number, to: number): void {
  const chars = expandMacros(spec.ctx, from, to);
  const words = chars.map((c) => (c.poison ? '\0' : c.ch)).join('').trim().split(/\s+/);
  const n = words.indexOf('-n');
  const own = spec.own.get('name');
  const base = own ? fieldValue(own) : undefined;
  const name = n >= 0 ? words[n + 1] : base && words[0] ? `${base}-${words[0]}` : undefined;
  if (name && !name.includes('\0')) spec.built.add(name);
}

function readTag(spec: Spec, tag: string, written: string, from: number, to: number, main: boolean, conditional: boolean): void {
  const chars = expandMacros(spec.ctx, from, to);
  const field = trimmed(wholeField({ chars, start: from, end: to }));
  if (main && macroTags.has(tag)) {
    const via = `${written}, line ${spec.pos.line(from) + 1}`;
    spec.ctx.macros.set(tag, conditional ? { unknown: true, via } : { chars, via });
    if (conditional) spec.own.delete(tag);
    else spec.own.set(tag, field);
    if (tag === 'name' && field.value) spec.built.add(field.value);
  }
  if (tag === 'buildrequires' || tag === 'requires') spec.deps.push({ field, tag: written });
  if (tag === 'source' || /^source\d+$/.test(tag)) spec.sources.push({ field, tag: written });
}

/** A field without the blanks an empty macro left at its ends. */
function trimmed(field: Field): Field {
  const blank = (c: RChar): boolean => !c.poison && /\s/.test(c.ch);
  let a = 0;
  let b = field.chars.length;
  while (a < b && blank(field.chars[a]!)) a++;
  while (b > a && blank(field.chars[b - 1]!)) b--;
  return a === 0 && b === field.chars.length ? field : sliceField(field, a, b);
}

function fieldValue(field: Field): string | undefined {
  return field.value?.trim() || undefined;
}

/** Fedora when the release or path names a `.fcNN` dist, openSUSE when the file or path says so; else Fedora's scheme and name. */
function specDistro(spec: Spec, path: string): Distro {
  const release = spec.own.get('release');
  const fc = release?.value ? /\.fc(\d+)(?:\.|$)/.exec(release.value) : null;
  if (fc) return { ecosystem: 'Fedora', tool: 'rpm', suite: `fc${fc[1]}` };
  const header = spec.text.slice(0, 4096);
  if (/(?:^|[\\/])(?:opensuse|suse|obs)[^\\/]*[\\/]/i.test(path) || /^#.*\b(?:SUSE LLC|SUSE Linux|openSUSE)\b/m.test(header)) return { ecosystem: 'openSUSE', tool: 'rpm' };
  return { ecosystem: 'Fedora', tool: 'rpm' };
}

/** The package the spec builds: `[epoch:]version-release`, placed on the Version value; never given an edit. */
function ownPackage(spec: Spec, distro: Distro): Located<PackageReference> | undefined {
  const name = spec.own.get('name');
  const version = spec.own.get('version');
  const release = spec.own.get('release');
  const epoch = spec.own.get('epoch');
  const values = [name, version, release].map((f) => (f ? fieldValue(f) : undefined));
  const epochValue = epoch ? fieldValue(epoch) : '';
  if (values.some((v) => v === undefined || /\s/.test(v)) || epochValue === undefined || !/^\d*$/.test(epochValue)) return undefined;
  const [n, v, r] = values as [string, string, string];
  const via = [...new Set([...version!.via, ...release!.via, ...(epoch?.via ?? [])])];
  const reference: PackageReference = {
    kind: 'package',
    ecosystem: distro.ecosystem,
    ...(distro.suite ? { suite: distro.suite } : {}),
    name: n,
    version: `${epochValue && epochValue !== '0' ? `${epochValue}:` : ''}${v}-${r}`,
    range: rangeOf(spec, version!),
    ...(via.length ? { via: via.join(', ') } : {}),
    fix: { kind: 'none', reason: rebuildReason },
    context: 'spec Name/Version/Release',
    builds: true,
  };
  return { at: version!.start, reference };
}

function rangeOf(spec: Spec, field: Field): Range {
  return spec.pos.range(field.start, field.end);
}

const ownVersionMacros = new Set(['version', 'release', 'epoch']);
const operators = new Set(['=', '==', '>=', '<=', '>', '<']);

/** The versioned dependencies of a `BuildRequires`/`Requires` value: `name [op version]`, separated by commas or blanks. */
function dependencies(spec: Spec, field: Field, tag: string, distro: Distro): Located<PackageReference>[] {
  const words = splitDeps(field);
  const out: Located<PackageReference>[] = [];
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (word.value === undefined) continue;
    if (word.value.startsWith('(')) {
      // A rich dependency `(a or b)`: skipped to its close.
      let open = 0;
      for (; k < words.length; k++) {
        const v = words[k]!.value ?? '';
        open += (v.match(/\(/g)?.length ?? 0) - (v.match(/\)/g)?.length ?? 0);
        if (open <= 0) break;
      }
      continue;
    }
    let name = word;
    let op: string | undefined;
    let version: Field | undefined;
    const joined = /^([^<>=]+)(>=|<=|==|=|<|>)(.+)$/.exec(word.value);
    if (joined) {
      name = sliceField(word, 0, joined[1]!.length);
      op = joined[2]!;
      version = sliceField(word, joined[1]!.length + op.length);
    } else if (words[k + 1]?.value !== undefined && operators.has(words[k + 1]!.value!) && words[k + 2]) {
      op = words[k + 1]!.value!;
      version = words[k + 2]!;
      k += 2;
    }
    if (!op || !version || version.value === undefined || name.value === undefined || !/^[A-Za-z0-9_+.-]+$/.test(name.value)) continue;
    const ownVersion = version.chars.some((c) => c.variable !== undefined && ownVersionMacros.has(c.variable));
    const v = version.value;
    const exact = (op === '=' || op === '==') && v.includes('-');
    // rpm's `= 5.6.1` matches every release of 5.6.1: all versions from 5.6.1 up to (not including) 5.6.1^.
    const constraint = op === '=' || op === '==' ? `>=${v}, <${v}^` : `${op}${v}`;
    const reference: PackageReference = {
      kind: 'package',
      ecosystem: distro.ecosystem,
      ...(distro.suite ? { suite: distro.suite } : {}),
      name: name.value,
      ...(exact ? { version: v } : { constraint }),
      range: rangeOf(spec, version),
      ...(version.via.length ? { via: version.via.join(', ') } : {}),
      ...(ownVersion ? { fix: { kind: 'none' as const, reason: rebuildReason } } : {}),
      context: tag,
    };
    out.push({ at: version.start, reference, ...(ownVersion ? { ownVersion } : {}) });
  }
  return out;
}

/** A dependency value's words, split at blanks and commas. */
function splitDeps(field: Field): Field[] {
  const out: Field[] = [];
  let from = -1;
  field.chars.forEach((c, i) => {
    const sep = !c.poison && (c.ch === ',' || /\s/.test(c.ch));
    if (sep) {
      if (from >= 0) out.push(sliceField(field, from, i));
      from = -1;
    } else if (from < 0) from = i;
  });
  if (from >= 0) out.push(sliceField(field, from));
  return out;
}

/** A `Source` URL (its `#/name` fragment left out), as a `url` artifact over the URL. */
function sourceUrl(spec: Spec, field: Field, tag: string): Located<ArtifactReference> | undefined {
  if (field.value === undefined) return undefined;
  const hash = field.value.indexOf('#');
  const url = hash > 0 ? sliceField(field, 0, hash) : field;
  const value = url.value!.trim();
  if (!/^(?:https?|ftp):\/\/\S+$/i.test(value) || signature.test(value)) return undefined;
  const origins = originsOf(url.chars);
  const reference: ArtifactReference = { kind: 'url', value, range: rangeOf(spec, url), ...(url.via.length ? { via: url.via.join(', ') } : {}), context: tag, origins };
  return { at: url.start, reference };
}

/**
 * A shell section as a source for the shell reader: each character at its offset; the characters a macro gave sit
 * at the macro's first offset and the last at its last, so a token made of (or starting in) a macro's value spans
 * the macro; and what could not be expanded, or a value with blanks or shell syntax, reads as `$()`, a value the
 * shell reader knows it cannot compute.
 */
function shellReferences(spec: Spec, chars: readonly RChar[], distro: Distro): Located<Extracted>[] {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    let j = i + 1;
    if (c.end !== c.start + 1) while (j < chars.length && chars[j]!.start === c.start && chars[j]!.end === c.end && !chars[j]!.poison) j++;
    const value = chars.slice(i, j).map((x) => x.ch).join('');
    // A macro value the shell would split or requote cannot be placed word by word: it reads as unknown.
    const run = c.poison || (c.end !== c.start + 1 && /[\s'"\\;&|()<>$`]/.test(value)) ? '$()' : value;
    for (let k = 0; k < run.length; k++) offsets.push(k === run.length - 1 ? Math.max(c.start, c.end - 1) : c.start);
    text += run;
    i = j;
  }
  if (text.trim() === '') return [];
  offsets.push((offsets[offsets.length - 1] ?? 0) + 1);
  const source: ShellSource = { text, offsets };
  const toRange = (span: { start: number; end: number }): Range => spec.pos.range(span.start, span.end);
  const facts = analyzeScript(source, () => undefined, { describe: (name, at) => `shell variable ${name}, line ${spec.pos.line(at.start) + 1}` });
  const at = chars[0]?.start ?? 0;
  const out: Located<Extracted>[] = [];
  for (const pin of facts.installs) {
    const ref = pinReference(pin, distro, toRange);
    if (ref) out.push({ at, reference: ref });
  }
  for (const artifact of facts.artifacts) {
    const ref = artifactReference(artifact, toRange);
    if (ref) out.push({ at, reference: ref });
  }
  return out;
}
