import { writeArrayBuffer } from 'geotiff';

/** A population grid in WGS84 as WorldPop publishes it: rows from north to south, cells of `cellDeg` degrees. */
export interface Wgs84PopulationGrid {
  /** The grid's western edge, in degrees of longitude. */
  west: number;
  /** The grid's northern edge, in degrees of latitude. */
  north: number;
  cellDeg: number;
  /** People per cell, a row per line of cells; -99999 is "no data". */
  rows: number[][];
}

/**
 * The grid as a GeoTIFF laid out as WorldPop's (EPSG:4326, one band of 32-bit floats, GDAL_NODATA -99999), written by
 * the geotiff library from the GeoTIFF 1.0 keys rather than by the reader under test.
 */
export function wgs84PopulationGeoTiff(grid: Wgs84PopulationGrid): Buffer {
  const metadata = {
    width: grid.rows[0]?.length ?? 0,
    height: grid.rows.length,
    ModelPixelScale: [grid.cellDeg, grid.cellDeg, 0],
    ModelTiepoint: [0, 0, 0, grid.west, grid.north, 0],
    GeographicTypeGeoKey: 4326,
    GDAL_NODATA: '-99999',
    BitsPerSample: [32],
    SampleFormat: [3],
  };
  return Buffer.from(writeArrayBuffer(new Float32Array(grid.rows.flat()), metadata as never));
}
