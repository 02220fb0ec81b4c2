import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import type { Region } from '../nearby/syntheticServices.js';

export interface UnitGrid {
  unitSetId: string;
  units: number;
  columns: number;
  rows: number;
  totalPopulation: number;
  zeroPopulationUnits: number;
}

/**
 * An imported-style set of `count` analysis units: a regular longitude/latitude grid of squares over the
 * region (about 10 km a side for 10,000 units over mainland France's box), each with a synthetic population
 * and its demand point at its centroid. Inserted set-based, as one statement.
 *
 * Populations are skewed like real areas: one unit in twenty is empty (so the "no population" rules run),
 * the others have exp(3 + 7u) inhabitants, from about 20 to 22,000.
 */
export async function insertUnitGrid(
  db: Kysely<Database>,
  region: Region,
  count: number,
  seed: number,
): Promise<UnitGrid> {
  const columns = Math.max(1, Math.round(Math.sqrt(count)));
  const rows = Math.ceil(count / columns);
  const width = (region.east - region.west) / columns;
  const height = (region.north - region.south) / rows;
  return db.transaction().execute(async (trx) => {
    await sql`select setseed(${((seed + 500) % 1000) / 1000})`.execute(trx);
    const { id } = await trx
      .insertInto('analysis_unit_set')
      .values({
        alliance_id: sql<string>`(select id from alliance where slug = 'bench')`,
        kind: 'imported',
        h3_resolution: null,
        name: `Benchmark grid, ${count} squares`,
        population_source: 'Synthetic populations (benchmark).',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into analysis_unit (set_id, code, name, geom, centroid, population)
      select ${id}, lpad(i::text, 6, '0'), 'Square ' || i, geom, ST_Centroid(geom)::geography,
             case when random() < 0.05 then 0 else floor(exp(3 + 7 * random())) end
      from (
        select i, ST_Multi(ST_MakeEnvelope(
                 ${region.west}::float8 + (i % ${columns}) * ${width}::float8,
                 ${region.south}::float8 + (i / ${columns}) * ${height}::float8,
                 ${region.west}::float8 + (i % ${columns} + 1) * ${width}::float8,
                 ${region.south}::float8 + (i / ${columns} + 1) * ${height}::float8, 4326)) as geom
        from generate_series(0, ${count - 1}) as i
      ) cells`.execute(trx);
    const totals = await sql<{ population: number; empty: number }>`
      select sum(population)::float8 as population, count(*) filter (where population = 0)::int as empty
      from analysis_unit where set_id = ${id}`.execute(trx);
    return {
      unitSetId: id,
      units: count,
      columns,
      rows,
      totalPopulation: totals.rows[0]!.population,
      zeroPopulationUnits: totals.rows[0]!.empty,
    };
  });
}
