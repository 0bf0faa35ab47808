import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dockerfileItems, extractDockerfile } from '../../../server/src/formats/dockerfile';
import { splitInstructions, type InstructionSpan } from '../../../server/src/formats/shell/dockerText';
import { generateDockerfile } from '../../../bench/dockerfiles';
import { generatedFiles } from '../../../bench/trees';
import { repoRoot } from '../../paths';

/** dockerfile-ast's instructions of a text, as `splitInstructions` gives them: keyword as written, and offsets. */
function astSpans(text: string): InstructionSpan[] {
  const doc = TextDocument.create('t', 'dockerfile', 0, text);
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => ({ keyword: i.getInstruction(), start: doc.offsetAt(i.getRange().start), keywordEnd: doc.offsetAt(i.getInstructionRange().end), end: doc.offsetAt(i.getRange().end) }));
}

function files(dir: string, pick: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path, pick);
    return pick(name) ? [path] : [];
  });
}

/** A deterministic generator, so that "random" input is the same on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
}

/** Hand-written texts at the edges of the split rules. */
const edges = [
  'FROM alpine\r\nRUN apk add \\\r\n  xz=5.6.1-r1\r\n',
  'FROM alpine\rRUN apk add \\\r  xz=5.6.1-r1\r',
  'FROM alpine\nRUN apk add \\   \n  xz=5.6.1-r1 \\ \t\n\n  curl\n',
  'FROM alpine\nRUN apk add \\\n# a comment inside\n   # another\n  xz=5.6.1-r1\nENV A=1\n',
  'FROM alpine\nRUN apk add \\\n\n\n  xz=5.6.1-r1\n',
  'FROM alpine\nRUN echo a#b \\\n  # not a comment? \\\n  xz\n',
  'FROM alpine\nRUN echo \\x \\y\nARG V=1\n',
  'FROM alpine\nRUN apk add xz \\',
  'FROM alpine\nRUN apk add xz \\   ',
  'FROM alpine\nRUN',
  'FROM alpine\nRUN\nARG X',
  'FROM alpine\nrun apk add xz=5.6.1-r1\nOnBuild RUN apk add xz=5.6.1-r1\n',
  '\uFEFFFROM alpine\nRUN apk add xz=5.6.1-r1\n',
  '\uFEFF# syntax=docker/dockerfile:1\nFROM alpine\nRUN apk add xz=5.6.1-r1\n',
  '# syntax=docker/dockerfile:1\n# check=skip=all\nFROM alpine\n',
  '# escape=`\nFROM alpine\nRUN apk add `\n  xz=5.6.1-r1\n',
  'FROM alpine\nRUN <<EOF\napk add xz=5.6.1-r1\nEOF\nRUN cat <<X > /f\nhello\nX\n',
  'FROM alpine\nRUN ["apk", "add", "xz=5.6.1-r1"]\nRUN --mount=type=cache,target=/var/cache/apk [ "apk", "add", "xz=5.6.1-r1" ]\n',
  'FROM alpine\nRUN --mount=type=cache \\\n  ["apk", "add", "xz"]\n',
  'FROM alpine\nSHELL ["/bin/ash", "-c"]\nRUN apk add xz\nSHELL ["powershell"]\nRUN apk add xz=5.6.1-r1\n',
  'FROM alpine\nUNKNOWN thing \\\n  more\nMAINTAINER someone\nRUN apk add xz=5.6.1-r1\n',
  'FROM alpine\n  \t RUN   apk add xz=5.6.1-r1  \n\t\tENV X=1\\\n  Y=2\n',
  'FROM alpine\nRU\\\nN apk add xz\n',
  'FROM alpine\nRUN a \\\\\n  b\n',
  'FROM alpine\nLABEL a="b \\\n c" d=e\nCOPY --from=x /a /b\nADD https://tukaani.org/xz/xz-5.6.1.tar.gz /x\n',
  '#!/usr/bin/env docker\nFROM alpine\n#RUN apk add xz=5.6.1-r1\nRUN apk add xz=5.6.1-r1 # trailing\n',
];

