/**
 * Package-manager install commands: which packages an invocation installs with a version pin or constraint, and
 * where in its arguments the version is. Unpinned packages, removals, queries and messages give nothing.
 */
import type { Arg, Invocation } from './commands';
import { npmPins, pipPins } from './languagePins';
import { atomPin, parseAtom } from '../gentoo/atoms';
import { splitDebFile, splitNevra, splitPacmanFile } from './nevra';

/** The package-manager families, named after their tools' package formats (npm and pip for language packages). */
export type Tool = 'apt' | 'apk' | 'rpm' | 'pacman' | 'npm' | 'pip' | 'portage';

/** A package an install command pins: the version (or constraint) is `arg.exp.value.slice(from, to)`. */
export interface InstallPin {
  tool: Tool;
  /** The command as a person would name it: 'apt-get install', 'apk add', 'pacman -U'. */
  context: string;
  name: string;
  version?: string;
  constraint?: string;
  arg: Arg;
  from: number;
  to: number;
  /** A release named on the command line (`apt-get -t sid`, `apk add xz@edge`). */
  suite?: string;
}

interface ToolSpec {
  tool: Tool;
  /** Subcommands that install (the first non-option argument must be one of them). */
  installs: Set<string>;
  /** Options that take the next argument as their value. */
  valued: Set<string>;
  /** Options that make the command install nothing (simulate, download only). */
  dryRun: Set<string>;
  pins(arg: Arg, context: string): InstallPin | undefined;
}

const apt: ToolSpec = {
  tool: 'apt',
  installs: new Set(['install', 'reinstall']),
  dryRun: new Set(['-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act', '-d', '--download-only']),
  valued: new Set(['-t', '--target-release', '--default-release', '-o', '--option', '-c', '--config-file', '-a', '--host-architecture']),
  pins(arg, context) {
    if (arg.exp.value.includes('/')) return debFile(arg, context);
    const m = /^([a-z0-9][a-z0-9+.-]*)(:[a-z0-9-]+)?=([0-9][A-Za-z0-9.+~:-]*)$/.exec(arg.exp.value);
    if (!m) return undefined;
    const from = arg.exp.value.length - m[3]!.length;
    return { tool: 'apt', context, name: m[1]!, version: m[3]!, arg, from, to: arg.exp.value.length };
  },
};

/** A `.deb` file or URL (apt installs a path that has a slash; dpkg any file name). */
const debFile = (arg: Arg, context: string): InstallPin | undefined => {
  const split = splitDebFile(arg.exp.value);
  return split ? { tool: 'apt', context, name: split.name, version: split.version, arg, from: split.from, to: split.to } : undefined;
};

const apk: ToolSpec = {
  tool: 'apk',
  installs: new Set(['add']),
  dryRun: new Set(['-s', '--simulate']),
  valued: new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root', '--arch', '--keys-dir', '--cache-dir', '--repositories-file', '--wait', '--progress-fd', '--timeout']),
  pins(arg, context) {
    const m = /^([A-Za-z0-9_][A-Za-z0-9_.+-]*)(@[A-Za-z0-9_.-]+)?(=|~=|=~|~|>=|<=|>|<)([0-9][A-Za-z0-9._+~-]*)(@[A-Za-z0-9_.-]+)?$/.exec(arg.exp.value);
    if (!m) return undefined;
    const opFrom = m[1]!.length + (m[2]?.length ?? 0);
    const to = opFrom + m[3]!.length + m[4]!.length;
    const tag = (m[2] ?? m[5])?.slice(1);
    const pin: InstallPin = m[3] === '='
      ? { tool: 'apk', context, name: m[1]!, version: m[4]!, arg, from: opFrom + 1, to }
      : { tool: 'apk', context, name: m[1]!, constraint: m[3]! + m[4]!, arg, from: opFrom, to };
    if (tag?.startsWith('edge')) pin.suite = 'edge';
    return pin;
  },
};

const rpmFile = (arg: Arg, context: string): InstallPin | undefined => {
  const value = arg.exp.value;
  const base = value.slice(value.lastIndexOf('/') + 1).split('?')[0]!;
  if (!base.endsWith('.rpm')) return undefined;
  const split = splitNevra(base.slice(0, -4), true);
  if (!split) return undefined;
  const offset = value.lastIndexOf('/') + 1;
  return { tool: 'rpm', context, name: split.name, version: split.version, arg, from: offset + split.from, to: offset + split.to };
};

