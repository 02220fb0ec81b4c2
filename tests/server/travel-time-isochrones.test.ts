import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertRoadNetwork } from '../../scripts/bench/travel-time/syntheticRoads.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { at, writeHandNetwork } from '../support/handRoadNetwork.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

interface Answer {
  features: { geometry: unknown; properties: { minutes: number; population: number } }[];
  offNetwork: boolean;
  accessSeconds: number;
}

/**
 * The hand network of tests/support/handRoadNetwork.ts: on foot every street takes 60 s, so from node 5 (the
 * centre) nodes 2, 4, 6 and 8 are 1 minute away and the corners 1, 3, 7 and 9 are 2 minutes away.
 */
describe.each(databaseModes())('isochrones (%s database)', (mode) => {
  const context = useTestApp(mode);
  let member: TestActor;
  let outsider: TestActor;
  const db = () => context.database.db;

  const ask = (actor: TestActor | null, query: string) =>
    context.app.inject({
      method: 'GET',
      url: `/api/alliances/testland/isochrones?${query}`,
      headers: actor?.headers ?? {},
    });

  /** Whether a GeoJSON polygon of the answer covers a point, asked of PostGIS. */
  async function covers(geometry: unknown, point: { lon: number; lat: number }): Promise<boolean> {
    const { rows } = await sql<{ inside: boolean }>`
      select ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326),
        ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326)) as inside`.execute(db());
    return rows[0]!.inside;
  }

  beforeAll(async () => {
    member = await signedInAs(db(), 'member', 'testland');
    outsider = await signedInAs(db(), null, 'testland');
  });

  it('says the alliance has no road network before one is imported', async () => {
    const response = await ask(member, `lon=${at(5).lon}&lat=${at(5).lat}&profile=walk`);
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json().code).toBe('not-found.no-road-network');
  });

  it('is for members of the alliance', async () => {
    expect((await ask(null, `lon=${at(5).lon}&lat=${at(5).lat}&profile=walk`)).statusCode).toBe(401);
    expect((await ask(outsider, `lon=0&lat=0&profile=walk`)).statusCode).toBe(403);
  });

  it('covers the nodes reached within each limit and not those beyond, with the people inside', async () => {
    const alliance = await db()
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'testland')
      .executeTakeFirstOrThrow();
    const networkId = await insertRoadNetwork(db(), alliance.id);
    await writeHandNetwork(db(), networkId);
    // Without a population surface, the people are those of the populated places, and the answer says so.
    const withPlaces = await ask(member, `lon=${at(5).lon}&lat=${at(5).lat}&profile=walk&minutes=1`);
    expect(withPlaces.statusCode, withPlaces.body).toBe(200);
    expect(withPlaces.json().populationSource).toEqual({ kind: 'places' });
    // A population surface: 10 people at node 5, 20 at node 2, 400 at node 1 (a corner), 7,000 far away.
    const surface = await db()
      .insertInto('population_surface')
      .values({
        alliance_id: alliance.id,
        source_name: 'people.tif',
        format: 'geotiff',
        crs: 'EPSG:4326',
        margin_m: 0,
        status: 'active',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const cells = [
      { ...at(5), population: 10 },
      { ...at(2), population: 20 },
      { ...at(1), population: 400 },
      { lon: 2.3, lat: 45.3, population: 7000 },
    ];
    for (const cell of cells) {
      await sql`insert into population_cell (surface_id, geog, population)
        values (${surface.id}, ST_SetSRID(ST_MakePoint(${cell.lon}, ${cell.lat}), 4326)::geography, ${cell.population})`.execute(
        db(),
      );
    }

    const response = await ask(member, `lon=${at(5).lon}&lat=${at(5).lat}&profile=walk&minutes=2,1`);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as Answer;
    expect(answer.offNetwork).toBe(false);
    expect(answer.accessSeconds).toBeLessThan(1e-6);
    expect(response.json().populationSource).toEqual({ kind: 'surface', name: 'people.tif' });
    expect(answer.features.map((f) => f.properties)).toEqual([
      { minutes: 1, population: 30 },
      { minutes: 2, population: 430 },
    ]);
    const [one, two] = answer.features;
    for (const node of [5, 2, 4, 6, 8]) expect(await covers(one!.geometry, at(node)), `node ${node}`).toBe(true);
    for (const node of [1, 3, 7, 9, 10]) expect(await covers(one!.geometry, at(node)), `node ${node}`).toBe(false);
    for (const node of [1, 2, 3, 4, 5, 6, 7, 8, 9])
      expect(await covers(two!.geometry, at(node)), `node ${node}`).toBe(true);
    expect(await covers(two!.geometry, at(10))).toBe(false);

    // Driving from node 6: the barrier to 5 and the one-way 2 → 1 keep 5 and 1 beyond a minute; 9 and 3 are within.
    const driving = (await (
      await ask(member, `lon=${at(6).lon}&lat=${at(6).lat}&profile=drive&minutes=1`)
    ).json()) as Answer;
    const shape = driving.features[0]!.geometry;
    for (const node of [6, 3, 9]) expect(await covers(shape, at(node)), `node ${node}`).toBe(true);
    for (const node of [5, 1, 2]) expect(await covers(shape, at(node)), `node ${node}`).toBe(false);
  });

  it('draws the default 10, 20 and 30 minutes, where the whole grid and the ferry across it are reached', async () => {
    // The ferry crosses the grid diagonally: the buffer of the streets collected together once answered no row at
    // all in the embedded database.
    const response = await ask(member, `lon=${at(5).lon}&lat=${at(5).lat}&profile=walk`);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as Answer;
    expect(answer.features.map((f) => f.properties)).toEqual([
      { minutes: 10, population: 430 },
      { minutes: 20, population: 430 },
      { minutes: 30, population: 430 },
    ]);
    for (const feature of answer.features) {
      for (const node of [1, 3, 5, 7, 9]) expect(await covers(feature.geometry, at(node)), `node ${node}`).toBe(true);
      expect(await covers(feature.geometry, at(10))).toBe(false);
    }
  });

  it('says when the point is off the network, and refuses limits beyond two hours', async () => {
    const answer = (await (await ask(member, `lon=3&lat=45&profile=drive`)).json()) as Answer;
    expect(answer.offNetwork).toBe(true);
    expect(answer.features.map((f) => f.geometry)).toEqual([null, null, null]);
    expect((await ask(member, `lon=2&lat=45&profile=walk&minutes=121`)).statusCode).toBe(400);
    expect((await ask(member, `lon=2&lat=45&profile=fly`)).statusCode).toBe(400);
  });
});
