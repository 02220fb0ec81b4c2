import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetProfileGraphs, profileGraph } from '../../server/src/domain/travel-time/graph.js';
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
import { at, handNetworkDatabase, insertTestAlliance } from '../support/handRoadNetwork.js';
import { databaseModes, type TestDatabase } from '../support/testDatabase.js';

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
    ({ database, allianceId, networkId } = await handNetworkDatabase(mode, 'roads'));
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

  it('gives the same pairs searching from a few destinations first, snapping only the origins near their reach', async () => {
    const grid = { ...defaultGrid, columns: 60, rows: 60, origin: { lon: 4.0, lat: 46.0 }, seed: 3 };
    const gridAlliance = await insertTestAlliance(database.db, 'few-destinations');
    const gridNetwork = await insertRoadNetwork(database.db, gridAlliance);
    await writeRandomGrid(database.db, gridNetwork, grid);
    let state = 777;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const point = () => gridPoint(grid, random(grid.columns), random(grid.rows));
    // Origins over the whole grid, and two off it (5 km east): the full matrix reports them off the network.
    const offGrid = [gridPoint(grid, 100, 10), gridPoint(grid, 100, 40)];
    const from = [...Array.from({ length: 300 }, point), ...offGrid];
    const to = [gridPoint(grid, 20, 20), gridPoint(grid, 45, 30)];
    const request = { networkId: gridNetwork, profile: 'drive' as const, from, to, limitSeconds: 900 };
    const choices: EngineChoice[] =
      mode === 'server' ? ['typescript', 'pgrouting', 'auto', 'auto'] : ['typescript', 'auto'];
    const full = await travelTimeMatrix(database, request, 'typescript');
    expect(full.offNetworkFrom).toEqual([300, 301]);
    expect(full.length).toBeGreaterThan(20);
    expect(full.length).toBeLessThan(200); // the limit keeps most origins out of reach
    const engines: string[] = [];
    for (const [index, engine] of choices.entries()) {
      // The first 'auto' finds no graph in memory (the full matrix above built one).
      if (index === choices.indexOf('auto')) forgetProfileGraphs();
      const near = await travelTimeMatrix(database, { ...request, nearDestinationsOnly: true }, engine);
      engines.push(near.engine);
      const a = pairsOf(full);
      const b = pairsOf(near);
      expect([...b.keys()].sort(), engine).toEqual([...a.keys()].sort());
      for (const [key, seconds] of a) expect(Math.abs(seconds - b.get(key)!), key).toBeLessThan(1e-6);
      // The origins far from the destinations' reach were not looked at.
      expect(near.offNetworkFrom).toEqual([]);
      // With pgRouting by default, the graph is built meanwhile for the next request, which searches in memory.
      if (engine === 'auto') await profileGraph(database.db, mode, gridNetwork, 'drive');
    }
    expect(engines).toEqual(
      mode === 'server' ? ['typescript', 'pgrouting', 'pgrouting', 'typescript'] : ['typescript', 'typescript'],
    );
  }, 120_000);

  if (mode === 'server') {
    it('uses pgRouting by itself in server mode, and the graph in memory once it is built', async () => {
      forgetProfileGraphs();
      expect((await matrix('auto', { from: [at(1)], to: [at(2)] })).engine).toBe('pgrouting');
      await profileGraph(database.db, mode, networkId, 'drive');
      const inMemory = await matrix('auto', { from: [at(1)], to: [at(2)] });
      expect(inMemory.engine).toBe('typescript');
      expect(Object.fromEntries(pairsOf(inMemory))).toEqual({ '0>0': 60 });
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
