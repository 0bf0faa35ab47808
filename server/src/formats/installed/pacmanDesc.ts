/**
 * pacman's local database: one folder per installed package under `var/lib/pacman/local/`, each with a `desc` file
 * of `%FIELD%` headers, each followed by its value lines up to a blank line. `%NAME%` and `%VERSION%` make the
 * reference, at the version line's exact range. Every package in the local database is installed. The database is
 * the folder: `xz` (Arch's liblzma) says what an installed `openssh` means for it when the caller can list the
 * folder (`listFolder`) and read the other package's desc.
 */
import type { Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { installedReference, opensshAside, rootOf } from './root';

/** A desc field's first value line and its offsets. */
interface DescValue {
  value: string;
  start: number;
  end: number;
}

/** The pacman local-database format. */
export const pacmanDesc: Format = {
  id: 'arch/pacman-desc',
  patterns: [...formatPatterns['arch/pacman-desc']],
  maxLength: 16 * 1024 * 1024,
  extract(text: string, path: string, readFile?: (path: string) => string | undefined, listFolder?: (path: string) => readonly string[] | undefined): Extracted[] {
    const values = descFields(text);
    const name = values.get('%NAME%');
    const version = values.get('%VERSION%');
    if (!name || !version) {
      return [{ kind: 'problem', reason: 'syntax', message: 'This pacman desc file has no %NAME% or no %VERSION%, so the package it describes was not checked.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    const [start, end] = positionsAt(text, [version.start, version.end]);
    const aside = name.value === 'xz' && listsOpenssh(path, readFile, listFolder) ? opensshAside('Arch Linux', 'openssh') : '';
    return [installedReference({ ecosystem: 'Arch Linux' }, name.value, version.value, { start: start!, end: end! }, 'var/lib/pacman/local', 'pacman -Syu', aside)];
  },
};

/** The first value line of each field of a desc text (the first of a repeated field). */
function descFields(text: string): Map<string, DescValue> {
  const values = new Map<string, DescValue>();
  let field: string | undefined;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const lineEnd = end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const line = text.slice(at, lineEnd);
    if (line === '') field = undefined;
    else if (field === undefined) field = /^%[A-Z0-9]+%$/.test(line) ? line : '';
    else if (field !== '' && !values.has(field)) values.set(field, { value: line, start: at, end: lineEnd });
    at = end + 1;
  }
  return values;
}

/**
 * Whether the local database that holds the desc at `path` lists the `openssh` package: a folder named
 * `openssh-<version>-<release>` whose desc says `%NAME%` openssh. False when the folder cannot be listed.
 */
function listsOpenssh(path: string, readFile: ((path: string) => string | undefined) | undefined, listFolder: ((path: string) => readonly string[] | undefined) | undefined): boolean {
  if (!readFile || !listFolder || rootOf(path, 'var/lib/pacman/local/*/desc') === undefined) return false;
  const local = rootOf(path, '*/desc')!;
  const separator = local.endsWith('\\') ? '\\' : '/';
  // pacman names a package's folder `name-version-release`; neither the version nor the release holds a `-`.
  for (const entry of listFolder(local.slice(0, -1)) ?? []) {
    if (!/^openssh-[^-]+-[^-]+$/.test(entry)) continue;
    const desc = readFile(`${local}${entry}${separator}desc`);
    if (desc !== undefined && descFields(desc).get('%NAME%')?.value === 'openssh') return true;
  }
  return false;
}
