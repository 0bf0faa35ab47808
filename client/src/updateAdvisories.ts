/**
 * *Pinwatch: Update Advisories*: downloads the feed's per-ecosystem all.zip files into the local store, with the
 * same code as `pinwatch advisories update`. Pinwatch is off-line by default, so the first run asks first. The
 * language server sees the store change and re-checks the open documents by itself.
 */
import * as vscode from 'vscode';
import { defaultFeed, feedEcosystems, proxyOptions, updateFeeds } from '../../server/src/advisories/feed';
import { storeDir } from '../../server/src/advisories/store';

const consentKey = 'pinwatch.advisories.downloadAllowed';

/** Runs the update with a cancellable progress notification, and says what happened. */
export async function updateAdvisories(context: vscode.ExtensionContext): Promise<void> {
  const source = vscode.workspace.getConfiguration('pinwatch').get<string>('advisories.source') || defaultFeed;
  if (context.globalState.get<string>(consentKey) !== source) {
    const choice = await vscode.window.showWarningMessage(
      `Pinwatch works off-line. Download the malicious-package advisories (${feedEcosystems.join(', ')}) from ${source}? Pinwatch contacts it only when you run this command.`,
      { modal: true },
      'Download',
    );
    if (choice !== 'Download') return;
    await context.globalState.update(consentKey, source);
  }
  const dir = storeDir(process.env);
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Pinwatch: updating advisories', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const requestInit = await proxyOptions(source, process.env);
      try {
        return await updateFeeds({
          dir, source, ecosystems: feedEcosystems, rules: { includeVulnerabilities: false }, signal: abort.signal,
          ...(requestInit ? { requestInit } : {}),
          onProgress: (message) => progress.report({ message, increment: 100 / feedEcosystems.length }),
        });
      } catch (error) {
        if (abort.signal.aborted) return undefined;
        throw error;
      }
    },
  );
  if (!outcomes) return void vscode.window.showInformationMessage('Pinwatch: advisory update cancelled; the store was not changed.');
  const failed = outcomes.filter((o) => o.status === 'failed');
  const summary = outcomes.map((o) => `${o.ecosystem}: ${o.status === 'updated' ? `${o.records} records` : o.status === 'failed' ? o.reason : o.status}`).join('; ');
  if (failed.length > 0) void vscode.window.showWarningMessage(`Pinwatch: some advisories could not be updated (the old data is kept). ${summary}`);
  else void vscode.window.showInformationMessage(`Pinwatch: advisories updated in ${dir}. ${summary}`);
}
