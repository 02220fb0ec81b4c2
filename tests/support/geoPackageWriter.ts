import initSqlJs from 'sql.js';

/**
 * A small writer of GeoPackages, following OGC 12-128r18: the application id and version, the three required
 * tables (gpkg_spatial_ref_sys with its three required rows, gpkg_contents, gpkg_geometry_columns), feature tables
 * whose geometries are GeoPackage binary blobs ("GP" header with an envelope, then ISO WKB, both written here by hand
 * rather than by the reader's library) and, if asked, a plain attribute table.
 */

/** One polygon: its rings of [x, y] points, each closed. */
export type PolygonRings = number[][][];

export interface GeoPackageSystem {
  srsId: number;
  name: string;
  organization: string;
  code: number;
  definition: string;
}

export interface GeoPackageFeatureLayer {
  table: string;
  system: GeoPackageSystem;
  /** Column names and SQLite types of the attributes, beside fid and geom. */
  columns: Record<string, 'TEXT' | 'INTEGER' | 'REAL'>;
  features: { polygons: PolygonRings[]; attributes: Record<string, string | number | null> }[];
}

export const gpkgSystems = {
  wgs84: {
    srsId: 4326,
    name: 'WGS 84 geodetic',
    organization: 'EPSG',
    code: 4326,
    definition:
      'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],' +
      'UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]',
  },
  lambert93: {
    srsId: 2154,
    name: 'RGF93 v1 / Lambert-93',
    organization: 'EPSG',
    code: 2154,
    definition: 'PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1"],AUTHORITY["EPSG","2154"]]',
  },
  pseudoMercator: {
    srsId: 3857,
    name: 'WGS 84 / Pseudo-Mercator',
    organization: 'EPSG',
    code: 3857,
    definition: 'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84"],AUTHORITY["EPSG","3857"]]',
  },
  utm10n: {
    srsId: 26910,
    name: 'NAD83 / UTM zone 10N',
    organization: 'EPSG',
    code: 26910,
    definition: 'PROJCS["NAD83 / UTM zone 10N",GEOGCS["NAD83"],AUTHORITY["EPSG","26910"]]',
  },
} satisfies Record<string, GeoPackageSystem>;

/** ISO WKB, little-endian: a Polygon (type 3) for one polygon, a MultiPolygon (type 6) for several. */
function wkb(polygons: PolygonRings[]): Buffer {
  const parts: Buffer[] = [];
  const head = (type: number) => {
    const bytes = Buffer.alloc(5);
    bytes.writeUInt8(1, 0);
    bytes.writeUInt32LE(type, 1);
    parts.push(bytes);
  };
  const count = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value, 0);
    parts.push(bytes);
  };
  const polygon = (rings: PolygonRings) => {
    head(3);
    count(rings.length);
    for (const ring of rings) {
      count(ring.length);
      const points = Buffer.alloc(ring.length * 16);
      ring.forEach(([x, y], index) => {
        points.writeDoubleLE(x!, index * 16);
        points.writeDoubleLE(y!, index * 16 + 8);
      });
      parts.push(points);
    }
  };
  if (polygons.length === 1) {
    polygon(polygons[0]!);
  } else {
    head(6);
    count(polygons.length);
    polygons.forEach(polygon);
  }
  return Buffer.concat(parts);
}

/** A GeoPackage binary geometry: "GP", version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]), srs_id. */
export function gpkgGeometry(polygons: PolygonRings[], srsId: number): Buffer {
  const points = polygons.flat(2);
  const xs = points.map((point) => point[0]!);
  const ys = points.map((point) => point[1]!);
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b0000_0011, 3);
  header.writeInt32LE(srsId, 4);
  [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)].forEach((value, index) =>
    header.writeDoubleLE(value, 8 + index * 8),
  );
  return Buffer.concat([header, wkb(polygons)]);
}

/** A GeoPackage holding the feature layers (in this order in gpkg_contents) and the attribute tables named. */
export async function geoPackage(
  layers: GeoPackageFeatureLayer[],
  options: { attributeTables?: string[] } = {},
): Promise<Buffer> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`pragma application_id = ${0x47504b47}; pragma user_version = 10300;`);
  db.run(`
    create table gpkg_spatial_ref_sys (srs_name text not null, srs_id integer primary key, organization text not null,
      organization_coordsys_id integer not null, definition text not null, description text);
    create table gpkg_contents (table_name text not null primary key, data_type text not null, identifier text unique,
      description text default '', last_change datetime not null default (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x double, min_y double, max_x double, max_y double, srs_id integer references gpkg_spatial_ref_sys(srs_id));
    create table gpkg_geometry_columns (table_name text not null, column_name text not null,
      geometry_type_name text not null, srs_id integer not null, z tinyint not null, m tinyint not null,
      primary key (table_name, column_name));
    insert into gpkg_spatial_ref_sys values
      ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null),
      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null);`);
  const systems = new Map<number, GeoPackageSystem>([[4326, gpkgSystems.wgs84]]);
  for (const layer of layers) systems.set(layer.system.srsId, layer.system);
  for (const system of systems.values()) {
    db.run('insert into gpkg_spatial_ref_sys values (?, ?, ?, ?, ?, null)', [
      system.name,
      system.srsId,
      system.organization,
      system.code,
      system.definition,
    ]);
  }
  for (const layer of layers) {
    const columns = Object.entries(layer.columns).map(([name, type]) => `, "${name}" ${type}`);
    db.run(
      `create table "${layer.table}" (fid integer primary key autoincrement, geom MULTIPOLYGON${columns.join('')})`,
    );
    db.run('insert into gpkg_contents (table_name, data_type, identifier, srs_id) values (?, ?, ?, ?)', [
      layer.table,
      'features',
      layer.table,
      layer.system.srsId,
    ]);
    db.run('insert into gpkg_geometry_columns values (?, ?, ?, ?, 0, 0)', [
      layer.table,
      'geom',
      'MULTIPOLYGON',
      layer.system.srsId,
    ]);
    const names = ['geom', ...Object.keys(layer.columns)];
    for (const feature of layer.features) {
      db.run(
        `insert into "${layer.table}" (${names.map((name) => `"${name}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`,
        [
          gpkgGeometry(feature.polygons, layer.system.srsId),
          ...names.slice(1).map((name) => feature.attributes[name] ?? null),
        ],
      );
    }
  }
  for (const table of options.attributeTables ?? []) {
    db.run(`create table "${table}" (id integer primary key, note text)`);
    db.run('insert into gpkg_contents (table_name, data_type, identifier) values (?, ?, ?)', [
      table,
      'attributes',
      table,
    ]);
  }
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}
