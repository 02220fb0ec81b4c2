import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { parseDbf, parseShp } from 'shpjs';
import { type CoordinateSystem, coordinateSystemOfWkt, supportedSystemsText, toWgs84 } from './coordinateSystems.js';
import { GeoFileError } from './geoFileError.js';
import { readGeoPackageLayer } from './readGeoPackage.js';
import { said } from '../messages/userError.js';

/** What a file held: GeoJSON as sent (checked by the caller), or a Shapefile's features brought to WGS84. */
export type GeoFileReading =
  | { format: 'geojson'; geojson: unknown }
  | {
      format: 'shapefile' | 'geopackage';
      geojson: FeatureCollection;
      layer: string;
      coordinateSystem: CoordinateSystem;
    };

/** Unzipped, a Shapefile may be much larger than its zip; this keeps a small zip from filling the memory. */
export const maxUnzippedBytes = 100 * 1024 * 1024;

const formatsText = 'a GeoJSON file, a GeoPackage, or a Shapefile zipped with its .shp, .dbf and .prj files';

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

const zipSignature = [0x50, 0x4b, 0x03, 0x04];
const emptyZipSignature = [0x50, 0x4b, 0x05, 0x06];
const sqliteSignature = [...'SQLite format 3'].map((character) => character.charCodeAt(0));
/** The file code 9994 that opens every .shp, big-endian. */
const shpSignature = [0x00, 0x00, 0x27, 0x0a];

function readGeoJson(bytes: Uint8Array, fileName: string): GeoFileReading {
  try {
    return {
      format: 'geojson',
      geojson: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')),
    };
  } catch {
    throw new GeoFileError(said('geo-file.broken-json', { fileName }));
  }
}

