/**
 * rpm's database of installed packages in its SQLite form (`var/lib/rpm/rpmdb.sqlite`, and
 * `usr/lib/sysimage/rpm/rpmdb.sqlite` on current Fedora and openSUSE): each row of the `Packages` table holds a
 * package header (see rpmHeader.ts), read for its name, epoch, version, release and arch. The file is binary, so
 * the format reads bytes (`extractBytes`); SQLite is sql.js's (SQLite compiled to WebAssembly, no native build),
 * whose module loads asynchronously once (`prepare`) before the first read. A binary file has no lines: findings
 * are at its start, and the message names the package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import type { Extracted, Format, Range } from '../../model';
import { formatPatterns } from '../patterns';
import { readRpmHeader } from './rpmHeader';
import { distroOfOsRelease, installedReference, opensshAside, osReleaseOf, rootOf, type RootDistro } from './root';

let sqlite: SqlJsStatic | undefined;
let loading: Promise<void> | undefined;
let loadError: string | undefined;

/**
 * Loads sql.js's WebAssembly module once: `sql-wasm.wasm` beside the bundle (esbuild.mjs copies it into dist/), else
 * sql.js's own (tests load the package from node_modules). A missing file is a load error, reported per database.
 */
export function loadSqlite(): Promise<void> {
  if (loading) return loading;
  const wasm = wasmBinary();
  if (!wasm) {
    loadError = 'sql-wasm.wasm was not found beside Pinwatch';
    return (loading = Promise.resolve());
  }
  loading = initSqlJs({ wasmBinary: wasm }).then(
    (loaded) => {
      sqlite = loaded;
    },
    (error: unknown) => {
      loadError = error instanceof Error ? error.message : String(error);
    },
  );
  return loading;
}

/** Where sql.js keeps its module in node_modules (a variable, so the bundler leaves the lookup to run time). */
const sqlJsWasm = 'sql.js/dist/sql-wasm.wasm';

function wasmBinary(): ArrayBuffer | undefined {
  const candidates = [() => join(__dirname, 'sql-wasm.wasm'), () => require.resolve(sqlJsWasm)];
  for (const candidate of candidates) {
    try {
      const bytes = readFileSync(candidate());
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } catch {
      // The next place.
    }
  }
  return undefined;
}

const start: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The ecosystems whose databases are rpm's, by os-release. */
const rpmEcosystems = new Set(['Fedora', 'openSUSE', 'SUSE', 'Red Hat', 'Rocky Linux', 'AlmaLinux']);

/** The rpmdb.sqlite format. */
export const rpmdb: Format = {
  id: 'rpm/rpmdb.sqlite',
  patterns: [...formatPatterns['rpm/rpmdb.sqlite']],
  extract(): Extracted[] {
    return [{ kind: 'problem', reason: 'syntax', message: 'This rpm database is a binary SQLite file, which Pinwatch reads from its bytes (Scan Workspace, pinwatch scan); it was not checked as text.', range: start }];
  },
  prepare: loadSqlite,
  extractBytes(bytes: Uint8Array, path: string, readFile?: (path: string) => string | undefined): Extracted[] {
    if (!sqlite) return [{ kind: 'problem', reason: 'syntax', message: `Pinwatch's SQLite reader ${loadError ? `could not be loaded (${loadError})` : 'was not loaded'}, so this rpm database was not checked.`, range: start }];
    const root = rootOf(path, 'var/lib/rpm/rpmdb.sqlite') ?? rootOf(path, 'usr/lib/sysimage/rpm/rpmdb.sqlite');
    const fields = osReleaseOf(root, readFile);
    const fromOs = fields && distroOfOsRelease(fields);
    const osDistro = fromOs && rpmEcosystems.has(fromOs.ecosystem) ? fromOs : undefined;
    const packages: { name: string; version: string; distro: RootDistro }[] = [];
    let unreadRows = 0;
    let firstError: string | undefined;
    let db: InstanceType<SqlJsStatic['Database']> | undefined;
    try {
      db = new sqlite.Database(bytes);
      const statement = db.prepare('SELECT blob FROM Packages');
      try {
        while (statement.step()) {
          const blob = statement.get()[0];
          const header = blob instanceof Uint8Array ? readRpmHeader(blob) : 'the row has no header blob';
          if (typeof header === 'string') {
            unreadRows++;
            firstError ??= header;
            continue;
          }
          const version = `${header.epoch ? `${header.epoch}:` : ''}${header.version}-${header.release}`;
          const fedora = /\.fc(\d+)(?:\.|$)/.exec(header.release);
          const distro = osDistro ?? (fedora ? { ecosystem: 'Fedora', suite: `fc${fedora[1]}` } : undefined);
          if (distro) packages.push({ name: header.name, version, distro });
        }
      } finally {
        statement.free();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [{ kind: 'problem', reason: 'syntax', message: `This rpm database could not be read as SQLite with a Packages table (${reason}), so it was not checked.`, range: start }];
    } finally {
      db?.close();
    }
    const sshd = packages.some((p) => p.name === 'openssh-server');
    const out: Extracted[] = packages.map((p) => {
      const upgrade = p.distro.ecosystem === 'openSUSE' || p.distro.ecosystem === 'SUSE' ? `zypper install --oldpackage ${p.name}-{version}` : `dnf install ${p.name}-{version}`;
      const aside = sshd && (p.name === 'xz-libs' || p.name === 'liblzma5') ? opensshAside(p.distro.ecosystem, 'openssh-server') : '';
      return installedReference(p.distro, p.name, p.version, start, 'rpmdb.sqlite', upgrade, aside);
    });
    if (unreadRows > 0) out.push({ kind: 'problem', reason: 'syntax', message: `${unreadRows} package header${unreadRows === 1 ? '' : 's'} of this rpm database could not be read (${firstError}), so ${unreadRows === 1 ? 'that package was' : 'those packages were'} not checked.`, range: start });
    return out;
  },
};
