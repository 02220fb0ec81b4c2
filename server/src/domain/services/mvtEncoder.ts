import { PbfWriter } from 'pbf';

/** A point of a tile, in tile coordinates, with its properties. */
export interface TileFeature {
  x: number;
  y: number;
  properties: Record<string, string | number | boolean>;
}

/**
 * One or more polygons of a tile, in tile coordinates (y down), with their properties: each polygon a list of rings,
 * the outer one first, each ring closed or not (a closing point repeating the first is dropped). Rings are turned as
 * the specification asks (outer rings clockwise on screen, holes the other way) whatever way they come.
 */
export interface TilePolygonFeature {
  polygons: [number, number][][][];
  properties: Record<string, string | number | boolean>;
}

// Field numbers of the Mapbox Vector Tile specification 2.1 (vector_tile.proto).
const TILE_LAYERS = 3;
const LAYER_NAME = 1;
const LAYER_FEATURES = 2;
const LAYER_KEYS = 3;
const LAYER_VALUES = 4;
const LAYER_EXTENT = 5;
const LAYER_VERSION = 15;
const FEATURE_TAGS = 2;
const FEATURE_TYPE = 3;
const FEATURE_GEOMETRY = 4;
const VALUE_STRING = 1;
const VALUE_DOUBLE = 3;
const VALUE_UINT = 5;
const VALUE_SINT = 6;
const VALUE_BOOL = 7;
const GEOM_POINT = 1;
const GEOM_POLYGON = 3;
const command = (id: number, count: number) => (id & 0x7) | (count << 3);
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;
const MOVE_TO_ONE = command(MOVE_TO, 1);

const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/**
 * Encodes one layer of points as a Mapbox Vector Tile, for the embedded database, whose PostGIS has no
 * `ST_AsMVT`: keys and values shared across the layer as the specification asks, integers as integers. An empty
 * layer gives an empty tile, as `ST_AsMVT` does.
 */
export function encodePointTile(layerName: string, extent: number, features: readonly TileFeature[]): Uint8Array {
  return encodeTile(layerName, extent, features);
}

/** Twice the signed area of a ring by the surveyor's formula, in tile coordinates: positive when clockwise on screen. */
function ringArea(ring: readonly [number, number][]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  }
  return area;
}

/** The ring without repeated points or its closing point; null when fewer than three points or no area are left. */
function cleanRing(ring: readonly [number, number][]): [number, number][] | null {
  const points: [number, number][] = [];
  for (const point of ring) {
    const last = points.at(-1);
    if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push([point[0], point[1]]);
  }
  const first = points[0];
  const last = points.at(-1);
  if (first && last && points.length > 1 && first[0] === last[0] && first[1] === last[1]) points.pop();
  return points.length >= 3 && ringArea(points) !== 0 ? points : null;
}

/** The command stream of polygons: each ring a MoveTo, a LineTo of the rest, a ClosePath, in zigzag deltas. */
function polygonGeometry(polygons: readonly [number, number][][][]): number[] {
  const out: number[] = [];
  let cx = 0;
  let cy = 0;
  for (const polygon of polygons) {
    for (const [index, raw] of polygon.entries()) {
      const ring = cleanRing(raw);
      // An outer ring that vanished takes its holes with it; a hole that vanished is left out.
      if (!ring && index === 0) break;
      if (!ring) continue;
      const outer = index === 0;
      if (outer !== ringArea(ring) > 0) ring.reverse();
      out.push(command(MOVE_TO, 1), zigzag(ring[0]![0] - cx), zigzag(ring[0]![1] - cy));
      [cx, cy] = ring[0]!;
      out.push(command(LINE_TO, ring.length - 1));
      for (const [x, y] of ring.slice(1)) {
        out.push(zigzag(x - cx), zigzag(y - cy));
        cx = x;
        cy = y;
      }
      out.push(command(CLOSE_PATH, 1));
    }
  }
  return out;
}

/**
 * Encodes one layer of points or polygons as a Mapbox Vector Tile (see `encodePointTile`). A polygon feature left
 * with no ring after cleaning is dropped.
 */
export function encodeTile(
  layerName: string,
  extent: number,
  input: readonly (TileFeature | TilePolygonFeature)[],
): Uint8Array {
  const features = input
    .map((feature) =>
      'polygons' in feature
        ? { properties: feature.properties, type: GEOM_POLYGON, geometry: polygonGeometry(feature.polygons) }
        : {
            properties: feature.properties,
            type: GEOM_POINT,
            geometry: [MOVE_TO_ONE, zigzag(feature.x), zigzag(feature.y)],
          },
    )
    .filter((feature) => feature.geometry.length > 0);
  if (features.length === 0) return new Uint8Array();
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const values: (string | number | boolean)[] = [];
  const valueIndex = new Map<string, number>();
  const tagged = features.map((feature) => {
    const tags: number[] = [];
    for (const [key, value] of Object.entries(feature.properties)) {
      if (value === null || value === undefined) continue;
      let k = keyIndex.get(key);
      if (k === undefined) {
        k = keys.push(key) - 1;
        keyIndex.set(key, k);
      }
      const valueKey = `${typeof value}:${String(value)}`;
      let v = valueIndex.get(valueKey);
      if (v === undefined) {
        v = values.push(value) - 1;
        valueIndex.set(valueKey, v);
      }
      tags.push(k, v);
    }
    return { tags, type: feature.type, geometry: feature.geometry };
  });

  const pbf = new PbfWriter();
  pbf.writeMessage(
    TILE_LAYERS,
    (_: null, layer: PbfWriter) => {
      layer.writeVarintField(LAYER_VERSION, 2);
      layer.writeStringField(LAYER_NAME, layerName);
      layer.writeVarintField(LAYER_EXTENT, extent);
      for (const feature of tagged) {
        layer.writeMessage(
          LAYER_FEATURES,
          (_f: null, out: PbfWriter) => {
            out.writePackedVarint(FEATURE_TAGS, feature.tags);
            out.writeVarintField(FEATURE_TYPE, feature.type);
            out.writePackedVarint(FEATURE_GEOMETRY, feature.geometry);
          },
          null,
        );
      }
      for (const key of keys) layer.writeStringField(LAYER_KEYS, key);
      for (const value of values) layer.writeMessage(LAYER_VALUES, writeValue, value);
    },
    null,
  );
  return pbf.finish();
}

function writeValue(value: string | number | boolean, pbf: PbfWriter) {
  if (typeof value === 'string') pbf.writeStringField(VALUE_STRING, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(VALUE_BOOL, value);
  else if (!Number.isInteger(value)) pbf.writeDoubleField(VALUE_DOUBLE, value);
  else if (value >= 0) pbf.writeVarintField(VALUE_UINT, value);
  else pbf.writeSVarintField(VALUE_SINT, value);
}
