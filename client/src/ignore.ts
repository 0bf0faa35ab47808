/**
 * The `pinwatch.ignoreFinding` command behind *Ignore … here…*: asks for the reason (required: a suppression
 * without one does not apply) and an optional expiry date, then writes the comment or the policy-file entry the
 * server described. Writes nothing if the user cancels, or if the place changed since the action was offered.
 */
import * as vscode from 'vscode';
import { suppressionText, validUntil, type IgnoreRequest } from '../../server/src/service/ignoreRequest';

/** The command's id (the server names it in its code actions; not in the palette). */
export const ignoreFindingCommand = 'pinwatch.ignoreFinding';

/** What the command asks the user; replaceable in tests. */
export interface IgnorePrompts {
  reason(id: string): Thenable<string | undefined>;
  until(id: string): Thenable<string | undefined>;
}

/** The input boxes of VS Code. */
export const inputBoxes: IgnorePrompts = {
  reason: (id) => vscode.window.showInputBox({
    title: `Ignore ${id}`,
    prompt: 'Why is this finding accepted? Reports and code scanning show the reason.',
    placeHolder: 'e.g. test fixture, never installed',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A suppression needs a reason.' : undefined),
  }),
  until: (id) => vscode.window.showInputBox({
    title: `Ignore ${id} until`,
    prompt: 'Until when (YYYY-MM-DD)? The finding is reported again after it. Leave empty for no end date.',
    ignoreFocusOut: true,
    validateInput: (value) => (validUntil(value.trim()) ? undefined : 'A date as YYYY-MM-DD, or nothing.'),
  }),
};

/** Asks for the reason and date, then writes the suppression; true when it was written. */
export async function ignoreFinding(request: IgnoreRequest, prompts: IgnorePrompts = inputBoxes): Promise<boolean> {
  const reason = await prompts.reason(request.id);
  if (reason === undefined || reason.trim() === '') return false;
  const until = (await prompts.until(request.id))?.trim();
  if (until === undefined || !validUntil(until)) return false;
  const uri = vscode.Uri.parse(request.uri);
  const text = suppressionText(request, reason, until);
  const edit = new vscode.WorkspaceEdit();
  const position = new vscode.Position(request.position.line, request.position.character);
  if (request.create) {
    if (await exists(uri)) return changed();
    edit.createFile(uri, { ignoreIfExists: false });
    edit.insert(uri, position, text);
  } else {
    const document = await vscode.workspace.openTextDocument(uri);
    const current = request.kind === 'comment' ? lineWithBreak(document, request.position.line) : document.getText();
    if (current !== request.expected) return changed();
    edit.insert(uri, position, text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return changed();
  // A policy file is saved at once: the server reads it from disk (a comment is seen as the document changes).
  if (request.kind === 'policy') await (await vscode.workspace.openTextDocument(uri)).save();
  return true;
}

function lineWithBreak(document: vscode.TextDocument, line: number): string {
  if (line >= document.lineCount) return '';
  const next = line + 1 < document.lineCount ? new vscode.Position(line + 1, 0) : document.lineAt(line).range.end;
  return document.getText(new vscode.Range(new vscode.Position(line, 0), next));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function changed(): false {
  void vscode.window.showWarningMessage('Pinwatch: the file changed since the action was offered; nothing was written. Try again.');
  return false;
}
