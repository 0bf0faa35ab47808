/**
 * Dockerfiles and Containerfiles: `dockerfile-ast` gives the instructions (FROM, ARG, ENV, RUN, ADD) with ranges,
 * and the shell scanner in ./shell reads each RUN's command text. ARG and ENV are scoped per stage as BuildKit
 * scopes them: a global ARG is seen in a stage only when the stage declares it again; ENV (not ARG) carries over
 * to a stage built `FROM` an earlier one.
 */
import { DockerfileParser, type Add, type Dockerfile, type From, type Instruction, type Onbuild, type PropertyInstruction, type Run, type Shell } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ArtifactReference, Extracted, Format, Range } from '../model';
import { formatPatterns } from './patterns';
import { normaliseRepo } from './shell/artifacts';
import { imageDistro, type Distro } from './shell/distro';
import { commandStart, joinContinuations, jsonWord, splitInstructions, type InstructionSpan } from './shell/dockerText';
import { expandWord, locate, type Binding, type Expansion, type Lookup, type Span } from './shell/expand';
import { artifactReference, pinReference, type ToRange } from './shell/references';
import { analyzeCommands, analyzeScript, isPosixShell } from './shell/script';
import { scanValue, type ShellSource } from './shell/words';

/** The Dockerfile format: base image tags, pinned package installs and downloaded artifacts. */
export const dockerfile: Format = {
  id: 'docker/Dockerfile',
  patterns: [...formatPatterns['docker/Dockerfile']],
  commentPrefix: '#',
  // The parse is linear but slow (about 1 s per MB: 0.93 s at 1.1 MB, 4.6 s at 4.4 MB, measured 2026-12-01); past
  // 8 MB a text is generated data, and the editor would stall reading it. A longer file is reported as not read.
  maxLength: 8 * 1024 * 1024,
  extract(text: string, _path: string): Extracted[] {
    try {
      return extractDockerfile(text);
    } catch {
      // The parser is third-party code: a total format answers with nothing rather than throwing.
      return [];
    }
  },
};

/** A variable's binding, or null when it is declared without a value (it comes from `--build-arg`). */
type Scope = Map<string, Binding | null>;

interface Stage {
  name?: string;
  distro?: Distro;
  env: Scope;
  args: Scope;
  /** False after `SHELL ["powershell", …]` or on a Windows image: shell-form RUN is then not POSIX shell. */
  posix: boolean;
  urls: Array<{ ref: ArtifactReference; own: string[] }>;
  checksums: string[];
}

interface Context { text: string; doc: TextDocument; toRange: ToRange; escape: string; out: Extracted[] }

/**
 * What the reader does with each instruction: dockerfile-ast's object for those it reads through it, and the
 * offsets alone for a shell-form RUN (whose command the shell reader reads) and the instructions it does not read.
 */
type Item = { instruction: Instruction } | { span: InstructionSpan };

/** The instructions read through dockerfile-ast: the others are blanked before it parses the text (see `items`). */
const parsedKeywords: ReadonlySet<string> = new Set(['FROM', 'ARG', 'ENV', 'ADD', 'SHELL', 'ONBUILD']);

/**
 * A Dockerfile's instructions, in order. dockerfile-ast builds objects for every argument of every instruction as
 * it parses (most of the time on a long RUN), so the text is split here first (`splitInstructions`), and
 * dockerfile-ast parses a copy in which every instruction it is not needed for (a shell-form RUN, COPY, LABEL, …)
 * is blanked out, each character but line ends replaced by a space: the same offsets, lines and instructions, less
 * to build. It must then give exactly the instructions kept, where they were; a text the split leaves to
 * dockerfile-ast, or any disagreement, and the whole text is parsed as written (`exhaustive` asks for that).
 */
