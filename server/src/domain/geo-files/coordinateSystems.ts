import proj4 from 'proj4';
import { GeoFileError } from './geoFileError.js';
import { said } from '../messages/userError.js';

/** A coordinate system a file may use, with how to bring its coordinates to WGS84 longitude/latitude. */
export interface CoordinateSystem {
  /** The system's code, EPSG's unless `authority` names another register. */
  epsg: number;
  authority?: 'ESRI';
  name: string;
  /**
   * The definition PROJ gives for the EPSG code (projinfo). RD New's datum shift is EPSG's Helmert transformation
   * Amersfoort to WGS 84 (3), its coordinate-frame rotations written with the opposite sign for proj4.
   */
  proj4: string;
  /** Names a .prj gives it, lowercased and without spaces or punctuation (EPSG's, ESRI's and common variants). */
  aliases: string[];
}

/**
 * The systems official boundary files are published in (IGN Admin Express, CSO, CBS, Lantmäteriet, Eurostat) and
 * the geographic ones beside them. A list rather than anything proj4 could parse: a system read wrongly puts a
 * region metres or kilometres away without a word, so only these are taken and anything else is refused by name.
 */
export const coordinateSystems: CoordinateSystem[] = [
  {
    epsg: 4326,
    name: 'WGS 84',
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    aliases: ['wgs84', 'wgs1984', 'gcswgs1984'],
  },
  {
    epsg: 4258,
    name: 'ETRS89',
    proj4: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
    aliases: ['etrs89', 'etrs1989', 'gcsetrs1989'],
  },
  {
    epsg: 4171,
    name: 'RGF93',
    proj4: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
    aliases: ['rgf93', 'rgf93v1', 'rgf1993', 'gcsrgf1993'],
  },
  {
    epsg: 2154,
    name: 'RGF93 / Lambert-93',
    proj4:
      '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 ' +
      '+towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    aliases: ['rgf93lambert93', 'rgf93v1lambert93', 'rgf1993lambert93', 'lambert93'],
  },
  {
    epsg: 2157,
    name: 'IRENET95 / Irish Transverse Mercator',
    proj4:
      '+proj=tmerc +lat_0=53.5 +lon_0=-8 +k=0.99982 +x_0=600000 +y_0=750000 +ellps=GRS80 ' +
      '+towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    aliases: ['irenet95irishtransversemercator', 'irishtransversemercator', 'irenet95itm'],
  },
  {
    epsg: 28992,
    name: 'Amersfoort / RD New',
    proj4:
      '+proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
      '+ellps=bessel +towgs84=565.4171,50.3319,465.5524,-0.398957388243134,0.343987817378283,-1.87740163998045,4.0725 ' +
      '+units=m +no_defs',
    aliases: ['amersfoortrdnew', 'rdnew'],
  },
  {
    epsg: 3006,
    name: 'SWEREF99 TM',
    proj4: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    aliases: ['sweref99tm'],
  },
  {
    epsg: 3035,
    name: 'ETRS89 / LAEA Europe',
    proj4:
      '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 ' +
      '+units=m +no_defs',
    aliases: ['etrs89laeaeurope', 'etrs89extendedlaeaeurope', 'etrs1989laea', 'etrs1989laeaeurope', 'etrs89laea'],
  },
  {
    epsg: 3857,
    name: 'WGS 84 / Pseudo-Mercator',
    // The web map's spherical Mercator, in which Kontur publishes its H3 population layers.
    proj4:
      '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext ' +
      '+no_defs',
    aliases: ['wgs84pseudomercator', 'popularvisualisationcrsmercator', 'wgs1984webmercatorauxiliarysphere'],
  },
  {
    // The projection of the GHSL population grids (GHS-POP), which EPSG does not register.
    epsg: 54009,
    authority: 'ESRI',
    name: 'World Mollweide',
    proj4: '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
    aliases: ['worldmollweide', 'mollweide'],
  },
];

/** The names of WGS84 longitude/latitude a GeoJSON's old "crs" member may give (QGIS writes the first). */
export const geoJsonWgs84Names = new Set([
  'urn:ogc:def:crs:OGC:1.3:CRS84',
  'urn:ogc:def:crs:OGC::CRS84',
  'urn:ogc:def:crs:EPSG::4326',
  'EPSG:4326',
]);

const byAlias = new Map(coordinateSystems.flatMap((system) => system.aliases.map((alias) => [alias, system])));
const byCode = new Map(coordinateSystems.map((system) => [system.epsg, system]));

/** "EPSG:2154", "ESRI:54009". */
export function codeOf(system: CoordinateSystem): string {
  return `${system.authority ?? 'EPSG'}:${system.epsg}`;
}

/** The system registered under this code (EPSG's, or ESRI's for World Mollweide), if it is one of ours. */
export function coordinateSystemOfCode(code: number): CoordinateSystem | undefined {
  return byCode.get(code);
}

/** The systems a file may use, for messages: "WGS 84 (EPSG:4326), …". */
export const supportedSystemsText = coordinateSystems.map((system) => `${system.name} (${codeOf(system)})`).join(', ');

function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The EPSG code a WKT gives its whole system (the AUTHORITY or ID closing it), if any. */
function rootEpsgCode(wkt: string): number | undefined {
  const match =
    /AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt) ??
    /ID\[\s*"EPSG"\s*,\s*(\d+)\s*\]\s*\]\s*$/i.exec(wkt);
  return match ? Number(match[1]) : undefined;
}

/** The name a WKT gives its whole system: PROJCS["RGF93 / Lambert-93", …] gives "RGF93 / Lambert-93". */
function rootName(wkt: string): string | undefined {
  return /^\s*[A-Z]+\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1];
}

/**
 * The coordinate system a Shapefile's .prj or a GeoPackage's definition (OGC WKT 1, ESRI WKT or WKT 2) describes, by its EPSG code when the
 * WKT gives one, else by its name. Throws a GeoFileError naming the system when it is not one of ours.
 */
export function coordinateSystemOfWkt(wkt: string, fileName: string, layer?: string): CoordinateSystem {
  const code = rootEpsgCode(wkt);
  const known = (code !== undefined ? byCode.get(code) : undefined) ?? byAlias.get(normalized(rootName(wkt) ?? ''));
  if (known) return known;
  const name = rootName(wkt);
  const systems = supportedSystemsText;
  if (!name) {
    throw new GeoFileError(
      layer === undefined
        ? said('geo-file.unreadable-system', { fileName, systems })
        : said('geo-file.layer-unreadable-system', { fileName, layer, systems }),
    );
  }
  const system = `“${name}”${code !== undefined ? ` (EPSG:${code})` : ''}`;
  throw new GeoFileError(
    layer === undefined
      ? said('geo-file.unknown-system', { fileName, system, systems })
      : said('geo-file.layer-unknown-system', { fileName, layer, system, systems }),
  );
}

/** The system of an EPSG code, if it is one of ours (a GeoPackage's spatial reference names it so). */
export function coordinateSystemOfEpsg(code: number): CoordinateSystem | undefined {
  return byCode.get(code);
}

/** Turns [x, y] in the system into [longitude, latitude] in WGS84. */
export function toWgs84(system: CoordinateSystem): (position: number[]) => number[] {
  if (system.epsg === 4326) return (position) => position;
  const converter = proj4(system.proj4, 'WGS84');
  return (position) => converter.forward([position[0]!, position[1]!]);
}
