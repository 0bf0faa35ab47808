// What the end-to-end test needs on the machine: Debian packages, code-server (installed on demand into
// test/e2e/.work/, never a dependency of the extension), and the packaged .vsix installed into it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The code-server release the test runs; its workbench is VS Code 1.100.3. */
export const codeServerVersion = '4.100.3';

/** The paths the test uses, all under test/e2e/.work/ (gitignored) but the repository's own. */
export function workPaths(repoRoot) {
  const work = join(repoRoot, 'test', 'e2e', '.work');
  const codeServerPrefix = join(work, 'code-server');
  const pkg = join(codeServerPrefix, 'node_modules', 'code-server');
  return {
    work,
    codeServerPrefix,
    codeServerEntry: join(pkg, 'out', 'node', 'entry.js'),
    // Files the code-server postinstall (lib/vscode's own npm install) leaves when it really ran.
    postinstallMarkers: [
      join(pkg, 'lib', 'vscode', 'node_modules.asar'),
      join(pkg, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
      join(pkg, 'lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
      join(pkg, 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
      join(pkg, 'lib', 'vscode', 'extensions', 'node_modules', 'typescript'),
    ],
    userDataDir: join(work, 'user-data'),
    extensionsDir: join(work, 'extensions'),
    screenshots: join(work, 'screenshots'),
    vsix: join(repoRoot, 'pinwatch.vsix'),
  };
}

/** The Debian packages the test needs, each with a file that shows it is installed. */
const aptNeeds = [
  { pkg: 'chromium', file: '/usr/bin/chromium' },
  { pkg: 'ripgrep', file: '/usr/bin/rg' },
  // kerberos (a code-server module) builds against the GSSAPI headers.
  { pkg: 'libkrb5-dev', file: '/usr/include/gssapi/gssapi.h' },
];

/**
 * Installs the missing Debian packages when running as root; otherwise returns a reason the test cannot run
 * (the caller fails under CI and skips with that reason elsewhere). Returns undefined when all is there.
 */
export function ensureAptPackages(log) {
  const missing = aptNeeds.filter((n) => !existsSync(n.file)).map((n) => n.pkg);
  if (missing.length === 0) return undefined;
  if (process.getuid?.() !== 0) return `missing Debian packages: ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`;
  log(`apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  const still = aptNeeds.filter((n) => !existsSync(n.file)).map((n) => n.pkg);
  return still.length === 0 ? undefined : `apt-get could not install: ${still.join(' ')}`;
}

/**
 * Installs code-server into the work folder unless a complete install is already there. Its postinstall builds
 * native modules and runs `npm install` in lib/vscode; three things make that work offline-but-for-npm:
 * `npm_config_yes` (one module runs `npx node-gyp`), `npm_config_unsafe_perm` (its script refuses root without it),
 * and a cached ripgrep tarball (@vscode/ripgrep's postinstall would download rg from GitHub; it takes a tarball in
 * its cache folder instead, so Debian's rg goes there).
 */
export function ensureCodeServer(paths, log) {
  if (paths.postinstallMarkers.every((f) => existsSync(f)) && existsSync(paths.codeServerEntry)) return;
  seedRipgrepCache(log);
  mkdirSync(paths.codeServerPrefix, { recursive: true });
  writeFileSync(join(paths.codeServerPrefix, 'package.json'), '{ "private": true }\n');
  const env = { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_update_notifier: 'false' };
  log(`npm install code-server@${codeServerVersion} into ${paths.codeServerPrefix} (a few minutes the first time)`);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--omit=dev', `code-server@${codeServerVersion}`], { cwd: paths.codeServerPrefix, env });
  const missing = paths.postinstallMarkers.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    // npm 11 may hold back install scripts it has not been told to allow: run code-server's own by hand.
    log(`code-server's postinstall did not run (missing ${missing[0]}); running it`);
    const pkg = join(paths.codeServerPrefix, 'node_modules', 'code-server');
    const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
    run('sh', ['./postinstall.sh'], { cwd: pkg, env: { ...env, npm_config_user_agent: `npm/${npmVersion} node/${process.version} linux x64` } });
  }
  const still = paths.postinstallMarkers.filter((f) => !existsSync(f));
  if (still.length > 0) throw new Error(`code-server install is incomplete: missing ${still.join(', ')}`);
}

/** Puts Debian's rg where @vscode/ripgrep 1.15.11 looks for a cached download. */
function seedRipgrepCache(log) {
  const cacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(tarball)) return;
  log(`seeding ${tarball} with /usr/bin/rg`);
  const staging = join(tmpdir(), `pinwatch-rg-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  cpSync('/usr/bin/rg', join(staging, 'rg'));
  // The postinstall untars into its bin/ folder and expects `rg` at the archive's root.
  run('tar', ['czf', tarball, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

/** Builds and packages the extension with the project's own script (`npm run package`), giving pinwatch.vsix. */
export function packageExtension(repoRoot, paths, log) {
  // A prebuilt .vsix (PINWATCH_E2E_VSIX) skips the build, e.g. to test a release artifact.
  if (process.env.PINWATCH_E2E_VSIX) {
    cpSync(process.env.PINWATCH_E2E_VSIX, paths.vsix);
    return;
  }
  log('npm run package');
  rmSync(paths.vsix, { force: true });
  run('npm', ['run', 'package'], { cwd: repoRoot });
  if (!existsSync(paths.vsix)) throw new Error(`npm run package did not produce ${paths.vsix}`);
}

/** The code-server arguments that keep its state under the work folder and its behaviour quiet and offline. */
export function codeServerArgs(paths) {
  return [
    '--user-data-dir', paths.userDataDir,
    '--extensions-dir', paths.extensionsDir,
    '--config', join(paths.work, 'code-server.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}

/** Installs the .vsix into the work folder's extensions dir (replacing an older build) and writes the user settings. */
export function installExtension(paths, log) {
  rmSync(paths.extensionsDir, { recursive: true, force: true });
  rmSync(paths.userDataDir, { recursive: true, force: true });
  mkdirSync(join(paths.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(paths.work, 'code-server.yaml'), 'auth: none\ncert: false\n');
  writeFileSync(join(paths.userDataDir, 'User', 'settings.json'), `${JSON.stringify(userSettings, null, 2)}\n`);
  log(`code-server --install-extension ${paths.vsix}`);
  run(process.execPath, [paths.codeServerEntry, ...codeServerArgs(paths), '--install-extension', paths.vsix]);
}

/** User settings for the test's workbench: no trust prompt, no welcome page, nothing that calls out. */
const userSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 100,
  'files.autoSave': 'off',
  'window.title': 'Pinwatch e2e',
};

function run(command, args, options = {}) {
  // Child output goes to stderr so that stdout carries only the test runner's report.
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}
