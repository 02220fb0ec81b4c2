import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/src/config.js';

/** The box of the small town below (west, south, east, north), where it stands unless moved. */
export const streetTownBox = [-0.59, 44.83, -0.56, 44.85] as const;
/** Where the town's residential street has its middle, unless moved: it runs 0.01° east and west of it. */
const residentialStreetMiddle = { lat: 44.84, lon: -0.575 };
export const residentialStreetName = 'Rue des Tilleuls';
export const arabicStreetName = 'شارع الزيتون';

const hasTool = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Whether osmium-tool and tilemaker are installed (CI installs them). */
export const streetToolsInstalled = hasTool('osmium') && hasTool('tilemaker');

/** OSM keeps coordinates to 7 decimals: a moved town is written as it will be read. */
function tenMillionths(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

/**
 * A small town written as OSM XML (per https://wiki.openstreetmap.org/wiki/OSM_XML): a named residential street,
 * a street named in Arabic, a primary road, a park and a place=town node.
 */
function townOsmXml(shift: { lat: number; lon: number }, box: readonly number[]): string {
  const placed: [number, number, number, string?][] = [
    [1, 44.84, -0.585],
    [2, 44.84, -0.565],
    [3, 44.835, -0.585],
    [4, 44.845, -0.565],
    [5, 44.832, -0.58],
    [6, 44.832, -0.575],
    [7, 44.836, -0.575],
    [8, 44.836, -0.58],
    [9, 44.841, -0.575, '<tag k="place" v="town"/><tag k="name" v="Passerelle-sur-Garonne"/>'],
    [10, 44.8402, -0.585],
    [11, 44.8402, -0.565],
  ];
  const nodes = placed.map(
    ([id, lat, lon, tags]) => [id, tenMillionths(lat + shift.lat), tenMillionths(lon + shift.lon), tags] as const,
  );
  const way = (id: number, refs: number[], tags: Record<string, string>) =>
    ` <way id="${id}" version="1">${refs.map((ref) => `<nd ref="${ref}"/>`).join('')}${Object.entries(tags)
      .map(([k, v]) => `<tag k="${k}" v="${v}"/>`)
      .join('')}</way>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<osm version="0.6" generator="passerelle-tests">',
    ` <bounds minlon="${box[0]}" minlat="${box[1]}" maxlon="${box[2]}" maxlat="${box[3]}"/>`,
    ...nodes.map(
      ([id, lat, lon, tags]) => ` <node id="${id}" version="1" lat="${lat}" lon="${lon}">${tags ?? ''}</node>`,
    ),
    way(20, [1, 2], { highway: 'residential', name: residentialStreetName }),
    way(21, [3, 4], { highway: 'primary', name: 'Avenue de la Gare', ref: 'D 10' }),
    way(22, [5, 6, 7, 8, 5], { leisure: 'park', landuse: 'grass', name: 'Parc Bordelais' }),
    way(23, [10, 11], { highway: 'residential', name: arabicStreetName }),
    '</osm>',
    '',
  ].join('\n');
}

/** The town moved so that its residential street has its middle at `street`: its box and its street's two ends. */
export function streetTownAt(street: { lat: number; lon: number }): {
  box: [number, number, number, number];
  residentialStreet: { lat: number; west: number; east: number };
} {
  const shift = { lat: street.lat - residentialStreetMiddle.lat, lon: street.lon - residentialStreetMiddle.lon };
  const [west, south, east, north] = streetTownBox;
  return {
    box: [west + shift.lon, south + shift.lat, east + shift.lon, north + shift.lat].map(tenMillionths) as [
      number,
      number,
      number,
      number,
    ],
    residentialStreet: { lat: street.lat, west: street.lon - 0.01, east: street.lon + 0.01 },
  };
}

/**
 * Makes a PMTiles file of the town with the project's own script (osmium → tilemaker → converter), in `dir`; with
 * `street`, the town is moved so that its residential street has its middle there (see {@link streetTownAt}).
 */
export function buildTownStreetTiles(dir: string, street = residentialStreetMiddle): string {
  const shift = { lat: street.lat - residentialStreetMiddle.lat, lon: street.lon - residentialStreetMiddle.lon };
  const { box } = streetTownAt(street);
  fs.mkdirSync(dir, { recursive: true });
  const xml = path.join(dir, 'town.osm');
  const pbf = path.join(dir, 'town.osm.pbf');
  const output = path.join(dir, 'town.pmtiles');
  fs.writeFileSync(xml, townOsmXml(shift, box));
  execFileSync('osmium', ['cat', xml, '-o', pbf, '--overwrite'], { stdio: 'pipe' });
  execFileSync(path.join(projectRoot, 'scripts/basemap/build-street-tiles.sh'), [pbf, box.join(','), output], {
    cwd: projectRoot,
    stdio: 'pipe',
  });
  return output;
}
