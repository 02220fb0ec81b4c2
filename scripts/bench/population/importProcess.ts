import { fromFile } from 'geotiff';
import { type Kysely, sql } from 'kysely';
import { openDatabase, scriptDatabaseTimeouts } from '../../../server/src/db/database.js';
import type { Database } from '../../../server/src/db/schema.js';
import { slicingFor } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { openPopulationFile } from '../../../server/src/domain/population/populationFiles.js';
import { clipBoxOf, createSurface } from '../../../server/src/domain/population/populationSurfaces.js';
import { importSurfaceAsApplication } from './appSurfaceImport.js';

/**
 * One side of the population import benchmark, alone in its process so that its peak memory is its own:
 * `app` runs the application's import (openPopulationFile, createSurface, runSurfaceImport, cut into statements as
 * the server cuts them); `baseline` reads the same window of the raster with geotiff a band of tiles at a time and
 * inserts the cells of the box in batches of 50,000 with the same clip, no progress and no slicing. Prints one line:
 * BENCH_RESULT {"ms", "peakRssMb", "read", "kept", "population"}.
 *
 * Environment: BENCH_DATABASE_URL or BENCH_EMBEDDED_DIR, BENCH_ALLIANCE_ID; arguments: the variant, the file.
 */
const [variant, file] = process.argv.slice(2) as ['app' | 'baseline', string];
const allianceId = process.env.BENCH_ALLIANCE_ID!;
const database = openDatabase({
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  embeddedDataDir: process.env.BENCH_EMBEDDED_DIR ?? '',
  databaseTimeouts: scriptDatabaseTimeouts,
});

async function counts(db: Kysely<Database>, surfaceId: string) {
  const row = await sql<{ kept: number; population: number }>`
    select count(*)::int as kept, coalesce(sum(population), 0)::float8 as population
    from population_cell where surface_id = ${surfaceId}`.execute(db);
  return row.rows[0]!;
}

function app(db: Kysely<Database>): Promise<{ surfaceId: string; read: number }> {
  return importSurfaceAsApplication(db, {
    allianceId,
    file,
    fileName: 'synthetic.tif',
    slicing: slicingFor(database.mode),
  });
}

async function baseline(db: Kysely<Database>): Promise<{ surfaceId: string; read: number }> {
  const opened = await openPopulationFile(file, 'synthetic.tif');
  const surfaceId = await createSurface(db, {
    allianceId,
    accountId: null,
    sourceName: 'baseline',
    description: opened.description,
  });
  const box = (await clipBoxOf(db, allianceId))!;
  const image = await (await fromFile(file)).getImage(0);
  const [originX, originY] = image.getOrigin() as [number, number];
  const [resX, resY] = image.getResolution() as [number, number];
  const x0 = Math.max(0, Math.floor((box.west - originX) / resX));
  const x1 = Math.min(image.getWidth(), Math.ceil((box.east - originX) / resX));
  const y0 = Math.max(0, Math.floor((box.north - originY) / resY));
  const y1 = Math.min(image.getHeight(), Math.ceil((box.south - originY) / resY));
  const nodata = image.getGDALNoData();
  const tile = image.getTileHeight();
  let read = 0;
  let lon: number[] = [];
  let lat: number[] = [];
  let population: number[] = [];
  const flush = async () => {
    await sql`
      insert into population_cell (surface_id, geog, population)
      select s.id, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, p.population
      from unnest(${lon}::float8[], ${lat}::float8[], ${population}::float8[]) as p(lon, lat, population)
      join population_surface s on s.id = ${surfaceId}
      where ST_Intersects(s.clip_area, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))`.execute(db);
    lon = [];
    lat = [];
    population = [];
  };
  for (let top = y0; top < y1; top += tile) {
    const bottom = Math.min(y1, top + tile);
    const [band] = (await image.readRasters({
      window: [x0, top, x1, bottom],
      samples: [0],
    })) as unknown as Float32Array[];
    for (let row = top; row < bottom; row++) {
      for (let column = x0; column < x1; column++) {
        const value = band![(row - top) * (x1 - x0) + (column - x0)]!;
        read++;
        if (value === nodata || !(value > 0)) continue;
        lon.push(originX + (column + 0.5) * resX);
        lat.push(originY + (row + 0.5) * resY);
        population.push(value);
      }
    }
    if (lon.length >= 50_000) await flush();
  }
  if (lon.length > 0) await flush();
  return { surfaceId, read };
}

try {
  const start = performance.now();
  const { surfaceId, read } = await (variant === 'app' ? app(database.db) : baseline(database.db));
  const ms = performance.now() - start;
  const { kept, population } = await counts(database.db, surfaceId);
  // Leave the database as it was for the other side: neither active nor importing, no cells.
  await sql`delete from population_cell where surface_id = ${surfaceId}`.execute(database.db);
  await sql`update population_surface set status = 'failed' where id = ${surfaceId}`.execute(database.db);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, peakRssMb, read, kept, population })}\n`);
} finally {
  await database.close();
}