const dnf: ToolSpec = {
  tool: 'rpm',
  installs: new Set(['install', 'in', 'reinstall', 'downgrade', 'upgrade', 'update']),
  dryRun: new Set(['--downloadonly', '--download-only', '--assumeno']),
  valued: new Set(['-c', '--config', '--installroot', '--releasever', '--setopt', '-x', '--exclude', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--repofrompath', '-d', '--debuglevel', '-e', '--errorlevel', '--forcearch', '--destdir', '--downloaddir', '--comment', '--color']),
  pins(arg, context) {
    const value = arg.exp.value;
    if (value.includes('/') || /\.rpm(?:$|[?#])/.test(value)) return rpmFile(arg, context);
    if (value.startsWith('@')) return undefined;
    const split = splitNevra(value, false);
    return split ? { tool: 'rpm', context, name: split.name, version: split.version, arg, from: split.from, to: split.to } : undefined;
  },
};

const zypper: ToolSpec = {
  tool: 'rpm',
  installs: new Set(['install', 'in']),
  dryRun: new Set(['--dry-run', '-D', '--download-only', '-d']),
  valued: new Set(['--root', '-R', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir', '-c', '--config', '--userdata', '-t', '--type', '-r', '--repo', '--from', '--download']),
  pins(arg, context) {
    const value = arg.exp.value;
    const op = /^([A-Za-z0-9_][A-Za-z0-9_.+-]*)(=|>=|<=|>|<)([0-9][A-Za-z0-9._+~:-]*)$/.exec(value);
    if (op) {
      const from = op[1]!.length;
      return op[2] === '='
        ? { tool: 'rpm', context, name: op[1]!, version: op[3]!, arg, from: from + 1, to: value.length }
        : { tool: 'rpm', context, name: op[1]!, constraint: op[2]! + op[3]!, arg, from, to: value.length };
    }
    return dnf.pins(arg, context);
  },
};

const specs: Record<string, ToolSpec> = {
  'apt-get': apt, apt, aptitude: apt,
  apk,
  dnf, dnf5: dnf, yum: dnf, microdnf: dnf, tdnf: dnf,
  zypper,
};

/** The packages an invocation installs with a version pin or constraint. */
export function installPins(inv: Invocation): InstallPin[] {
  if (inv.program === 'pacman') return pacmanPins(inv);
  if (inv.program === 'rpm') return rpmPins(inv);
  if (inv.program === 'dpkg') return dpkgPins(inv);
  if (inv.program === 'emerge') return emergePins(inv);
  const spec = specs[inv.program];
  if (!spec) {
    const npm = npmPins(inv);
    return npm.length > 0 ? npm : pipPins(inv);
  }
  const out: InstallPin[] = [];
  let subcommand: string | undefined;
  let suite: string | undefined;
  for (let i = 0; i < inv.args.length; i += 1) {
    const arg = inv.args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (v.startsWith('-')) {
      if (spec.dryRun.has(v)) return [];
      if (spec.valued.has(v)) {
        const value = inv.args[i + 1];
        if (spec.tool === 'apt' && (v === '-t' || v === '--target-release' || v === '--default-release') && value?.exp.known) suite = value.exp.value;
        i += 1;
      } else if (spec.tool === 'apt' && /^--target-release=/.test(v)) suite = v.slice(v.indexOf('=') + 1);
      continue;
    }
    if (subcommand === undefined) {
      subcommand = v;
      if (!spec.installs.has(v)) return [];
      continue;
    }
    const pin = spec.pins(arg, `${inv.program} ${subcommand}`);
    if (pin) out.push(suite && !pin.suite ? { ...pin, suite } : pin);
  }
  return out;
}

const pacmanValued = new Set(['-r', '--root', '-b', '--dbpath', '--cachedir', '--config', '--arch', '--gpgdir', '--hookdir', '--logfile', '--assume-installed', '--overwrite', '--ignore', '--ignoregroup', '--print-format', '--sysroot']);

/** `pacman -S` cannot pin a version; `pacman -U` with a package file or archive URL does. */
function pacmanPins(inv: Invocation): InstallPin[] {
  let upgrade = false;
  const files: Arg[] = [];
  for (let i = 0; i < inv.args.length; i += 1) {
    const arg = inv.args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (pacmanValued.has(v)) { i += 1; continue; }
    if (v === '-p' || v === '--print' || (/^-[A-Za-z]*U/.test(v) && v.includes('p'))) return [];
    if (v === '--upgrade' || /^-[A-Za-z]*U/.test(v)) { upgrade = true; continue; }
    if (v.startsWith('-')) continue;
    files.push(arg);
  }
  if (!upgrade) return [];
  const out: InstallPin[] = [];
  for (const arg of files) {
    const split = splitPacmanFile(arg.exp.value);
    if (split) out.push({ tool: 'pacman', context: 'pacman -U', name: split.name, version: split.version, arg, from: split.from, to: split.to });
  }
  return out;
}

const rpmValued = new Set(['--root', '--dbpath', '--rcfile', '--define', '-D', '--eval', '-E', '--prefix', '--relocate', '--excludepath', '--predefine', '--macros']);

/** `rpm -i`/`-U`/`-F` (and `-ivh`, `--upgrade`, …) with package files or URLs; queries and `--test` give nothing. */
function rpmPins(inv: Invocation): InstallPin[] {
  let installs: string | undefined;
  const files: Arg[] = [];
  for (let i = 0; i < inv.args.length; i += 1) {
    const arg = inv.args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (rpmValued.has(v)) { i += 1; continue; }
    if (v === '--test' || /^-[A-Za-z]*[qeV]/.test(v) || v === '--query' || v === '--erase' || v === '--verify') return [];
    if (/^-[A-Za-z]*[iUF]/.test(v) || v === '--install' || v === '--upgrade' || v === '--freshen' || v === '--reinstall') { installs ??= v; continue; }
    if (v.startsWith('-')) continue;
    files.push(arg);
  }
  if (!installs) return [];
  return files.map((arg) => rpmFile(arg, `rpm ${installs}`)).filter((pin): pin is InstallPin => pin !== undefined);
}

/** `dpkg -i` (also `--install`, `-iE`, …) with `.deb` files; `--dry-run`, `--no-act` and other actions give nothing. */
function dpkgPins(inv: Invocation): InstallPin[] {
  let installs: string | undefined;
  const files: Arg[] = [];
  for (const arg of inv.args) {
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (v === '--dry-run' || v === '--no-act' || v === '--simulate') return [];
    if (/^-[A-Za-z]*i/.test(v) && !v.startsWith('--') || v === '--install') { installs ??= v; continue; }
    if (v.startsWith('-')) continue;
    files.push(arg);
  }
  if (!installs) return [];
  return files.map((arg) => debFile(arg, `dpkg ${installs}`)).filter((pin): pin is InstallPin => pin !== undefined);
}

const emergeValued = new Set(['--exclude', '--usepkg-exclude', '--root', '--config-root', '--sysroot', '--prefix', '--jobs', '-j', '--load-average', '--backtrack', '--deep', '-D', '--with-bdeps', '--keep-going']);
const emergeDryRun = /^-(?:[A-Za-z]*[pfsSCc]|-pretend|-fetchonly|-fetch-all-uri|-search|-searchdesc|-unmerge|-depclean|-prune|-info|-sync)$/;

/**
 * `emerge =app-arch/xz-utils-5.6.1` (and `~`, `>=`, … atoms): versioned atoms are pins or constraints; sets,
 * bare names and `--pretend`, `--fetchonly`, `--search` or `--unmerge` runs give nothing. An option that may
 * take a value (`--jobs 4`, `--deep`) only skips that value when it is not an atom.
 */
function emergePins(inv: Invocation): InstallPin[] {
  const out: InstallPin[] = [];
  for (let i = 0; i < inv.args.length; i += 1) {
    const arg = inv.args[i]!;
    const v = arg.exp.value;
    if (!arg.exp.known) continue;
    if (emergeDryRun.test(v)) return [];
    if (v.startsWith('-')) {
      const next = inv.args[i + 1]?.exp.value;
      if (emergeValued.has(v) && next !== undefined && !parseAtom(next) && !next.startsWith('-')) i += 1;
      continue;
    }
    const atom = parseAtom(v);
    if (atom) out.push({ tool: 'portage', context: 'emerge', name: atom.name, ...atomPin(atom), arg, from: atom.from, to: atom.to });
  }
  return out;
}
