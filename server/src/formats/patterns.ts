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
  'pypi/requirements.txt': ['requirements.txt', 'requirements-*.txt', 'requirements_*.txt', '*-requirements.txt', 'constraints.txt'],
  // A pattern with a `/` matches the last folders of the path too (see `matchesPath`).
  'github/workflow': ['.github/workflows/*.yml', '.github/workflows/*.yaml', 'action.yml', 'action.yaml'],
  'gitlab/.gitlab-ci.yml': ['.gitlab-ci.yml', '.gitlab-ci.yaml'],
  'docker/compose': ['compose.yaml', 'compose.yml', 'docker-compose*.yml', 'docker-compose*.yaml'],
  'helm/values.yaml': ['values.yaml', 'values.yml'],
  'devcontainer/devcontainer.json': ['.devcontainer/devcontainer.json', '.devcontainer.json'],
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
  const parts = pattern.split('*');
  if (parts.length === 1) return basename === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!basename.startsWith(first) || basename.length < first.length + last.length || !basename.endsWith(last)) return false;
  let at = first.length;
  const end = basename.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = basename.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}
