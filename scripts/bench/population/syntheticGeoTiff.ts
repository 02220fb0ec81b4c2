import fs from 'node:fs';
import { deflateSync } from 'node:zlib';

/** The box a synthetic raster covers, in WGS84 degrees, and its size in cells. */
export interface SyntheticRaster {
  width: number;
  height: number;
  west: number;
  north: number;
  /** Cell width and height, in degrees. */
  cellDegrees: number;
}

const nodata = -99999;

/**
 * A smooth, lumpy population (towns on a low rural floor), with nodata over a strip standing for the sea: the same
 * value for the same cell whatever the size, so that runs compare.
 */
function population(lon: number, lat: number): number {
  if (lon < -1.3 && lat < 45) return nodata;
  const towns = Math.max(0, Math.sin(lon * 40) * Math.sin(lat * 35)) ** 8 * 400;
  return Math.round((towns + 2 + Math.abs(Math.sin(lon * 997 + lat * 991)) * 3) * 10) / 10;
}

/**
 * Writes a tiled (256 × 256), deflate-compressed GeoTIFF of 32-bit floats in EPSG:4326, as TIFF 6.0 and GeoTIFF 1.1
 * describe it, one tile at a time: the raster is never whole in memory. Tiles first, then the offset tables and the
 * directory, whose position the header is patched with at the end.
 */
export function writeSyntheticGeoTiff(file: string, raster: SyntheticRaster): void {
  const tile = 256;
  const across = Math.ceil(raster.width / tile);
  const down = Math.ceil(raster.height / tile);
  const fd = fs.openSync(file, 'w');
  try {
    const header = Buffer.alloc(8);
    header.write('II', 0, 'latin1');
    header.writeUInt16LE(42, 2);
    fs.writeSync(fd, header, 0, 8, 0);
    let position = 8;
    const offsets: number[] = [];
    const counts: number[] = [];
    const values = new Float32Array(tile * tile);
    for (let tileRow = 0; tileRow < down; tileRow++) {
      for (let tileColumn = 0; tileColumn < across; tileColumn++) {
        for (let y = 0; y < tile; y++) {
          const row = tileRow * tile + y;
          const lat = raster.north - (row + 0.5) * raster.cellDegrees;
          for (let x = 0; x < tile; x++) {
            const column = tileColumn * tile + x;
            const inside = row < raster.height && column < raster.width;
            values[y * tile + x] = inside ? population(raster.west + (column + 0.5) * raster.cellDegrees, lat) : nodata;
          }
        }
        const compressed = deflateSync(Buffer.from(values.buffer));
        offsets.push(position);
        counts.push(compressed.length);
        fs.writeSync(fd, compressed, 0, compressed.length, position);
        position += compressed.length;
      }
    }
    position += position % 2;
    const longs = (numbers: number[]) => {
      const buffer = Buffer.alloc(numbers.length * 4);
      numbers.forEach((value, index) => buffer.writeUInt32LE(value, index * 4));
      return buffer;
    };
    const shorts = (numbers: number[]) => {
      const buffer = Buffer.alloc(numbers.length * 2);
      numbers.forEach((value, index) => buffer.writeUInt16LE(value, index * 2));
      return buffer;
    };
    const doubles = (numbers: number[]) => {
      const buffer = Buffer.alloc(numbers.length * 8);
      numbers.forEach((value, index) => buffer.writeDoubleLE(value, index * 8));
      return buffer;
    };
    const SHORT = 3;
    const LONG = 4;
    const ASCII = 2;
    const DOUBLE = 12;
    const entries = [
      { tag: 256, type: LONG, count: 1, data: longs([raster.width]) },
      { tag: 257, type: LONG, count: 1, data: longs([raster.height]) },
      { tag: 258, type: SHORT, count: 1, data: shorts([32]) },
      { tag: 259, type: SHORT, count: 1, data: shorts([8]) },
      { tag: 262, type: SHORT, count: 1, data: shorts([1]) },
      { tag: 277, type: SHORT, count: 1, data: shorts([1]) },
      { tag: 284, type: SHORT, count: 1, data: shorts([1]) },
      { tag: 322, type: LONG, count: 1, data: longs([tile]) },
      { tag: 323, type: LONG, count: 1, data: longs([tile]) },
      { tag: 324, type: LONG, count: offsets.length, data: longs(offsets) },
      { tag: 325, type: LONG, count: counts.length, data: longs(counts) },
      { tag: 339, type: SHORT, count: 1, data: shorts([3]) },
      { tag: 33550, type: DOUBLE, count: 3, data: doubles([raster.cellDegrees, raster.cellDegrees, 0]) },
      { tag: 33922, type: DOUBLE, count: 6, data: doubles([0, 0, 0, raster.west, raster.north, 0]) },
      // GTModelType geographic, GTRasterType PixelIsArea, GeographicType EPSG:4326.
      {
        tag: 34735,
        type: SHORT,
        count: 16,
        data: shorts([1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326]),
      },
      { tag: 42113, type: ASCII, count: `${nodata}`.length + 1, data: Buffer.from(`${nodata}\0`, 'latin1') },
    ];
    // Values longer than 4 bytes go after the tiles; the directory points at them.
    const placed = entries.map((entry) => {
      if (entry.data.length <= 4)
        return { ...entry, value: Buffer.concat([entry.data, Buffer.alloc(4 - entry.data.length)]) };
      const at = position;
      fs.writeSync(fd, entry.data, 0, entry.data.length, at);
      position += entry.data.length + (entry.data.length % 2);
      return { ...entry, value: longs([at]) };
    });
    const directory = Buffer.alloc(2 + placed.length * 12 + 4);
    directory.writeUInt16LE(placed.length, 0);
    placed.forEach((entry, index) => {
      const at = 2 + index * 12;
      directory.writeUInt16LE(entry.tag, at);
      directory.writeUInt16LE(entry.type, at + 2);
      directory.writeUInt32LE(entry.count, at + 4);
      entry.value.copy(directory, at + 8);
    });
    fs.writeSync(fd, directory, 0, directory.length, position);
    const pointer = Buffer.alloc(4);
    pointer.writeUInt32LE(position, 0);
    fs.writeSync(fd, pointer, 0, 4, 4);
  } finally {
    fs.closeSync(fd);
  }
}