export function dockerfileItems(text: string, exhaustive = false, doc = TextDocument.create('pinwatch:dockerfile', 'dockerfile', 0, text)): { items: Item[]; escape: string } {
  const spans = exhaustive ? undefined : splitInstructions(text);
  if (spans) {
    const kept = spans.filter((span) => {
      const keyword = span.keyword.toUpperCase();
      // An exec-form RUN (`RUN ["sh", "-c", …]`) is read from dockerfile-ast's JSON strings.
      return parsedKeywords.has(keyword) || (keyword === 'RUN' && text[commandStart(text, '\\', span.keywordEnd, span.end)] === '[');
    });
    const keptSet = new Set(kept);
    const pieces: string[] = [];
    let at = 0;
    for (const span of spans) {
      if (keptSet.has(span)) continue;
      // Each line's part of the instruction becomes as many spaces; the line ends stay.
      pieces.push(text.slice(at, span.start), text.slice(span.start, span.end).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)));
      at = span.end;
    }
    pieces.push(text.slice(at));
    const reduced = pieces.join('');
    const parsed = DockerfileParser.parse(reduced);
    const instructions = parsed.getInstructions();
    const agrees =
      parsed.getEscapeCharacter() === '\\' &&
      instructions.length === kept.length &&
      instructions.every((instruction, i) => {
        const range = instruction.getRange();
        const span = kept[i]!;
        return doc.offsetAt(range.start) === span.start && doc.offsetAt(range.end) === span.end && instruction.getKeyword() === span.keyword.toUpperCase();
      });
    if (agrees) {
      const byStart = new Map(instructions.map((instruction, i) => [kept[i]!.start, instruction]));
      return { items: spans.map((span) => (byStart.has(span.start) ? { instruction: byStart.get(span.start)! } : { span })), escape: '\\' };
    }
  }
  const parsed: Dockerfile = DockerfileParser.parse(text);
  return { items: parsed.getInstructions().map((instruction) => ({ instruction })), escape: parsed.getEscapeCharacter() };
}

/** The references of a Dockerfile; `exhaustive` parses the whole text with dockerfile-ast (the differential test compares both). */
export function extractDockerfile(text: string, exhaustive = false): Extracted[] {
  const doc = TextDocument.create('pinwatch:dockerfile', 'dockerfile', 0, text);
  const { items, escape } = dockerfileItems(text, exhaustive, doc);
  const toRange: ToRange = (span) => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });
  const cx: Context = { text, doc, toRange, escape, out: [] };
  const globals: Scope = new Map();
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const item of items) {
    try {
      if ('span' in item) {
        // A blanked instruction: only a shell-form RUN says anything.
        if (stage && item.span.keyword.toUpperCase() === 'RUN') run(cx, item.span.keywordEnd, item.span.end, stage);
        continue;
      }
      const instruction = triggerOf(item.instruction);
      const keyword = instruction.getKeyword();
      if (keyword === 'FROM') {
        if (stage) closeStage(stage);
        stage = fromStage(cx, instruction as From, globals, stages);
        stages.push(stage);
      } else if (keyword === 'ARG') {
        declare(cx, instruction as PropertyInstruction, stage ? stage.args : globals, stage ? scopeLookup(stage) : globalLookup(globals), stage ? globals : undefined);
      } else if (keyword === 'ENV' && stage) {
        declare(cx, instruction as PropertyInstruction, stage.env, scopeLookup(stage), undefined);
      } else if (keyword === 'RUN' && stage) {
        run(cx, cx.doc.offsetAt(instruction.getInstructionRange().end), cx.doc.offsetAt(instruction.getRange().end), stage, instruction as Run);
      } else if (keyword === 'ADD' && stage) {
        add(cx, instruction as Add, stage);
      } else if (keyword === 'SHELL' && stage) {
        const program = (instruction as Shell).getJSONStrings()[0]?.getJSONValue() ?? '';
        stage.posix = isPosixShell(program.slice(program.lastIndexOf('/') + 1));
      }
    } catch {
      // One unreadable instruction must not hide the references in the others.
    }
  }
  if (stage) closeStage(stage);
  return cx.out
    .map((ref, index) => ({ ref, index }))
    .sort((a, b) => a.ref.range.start.line - b.ref.range.start.line || a.ref.range.start.character - b.ref.range.start.character || a.index - b.index)
    .map((entry) => entry.ref);
}

/**
 * The instruction to read for `written`: an `ONBUILD RUN`/`ONBUILD ADD` is read as its trigger, because the pins
 * in it are installed by every image built FROM this one. Other triggers (ARG, ENV, FROM, …) would change this
 * stage's scope, which they do not, so they are left as the ONBUILD they are and read as nothing.
 */
