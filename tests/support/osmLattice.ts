/**
 * An OpenStreetMap extract written as OSM XML (API 0.6: `<osm>`, `<node id lat lon>`, `<way>` with `<nd ref>` and
 * `<tag k v>`), for walk-throughs that need a region-sized road network without a real extract on the machine:
 * a lattice of roads over a bounding box, every fourth row a primary road and every fourth column a secondary
 * road, the rest residential streets and tracks; one in ten residential streets is one-way.
 */
export interface LatticeOptions {
  west: number;
  south: number;
  east: number;
  north: number;
  /** Distance between neighbouring junctions, in degrees of latitude (longitude is scaled to keep squares). */
  stepDegrees: number;
}

export function latticeExtract(options: LatticeOptions): { xml: string; nodes: number; ways: number } {
  const { west, south, east, north, stepDegrees } = options;
  const latStep = stepDegrees;
  const lonStep = stepDegrees / Math.cos((((south + north) / 2) * Math.PI) / 180);
  const columns = Math.floor((east - west) / lonStep) + 1;
  const rows = Math.floor((north - south) / latStep) + 1;
  const nodeId = (column: number, row: number) => row * columns + column + 1;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="passerelle tests">'];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const lat = (south + row * latStep).toFixed(7);
      const lon = (west + column * lonStep).toFixed(7);
      lines.push(`  <node id="${nodeId(column, row)}" lat="${lat}" lon="${lon}" version="1"/>`);
    }
  }
  let wayId = 0;
  const way = (refs: number[], tags: Record<string, string>) => {
    lines.push(`  <way id="${++wayId}" version="1">`);
    for (const ref of refs) lines.push(`    <nd ref="${ref}"/>`);
    for (const [k, v] of Object.entries(tags)) lines.push(`    <tag k="${k}" v="${v}"/>`);
    lines.push('  </way>');
  };
  for (let row = 0; row < rows; row++) {
    const refs = Array.from({ length: columns }, (_, column) => nodeId(column, row));
    if (row % 4 === 0) way(refs, { highway: 'primary', name: `R${row}` });
    else if (row % 10 === 3) way(refs, { highway: 'residential', oneway: 'yes' });
    else way(refs, { highway: 'residential' });
  }
  for (let column = 0; column < columns; column++) {
    const refs = Array.from({ length: rows }, (_, row) => nodeId(column, row));
    way(refs, column % 4 === 0 ? { highway: 'secondary' } : { highway: 'track' });
  }
  lines.push('</osm>', '');
  return { xml: lines.join('\n'), nodes: rows * columns, ways: wayId };
}

/** The lattice's junction nearest a point: where a planned service is sure to be on the network. */
export function nearestJunction(
  options: LatticeOptions,
  point: { lon: number; lat: number },
): { lon: number; lat: number } {
  const { west, south, north, stepDegrees } = options;
  const lonStep = stepDegrees / Math.cos((((south + north) / 2) * Math.PI) / 180);
  const column = Math.round((point.lon - west) / lonStep);
  const row = Math.round((point.lat - south) / stepDegrees);
  return { lon: Number((west + column * lonStep).toFixed(7)), lat: Number((south + row * stepDegrees).toFixed(7)) };
}
