import type { Feature, FeatureCollection, Geometry as GeoJsonGeometry } from 'geojson';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import wkx from 'wkx';
import {
  type CoordinateSystem,
  coordinateSystemOfEpsg,
  coordinateSystemOfWkt,
  supportedSystemsText,
} from './coordinateSystems.js';
import { GeoFileError } from './geoFileError.js';
import { said } from '../messages/userError.js';

/** More features than any boundary or set of areas the callers take (5,000 areas); reading stops here. */
export const maxGeoPackageFeatures = 50_000;

let sqlite: Promise<SqlJsStatic> | undefined;

/** sql.js, SQLite compiled to WebAssembly, loaded on the first GeoPackage read. */
function loadSqlite(): Promise<SqlJsStatic> {
  sqlite ??= initSqlJs();
  return sqlite;
}

function rows(database: Database, query: string, parameters: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = database.prepare(query, parameters);
  const answer: Record<string, SqlValue>[] = [];
  try {
    while (statement.step()) answer.push(statement.getAsObject());
  } finally {
    statement.free();
  }
  return answer;
}

/** A table or column name as an SQLite identifier; the names come from the file's own gpkg_contents. */
function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

interface FeatureTable {
  name: string;
  geometryColumn: string;
  srsId: number;
}

function featureTables(database: Database, fileName: string): FeatureTable[] {
  let tables: Record<string, SqlValue>[];
  try {
    tables = rows(
      database,
      `select c.table_name, g.column_name, g.srs_id from gpkg_contents c
       join gpkg_geometry_columns g on g.table_name = c.table_name
       where c.data_type = 'features' order by c.rowid`,
    );
  } catch {
    throw new GeoFileError(said('geo-file.not-geopackage', { fileName }));
  }
  return tables.map((table) => ({
    name: String(table.table_name),
    geometryColumn: String(table.column_name),
    srsId: Number(table.srs_id),
  }));
}

/** The coordinate system of an srs_id, by its EPSG code, else by the WKT definition the file gives. */
function coordinateSystemOf(database: Database, table: FeatureTable, fileName: string): CoordinateSystem {
  const [srs] = rows(
    database,
    'select organization, organization_coordsys_id, definition from gpkg_spatial_ref_sys where srs_id = ?',
    [table.srsId],
  );
  if (!srs || table.srsId === -1 || table.srsId === 0) {
    throw new GeoFileError(
      said('geo-file.layer-no-system', {
        fileName,
        layer: table.name,
        srsId: table.srsId,
        systems: supportedSystemsText,
      }),
    );
  }
  const organization = String(srs.organization ?? '').toUpperCase();
  const byCode = organization === 'EPSG' ? coordinateSystemOfEpsg(Number(srs.organization_coordsys_id)) : undefined;
  return byCode ?? coordinateSystemOfWkt(String(srs.definition ?? ''), fileName, table.name);
}

/**
 * The geometry of a GeoPackage geometry blob (OGC 12-128r18, 2.1.3): "GP", a version, flags saying the byte order
 * of the header, the size of the envelope and whether the geometry is empty, the srs_id, the envelope, then the
 * geometry as ISO WKB. Null for an empty geometry or a null cell.
 */
export function geoPackageGeometry(blob: SqlValue, at: { layer: string; row: number }): GeoJsonGeometry | null {
  if (blob === null) return null;
  if (!(blob instanceof Uint8Array) || blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new GeoFileError(said('geo-file.not-gpkg-geometry', at));
  }
  const flags = blob[3]!;
  if (flags & 0b10_0000) throw new GeoFileError(said('geo-file.extended-gpkg-geometry', at));
  if (flags & 0b1_0000) return null;
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0b111];
  if (envelopeBytes === undefined) throw new GeoFileError(said('geo-file.unknown-envelope', at));
  try {
    const wkb = Buffer.from(blob.buffer, blob.byteOffset + 8 + envelopeBytes, blob.length - 8 - envelopeBytes);
    return wkx.Geometry.parse(wkb).toGeoJSON() as GeoJsonGeometry;
  } catch {
    throw new GeoFileError(said('geo-file.unreadable-geometry', at));
  }
}

/** The cells of a row other than its geometry, as properties; binary cells are left out. */
function propertiesOf(row: Record<string, SqlValue>, geometryColumn: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).filter(([column, value]) => column !== geometryColumn && !(value instanceof Uint8Array)),
  );
}

export interface GeoPackageLayer {
  geojson: FeatureCollection;
  layer: string;
  coordinateSystem: CoordinateSystem;
}

/**
 * The features of one layer of a GeoPackage — the one named `layerName`, else the first feature table of
 * gpkg_contents — with their attributes, in the layer's coordinate system (the caller brings them to WGS84).
 * Throws a GeoFileError when the file is not a GeoPackage, holds no such layer, uses an unknown system or too many
 * features.
 */
export async function readGeoPackageLayer(
  bytes: Uint8Array,
  fileName: string,
  layerName?: string,
): Promise<GeoPackageLayer> {
  const SQL = await loadSqlite();
  let database: Database;
  try {
    database = new SQL.Database(bytes);
    rows(database, 'select count(*) from sqlite_master');
  } catch {
    throw new GeoFileError(said('geo-file.broken-sqlite', { fileName }));
  }
  try {
    const tables = featureTables(database, fileName);
    if (tables.length === 0) {
      throw new GeoFileError(said('geo-file.no-feature-table', { fileName }));
    }
    const table = layerName ? tables.find((candidate) => candidate.name === layerName) : tables[0];
    if (!table) {
      const names = tables.map((candidate) => candidate.name).join(', ');
      throw new GeoFileError(said('geo-file.unknown-layer', { fileName, layer: layerName ?? '', layers: names }));
    }
    const coordinateSystem = coordinateSystemOf(database, table, fileName);
    const [{ count }] = rows(database, `select count(*) as count from ${quoted(table.name)}`) as [{ count: number }];
    if (count > maxGeoPackageFeatures) {
      throw new GeoFileError(
        said('geo-file.too-many-features', { fileName, layer: table.name, count, limit: maxGeoPackageFeatures }),
      );
    }
    const features: Feature[] = rows(database, `select * from ${quoted(table.name)}`).map((row, index) => ({
      type: 'Feature',
      properties: propertiesOf(row, table.geometryColumn),
      geometry: geoPackageGeometry(row[table.geometryColumn] ?? null, { layer: table.name, row: index })!,
    }));
    return { geojson: { type: 'FeatureCollection', features }, layer: table.name, coordinateSystem };
  } finally {
    database.close();
  }
}
