/**
 * Gentoo: ebuilds (`app-arch/xz-utils/xz-utils-5.6.1.ebuild`: the version is in the file name and the category in
 * the folders; `SRC_URI` read with the bash assignment scanner, with `${P}`, `${PN}`, `${PV}`, `${PVR}`, … set as
 * Portage sets them; versioned atoms in `DEPEND`/`RDEPEND`/`BDEPEND`/`PDEPEND`), and Portage's own lists:
 * `package.accept_keywords` (and `package.keywords`), `package.unmask`, the world file and `@set` files, where a
 * versioned atom pins a version. `package.mask` is read and gives nothing: a mask of the bad versions is the fix.
 */
import type { ArtifactReference, Extracted, Format, PackageReference, Range } from '../model';
import { atomPin, parseAtom } from './gentoo/atoms';
import { formatPatterns } from './patterns';
import { fieldsOf, inOrder, originsOf, rebuildReason, recipeProblems, unreadable, type Located } from './recipeReferences';
import { scanRecipe, type Seed } from './shell/bashScan';
import { sliceField, type Field } from './shell/fields';
import { lineIndex, type LineIndex } from './textPositions';

/** The ebuild format. */
export const ebuild: Format = {
  id: 'gentoo/ebuild',
  patterns: [...formatPatterns['gentoo/ebuild']],
  commentPrefix: '#',
  multilineQuotes: true,
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    try {
      return extractEbuild(text, path);
    } catch (error) {
      return [unreadable('ebuild', error)];
    }
  },
};

/** Portage's configuration lists and the world and set files. */
export const portageLists: Format = {
  id: 'gentoo/portage',
  patterns: [...formatPatterns['gentoo/portage']],
  commentPrefix: '#',
  extract(text: string, path: string): Extracted[] {
    return extractList(text, path);
  },
};

/** PMS's file name: `<PN>-<PV>[-r<N>].ebuild`, the version by the same grammar as versions/gentoo.ts. */
const ebuildName = /^(.+?)-([0-9][0-9.]*[a-z]?(?:_(?:alpha|beta|pre|rc|p)[0-9]*)*)(?:-r([0-9]+))?\.ebuild$/;
const dependVariables = new Set(['DEPEND', 'RDEPEND', 'BDEPEND', 'PDEPEND', 'IDEPEND']);

/** The variables Portage sets from the path before it sources an ebuild. */
function ebuildSeeds(path: string): { seeds: Record<string, Seed>; category?: string; pn: string; pvr: string } | undefined {
  const parts = path.split(/[\\/]+/);
  const m = ebuildName.exec(parts[parts.length - 1] ?? '');
  if (!m) return undefined;
  const [, pn, pv, revision] = m as unknown as [string, string, string, string | undefined];
  const pr = `r${revision ?? '0'}`;
  const pvr = revision ? `${pv}-${pr}` : pv;
  const folder = parts[parts.length - 2];
  const category = folder === pn ? parts[parts.length - 3] : undefined;
  const origin = 'the ebuild file name';
  const seeds: Record<string, Seed> = { P: { value: `${pn}-${pv}`, origin }, PN: { value: pn, origin }, PV: { value: pv, origin }, PR: { value: pr, origin }, PVR: { value: pvr, origin }, PF: { value: `${pn}-${pvr}`, origin } };
  if (category) seeds.CATEGORY = { value: category, origin: 'the ebuild folder' };
  return { seeds, ...(category ? { category } : {}), pn, pvr };
}

function extractEbuild(text: string, path: string): Extracted[] {
  const named = ebuildSeeds(path);
  const recipe = scanRecipe(text, named?.seeds ?? {}, { conditionalsApply: true });
  const pos = lineIndex(text);
  const located: Located<Extracted>[] = recipeProblems(recipe, pos);
  if (named?.category) {
    // The version is in the file name, not in the text: the reference sits at the start of the file, and gets no edit.
    const reference: PackageReference = { kind: 'package', ecosystem: 'Gentoo', name: `${named.category}/${named.pn}`, version: named.pvr, range: pos.range(0, 0), via: 'the ebuild file name', fix: { kind: 'none', reason: rebuildReason }, context: 'ebuild file name', builds: true };
    located.push({ at: 0, reference });
  }
  for (const assignment of recipe.assignments) {
    if (assignment.name === 'SRC_URI') for (const field of fieldsOf(assignment)) located.push(...sourceUrl(field, pos));
    if (dependVariables.has(assignment.name)) for (const field of fieldsOf(assignment)) located.push(...dependency(field, assignment.name, pos));
  }
  return inOrder(located);
}

/** One word of `SRC_URI` that is a URL (`->` renames, `use? (` groups and the parentheses are other words). */
function sourceUrl(field: Field, pos: LineIndex): Located<ArtifactReference>[] {
  const value = field.value;
  // `mirror://sourceforge/…` is Gentoo's own scheme: a file fetched from the named mirror group (thirdpartymirrors).
  if (value === undefined || !/^(?:https?|ftp|mirror):\/\/\S+$/i.test(value) || /\.(?:sig|asc|sign)$/i.test(value)) return [];
  const origins = originsOf(field.chars);
  const reference: ArtifactReference = { kind: 'url', value, range: pos.range(field.start, field.end), ...(field.via.length ? { via: field.via.join(', ') } : {}), context: 'SRC_URI', origins };
  return [{ at: field.start, reference }];
}

/** A versioned atom in a dependency variable (`>=app-arch/xz-utils-5.6.0`, `!<…` blockers left out). */
function dependency(field: Field, variable: string, pos: LineIndex): Located<PackageReference>[] {
  const atom = field.value === undefined ? undefined : parseAtom(field.value);
  if (!atom) return [];
  const version = sliceField(field, atom.from, atom.to);
  const reference: PackageReference = { kind: 'package', ecosystem: 'Gentoo', name: atom.name, ...atomPin(atom), range: pos.range(version.start, version.end), ...(version.via.length ? { via: version.via.join(', ') } : {}), context: variable };
  return [{ at: version.start, reference }];
}

/** What a list file's name says its atoms do. */
function listKind(path: string): { pins: boolean; context: string } {
  const parts = path.split(/[\\/]+/);
  const named = parts.find((p) => /^package\.(?:accept_keywords|keywords|unmask|mask)$/.test(p));
  if (named) return { pins: named !== 'package.mask', context: named };
  if (parts[parts.length - 1] === 'world') return { pins: true, context: 'world' };
  return { pins: true, context: `@${parts[parts.length - 1]}` };
}

/** One atom a line: the first word (after it, keywords or flags); `#` starts a comment. */
function extractList(text: string, path: string): Extracted[] {
  const { pins, context } = listKind(path);
  if (!pins) return [];
  const pos = lineIndex(text);
  const out: Extracted[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const word = /^[ \t]*([^\s#]+)/.exec(text.slice(at, Math.min(end, at + 4096)));
    const atom = word ? parseAtom(word[1]!) : undefined;
    if (word && atom) {
      const start = at + word[0].length - word[1]!.length;
      const range: Range = pos.range(start + atom.from, start + atom.to);
      out.push({ kind: 'package', ecosystem: 'Gentoo', name: atom.name, ...atomPin(atom), range, context });
    }
    at = end + 1;
  }
  return out;
}
