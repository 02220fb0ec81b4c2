import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetProfileGraphs } from '../../server/src/domain/travel-time/graph.js';
import { accessSecondsPerMetre, snapPoints, streetEnd } from '../../server/src/domain/travel-time/snapping.js';
import { type TravelPoint, travelTimeMatrix } from '../../server/src/domain/travel-time/travelTimes.js';
import { at, handNetworkDatabase } from '../support/handRoadNetwork.js';
import { databaseModes, type TestDatabase } from '../support/testDatabase.js';

describe('streetEnd', () => {
  const twoWay = { source: 1, target: 2, cost: 100, reverseCost: 100 };
  const oneWay = { source: 1, target: 2, cost: 100, reverseCost: -1 };

  it('goes to the nearer end of a two-way street, in either direction', () => {
    expect(streetEnd(twoWay, 0.25, 'leaving')).toEqual({ node: 1, seconds: 25 });
    expect(streetEnd(twoWay, 0.75, 'leaving')).toEqual({ node: 2, seconds: 25 });
    expect(streetEnd(twoWay, 0.25, 'arriving')).toEqual({ node: 1, seconds: 25 });
  });

  it('follows a one-way street: leaving toward its target, arriving from its source', () => {
    expect(streetEnd(oneWay, 0.25, 'leaving')).toEqual({ node: 2, seconds: 75 });
    expect(streetEnd(oneWay, 0.75, 'arriving')).toEqual({ node: 1, seconds: 75 });
  });

  it('is on the node at either end of a street, whichever way the street goes', () => {
    expect(streetEnd(oneWay, 0, 'leaving')).toEqual({ node: 1, seconds: 0 });
    expect(streetEnd(oneWay, 1, 'arriving')).toEqual({ node: 2, seconds: 0 });
  });

  it('finds no end on a street the profile may not take', () => {
    expect(streetEnd({ ...twoWay, cost: -1, reverseCost: -1 }, 0.5, 'leaving')).toBeNull();
  });
});

/**
 * The hand network (tests/support/handRoadNetwork.ts): streets of 60 s each way, about 160 m (east–west) or 220 m
 * (north–south) long; edge 1 (node 1 → node 2, along the south side) is one-way for cars.
 */
describe.each(databaseModes())('joining the network along a street (%s database)', (mode) => {
  let database: TestDatabase;
  let networkId: string;

  beforeAll(async () => {
    ({ database, networkId } = await handNetworkDatabase(mode, 'snapping'));
  }, 60_000);
  afterAll(async () => {
    forgetProfileGraphs();
    await database?.dispose();
  });

  /** Metres on the spheroid from a point to another. */
  async function metresBetween(a: TravelPoint, b: TravelPoint): Promise<number> {
    const { rows } = await sql<{ metres: number }>`
      select ST_Distance(ST_SetSRID(ST_MakePoint(${a.lon}, ${a.lat}), 4326)::geography,
        ST_SetSRID(ST_MakePoint(${b.lon}, ${b.lat}), 4326)::geography) as metres`.execute(database.db);
    return rows[0]!.metres;
  }

  // A quarter of the way along edge 1 (node 1 → node 2), 50 m south of it: outside the grid.
  const beside = { lon: at(1).lon + 0.25 * (at(2).lon - at(1).lon), lat: at(1).lat - 0.00045 };
  const foot = { lon: beside.lon, lat: at(1).lat };

  it('walks to the nearest point of the nearest street, then along it to an end', async () => {
    const leg = (await metresBetween(beside, foot)) * accessSecondsPerMetre;
    expect(leg).toBeGreaterThan(30);
    // On foot, the nearer end (node 1, 15 s along the street) either way.
    const walking = await snapPoints(database.db, mode, networkId, 'walk', [beside]);
    expect(walking.nodes[0]).toBe(1);
    expect(walking.edges[0]).toBe(1);
    expect(walking.fractions[0]).toBeCloseTo(0.25, 9);
    expect(walking.accessSeconds[0]).toBeCloseTo(leg + 15, 6);
    // By car, the one-way street is driven to node 2 when leaving (45 s), from node 1 when arriving (15 s).
    const leaving = await snapPoints(database.db, mode, networkId, 'drive', [beside]);
    expect([leaving.nodes[0], leaving.accessSeconds[0]]).toEqual([2, expect.closeTo(leg + 45, 6)]);
    const arriving = await snapPoints(database.db, mode, networkId, 'drive', [beside], undefined, 'arriving');
    expect([arriving.nodes[0], arriving.accessSeconds[0]]).toEqual([1, expect.closeTo(leg + 15, 6)]);
  });

  it('gives door-to-door times through the street joined, one-way streets included', async () => {
    const leg = (await metresBetween(beside, foot)) * accessSecondsPerMetre;
    const times = await travelTimeMatrix(database, {
      networkId,
      profile: 'drive',
      from: [beside, at(2)],
      to: [at(5), beside],
      limitSeconds: 3600,
    });
    const pairs = new Map<string, number>();
    for (let k = 0; k < times.length; k++) pairs.set(`${times.from[k]}>${times.to[k]}`, times.seconds[k]!);
    // Leaving by car: 45 s along the one-way street to node 2, then 2 → 5 (60 s).
    expect(pairs.get('0>0')).toBeCloseTo(leg + 45 + 60, 6);
    // From node 2 to the point: round to node 1 (2 → 5 → 4 → 1, 180 s), then 15 s along the street.
    expect(pairs.get('1>1')).toBeCloseTo(180 + 15 + leg, 6);
  });

  it('is off the network beyond 1 km of every street, and counts the way along the street within it', async () => {
    // 900 m south of the middle of edge 2 (node 2 – node 3): on the network; 1,200 m south: off it.
    const middle = { lon: (at(2).lon + at(3).lon) / 2, lat: at(2).lat };
    const near = { lon: middle.lon, lat: middle.lat - 900 / 111_150 };
    const tooFar = { lon: middle.lon, lat: middle.lat - 1200 / 111_150 };
    const snapped = await snapPoints(database.db, mode, networkId, 'walk', [near, tooFar]);
    expect(snapped.nodes[0]).toBeGreaterThan(0);
    expect(snapped.accessMetres[0]).toBeCloseTo(await metresBetween(near, middle), 3);
    expect(snapped.accessSeconds[0]).toBeCloseTo(snapped.accessMetres[0]! * accessSecondsPerMetre + 30, 6);
    expect(snapped.nodes[1]).toBe(0);
  });

  it('joins no ferry midway', async () => {
    // Beside the ferry's line (node 1 → node 9), nearer it than any street: joined to a street instead.
    const onWater = { lon: (at(1).lon + at(5).lon) / 2 + 0.0001, lat: (at(1).lat + at(5).lat) / 2 };
    const snapped = await snapPoints(database.db, mode, networkId, 'walk', [onWater]);
    expect(snapped.edges[0]).not.toBe(13);
    expect(snapped.edges[0]).toBeGreaterThan(0);
  });
});
