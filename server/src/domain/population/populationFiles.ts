import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import type { Feature } from 'geojson';
import { fromFile, type GeoTIFFImage } from 'geotiff';
import { cellArea, cellToLatLng, isValidCell } from 'h3-js';
import proj4 from 'proj4';
import {
  codeOf,
  type CoordinateSystem,
  coordinateSystemOfCode,
  coordinateSystemOfWkt,
  coordinateSystems,
  supportedSystemsText,
  toWgs84,
} from '../geo-files/coordinateSystems.js';
import { GeoFileError } from '../geo-files/geoFileError.js';
import { maxUnzippedBytes, readGeoFile } from '../geo-files/readGeoFile.js';
import type { PopulationSurfaceFormat } from '../../db/schema.js';
import { type CodedMessage, codedFrom, said, UserError } from '../messages/userError.js';

/** A problem with an uploaded population file, shown to the person as is (400): coded `population-file.…`. */
export class PopulationFileError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
  }
}

/** People at a point (a cell's centre), or in an area whose point on its surface PostGIS finds (GeoJSON geometry). */
export type PopulationPoint = { lon: number; lat: number; population: number } | { area: string; population: number };

/** Longitude/latitude bounds: only what falls inside is read (the alliance's boundary and margin). */
export interface WgsBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** What a file is, found before anything is imported. */
export interface PopulationFileDescription {
  format: PopulationSurfaceFormat;
  /** The coordinate system the file is written in: "EPSG:4326", "ESRI:54009"… */
  crs: string;
  /** Width of a cell in metres (near the middle of a geographic raster); null for areas. */
  cellSizeM: number | null;
  /** The numeric properties of census areas, among which the person names the population. */
  numericFields: string[];
  /** The population field read (census areas: the one named, or "population" when there is one). */
  populationField: string | null;
}

/** Points read so far, a batch at a time, with how many cells or areas were read for them (kept or not). */
export interface PopulationBatch {
  read: number;
  points: PopulationPoint[];
}

/** An uploaded population file, opened: what it is, and its points within a box, a batch at a time. */
export interface PopulationFile {
  description: PopulationFileDescription;
  /** How much of the file has been read, from 0 to 1, for progress. */
  readonly fraction: number;
  batches(box: WgsBox): AsyncGenerator<PopulationBatch>;
}

const batchPoints = 5000;

function inBox(box: WgsBox, lon: number, lat: number): boolean {
  return lon >= box.west && lon <= box.east && lat >= box.south && lat <= box.north;
}

function checkedPopulation(value: number, where: string): number {
  if (Number.isNaN(value)) throw new PopulationFileError(said('population-file.not-a-number', { where }));
  if (value < 0) throw new PopulationFileError(said('population-file.negative', { where, value }));
  if (!Number.isFinite(value)) throw new PopulationFileError(said('population-file.infinite', { where }));
  return value;
}

const tiffSignatures = [
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x49, 0x49, 0x2b, 0x00],
  [0x4d, 0x4d, 0x00, 0x2b],
];

/** GeoTIFF's "user-defined" code, as GDAL writes for World Mollweide with the system's name in a citation. */
const userDefined = 32767;

function rasterCoordinateSystem(image: GeoTIFFImage, fileName: string): CoordinateSystem {
  const keys = image.getGeoKeys() ?? {};
  const code = (keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey) as number | undefined;
  if (code !== undefined && code !== userDefined) {
    const known = coordinateSystemOfCode(code);
    if (known) return known;
    throw new PopulationFileError(
      said('population-file.unknown-system', { fileName, epsg: code, systems: supportedSystemsText }),
    );
  }
  const citation = [keys.GTCitationGeoKey, keys.PCSCitationGeoKey, keys.GeogCitationGeoKey]
    .filter((text): text is string => typeof text === 'string')
    .join(' ');
  const wkt = /(PROJCS|GEOGCS)\[.*\]/s.exec(citation)?.[0];
  if (wkt) {
    try {
      return coordinateSystemOfWkt(wkt, fileName);
    } catch (error) {
      if (error instanceof GeoFileError) throw new PopulationFileError(codedFrom(error));
      throw error;
    }
  }
  const named = coordinateSystems.find((system) =>
    system.aliases.some((alias) =>
      citation
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .includes(alias),
    ),
  );
  if (named && citation.length > 0) return named;
  throw new PopulationFileError(
    citation
      ? said('population-file.unnamed-system-cited', {
          fileName,
          citation: citation.trim(),
          systems: supportedSystemsText,
        })
      : said('population-file.unnamed-system', { fileName, systems: supportedSystemsText }),
  );
}

