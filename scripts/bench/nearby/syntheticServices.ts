import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import { withoutHistory } from '../../../server/src/domain/history/actingAs.js';
import { categoryIds, topics } from '#contract/taxonomy/categories.js';
import { elapsedMs, seededRandom } from '../lib/stats.js';

/** A longitude/latitude box, in degrees. */
export interface Region {
  name: string;
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Mainland France's bounding box (sea and bits of neighbours included). One
 * million services spread uniformly over it give about one per km², some 80
 * within 5 km of any point: city-centre density everywhere, the busy case for
 * a 5 km search. 100,000 give about 8 within 5 km, a rural density.
 */
export const benchRegion: Region = {
  name: 'mainland France bounding box',
  west: -4.8,
  south: 42.3,
  east: 8.2,
  north: 51.1,
};

const earthRadiusKm = 6371.0088;

/** The area of a longitude/latitude box on the sphere, in km². */
export function regionAreaKm2(region: Region): number {
  const toRadians = Math.PI / 180;
  const width = (region.east - region.west) * toRadians;
  const height = Math.sin(region.north * toRadians) - Math.sin(region.south * toRadians);
  return earthRadiusKm ** 2 * width * height;
}

/**
 * How services spread over the region. `uniform`: evenly, the same density everywhere. `clustered`: as in real
 * regions, most services in a few dense towns: 85% of them around 40 towns (town k's share falls as
 * k^(-2/3): the first town holds about a quarter of them, the last a few hundredths), each town a Gaussian spot
 * of 1.5 + 6 / (k + 1) km (σ), and 15% evenly over the region.
 */
export type Distribution = 'uniform' | 'clustered';

export const distributions: readonly Distribution[] = ['uniform', 'clustered'];

export interface Town {
  lon: number;
  lat: number;
  sigmaKm: number;
}

/** Share of the clustered services that are in towns; the rest spread evenly. */
export const townShare = 0.85;

/** The towns of the clustered distribution: seeded, away from the region's edges. */
export function benchTowns(region: Region, seed: number, count = 40): Town[] {
  const random = seededRandom(seed * 7919 + 17);
  const margin = 0.1;
  return Array.from({ length: count }, (_, k) => ({
    lon: region.west + (margin + random() * (1 - 2 * margin)) * (region.east - region.west),
    lat: region.south + (margin + random() * (1 - 2 * margin)) * (region.north - region.south),
    sigmaKm: 1.5 + 6 / (k + 1),
  }));
}

/** The town index for a uniform draw u in [0, 1): a cube skews the draws to the first towns. */
export function townIndex(u: number, count: number): number {
  return Math.min(count - 1, Math.floor(count * u ** 3));
}

/** A point drawn from the distribution with `random`, as the loader draws the services' points. */
export function drawPoint(
  distribution: Distribution,
  region: Region,
  towns: readonly Town[],
  random: () => number,
): { lon: number; lat: number } {
  if (distribution === 'uniform' || random() >= townShare) {
    return {
      lon: region.west + random() * (region.east - region.west),
      lat: region.south + random() * (region.north - region.south),
    };
  }
  const town = towns[townIndex(random(), towns.length)]!;
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  const angle = 2 * Math.PI * random();
  const kmPerDegreeLat = 111.32;
  const kmPerDegreeLon = kmPerDegreeLat * Math.cos((town.lat * Math.PI) / 180);
  return {
    lon: town.lon + (radius * Math.cos(angle) * town.sigmaKm) / kmPerDegreeLon,
    lat: town.lat + (radius * Math.sin(angle) * town.sigmaKm) / kmPerDegreeLat,
  };
}

export interface LoadSummary {
  totalS: number;
  steps: { name: string; seconds: number }[];
  /** On disk after loading: compared with shared_buffers, it tells whether reads can stay in PostgreSQL's cache. */
  databaseMB: number;
}

/** Records how long each step of the load takes, and prints it as it goes. */
class StepClock {
  readonly steps: LoadSummary['steps'] = [];
  readonly #start = performance.now();

  constructor(readonly log: (line: string) => void) {}

  async time<T>(name: string, step: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await step();
    const seconds = elapsedMs(start) / 1000;
    this.steps.push({ name, seconds });
    this.log(`    ${name}: ${seconds.toFixed(1)} s`);
    return result;
  }

