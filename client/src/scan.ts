/**
 * The *Scan Workspace* command: asks the server to scan every workspace folder, shows its progress in a
 * cancellable notification, and reports the summary it returns.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { serverScanCommand } from './commandTable';
import { describeSummary, type ScanSummary } from './summary';

export { describeSummary, type ScanSummary } from './summary';

/** Runs the scan with a notification that follows the server's `$/progress` and whose Cancel button cancels it. */
export async function scanWorkspace(client: LanguageClient): Promise<ScanSummary | undefined> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Pinwatch', cancellable: true },
    async (progress, cancellation) => {
      // The token is ours: the server reports against it, and the notification follows whatever it says.
      const workDoneToken = randomUUID();
      let reported = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage === undefined ? undefined : Math.max(0, value.percentage - reported);
        if (value.percentage !== undefined) reported = value.percentage;
        progress.report({ message: value.message, increment });
      });
      try {
        return await client.sendRequest(
          ExecuteCommandRequest.type,
          { command: serverScanCommand, arguments: [], workDoneToken },
          cancellation,
        ) as ScanSummary | undefined;
      } catch (error) {
        // A cancelled request rejects; that is the user's choice, not a failure to report as one.
        if (cancellation.isCancellationRequested) return undefined;
        void vscode.window.showErrorMessage(`Pinwatch: the workspace scan failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      } finally {
        listener.dispose();
      }
    },
  );
  if (summary) {
    // A file that was not read must not look clean: the summary says so, as a warning, with a way to the list.
    const unread = (summary.skipped?.length ?? 0) + (summary.incomplete?.length ?? 0);
    if (unread > 0) {
      void vscode.window.showWarningMessage(describeSummary(summary), 'Show Output').then((choice) => {
        if (choice) client.outputChannel.show(true);
      });
    } else void vscode.window.showInformationMessage(describeSummary(summary));
  }
  return summary;
}
