declare module 'shpjs' {
  import type { Geometry } from 'geojson';

  /** The geometries of a .shp, in the file's own coordinates when no projection is given. */
  export function parseShp(shp: ArrayBufferLike | ArrayBufferView, prj?: string | false): Geometry[];
  /** The rows of a .dbf, decoded with the encoding a .cpg names (UTF-8 without one). */
  export function parseDbf(dbf: ArrayBufferLike | ArrayBufferView, cpg?: string): Record<string, unknown>[];
}
