/**
 * rpmdb.sqlite files for tests, written with sql.js itself: a `Packages` table as rpm creates it, each row a header
 * blob made by hand (rpmHeader.ts's writer), so nothing is installed to make one.
 */
import initSqlJs from 'sql.js';
import { rpmTags, writeRpmHeader } from '../../../../server/src/formats/installed/rpmHeader';

/** A package to write: name, version, release, and optionally epoch and arch. */
export interface FixturePackage {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
}

/** The bytes of an rpmdb.sqlite listing the packages (and any raw blobs, for damaged rows), in order. */
export async function rpmdbBytes(packages: readonly FixturePackage[], rawBlobs: readonly Uint8Array[] = []): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
  db.run("CREATE TABLE 'Name' (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))");
  for (const p of packages) {
    const tags: { tag: number; value: string | number }[] = [
      { tag: rpmTags.NAME, value: p.name },
      { tag: rpmTags.VERSION, value: p.version },
      { tag: rpmTags.RELEASE, value: p.release },
      ...(p.epoch === undefined ? [] : [{ tag: rpmTags.EPOCH, value: p.epoch }]),
      { tag: rpmTags.ARCH, value: p.arch ?? 'x86_64' },
    ];
    db.run('INSERT INTO Packages (blob) VALUES (?)', [writeRpmHeader(tags)]);
  }
  for (const blob of rawBlobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [blob]);
  const bytes = db.export();
  db.close();
  return bytes;
}