/** The raster's columns and rows that may hold a point of the box: its outline brought into the raster's system. */
function rasterWindow(
  box: WgsBox,
  system: CoordinateSystem,
  geometry: { originX: number; originY: number; resX: number; resY: number; width: number; height: number },
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const fromWgs84 = system.epsg === 4326 ? (position: number[]) => position : fromWgs84To(system);
  const xs: number[] = [];
  const ys: number[] = [];
  const steps = 64;
  for (let step = 0; step <= steps; step++) {
    const t = step / steps;
    for (const [lon, lat] of [
      [box.west + t * (box.east - box.west), box.south],
      [box.west + t * (box.east - box.west), box.north],
      [box.west, box.south + t * (box.north - box.south)],
      [box.east, box.south + t * (box.north - box.south)],
    ]) {
      const [x, y] = fromWgs84([lon!, lat!]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xs.push(x!);
      ys.push(y!);
    }
  }
  if (xs.length === 0) return undefined;
  const columns = [Math.min(...xs), Math.max(...xs)].map((x) => (x - geometry.originX) / geometry.resX);
  const rows = [Math.min(...ys), Math.max(...ys)].map((y) => (y - geometry.originY) / geometry.resY);
  const x0 = Math.max(0, Math.floor(Math.min(...columns)) - 1);
  const x1 = Math.min(geometry.width, Math.ceil(Math.max(...columns)) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...rows)) - 1);
  const y1 = Math.min(geometry.height, Math.ceil(Math.max(...rows)) + 1);
  return x0 < x1 && y0 < y1 ? { x0, y0, x1, y1 } : undefined;
}

/** Turns WGS84 longitude/latitude into [x, y] in the system. */
function fromWgs84To(system: CoordinateSystem): (position: number[]) => number[] {
  const converter = proj4(system.proj4, 'WGS84');
  return (position) => converter.inverse([position[0]!, position[1]!]);
}

/**
 * A GeoTIFF read from the file on disk a band of rows at a time (a strip, or a row of tiles), only over the columns
 * and rows the box may cover: never the whole raster in memory. Cells equal to the nodata value (GDAL_NODATA) and
 * cells of 0 are skipped; a negative or NaN value that is not the nodata value makes the file refused.
 */
