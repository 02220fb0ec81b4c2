import { geoJsonWgs84Names } from '../geo-files/coordinateSystems.js';
import type { ErrorCode } from '../messages/errorMessages.js';
import { type CodedMessage, fillTemplate, type MessageParams, said } from '../messages/userError.js';
import { errorMessages } from '../messages/errorMessages.js';
import type { ImportedArea } from './analysisUnits.js';

export const maxImportedFeatures = 5000;
export const maxImportBytes = 5 * 1024 * 1024;
/** Problems listed in one answer; beyond that the message says how many more there are. */
const maxListedProblems = 20;

export interface ImportOptions {
  nameProperty: string;
  populationProperty: string;
}

/** A problem of one feature: `areas.<problem>` with the feature's position (from 0) among its parameters. */
export interface FeatureProblem extends CodedMessage {
  feature: number;
}

/** What is wrong with a feature, before its position is known. */
type Problem = { code: AreaProblemCode; params: MessageParams };

type AreaProblemCode = Extract<ErrorCode, `areas.feature-${string}`>;

const problem = (code: AreaProblemCode, params: MessageParams = {}): Problem => ({ code, params });

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
function ringProblem(ring: unknown): Problem | undefined {
  if (!Array.isArray(ring) || !ring.every(isPosition)) return problem('areas.feature-ring-not-positions');
  if (ring.length < 4) return problem('areas.feature-ring-too-short');
  const outOfRange = ring.find(([lon, lat]) => Math.abs(lon!) > 180 || Math.abs(lat!) > 90);
  if (outOfRange) return problem('areas.feature-projected', { lon: outOfRange[0]!, lat: outOfRange[1]! });
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return problem('areas.feature-ring-not-closed');
  return undefined;
}

function geometryProblem(geometry: unknown): Problem | undefined {
  if (!isObject(geometry)) return problem('areas.feature-no-geometry');
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    return problem('areas.feature-not-polygon', { type: String(geometry.type) });
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return problem('areas.feature-no-coordinates');
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return problem('areas.feature-polygon-no-ring');
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
): { problems: Problem[]; area?: Omit<ImportedArea, 'index'> } {
  if (!isObject(feature) || feature.type !== 'Feature') return { problems: [problem('areas.feature-not-feature')] };
  const problems: Problem[] = [];
  const property = { property: options.nameProperty };
  const populationProperty = { property: options.populationProperty };
  const geometry = geometryProblem(feature.geometry);
  if (geometry) problems.push(geometry);
  const properties = isObject(feature.properties) ? feature.properties : {};
  const name = properties[options.nameProperty];
  if (typeof name !== 'string' && typeof name !== 'number') {
    problems.push(problem('areas.feature-no-name', property));
  } else if (String(name).trim() === '' || String(name).length > 300) {
    problems.push(problem('areas.feature-name-length', property));
  }
  const rawPopulation = properties[options.populationProperty];
  const population = populationOf(rawPopulation);
  if (rawPopulation === undefined || rawPopulation === null) {
    problems.push(problem('areas.feature-no-population', populationProperty));
  } else if (population === undefined || !Number.isFinite(population)) {
    problems.push(
      problem('areas.feature-population-not-number', { ...populationProperty, value: JSON.stringify(rawPopulation) }),
    );
  } else if (population < 0) {
    problems.push(problem('areas.feature-population-negative', { ...populationProperty, value: population }));
  } else if (population > maxAreaPopulation) {
    problems.push(
      problem('areas.feature-population-too-large', {
        ...populationProperty,
        max: maxAreaPopulation,
        value: JSON.stringify(rawPopulation),
      }),
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
  { ok: true; areas: ImportedArea[] } | { ok: false; refusal: CodedMessage; problems: FeatureProblem[] };

/** A problem placed at its feature: `Feature 3: a ring is not closed….` */
export function featureProblem(feature: number, found: Problem): FeatureProblem {
  const params = { ...found.params, feature };
  return { feature, code: found.code, params, message: fillTemplate(errorMessages[found.code], params) };
}

/** Checks a GeoJSON FeatureCollection of areas; every problem is reported with the feature's position (from 0). */
export function validateImportedAreas(collection: unknown, options: ImportOptions): ValidationOutcome {
  if (!isObject(collection) || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    return {
      ok: false,
      refusal: said('areas.not-feature-collection', { example: '{"type": "FeatureCollection", "features": [...]}' }),
      problems: [],
    };
  }
  const crsName =
    isObject(collection.crs) && isObject(collection.crs.properties) ? collection.crs.properties.name : undefined;
  if (collection.crs !== undefined && (typeof crsName !== 'string' || !geoJsonWgs84Names.has(crsName))) {
    return {
      ok: false,
      refusal: said('areas.not-wgs84', { crs: JSON.stringify(crsName ?? collection.crs) }),
      problems: [],
    };
  }
  const { features } = collection;
  if (features.length === 0) return { ok: false, refusal: said('areas.no-feature'), problems: [] };
  if (features.length > maxImportedFeatures) {
    return {
      ok: false,
      refusal: said('areas.too-many-features', { count: features.length, max: maxImportedFeatures }),
      problems: [],
    };
  }
  const problems: FeatureProblem[] = [];
  const areas: ImportedArea[] = [];
  features.forEach((feature, index) => {
    const checked = featureProblems(feature, options);
    for (const found of checked.problems) problems.push(featureProblem(index, found));
    if (checked.area) areas.push({ index, ...checked.area });
  });
  if (problems.length === 0) return { ok: true, areas };
  return { ok: false, refusal: nothingImported(problems), problems };
}

/**
 * The refusal of areas with problems: coded `areas.problems` with their count (the page lists `problems[]`), its
 * English sentence naming the first ones.
 */
export function nothingImported(problems: FeatureProblem[]): CodedMessage {
  const listed = problems.slice(0, maxListedProblems).map((found) => found.message);
  const more = problems.length > maxListedProblems ? ` …and ${problems.length - maxListedProblems} more problems.` : '';
  const count = problems.length;
  return {
    ...said('areas.problems', { count }),
    message: `Nothing was imported: ${count} problem${count === 1 ? '' : 's'}. ${listed.join(' ')}${more}`,
  };
}
