import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/schema.js';
import { forgetProfileGraphs } from '../../server/src/domain/travel-time/graph.js';
import { accessSecondsPerMetre } from '../../server/src/domain/travel-time/snapping.js';
import {
  activeNetworkOf,
  type EngineChoice,
  type TravelPoint,
  type TravelTimes,
  travelTimeMatrix,
} from '../../server/src/domain/travel-time/travelTimes.js';
import {
  defaultGrid,
  gridNode,
  gridPoint,
  insertRoadNetwork,
  writeRandomGrid,
} from '../../scripts/bench/travel-time/syntheticRoads.js';
import { createTestDatabase, databaseModes, type TestDatabase } from '../support/testDatabase.js';
import type { Kysely } from 'kysely';

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
const at = (node: number): TravelPoint => {
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

async function writeHandNetwork(db: Kysely<Database>, networkId: string): Promise<void> {
  await db
    .insertInto('road_node')
    .values(
      Array.from({ length: 11 }, (_, i) => ({
        network_id: networkId,
        id: i + 1,
        geom: sql<string>`ST_SetSRID(ST_MakePoint(${at(i + 1).lon}, ${at(i + 1).lat}), 4326)`,
      })),
    )
    .execute();
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

async function insertTestAlliance(db: Kysely<Database>, slug: string): Promise<string> {
  const row = await db
    .insertInto('alliance')
    .values({ slug, name: slug, country: 'FR', languages: ['fr'], timezone: 'Europe/Paris' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The answer as `from>to` → seconds. */
function pairsOf(times: TravelTimes): Map<string, number> {
  const pairs = new Map<string, number>();
  for (let k = 0; k < times.length; k++) pairs.set(`${times.from[k]}>${times.to[k]}`, times.seconds[k]!);
  return pairs;
}

const far: TravelPoint = { lon: 3.0, lat: 45.0 };

describe.each(databaseModes())('travel times (%s database)', (mode) => {
  let database: TestDatabase;
  let allianceId: string;
  let networkId: string;
  const engines: EngineChoice[] = mode === 'server' ? ['typescript', 'pgrouting'] : ['typescript'];

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    allianceId = await insertTestAlliance(database.db, 'roads');
    networkId = await insertRoadNetwork(database.db, allianceId);
    await writeHandNetwork(database.db, networkId);
  }, 60_000);
  afterAll(async () => {
    forgetProfileGraphs();
    await database?.dispose();
  });

  const matrix = (engine: EngineChoice, request: Partial<Parameters<typeof travelTimeMatrix>[1]>) =>
    travelTimeMatrix(
      database,
      { networkId, profile: 'drive', from: [], to: [], limitSeconds: 3600, ...request },
      engine,
    );

  it('finds the active network of an alliance, and none for another', async () => {
    expect(await activeNetworkOf(database.db, allianceId)).toMatchObject({
      id: networkId,
      sourceName: 'synthetic.osm.pbf',
    });
    const other = await insertTestAlliance(database.db, 'no-roads');
    expect(await activeNetworkOf(database.db, other)).toBeNull();
  });

  it.each(engines)('gives the driving times computed by hand, within the limit included (%s)', async (engine) => {
    const times = await matrix(engine, {
      from: [at(1), at(2), at(6), far],
      to: [at(2), at(1), at(6), at(5), at(10)],
      limitSeconds: 160,
    });
    expect(times.engine).toBe(engine);
    expect(times.offNetworkFrom).toEqual([3]);
    expect(times.offNetworkTo).toEqual([4]);
    expect(Object.fromEntries(pairsOf(times))).toEqual({
      '0>0': 60,
      '0>1': 0,
      '0>2': 160, // the ferry, exactly at the limit
      '0>3': 120,
      '1>0': 0,
      '1>2': 120,
      '1>3': 60,
      '2>0': 120,
      '2>1': 160,
      '2>2': 0,
    });
    const below = pairsOf(await matrix(engine, { from: [at(1), at(6)], to: [at(6), at(1)], limitSeconds: 159.9 }));
    expect(below.has('0>0')).toBe(false);
    expect(below.has('1>1')).toBe(false);
  });

  it.each(engines)('goes one way along a one-way street, round it the other way (%s)', async (engine) => {
    const there = pairsOf(await matrix(engine, { from: [at(1)], to: [at(2)] }));
    const back = pairsOf(await matrix(engine, { from: [at(2)], to: [at(1)] }));
    expect(there.get('0>0')).toBe(60);
    expect(back.get('0>0')).toBe(180);
    const walkingBack = pairsOf(await matrix(engine, { profile: 'walk', from: [at(2)], to: [at(1)] }));
    expect(walkingBack.get('0>0')).toBe(60);
  });

  it.each(engines)('keeps cars out of a barrier that walkers pass, and off a footpath (%s)', async (engine) => {
    const driving = await matrix(engine, { from: [at(6), at(10)], to: [at(5), at(11)] });
    expect(Object.fromEntries(pairsOf(driving))).toEqual({ '0>0': 180 });
    expect(driving.offNetworkFrom).toEqual([1]);
    expect(driving.offNetworkTo).toEqual([1]);
    const walking = await matrix(engine, { profile: 'walk', from: [at(6), at(10)], to: [at(5), at(11)] });
    expect(Object.fromEntries(pairsOf(walking))).toEqual({ '0>0': 60, '1>1': 60 });
    expect(walking.offNetworkFrom).toEqual([]);
  });

  it.each(engines)('walks the access leg to and from the network at 5 km/h (%s)', async (engine) => {
    const near = { lon: at(7).lon, lat: at(7).lat + 0.0009 };
    const { rows } = await sql<{ metres: number }>`
      select ST_Distance(ST_SetSRID(ST_MakePoint(${near.lon}, ${near.lat}), 4326)::geography,
        ST_SetSRID(ST_MakePoint(${at(7).lon}, ${at(7).lat}), 4326)::geography) as metres`.execute(database.db);
    const leg = rows[0]!.metres * accessSecondsPerMetre;
    expect(leg).toBeGreaterThan(60);
    const times = pairsOf(await matrix(engine, { profile: 'walk', from: [near, at(8)], to: [at(8), near, near] }));
    expect(times.get('0>0')).toBeCloseTo(leg + 60, 9);
    expect(times.get('1>1')).toBeCloseTo(60 + leg, 9);
    expect(times.get('1>2')).toBeCloseTo(60 + leg, 9);
    expect(times.get('0>1')).toBeCloseTo(2 * leg, 9); // no shortcut through the air: to the node and back
  });

  it.each(engines)('answers nothing when nothing is on the network (%s)', async (engine) => {
    const times = await matrix(engine, { from: [far], to: [at(1)] });
    expect(times.length).toBe(0);
    expect(times.offNetworkFrom).toEqual([0]);
  });

  if (mode === 'server') {
    it('uses pgRouting by itself in server mode', async () => {
      expect((await matrix('auto', { from: [at(1)], to: [at(2)] })).engine).toBe('pgrouting');
    });

    it('gives the same times with pgRouting and the TypeScript engine on a 50,000-edge network', async () => {
      const grid = { ...defaultGrid, columns: 160, rows: 160, origin: { lon: 3.0, lat: 46.0 }, seed: 7 };
      const bigAlliance = await insertTestAlliance(database.db, 'big-roads');
      const bigNetwork = await insertRoadNetwork(database.db, bigAlliance);
      await writeRandomGrid(database.db, bigNetwork, grid);
      let state = 12345;
      const random = (n: number) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state % n;
      };
      const point = () => gridPoint(grid, random(grid.columns), random(grid.rows));
      const from = Array.from({ length: 60 }, point);
      const to = Array.from({ length: 25 }, point);
      for (const profile of ['drive', 'walk'] as const) {
        const request = { networkId: bigNetwork, profile, from, to, limitSeconds: profile === 'drive' ? 3600 : 18000 };
        const typescript = await travelTimeMatrix(database, request, 'typescript');
        const pgrouting = await travelTimeMatrix(database, request, 'pgrouting');
        expect(typescript.length).toBeGreaterThan(200);
        expect(typescript.length).toBeLessThan(60 * 25);
        const a = pairsOf(typescript);
        const b = pairsOf(pgrouting);
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [key, seconds] of a) expect(Math.abs(seconds - b.get(key)!), key).toBeLessThan(1e-6);
      }
      expect(gridNode(grid, 1, 1)).toBe(162);
    }, 120_000);
  }
});