async function openGeoTiff(filePath: string, fileName: string): Promise<PopulationFile> {
  let tiff;
  let image: GeoTIFFImage;
  try {
    tiff = await fromFile(filePath);
    image = await tiff.getImage(0);
  } catch {
    throw new PopulationFileError(said('population-file.broken-tiff', { fileName }));
  }
  const system = rasterCoordinateSystem(image, fileName);
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw new PopulationFileError(said('population-file.no-georeference', { fileName }));
  }
  const width = image.getWidth();
  const height = image.getHeight();
  const pixelIsPoint = image.getGeoKeys()?.GTRasterTypeGeoKey === 2;
  const half = pixelIsPoint ? 0 : 0.5;
  const geometry = {
    originX: origin[0]! - (pixelIsPoint ? resolution[0]! / 2 : 0),
    originY: origin[1]! - (pixelIsPoint ? resolution[1]! / 2 : 0),
    resX: resolution[0]!,
    resY: resolution[1]!,
    width,
    height,
  };
  const nodata = image.getGDALNoData();
  const toLonLat = toWgs84(system);
  const centreLat = toLonLat([
    origin[0]! + (width * resolution[0]!) / 2,
    origin[1]! + (height * resolution[1]!) / 2,
  ])[1]!;
  const cellSizeM = system.proj4.includes('longlat')
    ? Math.abs(resolution[0]!) * 111_320 * Math.cos((centreLat * Math.PI) / 180)
    : Math.abs(resolution[0]!);
  const blockRows = Math.max(1, image.getTileHeight());
  let fraction = 0;
  return {
    description: { format: 'geotiff', crs: codeOf(system), cellSizeM, numericFields: [], populationField: null },
    get fraction() {
      return fraction;
    },
    async *batches(box) {
      const window = rasterWindow(box, system, geometry);
      if (!window) return;
      // Whole blocks of rows, as they are stored: a strip or a row of tiles is decoded once.
      const firstRow = Math.floor(window.y0 / blockRows) * blockRows;
      let points: PopulationPoint[] = [];
      let read = 0;
      for (let y0 = firstRow; y0 < window.y1; y0 += blockRows) {
        const y1 = Math.min(window.y1, y0 + blockRows);
        const rows = Math.max(y0, window.y0);
        const [band] = (await image.readRasters({
          window: [window.x0, rows, window.x1, y1],
          samples: [0],
        })) as unknown as ArrayLike<number>[];
        const columns = window.x1 - window.x0;
        for (let row = rows; row < y1; row++) {
          for (let column = window.x0; column < window.x1; column++) {
            const value = band![(row - rows) * columns + (column - window.x0)]!;
            read++;
            if (value === nodata || (Number.isNaN(value) && nodata !== null && Number.isNaN(nodata))) continue;
            if (value === 0) continue;
            checkedPopulation(value, `${fileName}, row ${row + 1}, column ${column + 1}`);
            const [lon, lat] = toLonLat([
              geometry.originX + (column + half) * geometry.resX,
              geometry.originY + (row + half) * geometry.resY,
            ]);
            if (!inBox(box, lon!, lat!)) continue;
            points.push({ lon: lon!, lat: lat!, population: value });
          }
        }
        fraction = (y1 - window.y0) / (window.y1 - window.y0);
        if (points.length >= batchPoints || y1 >= window.y1) {
          yield { read, points };
          points = [];
          read = 0;
        }
        await nextTurn();
      }
      if (read > 0 || points.length > 0) yield { read, points };
    },
  };
}

/** The first line of a text file, to tell its columns and separator. */
async function firstLine(filePath: string): Promise<string> {
  const handle = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return (
      buffer
        .subarray(0, bytesRead)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0] ?? ''
    );
  } finally {
    await handle.close();
  }
}

