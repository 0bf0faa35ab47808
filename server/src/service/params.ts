/**
 * Checks of the params a client sends, before any handler reads them. A client may send anything (`text: null`,
 * `params: null`, a range of strings); a handler that trusted it would throw inside a timer and end the process,
 * or answer with an error that names a JavaScript property. Each check returns the reason params are unusable,
 * or undefined when they are fine; pure, so the server stays wiring.
 */

type Checked = string | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Why a value is not an LSP Position ({ line, character }, both non-negative integers), or undefined. */
export function positionProblem(value: unknown, name = 'position'): Checked {
  if (!isObject(value)) return `${name} must be an object with line and character`;
  if (!isCount(value.line) || !isCount(value.character)) return `${name}.line and ${name}.character must be non-negative integers`;
  return undefined;
}

/** Why a value is not an LSP Range, or undefined. */
export function rangeProblem(value: unknown, name = 'range'): Checked {
  if (!isObject(value)) return `${name} must be an object with start and end`;
  return positionProblem(value.start, `${name}.start`) ?? positionProblem(value.end, `${name}.end`);
}

function identifierProblem(value: unknown): Checked {
  if (!isObject(value) || typeof value.uri !== 'string' || value.uri === '') return 'textDocument.uri must be a non-empty string';
  return undefined;
}

/** textDocument/didOpen: a URI, a language id, an integer version and the text. */
export function didOpenProblem(params: unknown): Checked {
  if (!isObject(params) || !isObject(params.textDocument)) return 'didOpen needs textDocument';
  const td = params.textDocument;
  return identifierProblem(td) ?? (typeof td.languageId !== 'string' ? 'textDocument.languageId must be a string'
    : !Number.isInteger(td.version) ? 'textDocument.version must be an integer'
    : typeof td.text !== 'string' ? 'textDocument.text must be a string' : undefined);
}

/** textDocument/didChange: a versioned identifier and content changes that are whole texts or ranged edits. */
export function didChangeProblem(params: unknown): Checked {
  if (!isObject(params) || !isObject(params.textDocument)) return 'didChange needs textDocument';
  const problem = identifierProblem(params.textDocument);
  if (problem) return problem;
  if (!Number.isInteger(params.textDocument.version)) return 'textDocument.version must be an integer';
  if (!Array.isArray(params.contentChanges)) return 'contentChanges must be an array';
  for (const [i, change] of params.contentChanges.entries()) {
    if (!isObject(change) || typeof change.text !== 'string') return `contentChanges[${i}].text must be a string`;
    if ('range' in change && change.range !== undefined) {
      const bad = rangeProblem(change.range, `contentChanges[${i}].range`);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** Notifications and requests that name only a document (didClose, didSave, willSave). */
export function documentProblem(params: unknown): Checked {
  if (!isObject(params)) return 'params must be an object with textDocument';
  return identifierProblem(params.textDocument);
}

/** textDocument/hover: a document and a position. */
export function hoverProblem(params: unknown): Checked {
  return documentProblem(params) ?? positionProblem((params as Record<string, unknown>).position);
}

/** textDocument/codeAction: a document, a range and a context with a diagnostics array. */
export function codeActionProblem(params: unknown): Checked {
  const problem = documentProblem(params) ?? rangeProblem((params as Record<string, unknown>).range);
  if (problem) return problem;
  const context = (params as Record<string, unknown>).context;
  if (!isObject(context) || !Array.isArray(context.diagnostics)) return 'context.diagnostics must be an array';
  if (context.only !== undefined && !(Array.isArray(context.only) && context.only.every((k) => typeof k === 'string'))) return 'context.only must be an array of strings';
  return undefined;
}

/** workspace/executeCommand: a command name, and arguments that are an array when present. */
export function executeCommandProblem(params: unknown): Checked {
  if (!isObject(params) || typeof params.command !== 'string') return 'executeCommand needs a command string';
  if (params.arguments !== undefined && !Array.isArray(params.arguments)) return 'arguments must be an array';
  return undefined;
}
