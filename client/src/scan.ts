/**
 * The *Scan Workspace* command: asks the server to scan every workspace folder, shows its progress in a
 * cancellable notification, and reports the summary it returns.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { serverScanCommand } from './commandTable';

/** What the server's `pinwatch.scanWorkspace` returns. */
export interface ScanSummary {
  filesScanned: number;
  filesWithFindings: number;
  findings: { error: number; warning: number; info: number };
  cancelled: boolean;
}

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
  if (summary) void vscode.window.showInformationMessage(describeSummary(summary));
  return summary;
}

/** One sentence that says what a scan found, for the notification. */
export function describeSummary(summary: ScanSummary): string {
  const { error, warning, info } = summary.findings;
  const files = `${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'}`;
  const prefix = summary.cancelled ? `Pinwatch scan cancelled after ${files}` : `Pinwatch scanned ${files}`;
  if (error + warning + info === 0) return `${prefix}: no compromised pins found.`;
  const counts = [plural(error, 'error'), plural(warning, 'warning'), plural(info, 'note')].filter((s) => s !== '');
  return `${prefix}: ${counts.join(', ')} in ${plural(summary.filesWithFindings, 'file')}. See the Problems panel.`;
}

function plural(count: number, word: string): string {
  if (count === 0) return '';
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
