import fs from 'node:fs';
import { type Extensions, PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';
import { fastSymbolLookup } from '../../../server/src/db/pgliteSymbolLookup.js';

/**
 * The floor of a first start, in a process of its own: PGlite with PostGIS opening an empty folder (initdb), then
 * `create extension postgis`; then the floor of a restart, the same folder opened again and a PostGIS function
 * called. `stock`: PGlite as it comes; `patched`: with the symbol lookup Passerelle adds
 * (server/src/db/pgliteSymbolLookup.ts). Prints {openS, postgisS, reopenS} as JSON.
 */
const [dir, variant] = process.argv.slice(2);
if (!dir || (variant !== 'stock' && variant !== 'patched'))
  throw new Error('usage: floor.ts <empty dir> stock|patched');
fs.rmSync(dir, { recursive: true, force: true });
const started = performance.now();
const extensions: Extensions =
  variant === 'patched' ? { fastSymbolLookup, postgis, btree_gist } : { postgis, btree_gist };
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
console.log(
  JSON.stringify({
    openS: (opened - started) / 1000,
    postgisS: (done - opened) / 1000,
    reopenS: (reopened - reopening) / 1000,
  }),
);