function triggerOf(written: Instruction): Instruction {
  if (written.getKeyword() !== 'ONBUILD') return written;
  const trigger = (written as Onbuild).getTriggerInstruction();
  const keyword = trigger?.getKeyword();
  return trigger && (keyword === 'RUN' || keyword === 'ADD') ? trigger : written;
}

const globalLookup = (globals: Scope): Lookup => (name) => globals.get(name) ?? undefined;

/** ENV wins over ARG of the same name, as in BuildKit. */
const scopeLookup = (stage: Stage): Lookup => (name) => (stage.env.has(name) ? stage.env.get(name) ?? undefined : stage.args.get(name) ?? undefined);

function span(cx: Context, range: Range): Span {
  return { start: cx.doc.offsetAt(range.start), end: cx.doc.offsetAt(range.end) };
}

function sourceOf(cx: Context, range: Range): ShellSource {
  const { start, end } = span(cx, range);
  return { text: cx.text.slice(start, end), base: start };
}

/** ARG and ENV: each property's value, expanded in the scope before the instruction, bound with its source. */
function declare(cx: Context, instruction: PropertyInstruction, scope: Scope, lookup: Lookup, globals: Scope | undefined): void {
  const keyword = instruction.getKeyword();
  const updates: Array<[string, Binding | null]> = [];
  for (const property of instruction.getProperties()) {
    const name = property.getName();
    const valueRange = property.getValueRange();
    if (!valueRange) {
      // `ARG NAME` in a stage brings the global default into scope; elsewhere it only declares the name.
      if (keyword === 'ARG') updates.push([name, globals?.get(name) ?? null]);
      continue;
    }
    const word = scanValue(sourceOf(cx, valueRange));
    updates.push([name, bind(expandWord(word, lookup), `${keyword} ${name}, line ${property.getNameRange().start.line + 1}`)]);
  }
  for (const [name, binding] of updates) scope.set(name, binding);
}

/** A binding for an expanded value: its own offsets when literal, the source variable's when it is one variable. */
function bind(exp: Expansion, via: string): Binding | null {
  if (!exp.known) return null;
  const pieces = exp.pieces.filter((p) => p.to > p.from);
  if (pieces.length === 1 && pieces[0]!.param) return pieces[0]!.param.binding;
  if (pieces.length === 1 && pieces[0]!.offsets) return { value: exp.value, offsets: pieces[0]!.offsets, via };
  if (pieces.length === 0) return { value: '', offsets: [], via };
  return { value: exp.value, via };
}

function fromStage(cx: Context, from: From, globals: Scope, stages: readonly Stage[]): Stage {
  const stage: Stage = { env: new Map(), args: new Map(), posix: true, urls: [], checksums: [] };
  const stageName = from.getBuildStage();
  if (stageName) stage.name = stageName.toLowerCase();
  const imageRange = from.getImageRange();
  if (!imageRange) return stage;
  const exp = expandWord(scanValue(sourceOf(cx, imageRange)), globalLookup(globals));
  if (!exp.known) return stage;
  const image = exp.value;
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const repository = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  const parent = !tag && !repository.includes('/') ? [...stages].reverse().find((s) => s.name === repository.toLowerCase()) : undefined;
  if (parent) {
    stage.env = new Map(parent.env);
    stage.posix = parent.posix;
    if (parent.distro) stage.distro = parent.distro;
    return stage;
  }
  if (/(?:^|\/)windows\/|servercore|nanoserver/i.test(repository)) stage.posix = false;
  const distro = imageDistro(repository, tag);
  if (distro) stage.distro = distro;
  // A tag is at most 128 word characters, dots and dashes: Docker rejects any other `FROM` ("invalid reference
  // format"), so it pulls nothing (and a run of backslashes or quotes is no tag to point at).
  if (tag && repository !== 'scratch' && /^\w[\w.-]{0,127}$/.test(tag)) {
    const located = locate(exp, colon + 1, colon + 1 + tag.length);
    if (located) {
      const shortRepo = repository.replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\//, '');
      const ref: ArtifactReference = { kind: 'image', value: `${shortRepo}:${tag}`, range: cx.toRange(located.span), context: 'FROM' };
      if (located.edit) ref.edit = cx.toRange(located.edit);
      if (located.via) ref.via = located.via;
      cx.out.push(ref);
    }
  }
  return stage;
}

