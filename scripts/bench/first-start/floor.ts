import fs from 'node:fs';
import { type Extensions, PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';
import { fastSymbolLookup } from '../../../server/src/db/pgliteSymbolLookup.js';

/**
 * The floor of a first start, in a process of its own: PGlite with PostGIS opening an empty folder (initdb), then
 * `create extension postgis`. `stock`: PGlite as it comes; `patched`: with the symbol lookup Passerelle adds
 * (server/src/db/pgliteSymbolLookup.ts). Prints {openS, postgisS} as JSON.
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
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ openS: (opened - started) / 1000, postgisS: (done - opened) / 1000 }));
