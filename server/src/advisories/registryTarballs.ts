/**
 * The package a registry's download URL names: npm's tarball (`https://registry.npmjs.org/nx/-/nx-21.5.0.tgz`,
 * `…/@scope/name/-/name-1.0.0.tgz`) and PyPI's sdists and wheels (`https://files.pythonhosted.org/packages/…/
 * ultralytics-8.3.41.tar.gz`, `…/name-1.0-py3-none-any.whl`). A recipe, formula or Dockerfile that downloads such a
 * file installs that release as surely as a pin does, so the engine judges it as the package it is.
 */

import { parseUrl } from './artifacts';

/** A package release a URL downloads from its registry. */
export interface RegistryTarball {
  ecosystem: 'npm' | 'PyPI';
  name: string;
  version: string;
}

/** The hosts that serve npm's registry tarballs under its own paths (yarn's is a mirror of npm's). */
const npmHosts = new Set(['registry.npmjs.org', 'registry.yarnpkg.com']);
/** The hosts of PyPI's files. */
const pypiHosts = new Set(['files.pythonhosted.org', 'pypi.org', 'pypi.io', 'pypi.python.org']);

/** The release a URL downloads from npm's or PyPI's registry, or undefined for any other URL. */
export function registryTarball(url: string): RegistryTarball | undefined {
  const parsed = /^\s*https?:/i.test(url) ? parseUrl(url) : undefined;
  if (!parsed) return undefined;
  const { host } = parsed;
  let path: string;
  try {
    path = decodeURIComponent(parsed.path);
  } catch {
    return undefined;
  }
  if (npmHosts.has(host)) return npmTarball(path);
  if (pypiHosts.has(host) && path.startsWith('/packages/')) return pypiFile(path.slice(path.lastIndexOf('/') + 1));
  return undefined;
}

/** `/<name>/-/<base>-<version>.tgz`, where `<base>` is the name without its scope. */
function npmTarball(path: string): RegistryTarball | undefined {
  const m = /^\/((?:@[^/]+\/)?([^/@]+))\/-\/([^/]+)\.tgz$/.exec(path);
  if (!m) return undefined;
  const [, name, base, file] = m as unknown as [string, string, string, string];
  if (!file.startsWith(`${base}-`)) return undefined;
  const version = file.slice(base.length + 1);
  return /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(version) ? { ecosystem: 'npm', name, version } : undefined;
}

/**
 * A PyPI file name: a wheel is `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, with `-` in its name
 * written `_`; an sdist is `{name}-{version}.tar.gz` (or `.zip`, `.tar.bz2`), whose version starts after the last
 * `-` that a digit follows.
 */
function pypiFile(file: string): RegistryTarball | undefined {
  if (file.endsWith('.whl')) {
    const parts = file.slice(0, -4).split('-');
    if (parts.length !== 5 && parts.length !== 6) return undefined;
    return versionLike(parts[1]!) && parts[0] ? { ecosystem: 'PyPI', name: parts[0], version: parts[1]! } : undefined;
  }
  const stem = /^(.+)\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/.exec(file)?.[1];
  if (!stem) return undefined;
  for (let i = stem.length - 1; i > 0; i--) {
    if (stem.charCodeAt(i) === 0x2d /* - */ && /\d/.test(stem[i + 1] ?? '')) {
      const version = stem.slice(i + 1);
      return versionLike(version) ? { ecosystem: 'PyPI', name: stem.slice(0, i), version } : undefined;
    }
  }
  return undefined;
}

/** Whether a PyPI version is of the public form (PEP 440's digits, dots, pre-, post- and dev-release tags). */
function versionLike(version: string): boolean {
  return /^\d+(?:\.\d+)*(?:(?:a|b|rc|c|alpha|beta|pre|preview)\d*)?(?:\.?post\d*)?(?:\.?dev\d*)?$/i.test(version);
}
