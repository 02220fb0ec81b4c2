import { type RawBuilder, sql } from 'kysely';

/** A WGS84 point as geography, from longitude and latitude bound as parameters. */
export function geographyPoint(lon: number, lat: number): RawBuilder<string> {
  return sql<string>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography`;
}

/** A MultiPolygon geometry from a GeoJSON geometry object; polygons are promoted. */
export function multiPolygonFromGeoJson(geometry: unknown): RawBuilder<string> {
  return sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`;
}

/** The envelope of four WGS84 bounds as a geometry. */
export function envelope(west: number, south: number, east: number, north: number): RawBuilder<string> {
  return sql<string>`ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)`;
}

/** The latitude of a geography point, in degrees. */
export function latitudeOf(point: RawBuilder<string>): RawBuilder<number> {
  return sql<number>`ST_Y(${point}::geometry)`;
}

/** The longitude of a geography point, in degrees. */
export function longitudeOf(point: RawBuilder<string>): RawBuilder<number> {
  return sql<number>`ST_X(${point}::geometry)`;
}
