import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { approximatePopulation } from './gapParameters.js';

/**
 * Where the people of an alliance's gap analyses come from: the population surface it imported (domain/population),
 * else the populated places of data/demand/ (demandPoints.ts).
 */
export type DemandSource =
  | { kind: 'places' }
  | {
      kind: 'surface';
      surfaceId: string;
      sourceName: string;
      format: string;
      crs: string;
      cellSizeM: number | null;
      importedAt: Date | null;
    };

export async function demandSourceOf(db: Kysely<Database>, allianceId: string): Promise<DemandSource> {
  const surface = await db
    .selectFrom('population_surface')
    .select(['id', 'source_name', 'format', 'crs', 'cell_size_m', 'imported_at'])
    .where('alliance_id', '=', allianceId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!surface) return { kind: 'places' };
  return {
    kind: 'surface',
    surfaceId: surface.id,
    sourceName: surface.source_name,
    format: surface.format,
    crs: surface.crs,
    cellSizeM: surface.cell_size_m,
    importedAt: surface.imported_at,
  };
}

/** The source's people as a relation `(id, population, geog)`, to be read `from ${demandRelation(source)} dp`. */
export function demandRelation(source: DemandSource): RawBuilder<unknown> {
  return gridDemandRelation(demandSourceKey(source));
}

/**
 * The people of a grid as demandRelation, from the source it remembers (`analysis_unit_set.population_surface_id`:
 * a population surface, else null for the populated places).
 */
export function gridDemandRelation(populationSurfaceId: string | null): RawBuilder<unknown> {
  return populationSurfaceId
    ? sql`(select id, population, geog from population_cell where surface_id = ${populationSurfaceId})`
    : sql`(select id, population, geog from demand_point)`;
}

/** The id an H3 grid keeps of its demand source, so that it is reused only with the same people. */
export function demandSourceKey(source: DemandSource): string | null {
  return source.kind === 'surface' ? source.surfaceId : null;
}

const formatNames: Record<string, string> = {
  geotiff: 'GeoTIFF grid',
  kontur_h3: 'Kontur H3 population',
  insee_grid: 'INSEE grid',
  census_areas: 'census areas',
};

/**
 * A sentence of a population source as a code with its figures and names (numbers raw, dates ISO), which a page says
 * in its reader's language (`gap-analysis.populationSource.<code>`): `surface-counted`, `surface-nobody`,
 * `places-sources`, `places-none`, `places-counted`, `places-nobody`, `imported`, `outer`.
 */
export interface PopulationSourcePart {
  code: string;
  params: Record<string, string | number | null>;
}

/** A population source in words (the English sentence, for scripts) and as parts (for pages). */
export interface DescribedSource {
  text: string;
  parts: PopulationSourcePart[];
}

/** Two descriptions said one after the other. */
export function joinSources(...sources: DescribedSource[]): DescribedSource {
  return {
    text: sources
      .map((source) => source.text)
      .filter(Boolean)
      .join(' '),
    parts: sources.flatMap((source) => source.parts),
  };
}

/** What a grid's areas count, in words for the map, the table and the report: where the people come from, and how many. */
export function describeSurfaceDemand(
  source: Extract<DemandSource, { kind: 'surface' }>,
  counted: { units: number; populatedUnits: number; population: number },
): DescribedSource {
  const surface = {
    name: source.sourceName,
    format: source.format,
    crs: source.crs,
    cellSizeM: source.cellSizeM ? Math.round(source.cellSizeM) : null,
    importedAt: source.importedAt ? source.importedAt.toISOString().slice(0, 10) : null,
  };
  const cells = source.cellSizeM ? `, ${Math.round(source.cellSizeM).toLocaleString('en')} m cells` : '';
  const when = source.importedAt ? `, imported ${source.importedAt.toISOString().slice(0, 10)}` : '';
  const what = `Population surface “${source.sourceName}” (${formatNames[source.format] ?? source.format}, ${source.crs}${cells}${when})`;
  if (counted.population <= 0) {
    return {
      text: `${what}: nobody of it lives in these areas, so this run counts nobody.`,
      parts: [{ code: 'surface-nobody', params: surface }],
    };
  }
  return {
    text:
      `${what}: ${approximatePopulation(counted.population)} inhabitants counted, in ${counted.populatedUnits.toLocaleString('en')} ` +
      `of ${counted.units.toLocaleString('en')} areas.`,
    parts: [{ code: 'surface-counted', params: { ...surface, ...counted } }],
  };
}

/** How much of a grid populated places cover, said after the source of the places. */
export function describePlacesCoverage(counted: {
  units: number;
  populatedUnits: number;
  population: number;
}): DescribedSource {
  const empty = counted.units - counted.populatedUnits;
  if (counted.population <= 0) {
    return {
      text: 'This run counts nobody: no populated place of 1,000 inhabitants or more is known in this region. Import a population grid (Settings, Population) to measure population; distances and counts are meaningful without it.',
      parts: [{ code: 'places-nobody', params: {} }],
    };
  }
  return {
    text:
      `${approximatePopulation(counted.population)} inhabitants counted, in ${counted.populatedUnits.toLocaleString('en')} of ` +
      `${counted.units.toLocaleString('en')} areas: the ${empty.toLocaleString('en')} others hold no town of 1,000+ and count nobody, ` +
      'though people live there. Import a population grid (Settings, Population) to count them.',
    parts: [{ code: 'places-counted', params: { ...counted, empty } }],
  };
}

/**
 * The people beyond a grid's boundary counted as demand on the services near its edge, in words after the grid's
 * population source; empty when there is nobody.
 */
export function describeOuterDemand(population: number): DescribedSource {
  if (population <= 0) return { text: '', parts: [] };
  return {
    text:
      `${approximatePopulation(population)} people living within reach beyond the boundary share the services near ` +
      'the edge: they count in those services’ demand, not as areas of this run.',
    parts: [{ code: 'outer', params: { population } }],
  };
}

/** The source of imported areas' people: a property of the areas. */
export function describeImportedPopulation(populationProperty: string): DescribedSource {
  return {
    text: `Imported with the areas (property "${populationProperty}").`,
    parts: [{ code: 'imported', params: { property: populationProperty } }],
  };
}
