import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { postgis } from '@electric-sql/pglite-postgis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isOtherPostgisExtension,
  postgisOnly,
  tarWithout,
  trimmedPostgisBundle,
} from '../../server/src/db/postgisBundle.js';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';

/** The names in a tar archive (gzipped or not), in order. */
function entryNames(file: string): string[] {
  const names: string[] = [];
  const bytes = fs.readFileSync(file);
  tarWithout(file.endsWith('.gz') ? gunzipSync(bytes) : bytes, (name) => {
    names.push(name);
    return false;
  });
  return names;
}

/** The embedded database opens PostGIS's bundle without the three extensions Passerelle never creates. */
describe('the PostGIS bundle the embedded database unpacks', () => {
  let cacheDir: string;
  let shipped: URL;

  beforeAll(async () => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-bundle-'));
    shipped = (await postgis.setup({} as never, { PGLITE_ENV: {} } as never)).bundlePath!;
  });
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it('keeps every file of postgis and leaves out those of raster, topology and the tiger geocoder', async () => {
    const trimmed = await trimmedPostgisBundle(shipped, cacheDir);
    expect(trimmed).toBeDefined();
    const all = entryNames(fileURLToPath(shipped));
    const kept = entryNames(fileURLToPath(trimmed!));
    expect(kept).toEqual(all.filter((name) => !isOtherPostgisExtension(name)));
    expect(kept).toEqual(
      expect.arrayContaining([
        'lib/postgresql/postgis-3.so',
        'share/postgresql/extension/postgis.control',
        'share/postgresql/extension/postgis--3.6.2.sql',
        'share/proj/proj.db',
      ]),
    );
    const leftOut = all.filter((name) => !kept.includes(name));
    expect(leftOut).toEqual(
      expect.arrayContaining([
        'lib/postgresql/postgis_raster-3.so',
        'lib/postgresql/postgis_topology-3.so',
        'share/postgresql/extension/postgis_tiger_geocoder.control',
      ]),
    );
    expect(leftOut.every((name) => /postgis_(raster|topology|tiger_geocoder)/.test(name))).toBe(true);
  });

  it('is kept uncompressed, and handed to PGlite in one piece instead of its path', async () => {
    const trimmed = await trimmedPostgisBundle(shipped, cacheDir);
    expect(fileURLToPath(trimmed!)).toMatch(/\.tar$/);
    const preRun: unknown[] = [];
    const setUp = await postgisOnly(cacheDir).setup!({} as never, { PGLITE_ENV: {}, preRun } as never);
    // PGlite would unpack a bundle given by path itself (gunzip, Blob, copy: 2 s of processor at every open).
    expect(setUp.bundlePath).toBeUndefined();
    const hooks = (setUp.emscriptenOpts as { preRun: ((module: object) => void)[] }).preRun;
    expect(hooks.length).toBe(preRun.length + 1);
    const module: { pg_extensions?: Record<string, Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>> } = {};
    hooks.at(-1)!(module);
    const bytes = new Uint8Array(await (await module.pg_extensions!.postgis!).arrayBuffer());
    expect(Buffer.from(bytes).equals(fs.readFileSync(trimmed!))).toBe(true);
  });

  it('is made once and then reused, and nothing is left half written', async () => {
    const first = await trimmedPostgisBundle(shipped, cacheDir);
    const written = fs.statSync(first!).mtimeMs;
    const again = await trimmedPostgisBundle(shipped, cacheDir);
    expect(again?.href).toBe(first?.href);
    expect(fs.statSync(again!).mtimeMs).toBe(written);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(fileURLToPath(first!))]);
  });

  it('is left to PGlite as shipped when it cannot be written', async () => {
    const notAFolder = path.join(cacheDir, 'file');
    fs.writeFileSync(notAFolder, '');
    expect(await trimmedPostgisBundle(shipped, notAFolder)).toBeUndefined();
  });

  describe('an embedded database opened with it', () => {
    let database: TestDatabase;
    beforeAll(async () => (database = await createTestDatabase('embedded')), 60_000);
    afterAll(async () => database?.dispose());

    it('has PostGIS, its projections, and only the extensions the schema creates', async () => {
      const { rows } = await sql<{ point: string; extensions: string[] }>`
        select st_astext(st_snaptogrid(st_transform(st_setsrid(st_point(-0.58, 44.84), 4326), 2154), 1)) as point,
               (select array_agg(extname::text order by extname) from pg_extension) as extensions
      `.execute(database.db);
      expect(rows[0]!.point).toBe('POINT(417189 6422060)');
      expect(rows[0]!.extensions).toEqual(['btree_gist', 'plpgsql', 'postgis']);
    });
  });
});
