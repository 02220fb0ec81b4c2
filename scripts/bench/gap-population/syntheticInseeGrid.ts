import fs from 'node:fs';
import proj4 from 'proj4';
import { coordinateSystemOfCode } from '../../../server/src/domain/geo-files/coordinateSystems.js';
import type { WgsBox } from '../../../server/src/domain/population/populationFiles.js';
import { seededRandom } from '../lib/stats.js';

export interface SyntheticInseeGrid {
  file: string;
  /** 200 m squares of the box (in EPSG:3035) and, of them, those written: the populated ones, as INSEE lists them. */
  squares: number;
  cells: number;
  population: number;
}

const cellM = 200;
/** Bordeaux's centre, the largest lump of people. */
const bordeaux = { lon: -0.58, lat: 44.84 };

/**
 * The box's corners and edges in ETRS89-LAEA (EPSG:3035, as the INSEE grids are written), snapped outwards to
 * whole 200 m squares: a longitude/latitude box is curved there, so its edges are sampled, not only its corners.
 */
function laeaBounds(box: WgsBox): { west: number; south: number; east: number; north: number } {
  const toLaea = proj4('WGS84', coordinateSystemOfCode(3035)!.proj4);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let step = 0; step <= 20; step++) {
    const lon = box.west + ((box.east - box.west) * step) / 20;
    const lat = box.south + ((box.north - box.south) * step) / 20;
    for (const [x, y] of [
      toLaea.forward([lon, box.south]),
      toLaea.forward([lon, box.north]),
      toLaea.forward([box.west, lat]),
      toLaea.forward([box.east, lat]),
    ] as [number, number][]) {
      xs.push(x);
      ys.push(y);
    }
  }
  return {
    west: Math.floor(Math.min(...xs) / cellM) * cellM,
    south: Math.floor(Math.min(...ys) / cellM) * cellM,
    east: Math.ceil(Math.max(...xs) / cellM) * cellM,
    north: Math.ceil(Math.max(...ys) / cellM) * cellM,
  };
}

/** 0 to 1: towns on a lattice (about one every 15 km) and the Bordeaux conurbation, fading with distance. */
function urbanity(lon: number, lat: number): number {
  const towns = Math.max(0, Math.sin(lon * 40) * Math.sin(lat * 35)) ** 8;
  const dx = (lon - bordeaux.lon) * 79;
  const dy = (lat - bordeaux.lat) * 111;
  return Math.min(1, towns + Math.exp(-(dx * dx + dy * dy) / (2 * 8 * 8)));
}

/**
 * Writes a synthetic INSEE-like 200 m population grid over `box` (Filosofi's layout: `idcar_200m`, `idcar_1km`, `ind`,
 * comma-separated, one populated square a line, its id naming its south-west corner in EPSG:3035), seeded. A square
 * is listed with a probability of `populatedShare` × (0.5 + 4 × urbanity), capped at 1, as INSEE lists only squares
 * where people live; nobody west of 1.25° W, standing for the Atlantic. `ind` is skewed like INSEE's estimates: a
 * few people in most squares, up to 170 in town centres (about 20 a square on average, as INSEE's).
 */
export function writeSyntheticInseeGrid(
  file: string,
  box: WgsBox,
  options: { populatedShare: number; seed: number },
): SyntheticInseeGrid {
  const bounds = laeaBounds(box);
  const toWgs = proj4(coordinateSystemOfCode(3035)!.proj4, 'WGS84');
  const random = seededRandom(options.seed);
  const fd = fs.openSync(file, 'w');
  let lines: string[] = ['idcar_200m,idcar_1km,ind'];
  let squares = 0;
  let cells = 0;
  let population = 0;
  try {
    for (let north = bounds.south; north < bounds.north; north += cellM) {
      for (let east = bounds.west; east < bounds.east; east += cellM) {
        squares++;
        const draw = random();
        const [lon, lat] = toWgs.forward([east + cellM / 2, north + cellM / 2]) as [number, number];
        if (lon < -1.25) continue;
        const urban = urbanity(lon, lat);
        if (draw >= options.populatedShare * (0.5 + 4 * urban)) continue;
        const people = Math.round((Math.exp(3 * random()) + 150 * urban * random()) * 10) / 10;
        const kilometre = `CRS3035RES1000mN${Math.floor(north / 1000) * 1000}E${Math.floor(east / 1000) * 1000}`;
        lines.push(`CRS3035RES200mN${north}E${east},${kilometre},${people}`);
        cells++;
        population += people;
        if (lines.length >= 10_000) {
          fs.writeSync(fd, `${lines.join('\n')}\n`);
          lines = [];
        }
      }
    }
    if (lines.length > 0) fs.writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return { file, squares, cells, population };
}
