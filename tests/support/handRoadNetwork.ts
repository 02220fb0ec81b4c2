import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/src/db/schema.js';
import type { TravelPoint } from '../../server/src/domain/travel-time/travelTimes.js';
import { insertRoadNetwork } from '../../scripts/bench/travel-time/syntheticRoads.js';
import type { DatabaseMode } from '../../server/src/db/database.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

/** Writes a network's nodes: `id` and point each. */
export async function writeRoadNodes(
  db: Kysely<Database>,
  networkId: string,
  nodes: readonly { id: number; lon: number; lat: number }[],
): Promise<void> {
  await db
    .insertInto('road_node')
    .values(
      nodes.map((node) => ({
        network_id: networkId,
        id: node.id,
        geom: sql<string>`ST_SetSRID(ST_MakePoint(${node.lon}, ${node.lat}), 4326)`,
      })),
    )
    .execute();
}

/**
 * The hand network: a 3 × 3 grid, nodes numbered from the south-west corner, 0.002° apart, every street 60 s each
 * way for every profile, except
 *   - edge 1 (1 → 2) is one-way for driving (1 → 2 only);
 *   - edge 4 (5 – 6) has a barrier: driving may not take it, walking may;
 *   - edge 13 is a ferry from 1 to 9 (the far corner), 100 s each way;
 *   - nodes 10 and 11, 4 km east, are joined by a footpath (edge 14) that cars may not take.
 *
 *   7 — 8 — 9
 *   |   |   |         drive: 2 → 1 is 180 (2 → 5 → 4 → 1), 1 → 6 is 160 (the ferry, then 9 → 6),
 *   4 — 5 ⊘ 6                6 → 5 is 180 (round the barrier), 6 → 1 is 160 (9, then the ferry)
 *   |   |   |         walk:  6 → 5 is 60, 2 → 1 is 60
 *   1 → 2 — 3
 */
const spacing = 0.002;
const origin = { lon: 2.0, lat: 45.0 };
export const at = (node: number): TravelPoint => {
  if (node === 10) return { lon: 2.05, lat: 45.0 };
  if (node === 11) return { lon: 2.05, lat: 45.002 };
  const index = node - 1;
  return { lon: origin.lon + (index % 3) * spacing, lat: origin.lat + Math.floor(index / 3) * spacing };
};

interface HandEdge {
  id: number;
  source: number;
  target: number;
  walk?: [number, number];
  drive?: [number, number];
  highway?: string;
}
const handEdges: HandEdge[] = [
  { id: 1, source: 1, target: 2, drive: [60, -1] },
  { id: 2, source: 2, target: 3 },
  { id: 3, source: 4, target: 5 },
  { id: 4, source: 5, target: 6, drive: [-1, -1] },
  { id: 5, source: 7, target: 8 },
  { id: 6, source: 8, target: 9 },
  { id: 7, source: 1, target: 4 },
  { id: 8, source: 4, target: 7 },
  { id: 9, source: 2, target: 5 },
  { id: 10, source: 5, target: 8 },
  { id: 11, source: 3, target: 6 },
  { id: 12, source: 6, target: 9 },
  { id: 13, source: 1, target: 9, walk: [100, 100], drive: [100, 100], highway: 'ferry' },
  { id: 14, source: 10, target: 11, drive: [-1, -1], highway: 'footway' },
];

export async function writeHandNetwork(db: Kysely<Database>, networkId: string): Promise<void> {
  await writeRoadNodes(
    db,
    networkId,
    Array.from({ length: 11 }, (_, i) => ({ id: i + 1, ...at(i + 1) })),
  );
  await db
    .insertInto('road_edge')
    .values(
      handEdges.map((edge) => {
        const [walk, walkBack] = edge.walk ?? [60, 60];
        const [drive, driveBack] = edge.drive ?? [60, 60];
        const a = at(edge.source);
        const b = at(edge.target);
        return {
          network_id: networkId,
          id: edge.id,
          source: edge.source,
          target: edge.target,
          highway: edge.highway ?? 'residential',
          length_m: 150,
          maxspeed_kmh: null,
          duration_s: edge.highway === 'ferry' ? 100 : null,
          walk_forward: walk >= 0,
          walk_backward: walkBack >= 0,
          bike_forward: walk >= 0,
          bike_backward: walkBack >= 0,
          drive_forward: drive >= 0,
          drive_backward: driveBack >= 0,
          walk_cost: walk,
          walk_reverse_cost: walkBack,
          bike_cost: walk,
          bike_reverse_cost: walkBack,
          drive_cost: drive,
          drive_reverse_cost: driveBack,
          geom: sql<string>`ST_SetSRID(ST_MakeLine(ST_MakePoint(${a.lon}, ${a.lat}), ST_MakePoint(${b.lon}, ${b.lat})), 4326)`,
        };
      }),
    )
    .execute();
}