function unzipped(bytes: Uint8Array, fileName: string): Record<string, Uint8Array> {
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (entry) => {
        if (entry.name.includes('__MACOSX/') || entry.name.endsWith('/')) return false;
        total += entry.originalSize;
        if (total > maxUnzippedBytes) {
          throw new GeoFileError(
            said('geo-file.unzipped-too-large', { fileName, limitMB: maxUnzippedBytes / 1024 / 1024 }),
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof GeoFileError) throw error;
    throw new GeoFileError(said('geo-file.broken-zip', { fileName }));
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The entry of the zip beside the .shp with this extension, whatever the case of its letters. */
function companion(entries: Record<string, Uint8Array>, stem: string, extension: string): Uint8Array | undefined {
  const wanted = `${stem}.${extension}`.toLowerCase();
  const found = Object.keys(entries).find((name) => name.toLowerCase() === wanted);
  return found === undefined ? undefined : entries[found];
}

function mapPositions(coordinates: unknown, convert: (position: number[]) => number[]): unknown {
  if (!Array.isArray(coordinates)) return coordinates;
  if (typeof coordinates[0] === 'number') return convert(coordinates as number[]);
  return coordinates.map((inner) => mapPositions(inner, convert));
}

function reprojected(geometry: Geometry | null, convert: (position: number[]) => number[]): Geometry | null {
  if (geometry === null) return null;
  if (geometry.type === 'GeometryCollection') {
    return { ...geometry, geometries: geometry.geometries.map((part) => reprojected(part, convert)!) };
  }
  return { ...geometry, coordinates: mapPositions(geometry.coordinates, convert) } as Geometry;
}

function readShapefileZip(bytes: Uint8Array, fileName: string): GeoFileReading {
  const entries = unzipped(bytes, fileName);
  const names = Object.keys(entries);
  const shps = names.filter((name) => name.toLowerCase().endsWith('.shp'));
  if (shps.length === 0) {
    const held = names.length === 0 ? 'nothing' : names.map(baseName).slice(0, 10).join(', ');
    throw new GeoFileError(said('geo-file.no-shp', { fileName, held, formats: formatsText }));
  }
  if (shps.length > 1) {
    throw new GeoFileError(
      said('geo-file.several-shp', { fileName, count: shps.length, layers: shps.map(baseName).join(', ') }),
    );
  }
  const shpName = shps[0]!;
  const stem = shpName.slice(0, -4);
  const layer = baseName(stem);
  const dbf = companion(entries, stem, 'dbf');
  if (!dbf) throw new GeoFileError(said('geo-file.no-dbf', { fileName, layer }));
  const prj = companion(entries, stem, 'prj');
  if (!prj) {
    throw new GeoFileError(said('geo-file.no-prj', { fileName, layer, systems: supportedSystemsText }));
  }
  const coordinateSystem = coordinateSystemOfWkt(new TextDecoder().decode(prj), `${layer}.prj`);
  const cpg = companion(entries, stem, 'cpg');

  const shp = entries[shpName]!;
  if (shp.length < 100 || !startsWith(shp, shpSignature)) {
    throw new GeoFileError(said('geo-file.not-shp', { layer }));
  }
  // The header gives the file's length in 16-bit words: a shorter file was cut short, and its last shapes lost.
  if (new DataView(shp.buffer, shp.byteOffset, shp.byteLength).getInt32(24, false) * 2 > shp.length) {
    throw new GeoFileError(said('geo-file.shp-cut-short', { layer }));
  }
  let geometries: Geometry[];
  let rows: Record<string, unknown>[];
  try {
    geometries = parseShp(shp);
    rows = parseDbf(dbf, cpg ? new TextDecoder().decode(cpg) : undefined);
  } catch {
    throw new GeoFileError(said('geo-file.shp-damaged', { layer }));
  }
  if (rows.length !== geometries.length) {
    throw new GeoFileError(said('geo-file.shp-dbf-mismatch', { layer, shapes: geometries.length, rows: rows.length }));
  }
  const features: Feature[] = geometries.map((geometry, index) => ({
    type: 'Feature',
    properties: rows[index]!,
    geometry: geometry ?? null,
  }));
  return {
    format: 'shapefile',
    geojson: inWgs84({ type: 'FeatureCollection', features }, coordinateSystem),
    layer,
    coordinateSystem,
  };
}

/** The features with their coordinates brought from the system to WGS84 longitude/latitude. */
function inWgs84(collection: FeatureCollection, coordinateSystem: CoordinateSystem): FeatureCollection {
  const convert = toWgs84(coordinateSystem);
  return {
    type: 'FeatureCollection',
    features: collection.features.map((feature) => ({
      ...feature,
      geometry: reprojected(feature.geometry ?? null, convert) as Geometry,
    })),
  };
}

async function readGeoPackage(bytes: Uint8Array, fileName: string, layerName?: string): Promise<GeoFileReading> {
  const { geojson, layer, coordinateSystem } = await readGeoPackageLayer(bytes, fileName, layerName);
  return { format: 'geopackage', geojson: inWgs84(geojson, coordinateSystem), layer, coordinateSystem };
}

/**
 * Reads an uploaded file of areas by its content, not its name: GeoJSON (left to the caller to check, as before),
 * a zipped Shapefile whose shapes are brought to WGS84 longitude/latitude from the system its .prj names, or a
 * GeoPackage, whose layer `layer` (else its first feature table) is brought to WGS84 from its spatial reference.
 * Throws a GeoFileError saying what is wrong with the file.
 */
export async function readGeoFile(
  bytes: Uint8Array,
  fileName: string,
  options: { layer?: string } = {},
): Promise<GeoFileReading> {
  if (bytes.length === 0) throw new GeoFileError(said('geo-file.empty', { fileName }));
  if (startsWith(bytes, zipSignature)) return readShapefileZip(bytes, fileName);
  if (startsWith(bytes, emptyZipSignature)) throw new GeoFileError(said('geo-file.empty-zip', { fileName }));
  if (startsWith(bytes, sqliteSignature)) return readGeoPackage(bytes, fileName, options.layer);
  if (startsWith(bytes, shpSignature)) {
    throw new GeoFileError(said('geo-file.shp-alone', { fileName }));
  }
  const text = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{')) return readGeoJson(bytes, fileName);
  throw new GeoFileError(said('geo-file.unknown-format', { fileName, formats: formatsText }));
}
