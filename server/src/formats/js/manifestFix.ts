/**
 * How a JavaScript lockfile entry is fixed in each package manager's own syntax, in the manifest beside the
 * lockfile (never the lockfile itself): npm and bun `overrides`, yarn `resolutions`, pnpm `pnpm.overrides` in
 * package.json or `overrides` in pnpm-workspace.yaml when that file exists. A direct dependency whose range admits
 * only the compromised release is pinned too (npm, whose override must match a direct dependency's spec, always
 * pins a direct registry dependency and refers to it as `$name`).
 */
import type { PackageManager } from '../../model';
import { directDependency, forcingEdit, overrideEdits, type OverrideEdit } from '../npm/overrides';
import { positionsAt } from '../textPositions';
import { siblingPath } from './installed';
import { workspaceOverrideEdit } from './workspaceYaml';

/** An edit to one file. */
export interface ManifestEdit extends OverrideEdit {
  path: string;
}

/** The planned fix: its title, its edits (in file then text order) and the file that holds the override. */
export interface ManifestFix {
  title: string;
  edits: ManifestEdit[];
  /** The file named in messages ("package.json", "pnpm-workspace.yaml"). */
  file: string;
}

/** The command that rewrites the lockfile after the manifest changed ("pnpm install"). */
export function installCommand(manager: PackageManager | undefined): string {
  return `${manager ?? 'npm'} install`;
}

/**
 * The edits that force `good` for `name` (installed at `bad`) in the manifest at `packageJson` for `manager`,
 * reading files through `readFile`; undefined when the manifest cannot be read or edited safely. Edits whose text
 * is already there are kept (they show that the override is in place).
 */
export function manifestFix(manager: PackageManager | undefined, packageJson: string, name: string, bad: string | undefined, good: string, readFile: ((path: string) => string | undefined) | undefined): ManifestFix | undefined {
  const json = readFile?.(packageJson);
  if (json === undefined) return undefined;
  if (manager === undefined || manager === 'npm') {
    const edits = overrideEdits(json, name, good);
    return edits && { title: `Override ${name} to ${good} in package.json`, edits: edits.map((e) => ({ ...e, path: packageJson })), file: 'package.json' };
  }
  const pin = bad === undefined ? undefined : exactPin(json, name, bad, good);
  const pinned = pin ? [{ ...pin, path: packageJson }] : [];
  if (manager === 'pnpm') {
    const workspace = siblingPath(packageJson, 'pnpm-workspace.yaml');
    const yaml = readFile?.(workspace);
    if (yaml !== undefined) {
      const edit = workspaceOverrideEdit(yaml, name, good);
      return edit && { title: `Override ${name} to ${good} in pnpm-workspace.yaml`, edits: [{ ...edit, path: workspace }, ...pinned], file: 'pnpm-workspace.yaml' };
    }
  }
  const field = manager === 'yarn' ? ['resolutions'] : manager === 'pnpm' ? ['pnpm', 'overrides'] : ['overrides'];
  const edit = forcingEdit(json, field, name, good);
  if (!edit) return undefined;
  const edits = [...pinned, { ...edit, path: packageJson }].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const title = manager === 'yarn' ? `Resolve ${name} to ${good} in package.json resolutions` : manager === 'pnpm' ? `Override ${name} to ${good} in package.json pnpm.overrides` : `Override ${name} to ${good} in package.json`;
  return { title, edits, file: 'package.json' };
}

/** The edit to a direct dependency's spec that admits only `bad` (`"5.6.1"`, `"=5.6.1"`): it becomes `good`. */
function exactPin(json: string, name: string, bad: string, good: string): OverrideEdit | undefined {
  const member = directDependency(json, name);
  if (!member) return undefined;
  const spec = json.slice(member.valueStart + 1, member.valueEnd - 1).trim();
  if (spec.replace(/^(=|v)\s*/, '') !== bad) return undefined;
  const [start, end] = positionsAt(json, [member.valueStart, member.valueEnd]);
  return { range: { start: start!, end: end! }, newText: JSON.stringify(good), expected: json.slice(member.valueStart, member.valueEnd) };
}
