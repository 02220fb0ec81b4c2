import { type Kysely, sql, type Transaction } from 'kysely';
import type { AnalysisUnitKind, Database } from '../../db/schema.js';
import { demandRelation, demandSourceOf, describeImportedPopulation } from './demandSource.js';
import { type FeatureProblem, featureProblem } from './importedAreas.js';

export interface UnitSetSummary {
  id: string;
  allianceId: string;
  kind: AnalysisUnitKind;
  h3Resolution: number | null;
  name: string;
  populationSource: string;
  unitCount: number;
  totalPopulation: number;
  createdAt: string;
}

export async function listUnitSets(
  db: Kysely<Database>,
  allianceId: string,
  setId?: string,
): Promise<UnitSetSummary[]> {
  let query = db
    .selectFrom('analysis_unit_set as s')
    .select([
      's.id',
      's.alliance_id',
      's.kind',
      's.h3_resolution',
      's.name',
      's.population_source',
      's.created_at',
      sql<number>`(select count(*)::int from analysis_unit u where u.set_id = s.id)`.as('unit_count'),
      sql<number>`(select coalesce(sum(u.population), 0)::float8 from analysis_unit u where u.set_id = s.id)`.as(
        'total_population',
      ),
    ])
    .where('s.alliance_id', '=', allianceId)
    .where('s.complete', '=', true);
  if (setId) query = query.where('s.id', '=', setId);
  const rows = await query.orderBy('s.created_at', 'desc').execute();
  return rows.map((row) => ({
    id: row.id,
    allianceId: row.alliance_id,
    kind: row.kind,
    h3Resolution: row.h3_resolution,
    name: row.name,
    populationSource: row.population_source,
    unitCount: row.unit_count,
    totalPopulation: row.total_population,
    createdAt: row.created_at.toISOString(),
  }));
}

/**
 * Centres each imported area on the population-weighted mean of the people it holds — of the alliance's population
 * surface, else of the populated places (the point on its surface when it holds none); the areas keep the
 * population they were imported with.
 */
async function centreOnDemandPoints(trx: Transaction<Database>, setId: string, allianceId: string): Promise<void> {
  const source = await demandSourceOf(trx, allianceId);
  await sql`
    with per_unit as (
      select u.id as unit_id, sum(dp.population) as population,
             sum(ST_X(dp.geog::geometry) * dp.population) as x, sum(ST_Y(dp.geog::geometry) * dp.population) as y
      from analysis_unit u
      join ${demandRelation(source)} dp on ST_Intersects(u.geom, dp.geog::geometry)
      where u.set_id = ${setId}
      group by u.id
    )
    update analysis_unit u set
      centroid = ST_SetSRID(ST_MakePoint(per_unit.x / per_unit.population, per_unit.y / per_unit.population), 4326)::geography
    from per_unit where u.id = per_unit.unit_id and per_unit.population > 0`.execute(trx);
}

export interface ImportedArea {
  /** Position of the feature in the collection, as reported to the user. */
  index: number;
  name: string;
  population: number;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface ImportReport {
  repaired: { feature: number; name: string; problem: string }[];
  outsideRegion: { feature: number; name: string }[];
}

/** A problem found in the database (e.g. a ring that ST_MakeValid reduces to nothing): nothing is stored. */
export class ImportProblemsError extends Error {
  constructor(readonly problems: FeatureProblem[]) {
    super(`The areas cannot be imported: ${problems.map((problem) => problem.message).join(' ')}`);
  }
}

/**
 * Stores validated areas as a unit set in the caller's transaction, which must roll back when this throws.
 * Invalid geometries (self-intersections, bad ring orientation…) are repaired with ST_MakeValid and reported;
 * a feature that cannot be repaired into an area makes the whole import fail. The demand points must be loaded
 * beforehand (ensureDemandPoints).
 */
export async function createImportedUnitSet(
  trx: Transaction<Database>,
  allianceId: string,
  name: string,
  areas: ImportedArea[],
  populationProperty: string,
): Promise<{ id: string; report: ImportReport }> {
  const imported = describeImportedPopulation(populationProperty);
  const { id } = await trx
    .insertInto('analysis_unit_set')
    .values({
      alliance_id: allianceId,
      kind: 'imported',
      h3_resolution: null,
      name,
      population_source: imported.text,
      population_source_parts: JSON.stringify(imported.parts),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const checked = await sql<{
    feature: number;
    name: string;
    valid: boolean;
    reason: string;
    empty: boolean;
    outside: boolean;
  }>`
    with input as (
      select feature, name, population, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) as raw
      from unnest(${areas.map((area) => area.index)}::int[], ${areas.map((area) => area.name)}::text[],
                  ${areas.map((area) => area.population)}::float8[],
                  ${areas.map((area) => JSON.stringify(area.geometry))}::text[])
           as a(feature, name, population, geometry)
    ),
    repaired as (
      select feature, name, population, ST_IsValid(raw) as valid, ST_IsValidReason(raw) as reason,
             case when ST_IsValid(raw) then ST_Multi(raw)
                  else ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) end as geom
      from input
    ),
    inserted as (
      insert into analysis_unit (set_id, code, name, geom, centroid, population)
      select ${id}, feature::text, name, geom, ST_PointOnSurface(geom)::geography, population
      from repaired where not ST_IsEmpty(geom)
      returning code
    )
    select r.feature, r.name, r.valid, r.reason, ST_IsEmpty(r.geom) as empty,
           not ST_Intersects(r.geom, a.boundary) as outside
    from repaired r join alliance a on a.id = ${allianceId}
    order by r.feature`.execute(trx);
  const empty = checked.rows.filter((row) => row.empty);
  if (empty.length > 0) {
    throw new ImportProblemsError(
      empty.map((row) =>
        featureProblem(row.feature, {
          code: 'areas.feature-repair-leaves-nothing',
          params: { name: row.name, reason: row.reason },
        }),
      ),
    );
  }
  await centreOnDemandPoints(trx, id, allianceId);
  return {
    id,
    report: {
      repaired: checked.rows
        .filter((row) => !row.valid)
        .map((row) => ({ feature: row.feature, name: row.name, problem: row.reason })),
      outsideRegion: checked.rows.filter((row) => row.outside).map((row) => ({ feature: row.feature, name: row.name })),
    },
  };
}
