/**
 * The LSP stress test: cycles of hundreds of documents of every format (seeds and fuzzed seeds), thousands of
 * incremental edits, hovers and code actions at random positions between them, malformed params and unknown
 * methods. Every request must be answered, with a result or a JSON-RPC error, the server must not exit, closed
 * documents must keep no diagnostics, and the server's resident memory (VmRSS in /proc/<pid>/status, Linux)
 * must stay flat from one cycle to the next once warm: the bound is `rssGrowthMb` between the end of the second
 * cycle and the end of the last, generous against the allocator's slack and far below what keeping each closed
 * document (or its analysis) would cost.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { seeds, type FormatKey } from '../fuzz/corpus';
import { mutate, random, type Random } from '../fuzz/mutate';
import { repoRoot, start, type Session } from './client';

const files: { name: string; key?: FormatKey; languageId: string }[] = [
  { name: 'Dockerfile', key: 'dockerfile', languageId: 'dockerfile' },
  { name: 'APKBUILD', key: 'apkbuild', languageId: 'apkbuild' },
  { name: 'PKGBUILD', key: 'pkgbuild', languageId: 'pkgbuild' },
  { name: 'package-lock.json', key: 'package-lock', languageId: 'json' },
  { name: 'package.json', key: 'package-json', languageId: 'json' },
  { name: 'requirements.txt', key: 'requirements', languageId: 'pip-requirements' },
  { name: 'Cargo.lock', key: 'cargo-lock', languageId: 'toml' },
  { name: 'notes.md', languageId: 'markdown' },
];
const cycles = Number(process.env.STRESS_CYCLES ?? 4);
const documentsPerCycle = 200;
const editsPerCycle = 2000;
const rssGrowthMb = 40;
const corpus = seeds(repoRoot);
// The stress inputs are small (a few KB): the fuzzer covers large and slow ones; this test is about the protocol.
const small = Object.fromEntries(Object.entries(corpus).map(([k, list]) => [k, list.filter((s) => s.text.length < 4096)])) as typeof corpus;

let session: Session;
before(async () => {
  session = await start({ settings: { debounceMs: 0 } });
});
after(async () => {
  if (session.server.exitCode === null && !session.server.killed) await session.close();
});

function rssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

/** How a request was answered: 'result', or the JSON-RPC error code; fails when there is no answer in 20 s. */
async function answer(request: Promise<unknown>, what: string): Promise<'result' | number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what}`)), 20_000)));
  try {
    await Promise.race([request, timeout]);
    return 'result';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'number') throw error;
    return code;
  } finally {
    clearTimeout(timer);
  }
}

function textOf(file: (typeof files)[number], rng: Random): string {
  if (!file.key) return '# notes\n\nxz-utils=5.6.1-1\n';
  const list = small[file.key];
  const base = rng.pick(list).text;
  return rng.next() < 0.5 ? base : mutate(base, rng, rng.pick(list).text).slice(0, 8192);
}

/** A position in the document, or now and then one past its end (a client with a stale view may send it). */
function positionIn(doc: TextDocument, rng: Random): { line: number; character: number } {
  if (rng.next() < 0.1) return { line: doc.lineCount + rng.int(5), character: rng.int(200) };
  return doc.positionAt(rng.int(doc.getText().length + 1));
}

const malformed: [string, unknown][] = [
  [HoverRequest.method, {}],
  [HoverRequest.method, { textDocument: { uri: 'file:///tmp/x/Dockerfile' }, position: { line: 'a', character: 0 } }],
  [HoverRequest.method, { textDocument: {}, position: { line: 0, character: 0 } }],
  [HoverRequest.method, null],
  [CodeActionRequest.method, { textDocument: { uri: 'file:///tmp/x/Dockerfile' }, range: null, context: { diagnostics: [] } }],
  [CodeActionRequest.method, { textDocument: { uri: 'file:///tmp/x/Dockerfile' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{}] } }],
  [CodeActionRequest.method, [1, 2, 3]],
  ['workspace/executeCommand', { command: 42 }],
  ['pinwatch/unknown', { any: 'thing' }],
  ['textDocument/definition', { textDocument: { uri: 'file:///tmp/x/Dockerfile' }, position: { line: 0, character: 0 } }],
  ['$/unknownRequest', {}],
];

test('hundreds of documents, thousands of incremental edits, hovers, code actions and bad requests: every request answered, memory flat after closing', { timeout: 120_000 }, async () => {
  const rng = random(Number(process.env.FUZZ_SEED ?? 1));
  const answers = new Map<string, number>();
  const rss: number[] = [];
  let requests = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const docs: { uri: string; doc: TextDocument }[] = [];
    for (let i = 0; i < documentsPerCycle; i++) {
      const file = files[i % files.length]!;
      const uri = `file:///tmp/pinwatch-stress/c${cycle}/d${i}/${file.name}`;
      const doc = TextDocument.create(uri, file.languageId, 1, textOf(file, rng));
      docs.push({ uri, doc });
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: file.languageId, version: 1, text: doc.getText() } });
    }
    const pending: Promise<'result' | number>[] = [];
    for (let e = 0; e < editsPerCycle; e++) {
      const entry = rng.pick(docs);
      const [a, b] = [entry.doc.positionAt(rng.int(entry.doc.getText().length + 1)), entry.doc.positionAt(rng.int(entry.doc.getText().length + 1))];
      const range = entry.doc.offsetAt(a) <= entry.doc.offsetAt(b) ? { start: a, end: b } : { start: b, end: a };
      const span = entry.doc.offsetAt(range.end) - entry.doc.offsetAt(range.start);
      // Mostly small edits, as typing makes; now and then a paste from a seed.
      const text = rng.next() < 0.9 ? rng.pick(['', 'x', '5', '.', '\n', '"', '$', '=', '5.6.1', ' ', '\r\n']) : rng.pick(small.dockerfile).text.slice(0, 300);
      const change = { range: span > 200 ? { start: range.start, end: range.start } : range, text };
      entry.doc = TextDocument.update(entry.doc, [change], entry.doc.version + 1);
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: entry.uri, version: entry.doc.version }, contentChanges: [change] });
      if (e % 5 === 0) {
        const target = rng.pick(docs);
        pending.push(answer(session.connection.sendRequest(HoverRequest.method, { textDocument: { uri: target.uri }, position: positionIn(target.doc, rng) }), 'hover'));
        const start = positionIn(target.doc, rng);
        pending.push(answer(session.connection.sendRequest(CodeActionRequest.method, { textDocument: { uri: target.uri }, range: { start, end: start }, context: { diagnostics: [] } }), 'code action'));
        requests += 2;
      }
      if (e % 40 === 0) {
        const [method, params] = rng.pick(malformed);
        pending.push(answer(session.connection.sendRequest(method, params), method));
        requests++;
      }
    }
    for (const a of await Promise.all(pending)) answers.set(String(a), (answers.get(String(a)) ?? 0) + 1);
    for (const { uri } of docs) await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    // Answered after every close before it: the server has handled them all.
    assert.equal(await answer(session.connection.sendRequest(HoverRequest.method, { textDocument: { uri: docs[0]!.uri }, position: { line: 0, character: 0 } }), 'hover'), 'result');
    const uris = new Set(docs.map((d) => d.uri));
    const last = new Map(session.published.filter((p) => uris.has(p.uri)).map((p) => [p.uri, p.diagnostics.length]));
    assert.ok(last.size > 0, 'documents were analysed');
    assert.deepStrictEqual([...last].filter(([, n]) => n > 0), [], 'closed documents keep no diagnostics');
    session.published.length = 0;
    const mb = rssMb(session.server.pid!);
    if (mb !== undefined) rss.push(mb);
  }
  assert.equal(session.server.exitCode, null, 'the server is running');
  const total = [...answers.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, requests, 'every request was answered');
  // Only results, invalid params (-32602) and method not found (-32601): no internal error (-32603).
  assert.deepStrictEqual([...answers.keys()].filter((k) => k !== 'result' && k !== '-32602' && k !== '-32601'), []);
  process.stdout.write(`# stress: ${cycles * documentsPerCycle} documents, ${cycles * editsPerCycle} edits, ${requests} requests ${JSON.stringify(Object.fromEntries(answers))}, VmRSS by cycle ${rss.map((m) => m.toFixed(0)).join(', ')} MB\n`);
  if (rss.length === cycles) assert.ok(rss[cycles - 1]! - rss[1]! < rssGrowthMb, `VmRSS grew from ${rss[1]!.toFixed(0)} MB to ${rss[cycles - 1]!.toFixed(0)} MB`);
});
