import { geoJsonWgs84Names } from '../geo-files/coordinateSystems.js';
import type { ImportedArea } from './analysisUnits.js';

export const maxImportedFeatures = 5000;
export const maxImportBytes = 5 * 1024 * 1024;
/** Problems listed in one answer; beyond that the message says how many more there are. */
const maxListedProblems = 20;

export interface ImportOptions {
  nameProperty: string;
  populationProperty: string;
}

export interface FeatureProblem {
  feature: number;
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((number) => typeof number === 'number' && Number.isFinite(number))
  );
}

/** The first thing wrong with a ring, or undefined. */
function ringProblem(ring: unknown): string | undefined {
  if (!Array.isArray(ring) || !ring.every(isPosition)) return 'a ring is not a list of [longitude, latitude] positions';
  if (ring.length < 4) return 'a ring has fewer than 4 positions';
  const outOfRange = ring.find(([lon, lat]) => Math.abs(lon!) > 180 || Math.abs(lat!) > 90);
  if (outOfRange) {
    return (
      `the coordinate (${outOfRange[0]}, ${outOfRange[1]}) is not a longitude/latitude: the file seems to use a ` +
      'projected coordinate system (e.g. Lambert-93, UTM or a national grid); reproject it to WGS84 (EPSG:4326)'
    );
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1])
    return 'a ring is not closed (its last position must repeat its first)';
  return undefined;
}

function geometryProblem(geometry: unknown): string | undefined {
  if (!isObject(geometry)) return 'it has no geometry';
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    return `its geometry is a ${String(geometry.type)}; only Polygon and MultiPolygon areas can be imported`;
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return 'its geometry has no coordinates';
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return 'a polygon has no ring';
    for (const ring of polygon) {
      const problem = ringProblem(ring);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** More people than live on Earth: a population above it is a mistake in the file (or a unit), not an area. */
export const maxAreaPopulation = 10_000_000_000;

function populationOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function featureProblems(
  feature: unknown,
  options: ImportOptions,
): { problems: string[]; area?: Omit<ImportedArea, 'index'> } {
  if (!isObject(feature) || feature.type !== 'Feature') return { problems: ['it is not a GeoJSON Feature'] };
  const problems: string[] = [];
  const geometry = geometryProblem(feature.geometry);
  if (geometry) problems.push(geometry);
  const properties = isObject(feature.properties) ? feature.properties : {};
  const name = properties[options.nameProperty];
  if (typeof name !== 'string' && typeof name !== 'number') {
    problems.push(`the property "${options.nameProperty}" (the area's name) is missing`);
  } else if (String(name).trim() === '' || String(name).length > 300) {
    problems.push(`the property "${options.nameProperty}" must be a name of 1 to 300 characters`);
  }
  const rawPopulation = properties[options.populationProperty];
  const population = populationOf(rawPopulation);
  if (rawPopulation === undefined || rawPopulation === null) {
    problems.push(`the property "${options.populationProperty}" (population) is missing`);
  } else if (population === undefined || !Number.isFinite(population)) {
    problems.push(
      `the property "${options.populationProperty}" must be a number, not ${JSON.stringify(rawPopulation)}`,
    );
  } else if (population < 0) {
    problems.push(`the property "${options.populationProperty}" must not be negative (${population})`);
  } else if (population > maxAreaPopulation) {
    problems.push(
      `the property "${options.populationProperty}" must be at most ${maxAreaPopulation.toLocaleString('en')} ` +
        `(more than the world's population), not ${JSON.stringify(rawPopulation)}`,
    );
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    area: {
      name: String(name).trim(),
      population: population!,
      geometry: feature.geometry as ImportedArea['geometry'],
    },
  };
}

export type ValidationOutcome =
  { ok: true; areas: ImportedArea[] } | { ok: false; message: string; problems: FeatureProblem[] };

/** Checks a GeoJSON FeatureCollection of areas; every problem is reported with the feature's position (from 0). */
export function validateImportedAreas(collection: unknown, options: ImportOptions): ValidationOutcome {
  if (!isObject(collection) || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    return {
      ok: false,
      message: 'The areas must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}.',
      problems: [],
    };
  }
  const crsName =
    isObject(collection.crs) && isObject(collection.crs.properties) ? collection.crs.properties.name : undefined;
  if (collection.crs !== undefined && (typeof crsName !== 'string' || !geoJsonWgs84Names.has(crsName))) {
    return {
      ok: false,
      message: `The areas use the coordinate system ${JSON.stringify(crsName ?? collection.crs)}; reproject them to WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires.`,
      problems: [],
    };
  }
  const { features } = collection;
  if (features.length === 0) return { ok: false, message: 'The FeatureCollection has no feature.', problems: [] };
  if (features.length > maxImportedFeatures) {
    return {
      ok: false,
      message: `The FeatureCollection has ${features.length} features; at most ${maxImportedFeatures} areas can be imported at once.`,
      problems: [],
    };
  }
  const problems: FeatureProblem[] = [];
  const areas: ImportedArea[] = [];
  features.forEach((feature, index) => {
    const checked = featureProblems(feature, options);
    for (const problem of checked.problems) problems.push({ feature: index, message: `Feature ${index}: ${problem}.` });
    if (checked.area) areas.push({ index, ...checked.area });
  });
  if (problems.length === 0) return { ok: true, areas };
  const listed = problems.slice(0, maxListedProblems).map((problem) => problem.message);
  const more = problems.length > maxListedProblems ? ` …and ${problems.length - maxListedProblems} more problems.` : '';
  return {
    ok: false,
    message: `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}. ${listed.join(' ')}${more}`,
    problems,
  };
}
