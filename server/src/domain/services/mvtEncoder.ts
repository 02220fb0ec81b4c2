import { PbfWriter } from 'pbf';

/** A point of a tile, in tile coordinates, with its properties. */
export interface TileFeature {
  x: number;
  y: number;
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
const MOVE_TO_ONE = (1 & 0x7) | (1 << 3);

const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/**
 * Encodes one layer of points as a Mapbox Vector Tile, for the embedded database, whose PostGIS has no
 * `ST_AsMVT`: keys and values shared across the layer as the specification asks, integers as integers. An empty
 * layer gives an empty tile, as `ST_AsMVT` does.
 */
export function encodePointTile(layerName: string, extent: number, features: readonly TileFeature[]): Uint8Array {
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
    return { tags, geometry: [MOVE_TO_ONE, zigzag(feature.x), zigzag(feature.y)] };
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
            out.writeVarintField(FEATURE_TYPE, GEOM_POINT);
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
