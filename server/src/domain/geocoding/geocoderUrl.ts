/** west, south, east, north in degrees (WGS84). */
export type BoundingBox = [number, number, number, number];

export interface GeocoderSearch {
  query: string;
  /** How many answers to ask for. */
  limit: number;
  /** The area to prefer, when the geocoder can be told. */
  bbox: BoundingBox | null;
}

const bboxPlaceholders = ['{bbox}', '{west}', '{south}', '{east}', '{north}'];

/**
 * The address to ask, from the operator's template: every query parameter may hold `{query}`, `{limit}`,
 * `{bbox}` (west,south,east,north) or one of `{west}`, `{south}`, `{east}`, `{north}`. A parameter naming the
 * box is left out when there is no box, so that the template also serves an alliance without a boundary.
 */
export function geocoderSearchUrl(template: string, search: GeocoderSearch): URL {
  const url = new URL(template);
  const [west, south, east, north] = search.bbox ?? [];
  const values: Record<string, string> = {
    '{query}': search.query,
    '{limit}': String(search.limit),
    '{bbox}': search.bbox ? search.bbox.join(',') : '',
    '{west}': String(west ?? ''),
    '{south}': String(south ?? ''),
    '{east}': String(east ?? ''),
    '{north}': String(north ?? ''),
  };
  const parameters = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    if (!search.bbox && bboxPlaceholders.some((placeholder) => value.includes(placeholder))) continue;
    parameters.append(
      key,
      value.replace(/\{(query|limit|bbox|west|south|east|north)\}/g, (found) => values[found]!),
    );
  }
  url.search = parameters.toString();
  return url;
}
