/**
 * The status bar item: how many problems Pinwatch reports across the workspace; clicking it opens the Problems panel.
 */
import * as vscode from 'vscode';
import { diagnosticSource } from './commandTable';

/**
 * Creates the item, keeps it in step with the diagnostics, and returns what disposes both; `setAdvisories` puts
 * the date of the advisories in use (which the server sends) in its tooltip.
 */
export function createStatusBar(): vscode.Disposable & { setAdvisories(description: string | undefined): void } {
  const item = vscode.window.createStatusBarItem('pinwatch.problems', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Pinwatch';
  item.command = 'workbench.actions.view.problems';
  let advisories: string | undefined;
  const update = (): void => render(item, countProblems(), advisories);
  update();
  const listener = vscode.languages.onDidChangeDiagnostics(update);
  return Object.assign(vscode.Disposable.from(item, listener), {
    setAdvisories(description: string | undefined): void {
      advisories = description;
      update();
    },
  });
}

/** Counts the diagnostics Pinwatch published, by severity. */
export function countProblems(): { errors: number; others: number } {
  let errors = 0;
  let others = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== diagnosticSource) continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else others++;
    }
  }
  return { errors, others };
}

function render(item: vscode.StatusBarItem, counts: { errors: number; others: number }, advisories: string | undefined): void {
  const total = counts.errors + counts.others;
  if (total === 0) {
    // A quiet check, so users can see the extension is running and found nothing.
    item.text = '$(shield) Pinwatch';
    item.tooltip = 'Pinwatch: no compromised pins in open or scanned files';
    item.backgroundColor = undefined;
  } else {
    item.text = `$(shield) Pinwatch: ${total}`;
    item.tooltip = `Pinwatch: ${counts.errors} compromised pin(s), ${counts.others} other finding(s). Click to open the Problems panel.`;
    item.backgroundColor = counts.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }
  if (advisories) item.tooltip = `${String(item.tooltip)}\nUsing ${advisories}.`;
  item.show();
}