/**
 * RUN, from its keyword's end to its end: the shell reader reads a shell-form command; an exec form's JSON strings
 * (from dockerfile-ast's `parsed` instruction, which a blanked RUN has not) are one command.
 */
function run(cx: Context, keywordEnd: number, end: number, stage: Stage, parsed?: Run): void {
  const lookup = scopeLookup(stage);
  const describe = (name: string, at: Span) => `shell variable ${name}, line ${cx.doc.positionAt(at.start).line + 1}`;
  const start = commandStart(cx.text, cx.escape, keywordEnd, end);
  const json = parsed && cx.text[start] === '[' ? parsed.getJSONStrings() : [];
  if (json.length === 0 && !stage.posix) return;
  const facts = json.length > 0
    ? analyzeCommands([{ words: json.map((s) => { const at = span(cx, s.getJSONRange()); return jsonWord(cx.text, at.start, at.end); }), redirects: [], pipeline: 0 }], lookup, { describe })
    : analyzeScript(joinContinuations(cx.text, cx.escape, start, end), lookup, { describe, bareHeredocRuns: true });
  for (const pin of facts.installs) {
    const ref = pinReference(pin, stage.distro, cx.toRange);
    if (ref) cx.out.push(ref);
  }
  for (const artifact of facts.artifacts) {
    const ref = artifactReference(artifact, cx.toRange);
    if (!ref) continue;
    if (ref.kind === 'url') stage.urls.push({ ref, own: [] });
    if (ref.kind === 'sha256' || ref.kind === 'sha512') stage.checksums.push(ref.value);
    cx.out.push(ref);
  }
}

/** ADD: remote sources (URLs, git repositories with `#ref`) and the `--checksum=sha256:…` that guards them. */
function add(cx: Context, instruction: Add, stage: Stage): void {
  const lookup = scopeLookup(stage);
  const own: string[] = [];
  for (const flag of instruction.getFlags()) {
    const valueRange = flag.getValueRange();
    if (flag.getName() !== 'checksum' || !valueRange) continue;
    const exp = expandWord(scanValue(sourceOf(cx, valueRange)), lookup);
    const m = /^(sha256|sha512):([0-9a-fA-F]+)$/.exec(exp.value);
    if (!exp.known || !m || m[2]!.length !== (m[1] === 'sha256' ? 64 : 128)) continue;
    const ref = artifactReference({ kind: m[1] as 'sha256' | 'sha512', value: m[2]!.toLowerCase(), context: 'ADD --checksum', exp, from: m[1]!.length + 1, to: exp.value.length }, cx.toRange);
    if (ref) { own.push(ref.value); cx.out.push(ref); }
  }
  const args = instruction.getArguments();
  for (const arg of args.slice(0, -1)) {
    const exp = expandWord(scanValue(sourceOf(cx, arg.getRange())), lookup);
    if (!exp.known || !/^(?:https?|ftp|git):\/\/|^git@/i.test(exp.value)) continue;
    const hash = exp.value.indexOf('#');
    const repo = hash > 0 && /\.git$|^git@|^git:|github\.com\//.test(exp.value.slice(0, hash)) ? normaliseRepo(exp.value.slice(0, hash)) : undefined;
    if (repo && hash + 1 < exp.value.length) {
      const ref = artifactReference({ kind: 'git-tag', value: `${repo}@${exp.value.slice(hash + 1)}`, context: 'ADD', exp, from: hash + 1, to: exp.value.length }, cx.toRange);
      if (ref) cx.out.push(ref);
      continue;
    }
    if (!/^(?:https?|ftp):\/\//i.test(exp.value)) continue;
    const ref = artifactReference({ kind: 'url', value: exp.value, context: 'ADD', exp, from: 0, to: exp.value.length }, cx.toRange);
    if (ref) { stage.urls.push({ ref, own }); cx.out.push(ref); }
  }
}

/** Sets `guardedBy` on the stage's URLs once every checksum in the stage is known. */
function closeStage(stage: Stage): void {
  const shared = [...new Set(stage.checksums)];
  for (const { ref, own } of stage.urls) {
    // URLs without checksums of their own share one array: a long file can have thousands of both.
    const guards = own.length > 0 ? [...new Set([...own, ...shared])] : shared;
    if (guards.length > 0) ref.guardedBy = guards;
  }
}
