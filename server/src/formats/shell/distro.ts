/**
 * Which distribution a package pin belongs to: from the base image (`debian:sid-…`, `fedora:40`, `alpine:edge`),
 * or, when the image is unknown, from the install tool itself (apk → Alpine, apt → Debian, …).
 */
import type { InstallPin, Tool } from './installs';

/** A distribution: its ecosystem name (OSV's where there is one), the tool family it uses, and the suite. */
export interface Distro { ecosystem: string; tool: Tool; suite?: string }

const debianCodenames: Record<string, string> = { '9': 'stretch', '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie', '14': 'forky' };
const debianSuites = new Set(['stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'sid', 'unstable', 'testing', 'stable', 'oldstable', 'experimental']);
const ubuntuSuites = new Set(['bionic', 'focal', 'jammy', 'kinetic', 'lunar', 'mantic', 'noble', 'oracular', 'plucky', 'questing']);

/**
 * The distribution of an image, from its repository (as written, any registry host and `library/` dropped) and
 * tag. Images that are not distributions themselves (`node:20-bookworm`) are read from a codename in the tag.
 */
export function imageDistro(repository: string, tag: string | undefined): Distro | undefined {
  const path = imagePath(repository);
  const t = tag?.toLowerCase();
  const first = t?.split('-')[0];
  const withSuite = (d: Distro, suite: string | undefined): Distro => (suite ? { ...d, suite } : d);
  if (path === 'debian') return withSuite({ ecosystem: 'Debian', tool: 'apt' }, first && first !== 'latest' ? debianCodenames[first.split('.')[0]!] ?? first : undefined);
  if (path === 'ubuntu') return withSuite({ ecosystem: 'Ubuntu', tool: 'apt' }, first && first !== 'latest' ? first : undefined);
  if (path.startsWith('kalilinux/kali')) return { ecosystem: 'Kali', tool: 'apt', suite: path.slice('kalilinux/'.length) };
  if (path === 'alpine') return withSuite({ ecosystem: 'Alpine', tool: 'apk' }, t === 'edge' ? 'edge' : /^\d+\.\d+/.exec(t ?? '')?.[0]);
  if (path === 'fedora' || path === 'fedora/fedora') return withSuite({ ecosystem: 'Fedora', tool: 'rpm' }, /^\d+$/.test(first ?? '') ? `fc${first}` : first === 'rawhide' ? 'rawhide' : undefined);
  if (path === 'opensuse/tumbleweed') return { ecosystem: 'openSUSE', tool: 'rpm', suite: 'tumbleweed' };
  if (path === 'opensuse/leap') return withSuite({ ecosystem: 'openSUSE', tool: 'rpm' }, t && t !== 'latest' ? `leap-${t}` : 'leap');
  if (path === 'archlinux' || path === 'archlinux/archlinux') return { ecosystem: 'Arch Linux', tool: 'pacman' };
  if (path === 'gentoo/stage3' || path === 'gentoo/portage') return { ecosystem: 'Gentoo', tool: 'portage' };
  if (path === 'chainguard/wolfi-base' || path === 'wolfi-base') return { ecosystem: 'Wolfi', tool: 'apk' };
  if (path === 'rockylinux' || path.startsWith('rockylinux/')) return { ecosystem: 'Rocky Linux', tool: 'rpm' };
  if (path === 'almalinux' || path.startsWith('almalinux/')) return { ecosystem: 'AlmaLinux', tool: 'rpm' };
  if (/^(redhat\/)?ubi\d+(\/|-|$)/.test(path)) return { ecosystem: 'Red Hat', tool: 'rpm' };
  return tagDistro(t);
}

/** A distribution named in another image's tag: `python:3.12-alpine3.19`, `node:20-bookworm-slim`, `…:21-jammy`. */
function tagDistro(tag: string | undefined): Distro | undefined {
  if (!tag) return undefined;
  const alpine = /(?:^|-)alpine(\d+\.\d+)?(?:-|$)/.exec(tag);
  if (alpine) return alpine[1] ? { ecosystem: 'Alpine', tool: 'apk', suite: alpine[1] } : { ecosystem: 'Alpine', tool: 'apk' };
  for (const part of tag.split('-')) {
    if (debianSuites.has(part)) return { ecosystem: 'Debian', tool: 'apt', suite: part };
    if (ubuntuSuites.has(part)) return { ecosystem: 'Ubuntu', tool: 'apt', suite: part };
  }
  return undefined;
}

/** The repository path without a registry host or Docker Hub's `library/`, lowercased, for matching. */
function imagePath(repository: string): string {
  const segments = repository.toLowerCase().split('/');
  if (segments.length > 1 && /[.:]|^localhost$/.test(segments[0]!)) segments.shift();
  if (segments[0] === 'library') segments.shift();
  if (segments[0] === 'cgr.dev') segments.shift();
  return segments.join('/');
}

/**
 * The ecosystem and suite of a pin: the image's when its tool family matches the command's, else inferred from the
 * command (apk → Alpine, pacman → Arch Linux, apt → Debian, zypper → openSUSE, dnf/yum with `.fcNN` → Fedora).
 * Undefined when it cannot be known (dnf with no dist tag on an unknown image).
 */
export function pinDistro(pin: InstallPin, image: Distro | undefined): Distro | undefined {
  const fedora = pin.tool === 'rpm' && pin.version ? /\.fc(\d+)(?:\.|$)/.exec(pin.version) : null;
  const suite = pin.suite ?? (fedora ? `fc${fedora[1]}` : undefined);
  const base = image && image.tool === pin.tool ? image : toolDistro(pin, !!fedora);
  if (!base) return undefined;
  return suite ? { ...base, suite } : base;
}

function toolDistro(pin: InstallPin, fedora: boolean): Distro | undefined {
  if (pin.tool === 'apt') return { ecosystem: 'Debian', tool: 'apt' };
  if (pin.tool === 'apk') return { ecosystem: 'Alpine', tool: 'apk' };
  if (pin.tool === 'pacman') return { ecosystem: 'Arch Linux', tool: 'pacman' };
  if (pin.tool === 'npm') return { ecosystem: 'npm', tool: 'npm' };
  if (pin.tool === 'pip') return { ecosystem: 'PyPI', tool: 'pip' };
  if (pin.tool === 'portage') return { ecosystem: 'Gentoo', tool: 'portage' };
  if (pin.context.startsWith('zypper')) return { ecosystem: 'openSUSE', tool: 'rpm' };
  return fedora ? { ecosystem: 'Fedora', tool: 'rpm' } : undefined;
}
