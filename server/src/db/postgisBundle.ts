import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

// Where the trimmed bundle is kept, with the embedded database's files (`.data/cache`, never committed).
export { defaultBundleCacheDir } from '../projectRoot.js';

const gunzip = promisify(zlib.gunzip);

/**
 * PostGIS's bundle for PGlite holds four extensions: postgis, and postgis_raster, postgis_topology and
 * postgis_tiger_geocoder, which Passerelle never creates. PGlite unpacks the whole bundle at every open (95 MB from
 * 20 MB of gzip), copies it into its in-memory file system, and compiles and links every library in it: the
 * three of 15–17 MB each, two of them for nothing. Without those two extensions' files the bundle is a third
 * of the size, and a restart's PGlite open takes about 2.5 s of processor less (docs/benchmarks.md, "first-start").
 */
export function isOtherPostgisExtension(entryName: string): boolean {
  return /^postgis_(raster|topology|tiger_geocoder)[-.]/.test(path.posix.basename(entryName));
}

const block = 512;

/** A tar archive without the entries `leaveOut` names: headers and contents copied as they are. */
export function tarWithout(tar: Uint8Array, leaveOut: (name: string) => boolean): Buffer {
  const kept: Uint8Array[] = [];
  let offset = 0;
  while (offset + block <= tar.length) {
    const header = tar.subarray(offset, offset + block);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      Buffer.from(header.subarray(start, start + length))
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const typeFlag = field(156, 1);
    // PAX or GNU long-name headers describe the next entry: this bundle has none, and a filter that cannot
    // tell which entry they belong to must not guess.
    if (typeFlag === 'x' || typeFlag === 'g' || typeFlag === 'L' || typeFlag === 'K') {
      throw new Error(`Unexpected tar header type "${typeFlag}" in the PostGIS bundle.`);
    }
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const end = offset + block + Math.ceil(size / block) * block;
    if (end > tar.length) throw new Error(`The PostGIS bundle is cut short at ${name}.`);
    if (!leaveOut(name)) kept.push(tar.subarray(offset, end));
    offset = end;
  }
  kept.push(new Uint8Array(2 * block));
  return Buffer.concat(kept);
}

/**
 * The bundle without the other extensions' files, made once from the one PGlite ships and kept in `cacheDir`, not
 * compressed (59 MB), under a name that changes with it (path, size and time of the shipped file), written to a
 * file of its own and renamed, so that two processes making it at once, or one stopped half way, leave no broken
 * bundle. Undefined when it cannot be made (a folder that cannot be written, say): PGlite then unpacks the bundle
 * it ships.
 */
export async function trimmedPostgisBundle(shipped: URL, cacheDir: string): Promise<URL | undefined> {
  try {
    const stat = fs.statSync(shipped);
    const key = createHash('sha256')
      .update(`${shipped.pathname}\0${stat.size}\0${stat.mtimeMs}`)
      .digest('hex')
      .slice(0, 16);
    const target = path.join(cacheDir, `postgis-only-${key}.tar`);
    if (!fs.existsSync(target)) {
      const tar = await gunzip(fs.readFileSync(shipped));
      const trimmed = tarWithout(tar, isOtherPostgisExtension);
      fs.mkdirSync(cacheDir, { recursive: true });
      const partial = `${target}.${process.pid}-${randomBytes(4).toString('hex')}`;
      fs.writeFileSync(partial, trimmed);
      fs.renameSync(partial, target);
    }
    return pathToFileURL(target);
  } catch {
    return undefined;
  }
}

/** The part of PGlite's Emscripten module that holds the extensions' bundles while it opens. */
type ModuleWithBundles = { pg_extensions?: Record<string, Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>> };

/**
 * PGlite's `postgis` extension, given the trimmed bundle from `cacheDir` (made there on the first open) instead
 * of the whole one. Everything else it sets up is PostGIS's own.
 *
 * A bundle given as `bundlePath` is gunzipped by PGlite in 16 kB pieces into a Blob and copied out of it again,
 * which took 2 s of processor at every open with PostGIS alone (CPU profile of a restart, Node 20: Blob's reading,
 * 1.7 s, was most of it). So the trimmed bundle is kept uncompressed, read in one piece from the moment the
 * extension is set up, and handed to PGlite where it looks for the bundles it fetched (`pg_extensions`, which it
 * unpacks once its module exists), from a `preRun` of that module. PGlite's own path remains for a cache that
 * cannot be written.
 */
export function postgisOnly(cacheDir: string): Extension {
  return {
    name: 'postgis',
    setup: async (pg, emscriptenOpts) => {
      const setUp = await postgis.setup(pg, emscriptenOpts);
      const shipped = setUp.bundlePath;
      if (!shipped) return setUp;
      const trimmed = await trimmedPostgisBundle(shipped, cacheDir);
      if (!trimmed) return setUp;
      const reading = fs.promises.readFile(trimmed).then((bytes) => {
        const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const buffer = (
          whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        ) as ArrayBuffer;
        return { arrayBuffer: async () => buffer };
      });
      // Not left unhandled before PGlite awaits it (it reports a failure there itself).
      reading.catch(() => {});
      const options = setUp.emscriptenOpts ?? emscriptenOpts;
      return {
        ...setUp,
        bundlePath: undefined,
        emscriptenOpts: {
          ...options,
          preRun: [
            ...(options.preRun ?? []),
            (module: ModuleWithBundles) => {
              (module.pg_extensions ??= {}).postgis = reading;
            },
          ],
        },
      };
    },
  };
}
