/**
 * Arch Linux's and MSYS2's PKGBUILD: the package the recipe builds (`[epoch:]pkgver-pkgrel`), its versioned
 * dependencies, its sources (URLs and `git+...#tag=`/`#commit=`) and their SHA-256/SHA-512 sums. Read with the
 * recipe scanner, which follows bash, so arrays across lines, quoted elements and comments are handled.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { formatPatterns } from './patterns';
import { attempt, builtNames, checksumReferences, dependencyReference, finalValue, inOrder, listFields, rebuildReason, recipeProblems, repeatsOwnPackage, sourceReferences, unreadable, type Located } from './recipeReferences';
import { scanRecipe, type Recipe, type Seed } from './shell/bashScan';
import { lineIndex as positions, type LineIndex as Positions } from './textPositions';

const dependencyVariable = /^(depends|makedepends|checkdepends|optdepends)(_[A-Za-z0-9_]+)?$/;

/**
 * MSYS2 builds one mingw PKGBUILD for each environment, with `MINGW_PACKAGE_PREFIX` set to `mingw-w64-x86_64`,
 * `mingw-w64-ucrt-x86_64` and so on; Pinwatch names those packages by the prefix they share.
 */
const mingwSeeds: Record<string, Seed> = { MINGW_PACKAGE_PREFIX: { value: 'mingw-w64', origin: 'MSYS2, for each environment' } };

/** The PKGBUILD format. */
export const pkgbuild: Format = {
  id: 'arch/PKGBUILD',
  patterns: [...formatPatterns['arch/PKGBUILD']],
  commentPrefix: '#',
  multilineQuotes: true,
  // The recipe scanner is linear (about 0.4 s per MB, measured 2026-12-01); real recipes are a few KB, and past
  // 4 MB a text is generated data: it is reported as not read.
  maxLength: 4 * 1024 * 1024,
  extract(text: string, path: string): Extracted[] {
    try {
      return extractPkgbuild(text, path);
    } catch (error) {
      // The scanner is total by construction, and each step of reading keeps its own failures; should the whole still
      // fail, the file is reported as not read rather than passed as clean.
      return [unreadable('PKGBUILD', error)];
    }
  },
};

function extractPkgbuild(text: string, path: string): Extracted[] {
  const mingwText = /\bmingw_arch=|MINGW_PACKAGE_PREFIX/.test(text);
  const recipe = scanRecipe(text, mingwText ? mingwSeeds : {});
  const { ecosystem, mingw } = distribution(recipe, path, mingwText);
  const pos = positions(text);
  const located: Located<Extracted>[] = recipeProblems(recipe, pos);
  const wanted = (name: string): boolean => dependencyVariable.test(name);
  let own: Located<PackageReference> | undefined;
  attempt(located, 'the version this recipe builds', () => {
    own = ownPackage(recipe, pos, ecosystem, mingw);
    return own ? [own] : [];
  });
  // A split package pinned to its sibling (`depends=("liblzma=$pkgver-$pkgrel")`) is the release the recipe builds.
  const built = builtNames(recipe, ['pkgbase', 'pkgname']);
  const keep = (dependency: Located<PackageReference> | undefined): Located<PackageReference>[] => (dependency !== undefined && !repeatsOwnPackage(dependency, own, built) ? [dependency] : []);
  attempt(located, 'the dependencies of this recipe', () =>
    listFields(recipe, wanted).flatMap(({ assignment, field }) => keep(dependencyReference(field, 'pacman', ecosystem, assignment.name, pos, recipe))),
  );
  // makepkg lets `package()` and a split package's `package_<name>()` set that package's own dependencies.
  attempt(located, 'the dependencies of its split packages', () =>
    recipe.functionAssignments
      .filter((a) => a.fn === 'package' || a.fn.startsWith('package_'))
      .flatMap((assignment) => listFields(recipe, wanted, [assignment]).flatMap(({ field }) => keep(dependencyReference(field, 'pacman', ecosystem, `${assignment.name} in ${assignment.fn}()`, pos, recipe, true)))),
  );
  attempt(located, 'the sources and checksums of this recipe', () => {
    const checksums = checksumReferences(recipe, pos);
    return [...checksums, ...sourceReferences(recipe, pos, checksums.map((c) => c.reference.value))];
  });
  return inOrder(located);
}

/**
 * Whose recipe this is, from its repository: MSYS2's own msys packages read like Arch's, so only where they live
 * (`MSYS2-packages`, `MINGW-packages`, a `mingw-w64-` folder, `msys2` in a folder's name) or what they are called
 * (a `mingw-w64-` or `msys2` pkgbase) tells them apart. `mingw` marks the mingw-w64 flavour, named by its prefix.
 */
function distribution(recipe: Recipe, path: string, mingwText: boolean): { ecosystem: 'MSYS2' | 'Arch Linux'; mingw: boolean } {
  const folders = path.split(/[\\/]+/).slice(0, -1).map((f) => f.toLowerCase());
  const base = (recipe.variables.get('pkgbase')?.value ?? recipe.variables.get('pkgname')?.value ?? '').toLowerCase();
  const mingw = mingwText || base.startsWith('mingw-w64-') || folders.some((f) => f.startsWith('mingw-packages') || f.startsWith('mingw-w64-'));
  const msys = mingw || base.includes('msys2') || folders.some((f) => f.includes('msys2'));
  return { ecosystem: msys ? 'MSYS2' : 'Arch Linux', mingw };
}

/** The recipe's own package: `[epoch:]pkgver-pkgrel`, placed on the pkgver token. */
function ownPackage(recipe: Recipe, pos: Positions, ecosystem: string, mingw: boolean): Located<PackageReference> | undefined {
  const value = (name: string): string | undefined => recipe.variables.get(name)?.value;
  const realname = value('_realname');
  const declared = value('pkgbase') || value('pkgname');
  // Every MINGW-packages recipe builds mingw-w64-<name>, however it spells the prefix.
  const name = mingw && realname ? `mingw-w64-${realname}` : mingw && declared && !declared.startsWith('mingw-w64-') ? `mingw-w64-${declared}` : declared;
  const version = finalValue(recipe, 'pkgver');
  const release = value('pkgrel');
  const epoch = recipe.variables.has('epoch') ? value('epoch') : '';
  if (!name || !version?.value || !release || epoch === undefined || !/^\S+$/.test(name + version.value + release + epoch)) return undefined;
  const { field } = version;
  const reference: PackageReference = {
    kind: 'package',
    ecosystem,
    name,
    version: `${epoch && epoch !== '0' ? `${epoch}:` : ''}${version.value}-${release}`,
    range: pos.range(field.start, field.end),
    ...(field.via.length ? { via: field.via.join(', ') } : {}),
    fix: { kind: 'none', reason: rebuildReason },
    context: 'PKGBUILD pkgver/pkgrel',
    builds: true,
  };
  return { at: field.start, reference };
}
