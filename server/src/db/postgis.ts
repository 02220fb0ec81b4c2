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

/**
 * How much farther a point's sphere-nearest location can be than its spheroid-nearest, as a factor on sphere
 * distances. The geography KNN operator `<->` and `ST_DWithin(…, false)` measure on the sphere of PostGIS's mean
 * radius R = 6,371,008.8 m; along any path the WGS84 length element is between M(0°)/R = 0.99442 and
 * M(90°)/R = N(90°)/R = 1.00449 times the sphere's (M and N, the meridian and prime-vertical radii of curvature), so a
 * geodesic distance is within those factors of the sphere distance between the same points, and any location whose
 * geodesic distance does not exceed another's lies within 1.00449 / 0.99442 = 1.0102 times that other's sphere
 * distance. Rounded up for floating point.
 */
export const sphereToSpheroidMargin = 1.011;

/**
 * The geodesic (WGS84) distance in metres from `origin` to the nearest of `locations`, or null when there is none.
 * `locations` is `from … where …` naming `sal` (service_at_location), to which conditions are added with `and`. The
 * sphere-nearest location (KNN on the GiST index) is not always the spheroid-nearest, so every location within
 * sphereToSpheroidMargin times its sphere distance is measured on the spheroid and the smallest distance kept.
 */
export function nearestGeodesicDistance(
  origin: RawBuilder<unknown>,
  locations: RawBuilder<unknown>,
): RawBuilder<number | null> {
  return sql<number | null>`(
    select min(ST_Distance(${origin}, candidate.geog))
    from (select sal.geog <-> ${origin} as sphere_m from ${locations} order by sal.geog <-> ${origin} limit 1) nearest
    cross join lateral (
      select sal.geog from ${locations}
        and ST_DWithin(sal.geog, ${origin}, nearest.sphere_m * ${sphereToSpheroidMargin}::float8, false)
    ) candidate
  )`;
}

/**
 * A box in degrees holding every point within `metres` of a geography point, for a GiST search on geometries. On
 * WGS84 a degree of latitude is at least 110,574 m long (at the equator), and a degree of longitude at latitude φ at
 * least 111,319 m × cos φ; the box is taken at the latitude farthest from the equator that it reaches (capped short
 * of the pole, where it spans every longitude), with 1 % to spare.
 */
export function metresAround(point: RawBuilder<unknown>, metres: number): RawBuilder<string> {
  const dy = (metres * 1.01) / 110574;
  return sql<string>`ST_Expand(${point}::geometry,
    least(180, ${metres * 1.01}::float8
               / (111319 * cos(radians(least(abs(ST_Y(${point}::geometry)) + ${dy}::float8, 89.99))))),
    ${dy}::float8)`;
}

type Ring = number[][];

/** Whether a ring steps more than 180° of longitude between two points: it is drawn across the antimeridian. */
function crossesAntimeridian(ring: Ring): boolean {
  return ring.some((position, index) => index > 0 && Math.abs(position[0]! - ring[index - 1]![0]!) > 180);
}

/**
 * A polygon drawn across the antimeridian (an H3 cell, a region of Fiji or Chukotka) with its western longitudes
 * moved past 180° (−179.8 becomes 180.2), so that it is one shape rather than a strip around the world; any other
 * polygon as it is. splitAtAntimeridian then brings it back to −180..180.
 */
export function unwrappedAcrossAntimeridian(polygon: Ring[]): Ring[] {
  if (!polygon.some(crossesAntimeridian)) return polygon;
  return polygon.map((ring) => ring.map(([lon, ...rest]) => [lon! < 0 ? lon! + 360 : lon!, ...rest]));
}

/**
 * A geometry whose longitudes may run past 180° (see unwrappedAcrossAntimeridian), cut along the 180° meridian with
 * the part beyond it moved back by 360°: a MultiPolygon within −180..180 whose parts meet at the antimeridian.
 */
export function splitAtAntimeridian(geometry: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when ST_XMax(${geometry}) <= 180 then ST_Multi(${geometry})
    else ST_Multi(ST_CollectionExtract(ST_WrapX(ST_Split(${geometry},
      ST_SetSRID(ST_MakeLine(ST_MakePoint(180, -90), ST_MakePoint(180, 90)), 4326)), 180, -360), 3)) end`;
}
