import fs from 'node:fs';
import { type Extensions, PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';
import { fastSymbolLookup } from '../../../server/src/db/pgliteSymbolLookup.js';
import { postgisOnly, trimmedPostgisBundle } from '../../../server/src/db/postgisBundle.js';

/**
 * The floor of a first start, in a process of its own: PGlite with PostGIS opening an empty folder (initdb), then
 * `create extension postgis`; then the floor of a restart, the same folder opened again and a PostGIS function
 * called. `stock`: PGlite as it comes; `patched`: with the symbol lookup Passerelle adds
 * (server/src/db/pgliteSymbolLookup.ts); `trimmed`: that, and PostGIS's bundle without the extensions Passerelle
 * never creates (server/src/db/postgisBundle.ts; made beforehand, in a cache folder of its own, outside the
 * timing). Prints {openS, postgisS, reopenS} as JSON.
 */
const [dir, variant] = process.argv.slice(2);
if (!dir || (variant !== 'stock' && variant !== 'patched' && variant !== 'trimmed'))
  throw new Error('usage: floor.ts <empty dir> stock|patched|trimmed');
fs.rmSync(dir, { recursive: true, force: true });
const extensions: Extensions =
  variant === 'stock'
    ? { postgis, btree_gist }
    : variant === 'patched'
      ? { fastSymbolLookup, postgis, btree_gist }
      : { fastSymbolLookup, postgis: postgisOnly(`${dir}-cache`), btree_gist };
if (variant === 'trimmed') {
  // Made once, as a first start does, before the timing: the floor is that of the later opens.
  const shipped = (await postgis.setup({} as never, { PGLITE_ENV: {} } as never)).bundlePath!;
  await trimmedPostgisBundle(shipped, `${dir}-cache`);
}
const started = performance.now();
const pglite = new PGlite(dir, { extensions });
await pglite.waitReady;
const opened = performance.now();
await pglite.exec('create extension postgis');
const done = performance.now();
await pglite.close();
// A restart's floor: the same folder opened again, and a PostGIS function called (which loads the library).
const reopening = performance.now();
const again = new PGlite(dir, { extensions });
await again.query('select postgis_lib_version()');
const reopened = performance.now();
await again.close();
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(`${dir}-cache`, { recursive: true, force: true });
console.log(
  JSON.stringify({
    openS: (opened - started) / 1000,
    postgisS: (done - opened) / 1000,
    reopenS: (reopened - reopening) / 1000,
  }),
);
