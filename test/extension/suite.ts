// Extension-host tests: they run inside VS Code (with the `vscode` API), started by test/extension/run.mjs either in
// code-server (here) or in a downloaded VS Code through @vscode/test-electron (`--electron`, needs internet).
// The workspace is a copy of test/e2e/workspace/. Each case's outcome goes to results.json beside this bundle,
// which run.mjs reports as node:test subtests.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const dockerfileBefore = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1-1\n';
const dockerfileAfter = 'FROM debian:sid\nRUN apt-get update && apt-get install -y xz-utils=5.6.1+really5.4.5-1\n';
const xzVersion = new vscode.Range(1, 50, 1, 57);

const cases: { name: string; run: () => Promise<void> }[] = [
  {
    name: 'opening the Dockerfile publishes one error on the xz-utils version',
    run: async () => {
      const document = await open('Dockerfile');
      const diagnostics = await pinwatchDiagnostics(document.uri);
      assert.deepEqual(diagnostics.map(summary), [{ range: [1, 50, 1, 57], severity: 'Error', source: 'pinwatch' }]);
    },
  },
  {
    name: 'the hover on the version names CVE-2024-3094',
    run: async () => {
      const document = await open('Dockerfile');
      await pinwatchDiagnostics(document.uri);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, xzVersion.start);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /CVE-2024-3094/);
    },
  },
  {
    name: 'the quick fix rewrites exactly the version token',
    run: async () => {
      const document = await open('Dockerfile');
      const [diagnostic] = await pinwatchDiagnostics(document.uri);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider', document.uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title.includes('5.6.1+really5.4.5-1'));
      assert.ok(fix?.edit, `no quick fix to 5.6.1+really5.4.5-1 among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.getText(), dockerfileAfter);
      await revert(document, dockerfileBefore);
    },
  },
  {
    name: 'Pinwatch: Fix All in File fixes the active Dockerfile',
    run: async () => {
      const document = await open('Dockerfile');
      await pinwatchDiagnostics(document.uri);
      assert.equal(await vscode.commands.executeCommand('pinwatch.fixAll'), true);
      assert.equal(document.getText(), dockerfileAfter);
      await revert(document, dockerfileBefore);
    },
  },
  {
    name: 'Pinwatch: Scan Workspace publishes problems for files that are not open',
    run: async () => {
      const summary = await vscode.commands.executeCommand<{ filesScanned: number; cancelled: boolean }>('pinwatch.scan');
      assert.equal(summary?.cancelled, false);
      const withProblems = vscode.languages.getDiagnostics()
        .filter(([, diagnostics]) => diagnostics.some((d) => d.source === 'pinwatch'))
        .map(([uri]) => vscode.workspace.asRelativePath(uri))
        .sort();
      for (const expected of ['alpine/xz/APKBUILD', 'arch/xz/PKGBUILD', 'web/package-lock.json']) {
        assert.ok(withProblems.includes(expected), `${expected} not in ${JSON.stringify(withProblems)}`);
      }
    },
  },
];

/** The entry point VS Code calls for `extensionTestsPath`: runs every case, records them, fails if one failed. */
export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const c of cases) {
    const started = Date.now();
    try {
      await c.run();
      results.push({ name: c.name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error), ms: Date.now() - started });
    }
  }
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} extension tests failed`);
}

async function open(relativePath: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Resolves with the document's Pinwatch diagnostics once there are some; waits on diagnostics events, bounded. */
function pinwatchDiagnostics(uri: vscode.Uri, timeout = 30_000): Promise<vscode.Diagnostic[]> {
  const current = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pinwatch');
  if (current().length > 0) return Promise.resolve(current());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { listener.dispose(); reject(new Error(`no Pinwatch diagnostics on ${uri.toString()} after ${timeout} ms`)); }, timeout);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString()) || current().length === 0) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(current());
    });
  });
}

function summary(d: vscode.Diagnostic): { range: number[]; severity: string; source: string | undefined } {
  return {
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    severity: vscode.DiagnosticSeverity[d.severity],
    source: d.source,
  };
}

async function revert(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}
