/**
 * The VS Code extension's entry point: starts the bundled language server over IPC, and registers the commands and
 * the status bar item. Everything about Pinwatch's findings lives in the server; this file is wiring.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { commandTable, type CommandId } from './commandTable';
import { documentSelector } from './documentSelector';
import { fixAllInActiveEditor } from './fixAll';
import { ignoreFinding, ignoreFindingCommand } from './ignore';
import { scanWorkspace } from './scan';
import { createStatusBar } from './statusBar';
import { updateAdvisories } from './updateAdvisories';

let client: LanguageClient | undefined;

/** Called by VS Code on the first activation event: starts the client and registers what the manifest contributes. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = startClient(context);
  client = started;
  const handlers: Record<CommandId, () => unknown> = {
    'pinwatch.scan': () => scanWorkspace(started),
    'pinwatch.fixAll': () => fixAllInActiveEditor(),
    'pinwatch.showOutput': () => started.outputChannel.show(),
    'pinwatch.updateAdvisories': () => updateAdvisories(context),
  };
  for (const { command } of commandTable) {
    context.subscriptions.push(vscode.commands.registerCommand(command, handlers[command]));
  }
  // Named by the server's *Ignore … here…* actions, not in the palette.
  context.subscriptions.push(vscode.commands.registerCommand(ignoreFindingCommand, ignoreFinding));
  const statusBar = createStatusBar();
  context.subscriptions.push(statusBar);
  context.subscriptions.push(started.onNotification('pinwatch/advisories', (params: { description?: string }) => statusBar.setAdvisories(params.description)));
  await started.start();
}

/** Called by VS Code on shutdown: stops the server (the client waits for its exit). */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function startClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    // The server pulls settings with workspace/configuration; this also tells it when they change.
    // and, through the watcher, when a policy file changes (its suppressions and advisories apply at once).
    synchronize: { configurationSection: 'pinwatch', fileEvents: vscode.workspace.createFileSystemWatcher('**/.pinwatch.yaml') },
    // This client asks for a suppression's reason itself (client/src/ignore.ts).
    initializationOptions: { promptForIgnoreReason: true },
    diagnosticCollectionName: 'pinwatch',
  };
  const languageClient = new LanguageClient('pinwatch', 'Pinwatch', serverOptions, clientOptions);
  context.subscriptions.push(languageClient);
  return languageClient;
}