/** An alliance of its own for a network (the mini data's alliance is `testland`). */
export async function insertTestAlliance(db: Kysely<Database>, slug: string): Promise<string> {
  const row = await db
    .insertInto('alliance')
    .values({ slug, name: slug, country: 'FR', languages: ['fr'], timezone: 'Europe/Paris' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A network of one short road in the middle of Bordeaux (-0.58 → -0.57 at 44.84°N, 790 m, driven in a minute),
 * active for the alliance, as if imported from `bordeaux-centre.osm.pbf`: most of the region is off it.
 */
export async function writeBordeauxCentreRoad(db: Kysely<Database>, allianceId: string): Promise<string> {
  const networkId = await insertRoadNetwork(db, allianceId, {
    sourceName: 'bordeaux-centre.osm.pbf',
    importedAt: '2026-11-30T09:00:00Z',
  });
  await writeRoadNodes(db, networkId, [
    { id: 1, lon: -0.58, lat: 44.84 },
    { id: 2, lon: -0.57, lat: 44.84 },
  ]);
  await db
    .insertInto('road_edge')
    .values({
      network_id: networkId,
      id: 1,
      source: 1,
      target: 2,
      highway: 'primary',
      length_m: 790,
      maxspeed_kmh: null,
      duration_s: null,
      walk_forward: true,
      walk_backward: true,
      bike_forward: true,
      bike_backward: true,
      drive_forward: true,
      drive_backward: true,
      walk_cost: 570,
      walk_reverse_cost: 570,
      bike_cost: 190,
      bike_reverse_cost: 190,
      drive_cost: 60,
      drive_reverse_cost: 60,
      geom: sql<string>`ST_SetSRID(ST_MakeLine(ST_MakePoint(-0.58, 44.84), ST_MakePoint(-0.57, 44.84)), 4326)`,
    })
    .execute();
  return networkId;
}

/**
 * A driving-only network written by hand, active for the alliance as `hand.osm`: nodes numbered from 1 in the order
 * given, edges as [source, target, cost, reverse cost] in seconds (negative: not that way), 1 km of primary road each.
 */
export async function writeDrivingNetwork(
  db: Kysely<Database>,
  allianceId: string,
  nodes: readonly { lon: number; lat: number }[],
  edges: readonly [number, number, number, number][],
): Promise<string> {
  const networkId = await insertRoadNetwork(db, allianceId, {
    sourceName: 'hand.osm',
    importedAt: '2026-12-01T08:00:00Z',
  });
  await writeRoadNodes(
    db,
    networkId,
    nodes.map((node, index) => ({ id: index + 1, ...node })),
  );
  await db
    .insertInto('road_edge')
    .values(
      edges.map(([source, target, cost, reverse], index) => {
        const a = nodes[source - 1]!;
        const b = nodes[target - 1]!;
        return {
          network_id: networkId,
          id: index + 1,
          source,
          target,
          highway: 'primary',
          length_m: 1000,
          maxspeed_kmh: null,
          duration_s: null,
          walk_forward: false,
          walk_backward: false,
          bike_forward: false,
          bike_backward: false,
          drive_forward: cost >= 0,
          drive_backward: reverse >= 0,
          walk_cost: -1,
          walk_reverse_cost: -1,
          bike_cost: -1,
          bike_reverse_cost: -1,
          drive_cost: cost,
          drive_reverse_cost: reverse,
          geom: sql<string>`ST_SetSRID(ST_MakeLine(ST_MakePoint(${a.lon}, ${a.lat}), ST_MakePoint(${b.lon}, ${b.lat})), 4326)`,
        };
      }),
    )
    .execute();
  return networkId;
}

/** A fresh database whose alliance `slug` has the hand network as its road network: where the travel suites start. */
export async function handNetworkDatabase(
  mode: DatabaseMode,
  slug: string,
): Promise<{ database: TestDatabase; allianceId: string; networkId: string }> {
  const database = await createTestDatabase(mode);
  const allianceId = await insertTestAlliance(database.db, slug);
  const networkId = await insertRoadNetwork(database.db, allianceId);
  await writeHandNetwork(database.db, networkId);
  return { database, allianceId, networkId };
}
