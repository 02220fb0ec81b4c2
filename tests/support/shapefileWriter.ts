import { zipSync } from 'fflate';

/**
 * A small writer of polygon Shapefiles, following the ESRI Shapefile Technical Description (July 1998): the main
 * file (.shp), its index (.shx) and the dBASE III table (.dbf) of the attributes. Written from the description,
 * not from what the reader under test expects, so that the tests check the reader against the format itself.
 */

/** One polygon: its rings of [x, y] points, each closed (last point = first); outer rings clockwise. */
export type Rings = number[][][];

export interface ShapefileRecord {
  rings: Rings;
  attributes: Record<string, string | number>;
}

export interface DbfField {
  name: string;
  type: 'C' | 'N';
  length: number;
}

const polygonShapeType = 5;

function boundingBox(points: number[][]): [number, number, number, number] {
  const xs = points.map((point) => point[0]!);
  const ys = points.map((point) => point[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The 100-byte header shared by .shp and .shx; lengths are counted in 16-bit words. */
function header(view: DataView, fileBytes: number, box: [number, number, number, number]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, fileBytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, polygonShapeType, true);
  box.forEach((value, index) => view.setFloat64(36 + index * 8, value, true));
}

function polygonContent(rings: Rings): Uint8Array {
  const points = rings.flat();
  const bytes = new Uint8Array(44 + 4 * rings.length + 16 * points.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, polygonShapeType, true);
  boundingBox(points).forEach((value, index) => view.setFloat64(4 + index * 8, value, true));
  view.setInt32(36, rings.length, true);
  view.setInt32(40, points.length, true);
  let start = 0;
  rings.forEach((ring, index) => {
    view.setInt32(44 + index * 4, start, true);
    start += ring.length;
  });
  const pointsAt = 44 + 4 * rings.length;
  points.forEach(([x, y], index) => {
    view.setFloat64(pointsAt + index * 16, x!, true);
    view.setFloat64(pointsAt + index * 16 + 8, y!, true);
  });
  return bytes;
}

function mainAndIndex(records: ShapefileRecord[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = records.map((record) => polygonContent(record.rings));
  const box = boundingBox(records.flatMap((record) => record.rings.flat()));
  const shpBytes = 100 + contents.reduce((sum, content) => sum + 8 + content.length, 0);
  const shp = new Uint8Array(shpBytes);
  const shx = new Uint8Array(100 + 8 * records.length);
  const shpView = new DataView(shp.buffer);
  const shxView = new DataView(shx.buffer);
  header(shpView, shpBytes, box);
  header(shxView, shx.length, box);
  let offset = 100;
  contents.forEach((content, index) => {
    shpView.setInt32(offset, index + 1, false);
    shpView.setInt32(offset + 4, content.length / 2, false);
    shp.set(content, offset + 8);
    shxView.setInt32(100 + index * 8, offset / 2, false);
    shxView.setInt32(100 + index * 8 + 4, content.length / 2, false);
    offset += 8 + content.length;
  });
  return { shp, shx };
}

/** A dBASE III table: 32-byte header, 32 bytes per field, 0x0D, then fixed-width records and 0x1A. */
function dbf(fields: DbfField[], records: ShapefileRecord[], encode: (text: string) => Uint8Array): Uint8Array {
  const headerBytes = 32 + 32 * fields.length + 1;
  const recordBytes = 1 + fields.reduce((sum, field) => sum + field.length, 0);
  const bytes = new Uint8Array(headerBytes + recordBytes * records.length + 1);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x03;
  bytes.set([126, 12, 2], 1);
  view.setUint32(4, records.length, true);
  view.setUint16(8, headerBytes, true);
  view.setUint16(10, recordBytes, true);
  fields.forEach((field, index) => {
    const at = 32 + index * 32;
    bytes.set(encode(field.name).subarray(0, 10), at);
    bytes[at + 11] = field.type.charCodeAt(0);
    bytes[at + 16] = field.length;
    bytes[at + 17] = 0;
  });
  bytes[headerBytes - 1] = 0x0d;
  records.forEach((record, index) => {
    let at = headerBytes + index * recordBytes;
    bytes[at] = 0x20;
    at += 1;
    for (const field of fields) {
      const value = record.attributes[field.name];
      const text = value === undefined ? '' : String(value);
      const encoded = encode(text).subarray(0, field.length);
      const cell = new Uint8Array(field.length).fill(0x20);
      // Characters are left-aligned, numbers right-aligned, both padded with spaces.
      cell.set(encoded, field.type === 'N' ? field.length - encoded.length : 0);
      bytes.set(cell, at);
      at += field.length;
    }
  });
  bytes[bytes.length - 1] = 0x1a;
  return bytes;
}

export type ShapefileParts = {
  shp: Uint8Array;
  shx: Uint8Array;
  dbf: Uint8Array;
};

/** The three mandatory files of a polygon Shapefile; the table's text is encoded in UTF-8. */
export function polygonShapefile(fields: DbfField[], records: ShapefileRecord[]): ShapefileParts {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  return { ...mainAndIndex(records), dbf: dbf(fields, records, utf8) };
}

/** A zip of the layer's files, named `<layer>.<extension>`; pass only the ones the test wants inside. */
export function zipLayer(layer: string, files: Record<string, Uint8Array | string>): Buffer {
  const entries = Object.fromEntries(
    Object.entries(files).map(([extension, content]) => [
      `${layer}.${extension}`,
      typeof content === 'string' ? new TextEncoder().encode(content) : content,
    ]),
  );
  return Buffer.from(zipSync(entries));
}

/** A square ring, clockwise as the description wants outer rings: west-south, west-north, east-north, east-south. */
export function clockwiseSquare(west: number, south: number, size: number): number[][] {
  return [
    [west, south],
    [west, south + size],
    [west + size, south + size],
    [west + size, south],
    [west, south],
  ];
}

/** The .prj files as the national agencies' and ESRI's software write them (WKT 1). */
export const prjFiles = {
  lambert93:
    'PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],' +
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],' +
    'PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],' +
    'PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],' +
    'PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]',
  rdNew:
    'PROJCS["Amersfoort / RD New",GEOGCS["Amersfoort",DATUM["Amersfoort",SPHEROID["Bessel 1841",6377397.155,299.1528128,' +
    'AUTHORITY["EPSG","7004"]],AUTHORITY["EPSG","6289"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],' +
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4289"]],' +
    'PROJECTION["Oblique_Stereographic"],PARAMETER["latitude_of_origin",52.1561605555556],' +
    'PARAMETER["central_meridian",5.38763888888889],PARAMETER["scale_factor",0.9999079],' +
    'PARAMETER["false_easting",155000],PARAMETER["false_northing",463000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],' +
    'AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","28992"]]',
  utm10n:
    'PROJCS["NAD83 / UTM zone 10N",GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,' +
    '298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],' +
    'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-123],PARAMETER["scale_factor",0.9996],' +
    'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","26910"]]',
};
