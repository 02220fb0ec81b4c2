import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, scriptDatabaseTimeouts } from '../../server/src/db/database.js';
import { serviceTileWithVersion } from '../../server/src/domain/services/serviceTiles.js';
import { parsePositive } from './lib/cliNumbers.js';

/**
 * The service tile's statement against the raw `ST_AsMVT` floor of `tiles.ts`, without HTTP: on a database the tiles
 * benchmark kept (`--keep`), one connection each, the two statements one after the other on the same tile (so that
 * whatever else the machine does weighs on both alike), over tiles under services drawn at random. Prints the mean
 * time a tile and the ratio; writes nothing. See scripts/bench/README.md.
 */
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'passerelle_bench_tiles' },
    zooms: { type: 'string', default: '12,13,14' },
    tiles: { type: 'string', default: '200' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const url = new URL(databaseUrl);
url.pathname = `/${values.database}`;
const tileCount = parsePositive('tiles', values.tiles);
const zooms = values.zooms.split(',').map((zoom) => parsePositive('zooms', zoom));

const rawTileSql = `
  select ST_AsMVT(t, 'services', 4096, 'geom') as tile from (
    select sal.service_id as id, sal.category,
           ST_AsMVTGeom(ST_Transform(sal.geog::geometry, 3857), ST_TileEnvelope($1, $2, $3), 4096, 0, false) as geom
    from service_at_location sal
    where sal.geog && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)::geography
  ) t where geom is not null`;

const handle = openDatabase({ databaseUrl: url.href, embeddedDataDir: '', databaseTimeouts: scriptDatabaseTimeouts });
const client = new pg.Client({ connectionString: url.href });
await client.connect();
try {
  const alliance = await handle.db
    .selectFrom('alliance')
    .select('id')
    .where('slug', '=', 'bench')
    .executeTakeFirstOrThrow();
  await sql`select setseed(0.7)`.execute(handle.db);
  const { rows: points } = await sql<{ lon: number; lat: number }>`
    select ST_X(geog::geometry) as lon, ST_Y(geog::geometry) as lat from service_at_location
    order by random() limit ${tileCount}`.execute(handle.db);
  for (const z of zooms) {
    const n = 2 ** z;
    const tiles = points.map(({ lon, lat }) => {
      const latRad = (lat * Math.PI) / 180;
      const y = ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n;
      return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(y) };
    });
    let raw = 0;
    let app = 0;
    // A first round warms the caches and prepares both statements; the second is measured.
    for (const measured of [false, true]) {
      for (const tile of tiles) {
        let start = performance.now();
        await client.query({ name: 'raw_tile', text: rawTileSql, values: [tile.z, tile.x, tile.y] });
        if (measured) raw += performance.now() - start;
        start = performance.now();
        await serviceTileWithVersion(handle.db, 'server', {
          filters: { allianceId: alliance.id },
          reader: { memberOf: [] },
          tile,
          allianceNamed: 'bench',
        });
        if (measured) app += performance.now() - start;
      }
    }
    const mean = (total: number) => (total / tiles.length).toFixed(2);
    process.stdout.write(
      `z${z}: raw ${mean(raw)} ms a tile, the tile's statement ${mean(app)} ms → ${(raw / app).toFixed(2)}× the floor's speed\n`,
    );
  }
} finally {
  await client.end();
  await handle.close();
}
