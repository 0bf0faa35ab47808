/**
 * Alpine's APKBUILD: the package the recipe builds (pkgname, pkgver-rpkgrel), its pinned dependencies, its
 * source URLs and their checksums. Read with the recipe scanner, which follows bash, so multi-line strings,
 * `$pkgver` in URLs and function bodies are handled as abuild itself would see them.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { formatPatterns } from './patterns';
import { attempt, builtNames, checksumReferences, dependencyReference, finalValue, inOrder, listFields, rebuildReason, recipeProblems, repeatsOwnPackage, sourceReferences, unreadable, type Located } from './recipeReferences';
import { scanRecipe, type Recipe } from './shell/bashScan';
import { lineIndex as positions, type LineIndex as Positions } from './textPositions';

const dependencyVariable = /^(depends|makedepends|checkdepends)(_[A-Za-z0-9_]+)?$/;

/** The functions abuild calls to build the main package; every other function is a subpackage's split function. */
const buildSteps = new Set(['fetch', 'unpack', 'prepare', 'build', 'check', 'package', 'snapshot', 'sanitycheck']);

/** The APKBUILD format. */
export const apkbuild: Format = {
  id: 'alpine/APKBUILD',
  patterns: [...formatPatterns['alpine/APKBUILD']],
  commentPrefix: '#',
  multilineQuotes: true,
  // The recipe scanner is linear (about 0.4 s per MB, measured 2026-12-01); real recipes are a few KB, and past
  // 4 MB a text is generated data: it is reported as not read.
  maxLength: 4 * 1024 * 1024,
  extract(text: string, _path: string): Extracted[] {
    try {
      return extractApkbuild(text);
    } catch (error) {
      // The scanner is total by construction, and each step of reading keeps its own failures; should the whole still
      // fail, the file is reported as not read rather than passed as clean.
      return [unreadable('APKBUILD', error)];
    }
  },
};

function extractApkbuild(text: string): Extracted[] {
  const recipe = scanRecipe(text);
  const pos = positions(text);
  const located: Located<Extracted>[] = recipeProblems(recipe, pos);
  const wanted = (name: string): boolean => dependencyVariable.test(name);
  let own: Located<PackageReference> | undefined;
  attempt(located, 'the version this recipe builds', () => {
    own = ownPackage(recipe, pos);
    return own ? [own] : [];
  });
  // `depends_dev="$pkgname=$pkgver-r$pkgrel"` names the release the recipe itself builds, reported once, as its own.
  const built = builtNames(recipe, ['pkgname', 'subpackages']);
  const keep = (dependency: Located<PackageReference> | undefined): Located<PackageReference>[] => (dependency !== undefined && !repeatsOwnPackage(dependency, own, built) ? [dependency] : []);
  attempt(located, 'the dependencies of this recipe', () =>
    listFields(recipe, wanted).flatMap(({ assignment, field }) => keep(dependencyReference(field, 'apk', 'Alpine', assignment.name, pos, recipe))),
  );
  // A subpackage's split function sets that subpackage's own dependencies.
  attempt(located, 'the dependencies of its subpackages', () =>
    recipe.functionAssignments
      .filter((a) => !buildSteps.has(a.fn))
      .flatMap((assignment) => listFields(recipe, wanted, [assignment]).flatMap(({ field }) => keep(dependencyReference(field, 'apk', 'Alpine', `${assignment.name} in ${assignment.fn}()`, pos, recipe, true)))),
  );
  attempt(located, 'the sources and checksums of this recipe', () => {
    const checksums = checksumReferences(recipe, pos);
    return [...checksums, ...sourceReferences(recipe, pos, checksums.map((c) => c.reference.value))];
  });
  return inOrder(located);
}

/** pkgname + pkgver + pkgrel → Alpine's `pkgver-rN`, placed on the pkgver token. */
function ownPackage(recipe: Recipe, pos: Positions): Located<PackageReference> | undefined {
  const name = recipe.variables.get('pkgname')?.value;
  const version = finalValue(recipe, 'pkgver');
  const release = recipe.variables.get('pkgrel')?.value;
  if (!name || !version || !version.value || !release || !/^\S+$/.test(name + version.value + release)) return undefined;
  const { field } = version;
  const reference: PackageReference = {
    kind: 'package',
    ecosystem: 'Alpine',
    name,
    version: `${version.value}-r${release}`,
    range: pos.range(field.start, field.end),
    ...(field.via.length ? { via: field.via.join(', ') } : {}),
    fix: { kind: 'none', reason: rebuildReason },
    context: 'APKBUILD pkgver/pkgrel',
    builds: true,
  };
  return { at: field.start, reference };
}