/** Base texts: the fixtures and examples that are Dockerfiles, the benchmark's generated ones, and the edges above. */
function corpus(): string[] {
  const named = [...files(join(repoRoot, 'test', 'fixtures'), () => true), ...files(join(repoRoot, 'examples'), () => true)]
    .filter((path) => /dockerfile|containerfile/i.test(path))
    .map((path) => readFileSync(path, 'utf8'));
  const generated = [20, 40, 77, 120, 200].map(generateDockerfile);
  const tree = generatedFiles(12).filter((f) => f.path.endsWith('/Dockerfile')).map((f) => f.text);
  return [...named, ...generated, ...tree, ...edges];
}

/** Mutants of the corpus: characters that the split rules turn on, put in at random places. */
function mutants(base: readonly string[], count: number): string[] {
  const next = random(7);
  const pieces = ['\\', '\\\n', '\n', '\r', '\r\n', ' ', '\t', '#', '# c\n', '[', ']', '"', "'", '=', 'RUN ', '\nRUN ', '\nFROM x\n', '\nARG A=\\\n1\n', '\nENV B ', '\\ \n', '`', '\uFEFF', '<<'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = base[next() % base.length]!;
    for (let edits = 1 + (next() % 4); edits > 0; edits--) {
      const at = next() % (text.length + 1);
      text = next() % 5 === 0 ? text.slice(0, at) + text.slice(at + 1 + (next() % 8)) : text.slice(0, at) + pieces[next() % pieces.length]! + text.slice(at);
    }
    out.push(text);
  }
  return out;
}

test('the split gives dockerfile-ast\'s instructions exactly: keyword, start, keyword end and end (corpus and 3,000 mutants)', () => {
  const texts = [...corpus(), ...mutants(corpus(), 3000)];
  let split = 0;
  for (const text of texts) {
    const spans = splitInstructions(text);
    if (spans === undefined) continue;
    split++;
    assert.deepStrictEqual(spans, astSpans(text), JSON.stringify(text));
  }
  // Most texts are split here (the others, with a heredoc or an escape directive, are left to dockerfile-ast).
  assert.ok(split > texts.length * 0.6, `${split} of ${texts.length} split`);
});

test('texts the split rules do not cover are left to dockerfile-ast', () => {
  assert.deepStrictEqual(
    ['# escape=`\nFROM a\n', '#ESCAPE = \\\nFROM a\n', 'FROM a\nRUN <<EOF\nx\nEOF\n', 'FROM a\nRUN cat <<X\n', 'FROM a\nRU\\\nN x\n', 'FROM a\nRUN x\n'].map((t) => splitInstructions(t) !== undefined),
    [false, false, false, false, false, true],
  );
});

test('the Dockerfile read with the split gives what a whole parse by dockerfile-ast gives (corpus and 3,000 mutants), most often without parsing what it blanks', () => {
  const texts = [...corpus(), ...mutants(corpus(), 3000)];
  let blanked = 0;
  for (const text of texts) {
    assert.deepStrictEqual(extractDockerfile(text), extractDockerfile(text, true), JSON.stringify(text));
    if (dockerfileItems(text).items.some((item) => 'span' in item)) blanked++;
  }
  assert.ok(blanked > texts.length * 0.5, `${blanked} of ${texts.length} read with instructions blanked`);
});

test('a blanked RUN is read as a RUN: its pins, in its stage, after the ARG and ENV before it', () => {
  const text = 'ARG V=5.6.1-r1\nFROM alpine:3.19 AS a\nARG V\nENV W=${V}\nRUN apk add \\\n  xz=$W \\\n  # comment\n  curl\nCOPY . /x\nFROM a\nRUN apk add xz-libs=${W}\n';
  const { items } = dockerfileItems(text);
  assert.deepStrictEqual(items.map((item) => ('span' in item ? `span ${item.span.keyword}` : item.instruction.getKeyword())), ['ARG', 'FROM', 'ARG', 'ENV', 'span RUN', 'span COPY', 'FROM', 'span RUN']);
  const pins = extractDockerfile(text).filter((e) => e.kind === 'package').map((e) => e.kind === 'package' && `${e.name}=${e.version} line ${e.range.start.line}`);
  assert.deepStrictEqual(pins, ['xz=5.6.1-r1 line 5', 'xz-libs=5.6.1-r1 line 10']);
});
