/**
 * Arch Linux's and MSYS2's PKGBUILD: the package the recipe builds (`[epoch:]pkgver-pkgrel`), its versioned
 * dependencies, its sources (URLs and `git+...#tag=`/`#commit=`) and their SHA-256/SHA-512 sums. Read with the
 * recipe scanner, which follows bash, so arrays across lines, quoted elements and comments are handled.
 */
import type { Extracted, Format, PackageReference } from '../model';
import { formatPatterns } from './patterns';
import { positions, type Positions } from './recipe/positions';
import { attempt, checksumReferences, dependencyReference, finalValue, inOrder, listFields, rebuildReason, recipeProblems, sourceReferences, unreadable, type Located } from './recipe/references';
import { scanRecipe, type Recipe, type Seed } from './recipe/scan';

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
  // The recipe scanner slows past a few hundred KB (0.9 s at 480 KB); real recipes are a few KB.
  maxLength: 512 * 1024,
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
  const mingw = /\bmingw_arch=|MINGW_PACKAGE_PREFIX/.test(text);
  // MSYS2's own msys packages look like Arch's; only their repository (MSYS2-packages) tells them apart.
  const ecosystem = mingw || /(^|[\\/])msys2[^\\/]*([\\/]|$)/i.test(path) ? 'MSYS2' : 'Arch Linux';
  const recipe = scanRecipe(text, mingw ? mingwSeeds : {});
  const pos = positions(text);
  const located: Located<Extracted>[] = recipeProblems(recipe, pos);
  const wanted = (name: string): boolean => dependencyVariable.test(name);
  attempt(located, 'the version this recipe builds', () => {
    const own = ownPackage(recipe, pos, ecosystem, mingw);
    return own ? [own] : [];
  });
  attempt(located, 'the dependencies of this recipe', () =>
    listFields(recipe, wanted).flatMap(({ assignment, field }) => dependencyReference(field, 'pacman', ecosystem, assignment.name, pos, recipe) ?? []),
  );
  // makepkg lets `package()` and a split package's `package_<name>()` set that package's own dependencies.
  attempt(located, 'the dependencies of its split packages', () =>
    recipe.functionAssignments
      .filter((a) => a.fn === 'package' || a.fn.startsWith('package_'))
      .flatMap((assignment) => listFields(recipe, wanted, [assignment]).flatMap(({ field }) => dependencyReference(field, 'pacman', ecosystem, `${assignment.name} in ${assignment.fn}()`, pos, recipe, true) ?? [])),
  );
  attempt(located, 'the sources and checksums of this recipe', () => {
    const checksums = checksumReferences(recipe, pos);
    return [...checksums, ...sourceReferences(recipe, pos, checksums.map((c) => c.reference.value))];
  });
  return inOrder(located);
}

/** The recipe's own package: `[epoch:]pkgver-pkgrel`, placed on the pkgver token. */
function ownPackage(recipe: Recipe, pos: Positions, ecosystem: string, mingw: boolean): Located<PackageReference> | undefined {
  const value = (name: string): string | undefined => recipe.variables.get(name)?.value;
  const realname = value('_realname');
  const name = mingw && realname ? `mingw-w64-${realname}` : value('pkgbase') || value('pkgname');
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
