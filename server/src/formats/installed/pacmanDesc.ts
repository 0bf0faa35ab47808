/**
 * pacman's local database: one folder per installed package under `var/lib/pacman/local/`, each with a `desc` file
 * of `%FIELD%` headers, each followed by its value lines up to a blank line. `%NAME%` and `%VERSION%` make the
 * reference, at the version line's exact range. Every package in the local database is installed.
 */
import type { Extracted, Format } from '../../model';
import { formatPatterns } from '../patterns';
import { positionsAt } from '../textPositions';
import { installedReference } from './root';

/** The pacman local-database format. */
export const pacmanDesc: Format = {
  id: 'arch/pacman-desc',
  patterns: [...formatPatterns['arch/pacman-desc']],
  maxLength: 16 * 1024 * 1024,
  extract(text: string): Extracted[] {
    const values = new Map<string, { value: string; start: number; end: number }>();
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
    const name = values.get('%NAME%');
    const version = values.get('%VERSION%');
    if (!name || !version) {
      return [{ kind: 'problem', reason: 'syntax', message: 'This pacman desc file has no %NAME% or no %VERSION%, so the package it describes was not checked.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    const [start, end] = positionsAt(text, [version.start, version.end]);
    return [installedReference({ ecosystem: 'Arch Linux' }, name.value, version.value, { start: start!, end: end! }, 'var/lib/pacman/local', 'pacman -Syu')];
  },
};