  get totalS(): number {
    return elapsedMs(this.#start) / 1000;
  }
}

const categoryArray = sql.raw(`array[${categoryIds.map((id) => `'${id}'`).join(', ')}]`);
const topicArray = sql.raw(`array[${topics.map((id) => `'${id}'`).join(', ')}]`);

/**
 * Fills a freshly migrated database with `size` services, each offered at its
 * own location, owned by size / 5 organisations of one alliance: uniform over
 * the box, or `clustered` around 40 towns.
 *
 * Everything is set-based (generate_series), with ids derived from md5 of a
 * row number so that each table can be filled without looking the others up.
 * One temporary table draws the random points and categories once, so that a
 * location, its service and their link agree.
 *
 * The row trigger that copies category and point into service_at_location
 * would run two lookups per row; the INSERT fills both columns from the same
 * draws instead, with the trigger disabled for that statement only (inside the
 * transaction, so a failure cannot leave it disabled). The near-me search
 * table's statement triggers stay on: they fill `service_search` from that one
 * INSERT, as they do for an import. Foreign keys and every
 * index of the migration stay in place, as in production. The change log is off
 * for the load (withoutHistory): set-up is nobody's edit, and logging a million
 * rows would measure the log instead of the data.
 */
export async function loadSyntheticServices(
  db: Kysely<Database>,
  size: number,
  seed: number,
  log: (line: string) => void,
  distribution: Distribution = 'uniform',
): Promise<LoadSummary> {
  const clock = new StepClock(log);
  const towns = benchTowns(benchRegion, seed);
  const townLon = sql.raw(`(array[${towns.map((town) => town.lon).join(', ')}]::float8[])`);
  const townLat = sql.raw(`(array[${towns.map((town) => town.lat).join(', ')}]::float8[])`);
  const townSigma = sql.raw(`(array[${towns.map((town) => town.sigmaKm).join(', ')}]::float8[])`);
  const organizations = Math.max(1, Math.floor(size / 5));
  const { west, south, east, north } = benchRegion;
  await db.transaction().execute((transaction) =>
    withoutHistory(transaction, async (trx) => {
      // setseed makes random() repeatable within this session: same seed, same data.
      await sql`select setseed(${(seed % 1000) / 1000})`.execute(trx);
      await clock.time('alliance and organisations', async () => {
        await sql`
        insert into alliance (id, slug, name, country, timezone, languages, boundary)
        values (md5('bench-alliance')::uuid, 'bench', 'Benchmark alliance', 'FR', 'Europe/Paris', '{fr}',
                ST_Multi(ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)))`.execute(trx);
        await sql`
        insert into organization (id, alliance_id, name)
        select md5('o' || k)::uuid, md5('bench-alliance')::uuid, 'Organisation ' || k
        from generate_series(0, ${organizations - 1}) as k`.execute(trx);
      });
      await clock.time('random points and categories', async () => {
        await sql`
        create temporary table bench_site (i int, lon float8, lat float8, category text) on commit drop`.execute(trx);
        if (distribution === 'uniform') {
          await sql`
          insert into bench_site
          select i,
                 ${west}::float8 + random() * ${east - west}::float8 as lon,
                 ${south}::float8 + random() * ${north - south}::float8 as lat,
                 (${categoryArray})[1 + floor(random() * ${categoryIds.length})::int] as category
          from generate_series(0, ${size - 1}) as i`.execute(trx);
        } else {
          // drawPoint's process, in SQL: a town (skewed to the first ones), then a Gaussian offset (Box–Muller).
          await sql`
          insert into bench_site
          select i,
                 case when in_town then ${townLon}[t] + r * cos(a) * ${townSigma}[t] / (111.32 * cos(radians(${townLat}[t])))
                      else ${west}::float8 + u1 * ${east - west}::float8 end,
                 case when in_town then ${townLat}[t] + r * sin(a) * ${townSigma}[t] / 111.32
                      else ${south}::float8 + u2 * ${north - south}::float8 end,
                 category
          from (
            select i, random() < ${townShare} as in_town, random() as u1, random() as u2,
                   1 + least(${towns.length - 1}, floor(${towns.length} * power(random(), 3))::int) as t,
                   sqrt(-2 * ln(1 - random())) as r, 2 * pi() * random() as a,
                   (${categoryArray})[1 + floor(random() * ${categoryIds.length})::int] as category
            from generate_series(0, ${size - 1}) as i
          ) draw`.execute(trx);
        }
      });
      await clock.time(`${size} locations`, async () => {
        await sql`
        insert into location (id, organization_id, name, city, postal_code, country, geog)
        select md5('l' || i)::uuid, md5('o' || (i % ${organizations}))::uuid, 'Site ' || i,
               'Town ' || (i % 10000), lpad((i % 95000)::text, 5, '0'), 'FR',
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography
        from bench_site`.execute(trx);
      });
      await clock.time(`${size} services`, async () => {
        // One service in twenty is inactive, so the status filter has something to drop.
        await sql`
        insert into service (id, organization_id, name, category, status, topics, languages)
        select md5('s' || i)::uuid, md5('o' || (i % ${organizations}))::uuid, 'Service ' || i, category,
               case when i % 20 = 0 then 'inactive' else 'active' end,
               array[(${topicArray})[1 + i % ${topics.length}]],
               case i % 3 when 0 then '{fr}'::text[] when 1 then '{fr,en}'::text[] else '{fr,ar}'::text[] end
        from bench_site`.execute(trx);
      });
      await clock.time(`${size} service_at_location rows (fill trigger disabled)`, async () => {
        await sql`alter table service_at_location disable trigger service_at_location_fill`.execute(trx);
        await sql`
        insert into service_at_location (id, service_id, location_id, category, geog)
        select md5('a' || i)::uuid, md5('s' || i)::uuid, md5('l' || i)::uuid, category,
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography
        from bench_site`.execute(trx);
        await sql`alter table service_at_location enable trigger service_at_location_fill`.execute(trx);
      });
    }),
  );
  // A database that has been running for a while has been vacuumed (hint bits
  // set, visibility map filled) and checkpointed; without this, the first
  // queries would pay for writing those pages out.
  await clock.time('vacuum analyze and checkpoint', async () => {
    await sql`vacuum analyze`.execute(db);
    await sql`checkpoint`.execute(db);
  });
  const { rows } = await sql<{ bytes: number }>`select pg_database_size(current_database())::float8 as bytes`.execute(
    db,
  );
  return { totalS: clock.totalS, steps: clock.steps, databaseMB: Math.round(rows[0]!.bytes / 1024 ** 2) };
}
