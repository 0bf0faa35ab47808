/**
 * The *Fix All in File* command: applies the server's `source.fixAll.pinwatch` action to the active editor.
 */
import * as vscode from 'vscode';
import { fixAllKind } from './commandTable';

/** Asks the providers for the fix-all action on the whole active document and applies it; says so when none applies. */
export async function fixAllInActiveEditor(): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Pinwatch: open a file to fix.');
    return false;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  // A resolve count of 1 makes VS Code resolve the action's edit if the server sends it lazily.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', document.uri, whole, fixAllKind, 1,
  );
  const action = actions?.find((a) => a.kind !== undefined && vscode.CodeActionKind.SourceFixAll.append('pinwatch').contains(a.kind));
  if (!action || (!action.edit && !action.command)) {
    void vscode.window.showInformationMessage('Pinwatch: nothing to fix in this file.');
    return false;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showWarningMessage('Pinwatch: the fixes could not be applied (the file changed?).');
    return false;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}
