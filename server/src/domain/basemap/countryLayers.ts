import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

type Position = [number, number];
type Ring = Position[];
interface CountryFeature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** One layer as it is sent: the GeoJSON text, compressed once (gzip, then brotli), and an ETag from its content. */
export interface CountryLayer {
  text: string;
  gzip: Buffer;
  /** Once made (see `whenBrotli`). */
  brotli?: Buffer;
  whenBrotli?: Promise<void>;
  etag: string;
}

interface LowZoomOptions {
  /** Degrees an outline may stray from the detailed one. */
  tolerance: number;
  /** Decimals kept of each coordinate. */
  decimals: number;
  /** Rings smaller than this (square degrees) are left out: islets and lakes that would be a pixel or two. */
  minArea: number;
}

/**
 * The low-zoom layer's detail, for zooms below 4 (where a 512-pixel world is at most 8,192 pixels wide, 0.044° a
 * pixel): outlines within 0.1°, coordinates to 0.1°, no island under 0.1 square degree. About 58 kB gzipped,
 * against 470 kB for the detailed layer.
 */
export const LOW_ZOOM: LowZoomOptions = { tolerance: 0.1, decimals: 1, minArea: 0.1 };

/** Squared distance from p to the segment a–b, in degrees: enough for outlines drawn at a world's scale. */
function segmentDistance2(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let x = a[0];
  let y = a[1];
  if (dx !== 0 || dy !== 0) {
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    x += t * dx;
    y += t * dy;
  }
  return (p[0] - x) ** 2 + (p[1] - y) ** 2;
}

/** Douglas–Peucker on a closed ring, iterative so that a long coastline cannot overflow the stack. */
function simplifyRing(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 4) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[ring.length - 1] = 1;
  // A closed ring's ends are the same point: split it at its farthest point so both halves have a chord.
  let far = 0;
  let farDistance = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = (ring[i]![0] - ring[0]![0]) ** 2 + (ring[i]![1] - ring[0]![1]) ** 2;
    if (d > farDistance) [far, farDistance] = [i, d];
  }
  keep[far] = 1;
  const tolerance2 = tolerance * tolerance;
  const stack: [number, number][] = [
    [0, far],
    [far, ring.length - 1],
  ];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let index = -1;
    let max = tolerance2;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(ring[i]!, ring[first]!, ring[last]!);
      if (d > max) [index, max] = [i, d];
    }
    if (index >= 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return ring.filter((_, i) => keep[i] === 1);
}

/** The ring's area in square degrees (shoelace), to leave out islets that would be less than a pixel. */
function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return Math.abs(sum) / 2;
}

function roundRing(ring: Ring, decimals: number): Ring {
  const factor = 10 ** decimals;
  const rounded: Ring = [];
  for (const [x, y] of ring) {
    const point: Position = [Math.round(x * factor) / factor, Math.round(y * factor) / factor];
    const previous = rounded.at(-1);
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) rounded.push(point);
  }
  return rounded;
}

/** A polygon at the low zoom's detail, or null when its outline is too small to be seen there. */
function simplifyPolygon(polygon: Ring[], { tolerance, decimals, minArea }: LowZoomOptions): Ring[] | null {
  const rings: Ring[] = [];
  for (const [index, ring] of polygon.entries()) {
    const simple = roundRing(simplifyRing(ring, tolerance), decimals);
    // Four positions at least (the first repeated at the end), and not a speck.
    const visible = simple.length >= 4 && ringArea(simple) >= minArea;
    if (!visible) {
      if (index === 0) return null;
      continue;
    }
    rings.push(simple);
  }
  return rings;
}

/**
 * The countries for the world's scale (zoom 0–4): each outline simplified (Douglas–Peucker), coordinates rounded,
 * islets of a few pixels left out ({@link LOW_ZOOM}). Made from the same file as the
 * detailed layer, at start-up, so there is no second file to keep in step.
 */
export function lowZoomCountries(
  collection: { type: 'FeatureCollection'; features: CountryFeature[] },
  options: LowZoomOptions = LOW_ZOOM,
): { type: 'FeatureCollection'; features: CountryFeature[] } {
  const features: CountryFeature[] = [];
  for (const feature of collection.features) {
    const polygons =
      feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    const kept = polygons
      .map((polygon) => simplifyPolygon(polygon, options))
      .filter((polygon): polygon is Ring[] => polygon !== null);
    if (kept.length === 0) continue;
    features.push({
      type: 'Feature',
      properties: feature.properties,
      geometry:
        kept.length === 1 ? { type: 'Polygon', coordinates: kept[0]! } : { type: 'MultiPolygon', coordinates: kept },
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Gzipped before the first answer; brotli at its best setting follows off the main thread (about 2 s for the
 * detailed layer) and is sent from then on.
 */
async function layerOf(text: string): Promise<CountryLayer> {
  const hash = createHash('sha256').update(text).digest('base64url').slice(0, 22);
  const layer: CountryLayer = { text, gzip: await gzipped(text, { level: 9 }), etag: `"${hash}"` };
  layer.whenBrotli = brotli(text, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) },
  }).then(
    (compressed) => {
      layer.brotli = compressed;
    },
    () => {
      // Gzip goes on being sent.
    },
  );
  return layer;
}

export type CountryLayerName = 'detailed' | 'lowZoom';

/**
 * The two country layers of a data folder, each read, made and compressed on its first request and kept: the
 * detailed one as the file has it, the low-zoom one made from it.
 */
export class CountryLayers {
  readonly #file: string;
  #source: Promise<string> | undefined;
  readonly #layers = new Map<CountryLayerName, Promise<CountryLayer>>();

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'basemap', 'countries.geojson');
  }

  layer(name: CountryLayerName): Promise<CountryLayer> {
    let layer = this.#layers.get(name);
    if (!layer) {
      this.#source ??= fs.readFile(this.#file, 'utf8');
      layer = this.#source.then((text) =>
        layerOf(
          name === 'detailed'
            ? text
            : JSON.stringify(
                lowZoomCountries(JSON.parse(text) as { type: 'FeatureCollection'; features: CountryFeature[] }),
              ),
        ),
      );
      // A failed read is tried again on the next request rather than kept.
      layer.catch(() => {
        this.#layers.delete(name);
        this.#source = undefined;
      });
      this.#layers.set(name, layer);
    }
    return layer;
  }
}
