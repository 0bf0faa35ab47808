/**
 * The file-name patterns of every format, as plain data: the client builds its document selector from this
 * without loading any parser, and each format takes its own entry.
 */
export const formatPatterns = {
  // `Dockerfile-windows`, `Dockerfile-alpine.template` and `app.Dockerfile.j2` are Dockerfiles too (templates
  // keep their literal pins), as are the same variants of Containerfile.
  'docker/Dockerfile': [
    'Dockerfile', '*.Dockerfile', 'Dockerfile.*', 'Dockerfile-*', '*.Dockerfile.*', '*.dockerfile',
    'Containerfile', 'Containerfile.*', 'Containerfile-*', '*.Containerfile', '*.Containerfile.*',
  ],
  'alpine/APKBUILD': ['APKBUILD'],
  'arch/PKGBUILD': ['PKGBUILD'],
  'rpm/spec': ['*.spec'],
  'gentoo/ebuild': ['*.ebuild'],
  // Portage's lists, as files or as folders of files; the world file and `@set` files by their folders.
  'gentoo/portage': [
    'package.accept_keywords', 'package.keywords', 'package.unmask', 'package.mask',
    'portage/package.accept_keywords/*', 'portage/package.keywords/*', 'portage/package.unmask/*', 'portage/package.mask/*',
    'portage/world', 'portage/sets/*',
  ],
  'npm/package-lock.json': ['package-lock.json', 'npm-shrinkwrap.json'],
  'yarn/yarn.lock': ['yarn.lock'],
  'pnpm/pnpm-lock.yaml': ['pnpm-lock.yaml'],
  'bun/bun.lock': ['bun.lock', 'bun.lockb'],
  'npm/package.json': ['package.json'],
  'cargo/Cargo.lock': ['Cargo.lock'],
  'cargo/Cargo.toml': ['Cargo.toml'],
  'ruby/Gemfile.lock': ['Gemfile.lock', 'gems.locked', '*.gemfile.lock'],
  'ruby/Gemfile': ['Gemfile', 'gems.rb', '*.gemfile'],
  'ruby/gemspec': ['*.gemspec'],
  'go/go.mod': ['go.mod'],
  'go/go.work': ['go.work'],
  'pypi/requirements.txt': ['requirements.txt', 'requirements-*.txt', 'requirements_*.txt', '*-requirements.txt', 'constraints.txt'],
  'pypi/pyproject.toml': ['pyproject.toml'],
  'pypi/poetry.lock': ['poetry.lock'],
  'pypi/uv.lock': ['uv.lock'],
  'pypi/pdm.lock': ['pdm.lock'],
  'pypi/pylock.toml': ['pylock.toml', 'pylock.*.toml'],
  'pypi/Pipfile': ['Pipfile'],
  'pypi/Pipfile.lock': ['Pipfile.lock'],
  'pypi/setup.cfg': ['setup.cfg'],
  'conda/environment.yml': ['environment.yml', 'environment.yaml'],
  // A pattern with a `/` matches the last folders of the path too (see `matchesPath`).
  'nuget/project': ['*.csproj', '*.fsproj', '*.vbproj', 'Directory.Packages.props', 'Directory.Build.props'],
  'nuget/packages.config': ['packages.config'],
  'nuget/packages.lock.json': ['packages.lock.json'],
  'maven/pom.xml': ['pom.xml'],
  // Gradle's lockfiles: one per project (and its buildscript's), or one per configuration in older Gradle.
  'gradle/gradle.lockfile': ['gradle.lockfile', 'buildscript-gradle.lockfile', 'dependency-locks/*.lockfile'],
  // Version catalogs: libs.versions.toml is Gradle's default; other catalogs beside it are named the same way.
  'gradle/libs.versions.toml': ['gradle/libs.versions.toml', 'gradle/*.versions.toml'],
  'gradle/build.gradle': ['build.gradle', 'build.gradle.kts', '*.gradle', '*.gradle.kts'],
  'github/workflow': ['.github/workflows/*.yml', '.github/workflows/*.yaml', 'action.yml', 'action.yaml'],
  'gitlab/.gitlab-ci.yml': ['.gitlab-ci.yml', '.gitlab-ci.yaml'],
  'docker/compose': ['compose.yaml', 'compose.yml', 'docker-compose*.yml', 'docker-compose*.yaml'],
  'helm/values.yaml': ['values.yaml', 'values.yml'],
  'devcontainer/devcontainer.json': ['.devcontainer/devcontainer.json', '.devcontainer.json'],
  // SBOMs, by the names their generators write (the content confirms them: `bomFormat`, `spdxVersion`, `<bom>`).
  'cyclonedx/json': ['bom.json', '*.cdx.json', '*.bom.json'],
  'cyclonedx/xml': ['bom.xml', '*.cdx.xml'],
  'spdx/json': ['*.spdx.json'],
  'spdx/tag-value': ['*.spdx'],
  // Installed-package databases, by their place in a root filesystem (any folder above it).
  'debian/dpkg-status': ['var/lib/dpkg/status', 'var/lib/dpkg/status.d/*'],
  'alpine/apk-installed': ['lib/apk/db/installed'],
  'arch/pacman-desc': ['var/lib/pacman/local/*/desc'],
  'rpm/rpmdb.sqlite': ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'],
  'conan/conanfile': ['conanfile.txt', 'conanfile.py', 'conandata.yml'],
  'conan/conan.lock': ['conan.lock'],
  'vcpkg/vcpkg.json': ['vcpkg.json', 'vcpkg-configuration.json'],
  'cmake/CMakeLists.txt': ['CMakeLists.txt', '*.cmake'],
  'meson/wrap': ['*.wrap'],
  'bazel/starlark': ['WORKSPACE', 'WORKSPACE.bazel', 'MODULE.bazel', '*.bzl'],
  'make/Makefile': ['Makefile', 'makefile', 'GNUmakefile', '*.mk'],
  'shell/script': ['*.sh'],
  'git/.gitmodules': ['.gitmodules'],
  // Debian source packages: the folder name is part of the pattern, since `changelog` and `control` are common names.
  'debian/changelog': ['debian/changelog'],
  'debian/control': ['debian/control'],
  'debian/dsc': ['*.dsc'],
  'nix/flake.lock': ['flake.lock'],
  'nix/expression': ['*.nix'],
  // Homebrew formulae live in a tap's Formula folder, flat or sharded by first letter.
  'homebrew/formula': ['Formula/*.rb', 'Formula/*/*.rb'],
  'macports/Portfile': ['Portfile'],
  // Last: any other YAML file is read when its content is a Kubernetes manifest (or GitLab CI jobs, as included files are).
  'kubernetes/manifest': ['*.yaml', '*.yml'],
} as const satisfies Record<string, readonly string[]>;

export type FormatId = keyof typeof formatPatterns;

/**
 * Whether a path matches a pattern: its basename, or for a pattern with folders (`.github/workflows/*.yml`) its
 * last segments, each matched as a basename is. `\\` separators count as `/`.
 */
export function matchesPath(path: string, pattern: string): boolean {
  const segments = path.split(/[\\/]/);
  const wanted = pattern.split('/');
  if (wanted.length > segments.length) return false;
  const tail = segments.slice(segments.length - wanted.length);
  return wanted.every((p, i) => matchesPattern(tail[i]!, p));
}

/** Whether a basename matches a pattern in which `*` stands for any run of characters. */
export function matchesPattern(basename: string, pattern: string): boolean {
  let parts = split.get(pattern);
  if (parts === undefined) {
    parts = pattern.split('*');
    // Patterns come from the tables above (and a few callers' globs): few, so kept.
    if (split.size < 1024) split.set(pattern, parts);
  }
  if (parts.length === 1) return basename === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (basename.length < first.length + last.length || !basename.startsWith(first) || !basename.endsWith(last)) return false;
  let at = first.length;
  const end = basename.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const middle = parts[i]!;
    const found = basename.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** Each pattern split at its `*`s. */
const split = new Map<string, string[]>();
