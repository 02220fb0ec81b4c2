import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { defaultSpeeds } from '../../server/src/domain/road-network/profiles.js';
import { createAllianceOverBox } from '../support/alliances.js';
import { multipart } from '../support/importRecords.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/osm');
const fixture = (name: string) => fs.readFile(path.join(fixtureDir, name));

/** The tiny town's boundary: about 10 × 7 km around it. Far Away Road (6° W) is 145 km east of it. */
const townBox = [-8.25, 53.6, -8.1, 53.66] as const;

interface EdgeRow {
  id: string;
  source: string;
  target: string;
  highway: string;
  length_m: number;
  geodesic_m: number;
  maxspeed_kmh: number | null;
  duration_s: number | null;
  walk_forward: boolean;
  walk_backward: boolean;
  bike_forward: boolean;
  bike_backward: boolean;
  drive_forward: boolean;
  drive_backward: boolean;
  walk_cost: number;
  walk_reverse_cost: number;
  bike_cost: number;
  bike_reverse_cost: number;
  drive_cost: number;
  drive_reverse_cost: number;
  start_lon: number;
  start_lat: number;
}

describe.each(databaseModes())('road networks (%s database)', (mode) => {
  const context = useTestApp(mode);
  const db = () => context.database.db;
  let slugCount = 0;

  async function newAlliance(): Promise<string> {
    const slug = `town-${++slugCount}`;
    await createAllianceOverBox(context.app, adminHeaders, slug, townBox, {
      country: 'IE',
      timezone: 'Europe/Dublin',
      languages: ['en'],
    });
    return slug;
  }

  const upload = (slug: string, name: string, content: Buffer | string) => {
    const body = multipart([{ name, content }]);
    return context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/road-networks`,
      payload: body.payload,
      headers: { ...adminHeaders, ...body.headers },
    });
  };

  async function waitForNetwork(slug: string, id: string) {
    await context.app.backgroundTasksSettled();
    const answer = await context.app.inject({ url: `/api/alliances/${slug}/road-networks/${id}` });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  }

  async function importFile(slug: string, name: string, content: Buffer | string) {
    const started = await upload(slug, name, content);
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().status).toBe('importing');
    return waitForNetwork(slug, started.json().id);
  }

  async function edgesOf(networkId: string): Promise<EdgeRow[]> {
    const result = await sql<EdgeRow>`
      select id, source, target, highway, length_m, ST_Length(geom::geography) as geodesic_m, maxspeed_kmh,
             duration_s, walk_forward, walk_backward, bike_forward, bike_backward, drive_forward, drive_backward,
             walk_cost, walk_reverse_cost, bike_cost, bike_reverse_cost, drive_cost, drive_reverse_cost,
             ST_X(ST_StartPoint(geom)) as start_lon, ST_Y(ST_StartPoint(geom)) as start_lat
      from road_edge where network_id = ${networkId} order by id`.execute(db());
    return result.rows.map((row) => ({
      ...row,
      id: String(row.id),
      source: String(row.source),
      target: String(row.target),
    }));
  }

  const flags = (edge: EdgeRow) =>
    [
      edge.walk_forward && 'walk→',
      edge.walk_backward && 'walk←',
      edge.bike_forward && 'bike→',
      edge.bike_backward && 'bike←',
      edge.drive_forward && 'drive→',
      edge.drive_backward && 'drive←',
    ]
      .filter(Boolean)
      .join(' ');

  /**
   * What the tiny town becomes, written by hand from tiny-town.osm. Ways in file order, split at shared nodes and
   * the bollard: Main Street 1-2-3 (primary, maxspeed 50) → edges 1 (1→2) and 2 (2→3); Church Lane 3→4 (one-way,
   * 15 mph) → 3; Bollard Lane 4-7-5 (bollard at 7) → 4 and 5, closed to cars; the footway 5→2 → 6; the motorway
   * 9-8-1 (8 is used by nothing else) → 7, implied one-way; the ferry 3→10 (20 minutes, motor_vehicle=yes) → 8; the
   * steps 5→12 → 9. Not kept: the private service road (nobody may use it), Far Away Road (outside the margin), the
   * building and the proposed road. Nodes are numbered as edges first reach them: 1, 2, 3, 4, 7, 5, 9, 10, 12.
   */
  function expectTinyTown(edges: EdgeRow[]) {
    expect(edges.map((edge) => `${edge.id}:${edge.source}→${edge.target} ${edge.highway} ${flags(edge)}`)).toEqual([
      '1:1→2 primary walk→ walk← bike→ bike← drive→ drive←',
      '2:2→3 primary walk→ walk← bike→ bike← drive→ drive←',
      '3:3→4 residential walk→ walk← bike→ drive→',
      '4:4→5 residential walk→ walk← bike→ bike←',
      '5:5→6 residential walk→ walk← bike→ bike←',
      '6:6→2 footway walk→ walk← bike→ bike←',
      '7:7→1 motorway drive→',
      '8:3→8 ferry walk→ walk← bike→ bike← drive→ drive←',
      '9:6→9 steps walk→ walk←',
    ]);
    for (const edge of edges) expect(edge.length_m).toBeCloseTo(edge.geodesic_m, 2);
    // 0.001° of longitude at 53.63° N on the WGS 84 ellipsoid: 66.16 m; 0.001° of latitude: 111.30 m.
    expect(edges[0]!.length_m).toBeCloseTo(66.16, 1);
    expect(edges[2]!.length_m).toBeCloseTo(111.3, 1);
    const [main, , church, bollard, , footway, motorway, ferry, steps] = edges as [
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
      EdgeRow,
    ];
    // Main Street: primary (80 km/h) capped by maxspeed 50; walking 5, cycling 15 km/h.
    expect(main.maxspeed_kmh).toBe(50);
    expect(main.drive_cost).toBeCloseTo(main.length_m / (50 / 3.6), 6);
    expect(main.drive_reverse_cost).toBeCloseTo(main.length_m / (50 / 3.6), 6);
    expect(main.walk_cost).toBeCloseTo(main.length_m / (5 / 3.6), 6);
    expect(main.bike_cost).toBeCloseTo(main.length_m / (15 / 3.6), 6);
    // Church Lane: one-way for cars and bicycles, 15 mph (24.14 km/h) below residential's 30.
    expect(church.maxspeed_kmh).toBeCloseTo(24.140_16, 4);
    expect(church.drive_cost).toBeCloseTo(church.length_m / ((15 * 1.609_344) / 3.6), 6);
    expect(church.drive_reverse_cost).toBe(-1);
    expect(church.bike_reverse_cost).toBe(-1);
    expect(church.walk_reverse_cost).toBeCloseTo(church.length_m / (5 / 3.6), 6);
    // The bollard closes Bollard Lane to cars on both sides of it.
    expect([bollard.drive_cost, bollard.drive_reverse_cost]).toEqual([-1, -1]);
    expect(bollard.bike_cost).toBeCloseTo(bollard.length_m / (15 / 3.6), 6);
    // A footway: a bicycle is pushed (5 km/h).
    expect(footway.bike_cost).toBeCloseTo(footway.length_m / (5 / 3.6), 6);
    expect(footway.drive_cost).toBe(-1);
    // The motorway at 110 km/h, one way, from node 9 to node 1.
    expect(motorway.drive_cost).toBeCloseTo(motorway.length_m / (110 / 3.6), 6);
    expect([motorway.drive_reverse_cost, motorway.walk_cost, motorway.bike_cost]).toEqual([-1, -1, -1]);
    expect([motorway.start_lon, motorway.start_lat]).toEqual([-8.2, 53.628]);
    // The ferry takes 20 minutes whoever is on it, whatever its length.
    expect(ferry.duration_s).toBe(1200);
    for (const cost of [
      ferry.walk_cost,
      ferry.walk_reverse_cost,
      ferry.bike_cost,
      ferry.bike_reverse_cost,
      ferry.drive_cost,
      ferry.drive_reverse_cost,
    ]) {
      expect(cost).toBe(1200);
    }
    expect([steps.bike_cost, steps.drive_cost]).toEqual([-1, -1]);
  }

  it('imports the tiny town from OSM XML: nodes, edges, directions and costs as written by hand', async () => {
    const slug = await newAlliance();
    const network = await importFile(slug, 'tiny-town.osm', await fixture('tiny-town.osm'));
    expect(network).toMatchObject({
      status: 'active',
      progress: 1,
      stageCode: 'done',
      sourceName: 'tiny-town.osm',
      waysRead: 8,
      nodeCount: 9,
      edgeCount: 9,
      marginM: 30_000,
      error: null,
      importedBy: null,
    });
    expect(network.importedAt).not.toBeNull();
    expect(network.speeds).toEqual(defaultSpeeds());
    expectTinyTown(await edgesOf(network.id));
    const nodes = await sql<{ id: string; lon: number; lat: number }>`
      select id, ST_X(geom) as lon, ST_Y(geom) as lat from road_node where network_id = ${network.id} order by id`.execute(
      db(),
    );
    expect(nodes.rows.map((node) => [Number(node.id), node.lon, node.lat])).toEqual([
      [1, -8.19, 53.63],
      [2, -8.189, 53.63],
      [3, -8.188, 53.63],
      [4, -8.188, 53.631],
      [5, -8.1885, 53.631],
      [6, -8.189, 53.631],
      [7, -8.2, 53.628],
      [8, -8.15, 53.64],
      [9, -8.189, 53.632],
    ]);
  });

  it('imports the same town from .osm.pbf, replacing the active network at the end', async () => {
    const slug = await newAlliance();
    const first = await importFile(slug, 'tiny-town.osm', await fixture('tiny-town.osm'));
    const second = await importFile(slug, 'tiny-town.osm.pbf', await fixture('tiny-town.osm.pbf'));
    expect(second).toMatchObject({ status: 'active', nodeCount: 9, edgeCount: 9, waysRead: 8 });
    expectTinyTown(await edgesOf(second.id));
    const list = (await context.app.inject({ url: `/api/alliances/${slug}/road-networks` })).json();
    expect(list.networks.map((network: { id: string; status: string }) => [network.id, network.status])).toEqual([
      [second.id, 'active'],
      [first.id, 'replaced'],
    ]);
    expect(list.defaultSpeeds.drive.motorway).toBe(110);
    // The replaced network's rows are gone.
    expect(await edgesOf(first.id)).toEqual([]);
  });

  it('changes the speeds and recomputes every cost in one go; refuses speeds out of range', async () => {
    const slug = await newAlliance();
    const network = await importFile(slug, 'tiny-town.osm.pbf', await fixture('tiny-town.osm.pbf'));
    const speeds = defaultSpeeds();
    speeds.walk.primary = 4;
    speeds.drive.primary = 40;
    speeds.drive.motorway = 100;
    const changed = await context.app.inject({
      method: 'PUT',
      url: `/api/alliances/${slug}/road-networks/${network.id}/speeds`,
      headers: adminHeaders,
      payload: speeds,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().speeds.drive.primary).toBe(40);
    const [main, , , , , , motorway, ferry] = await edgesOf(network.id);
    // 40 km/h is now below Main Street's limit of 50.
    expect(main!.drive_cost).toBeCloseTo(main!.length_m / (40 / 3.6), 6);
    expect(main!.walk_cost).toBeCloseTo(main!.length_m / (4 / 3.6), 6);
    expect(motorway!.drive_cost).toBeCloseTo(motorway!.length_m / (100 / 3.6), 6);
    expect(motorway!.drive_reverse_cost).toBe(-1);
    expect(ferry!.drive_cost).toBe(1200);

    const tooFast = { ...speeds, drive: { ...speeds.drive, motorway: 500 } };
    const refused = await context.app.inject({
      method: 'PUT',
      url: `/api/alliances/${slug}/road-networks/${network.id}/speeds`,
      headers: adminHeaders,
      payload: tooFast,
    });
    expect(refused.statusCode).toBe(400);
    const missing = { walk: speeds.walk, bike: speeds.bike };
    expect(
      (
        await context.app.inject({
          method: 'PUT',
          url: `/api/alliances/${slug}/road-networks/${network.id}/speeds`,
          headers: adminHeaders,
          payload: missing,
        })
      ).statusCode,
    ).toBe(400);
    // Unchanged by the refusals.
    expect((await edgesOf(network.id))[6]!.drive_cost).toBeCloseTo(motorway!.drive_cost, 9);
    // Not signed in.
    expect(
      (
        await context.app.inject({
          method: 'PUT',
          url: `/api/alliances/${slug}/road-networks/${network.id}/speeds`,
          payload: speeds,
        })
      ).statusCode,
    ).toBe(401);
  });

  it('removes a network with its nodes and edges', async () => {
    const slug = await newAlliance();
    const network = await importFile(slug, 'tiny-town.osm', await fixture('tiny-town.osm'));
    const removed = await context.app.inject({
      method: 'DELETE',
      url: `/api/alliances/${slug}/road-networks/${network.id}`,
      headers: adminHeaders,
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await edgesOf(network.id)).toEqual([]);
    const nodes = await db().selectFrom('road_node').select('id').where('network_id', '=', network.id).execute();
    expect(nodes).toEqual([]);
    const list = (await context.app.inject({ url: `/api/alliances/${slug}/road-networks` })).json();
    expect(list.networks).toEqual([]);
    const again = await context.app.inject({
      method: 'DELETE',
      url: `/api/alliances/${slug}/road-networks/${network.id}`,
      headers: adminHeaders,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('not-found.road-network');
  });

  it('refuses files that are not OSM at once, with a clear code', async () => {
    const slug = await newAlliance();
    const cases: Array<[string, Buffer | string, string]> = [
      ['notes.txt', 'just some text\n', 'road-network.not-osm'],
      ['nul.osm', Buffer.from('<?xml version="1.0"?>\u0000<osm></osm>'), 'road-network.not-osm'],
      ['empty.osm', '', 'road-network.empty-file'],
      ['extract.osm.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), 'road-network.compressed'],
    ];
    for (const [name, content, code] of cases) {
      const answer = await upload(slug, name, content);
      expect(answer.statusCode, `${name}: ${answer.body}`).toBe(400);
      expect(answer.json().code, name).toBe(code);
    }
    const list = (await context.app.inject({ url: `/api/alliances/${slug}/road-networks` })).json();
    expect(list.networks).toEqual([]);
  });

  it('fails an import of a bad file with a readable code and keeps nothing of it', async () => {
    const slug = await newAlliance();
    const pbf = await fixture('tiny-town.osm.pbf');
    const xml = (await fixture('tiny-town.osm')).toString('utf8');
    const farAway = xml.replaceAll('lon="-8.', 'lon="-2.');
    const cases: Array<[string, Buffer | string, string]> = [
      ['cut.osm.pbf', pbf.subarray(0, pbf.length - 100), 'road-network.corrupt-pbf'],
      ['cut.osm', xml.slice(0, xml.indexOf('<way id="103"')), 'road-network.bad-xml'],
      ['gpx.osm', '<?xml version="1.0"?><gpx><trk/></gpx>', 'road-network.not-osm'],
      ['buildings.osm', '<osm version="0.6"><node id="1" lat="53.63" lon="-8.19"/></osm>', 'road-network.no-roads'],
      ['elsewhere.osm', farAway, 'road-network.nothing-in-area'],
    ];
    for (const [name, content, code] of cases) {
      const network = await importFile(slug, name, content);
      expect(network.status, name).toBe('failed');
      expect(network.errorCode, name).toBe(code);
      expect(network.error, name).toContain(name);
      expect(await edgesOf(network.id)).toEqual([]);
    }
    const list = (await context.app.inject({ url: `/api/alliances/${slug}/road-networks` })).json();
    expect(list.networks.every((network: { status: string }) => network.status === 'failed')).toBe(true);
  });

  it('refuses a second import while one is under way, and an alliance without a boundary', async () => {
    const slug = await newAlliance();
    // An import under way (as the row an upload starts would be): the next one is refused.
    const allianceId = (
      await db().selectFrom('alliance').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
    ).id;
    const running = await db()
      .insertInto('road_network')
      .values({ alliance_id: allianceId, source_name: 'big.osm.pbf', speeds: JSON.stringify(defaultSpeeds()) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const second = await upload(slug, 'tiny-town.osm', await fixture('tiny-town.osm'));
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('road-network.import-running');
    // It cannot be removed while it runs either.
    const removing = await context.app.inject({
      method: 'DELETE',
      url: `/api/alliances/${slug}/road-networks/${running.id}`,
      headers: adminHeaders,
    });
    expect(removing.statusCode).toBe(409);
    await db().updateTable('road_network').set({ status: 'failed' }).where('id', '=', running.id).execute();
    expect((await upload(slug, 'tiny-town.osm', await fixture('tiny-town.osm'))).statusCode).toBe(202);
    await context.app.backgroundTasksSettled();

    const bare = await context.app.inject({
      method: 'POST',
      url: '/api/alliances',
      headers: adminHeaders,
      payload: {
        slug: 'no-boundary',
        name: 'No boundary',
        country: 'IE',
        timezone: 'Europe/Dublin',
        languages: ['en'],
      },
    });
    expect(bare.statusCode, bare.body).toBe(201);
    const refused = await upload('no-boundary', 'tiny-town.osm', await fixture('tiny-town.osm'));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('road-network.no-boundary');
  });

  it('writes its progress while it imports', async () => {
    const slug = await newAlliance();
    const started = await upload(slug, 'tiny-town.osm', await fixture('tiny-town.osm'));
    expect(started.json()).toMatchObject({ status: 'importing', progress: 0, stageCode: 'waiting' });
    const done = await waitForNetwork(slug, started.json().id);
    expect(done).toMatchObject({ status: 'active', progress: 1, stageCode: 'done' });
  });
});
