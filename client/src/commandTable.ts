/**
 * The commands the extension contributes, as plain data: package.json's `contributes.commands` must list exactly
 * these (test/unit/manifest.test.ts checks it), and extension.ts registers one handler per id.
 * No `vscode` import here, so the manifest test can load it under plain node.
 */
export const commandTable = [
  { command: 'pinwatch.scan', title: 'Scan Workspace', category: 'Pinwatch' },
  { command: 'pinwatch.fixAll', title: 'Fix All in File', category: 'Pinwatch' },
  { command: 'pinwatch.showOutput', title: 'Show Output', category: 'Pinwatch' },
  { command: 'pinwatch.updateAdvisories', title: 'Update Advisories', category: 'Pinwatch' },
] as const;

/** The id of one of the extension's own commands. */
export type CommandId = (typeof commandTable)[number]['command'];

/**
 * The server's `workspace/executeCommand` id for the scan. vscode-languageclient registers a VS Code command of the
 * same id because the server advertises it, so our palette command needs another id and this one is hidden.
 */
export const serverScanCommand = 'pinwatch.scanWorkspace';

/** The code action kind of the server's fix-all action. */
export const fixAllKind = 'source.fixAll.pinwatch';

/** The `source` of every diagnostic the server publishes. */
export const diagnosticSource = 'pinwatch';