function separatorOf(header: string): string {
  const counts = [',', ';', '\t'].map((separator) => [separator, header.split(separator).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

/** An INSPIRE grid cell id as the INSEE grids write it: CRS3035RES200mN2029800E4252400 (its south-west corner). */
const inseeCellId = /^CRS3035RES(\d+)mN(\d+)E(\d+)$/;

interface CsvLayout {
  format: 'kontur_h3' | 'insee_grid';
  idColumn: string;
  populationColumn: string;
}

function csvLayout(columns: string[], fileName: string, populationField: string | undefined): CsvLayout {
  const lower = columns.map((column) => column.toLowerCase());
  const idColumn = lower.includes('h3')
    ? 'h3'
    : (lower.find((column) => column === 'idcar_200m') ?? lower.find((column) => column.startsWith('idcar_')));
  if (!idColumn) {
    throw new PopulationFileError(said('population-file.no-id-column', { fileName }));
  }
  const format = idColumn === 'h3' ? 'kontur_h3' : 'insee_grid';
  const populationColumn = (populationField ?? (format === 'kontur_h3' ? 'population' : 'ind')).toLowerCase();
  if (!lower.includes(populationColumn)) {
    throw new PopulationFileError(
      said('population-file.no-population-column', { fileName, column: populationColumn, columns: columns.join(', ') }),
    );
  }
  return {
    format,
    idColumn: columns[lower.indexOf(idColumn)]!,
    populationColumn: columns[lower.indexOf(populationColumn)]!,
  };
}

/**
 * Kontur's population (one H3 cell a row: `h3,population`) or an INSEE grid (Filosofi: `idcar_200m`, `ind`), read
 * a row at a time from the file on disk. An H3 cell counts at its centre; an INSEE cell at the centre of the square
 * its id names in ETRS89-LAEA (EPSG:3035).
 */
async function openCsv(
  filePath: string,
  fileName: string,
  populationField: string | undefined,
): Promise<PopulationFile> {
  const header = await firstLine(filePath);
  const delimiter = separatorOf(header);
  const columns = header.split(delimiter).map((column) => column.trim().replace(/^"|"$/g, ''));
  const layout = csvLayout(columns, fileName, populationField);
  const laea = coordinateSystemOfCode(3035)!;
  const fromLaea = toWgs84(laea);
  const size = (await fs.stat(filePath)).size;
  let fraction = 0;
  let cellSizeM: number | null = null;
  // The cell size from the first data row.
  const first = await readCsvRows(filePath, delimiter, 1).next();
  if (!first.done) {
    const id = String(first.value.row[layout.idColumn] ?? '');
    cellSizeM =
      layout.format === 'kontur_h3'
        ? isValidCell(id)
          ? Math.sqrt(cellArea(id, 'm2'))
          : null
        : Number(inseeCellId.exec(id)?.[1] ?? Number.NaN) || null;
  }
  return {
    description: {
      format: layout.format,
      crs: layout.format === 'kontur_h3' ? 'H3 (WGS84)' : codeOf(laea),
      cellSizeM,
      numericFields: [],
      populationField: layout.populationColumn,
    },
    get fraction() {
      return fraction;
    },
    async *batches(box) {
      let points: PopulationPoint[] = [];
      let read = 0;
      for await (const { row, line, bytes } of readCsvRows(filePath, delimiter)) {
        read++;
        const id = String(row[layout.idColumn] ?? '').trim();
        const where = `${fileName}, line ${line}`;
        const population = checkedPopulation(
          Number(String(row[layout.populationColumn] ?? '').replace(',', '.')),
          where,
        );
        let lon: number;
        let lat: number;
        if (layout.format === 'kontur_h3') {
          if (!isValidCell(id))
            throw new PopulationFileError(said('population-file.not-h3-cell', { fileName, line, id }));
          [lat, lon] = cellToLatLng(id);
        } else {
          const match = inseeCellId.exec(id);
          if (!match) throw new PopulationFileError(said('population-file.not-insee-cell', { fileName, line, id }));
          const side = Number(match[1]);
          [lon, lat] = fromLaea([Number(match[3]) + side / 2, Number(match[2]) + side / 2]) as [number, number];
        }
        if (population > 0 && inBox(box, lon, lat)) points.push({ lon, lat, population });
        if (points.length >= batchPoints || read % 20_000 === 0) {
          fraction = bytes / size;
          yield { read, points };
          points = [];
          read = 0;
        }
      }
      fraction = 1;
      yield { read, points };
    },
  };
}

async function* readCsvRows(
  filePath: string,
  delimiter: string,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<{ row: Record<string, string>; line: number; bytes: number }> {
  const stream = createReadStream(filePath);
  const parser = stream.pipe(
    parse({
      columns: (names: string[]) => names.map((name) => name.trim()),
      delimiter,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
  let count = 0;
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      // The header is line 1; a row per line (population files have no multi-line field).
      yield { row, line: count + 2, bytes: stream.bytesRead };
      if (++count >= limit) break;
    }
  } finally {
    stream.destroy();
  }
}

function numericFieldsOf(features: Feature[]): string[] {
  const fields = new Map<string, boolean>();
  for (const feature of features.slice(0, 1000)) {
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      const numeric =
        typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
      fields.set(key, (fields.get(key) ?? true) && (numeric || value === null));
    }
  }
  return [...fields].filter(([, numeric]) => numeric).map(([key]) => key);
}

/**
 * Census areas with a population field (GeoJSON, zipped Shapefile, GeoPackage as readGeoFile reads them), or
 * Kontur's GeoPackage (its features carry an `h3` property). Each area counts at its point on surface.
 */
async function openVectorFile(
  filePath: string,
  fileName: string,
  populationField: string | undefined,
): Promise<PopulationFile> {
  const bytes = await fs.readFile(filePath);
  let reading;
  try {
    reading = await readGeoFile(new Uint8Array(bytes), fileName);
  } catch (error) {
    if (error instanceof GeoFileError) throw new PopulationFileError(codedFrom(error));
    throw error;
  }
  const collection = reading.geojson as { type?: string; features?: unknown; crs?: { properties?: { name?: string } } };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new PopulationFileError(said('population-file.not-feature-collection', { fileName }));
  }
  const crsName = collection.crs?.properties?.name;
  if (reading.format === 'geojson' && crsName && !/CRS84|EPSG::?4326/.test(crsName)) {
    throw new PopulationFileError(said('population-file.geojson-not-wgs84', { fileName, crs: crsName }));
  }
  const features = collection.features as Feature[];
  const isKontur = features.length > 0 && features.every((feature) => typeof feature.properties?.h3 === 'string');
  const numericFields = numericFieldsOf(features).filter((field) => field !== 'h3');
  const field = populationField ?? (numericFields.includes('population') ? 'population' : undefined);
  const crs = reading.format === 'geojson' ? 'EPSG:4326' : codeOf(reading.coordinateSystem);
  const description: PopulationFileDescription = {
    format: isKontur ? 'kontur_h3' : 'census_areas',
    crs,
    cellSizeM: null,
    numericFields,
    populationField: field ?? null,
  };
  if (field !== undefined && !numericFields.includes(field)) {
    throw new PopulationFileError(
      numericFields.length === 0
        ? said('population-file.no-numeric-field', { fileName })
        : said('population-file.unknown-field', { fileName, field, fields: numericFields.join(', ') }),
    );
  }
  let fraction = 0;
  return {
    description,
    get fraction() {
      return fraction;
    },
    async *batches(box) {
      if (field === undefined) {
        throw new PopulationFileError(
          said('population-file.choose-field', { fields: numericFields.join(', ') || '(none)' }),
        );
      }
      let points: PopulationPoint[] = [];
      let read = 0;
      for (const [index, feature] of features.entries()) {
        read++;
        const where = `${fileName}, feature ${index}`;
        const population = checkedPopulation(Number(feature.properties?.[field] ?? Number.NaN), where);
        const geometry = feature.geometry;
        if (population > 0) {
          if (isKontur) {
            const [lat, lon] = cellToLatLng(String(feature.properties!.h3));
            if (inBox(box, lon, lat)) points.push({ lon, lat, population });
          } else {
            if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
              throw new PopulationFileError(said('population-file.not-polygon', { where }));
            }
            points.push({ area: JSON.stringify(geometry), population });
          }
        }
        if (points.length >= 500) {
          fraction = (index + 1) / features.length;
          yield { read, points };
          points = [];
          read = 0;
        }
      }
      fraction = 1;
      yield { read, points };
    },
  };
}

/** Bytes a vector file may take: readGeoFile holds it whole, and unzipped it may be larger. */
export const maxVectorFileBytes = maxUnzippedBytes;

/**
 * Opens an uploaded population file by its content, not its name: a GeoTIFF (GHSL, WorldPop), a CSV of Kontur's H3
 * population or of an INSEE grid, or areas (GeoJSON, zipped Shapefile, GeoPackage) with a population field.
 */
export async function openPopulationFile(
  filePath: string,
  fileName: string,
  options: { populationField?: string } = {},
): Promise<PopulationFile> {
  const handle = await fs.open(filePath, 'r');
  const head = Buffer.alloc(64);
  let size: number;
  try {
    await handle.read(head, 0, 64, 0);
    size = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  if (size === 0) throw new PopulationFileError(said('population-file.empty', { fileName }));
  if (tiffSignatures.some((signature) => signature.every((byte, index) => head[index] === byte))) {
    return openGeoTiff(filePath, fileName);
  }
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  const isSqlite = head.subarray(0, 15).toString('latin1') === 'SQLite format 3';
  if (isZip || isSqlite || text.startsWith('{')) {
    if (size > maxVectorFileBytes) {
      throw new PopulationFileError(
        said('population-file.areas-too-large', { fileName, limitMiB: maxVectorFileBytes / 1024 / 1024 }),
      );
    }
    return openVectorFile(filePath, fileName, options.populationField);
  }
  // A CSV's header is printable text with a separator.
  if (/^[\w" ;,\t.-]+\r?\n?/.test(text) && /[,;\t]/.test(text))
    return openCsv(filePath, fileName, options.populationField);
  throw new PopulationFileError(said('population-file.unknown-format', { fileName }));
}
