import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/schema.js';
import { changeAs } from '../../server/src/domain/history/actingAs.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/**
 * What the map table must hold, written here over the base tables without the migration's view or functions: one
 * row per service with a placed location, at the first one (by creation, then id), with its exact point and its
 * public point (a hidden address rounded to 0.01°), as longitude and latitude.
 */
async function expectedMapRows(db: Kysely<Database>) {
  const { rows } = await sql<Record<string, unknown>>`
    select distinct on (s.id) s.id as service_id, l.id as location_id, o.alliance_id,
           round(ST_X(l.geog::geometry)::numeric, 7)::float8 as lon, round(ST_Y(l.geog::geometry)::numeric, 7)::float8 as lat,
           round(ST_X(p.point)::numeric, 7)::float8 as public_lon, round(ST_Y(p.point)::numeric, 7)::float8 as public_lat,
           s.category, s.name, o.name as organization_name, l.city as town, l.precision, l.hide_address,
           s.verified_at, s.update_cycle_months, s.topics, s.languages
    from service s
    join organization o on o.id = s.organization_id
    join service_at_location sal on sal.service_id = s.id
    join location l on l.id = sal.location_id and l.geog is not null
    cross join lateral (select case when l.hide_address then ST_SnapToGrid(l.geog::geometry, 0.01)
                                    else l.geog::geometry end as point) p
    order by s.id, l.created_at, l.id`.execute(db);
  return rows;
}

/** The map table's rows, its tile-space points turned back into longitude and latitude. */
async function mapRows(db: Kysely<Database>) {
  const lon = (column: string) => sql`round((ST_X(${sql.ref(column)}) * 360 - 180)::numeric, 7)::float8`;
  const lat = (column: string) =>
    sql`round(degrees(atan(sinh(pi() * (1 - 2 * ST_Y(${sql.ref(column)})))))::numeric, 7)::float8`;
  const { rows } = await sql<Record<string, unknown>>`
    select service_id, location_id, alliance_id, ${lon('exact_point')} as lon, ${lat('exact_point')} as lat,
           ${lon('public_point')} as public_lon, ${lat('public_point')} as public_lat,
           category, name, organization_name, town, precision, hide_address, verified_at, update_cycle_months,
           topics, languages
    from service_map order by service_id`.execute(db);
  return rows;
}

/** The tile holding a point at zoom z, and the point's pixel in it (extent 4096), by the Web Mercator formula. */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const fx = ((lon + 180) / 360) * n;
  const latRad = (lat * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n;
  const x = Math.floor(fx);
  const y = Math.floor(fy);
  return { z, x, y, px: Math.floor((fx - x) * 4096), py: Math.floor((fy - y) * 4096) };
}

type Feature = Record<string, unknown> & { px: number; py: number };

function decode(body: Buffer): Feature[] {
  if (body.length === 0) return [];
  const layer = new VectorTile(new PbfReader(body)).layers.services;
  if (!layer) return [];
  return Array.from({ length: layer.length }, (_, i) => {
    const feature = layer.feature(i);
    const point = feature.loadGeometry()[0]![0]!;
    return { ...feature.properties, px: point.x, py: point.y };
  });
}

const byId = (a: Feature, b: Feature) => String(a.id).localeCompare(String(b.id));

/** A quiet corner of the test alliance, away from the demo data: Nantes. */
const here = { lat: 47.2184, lon: -1.5536 };
const zoom = 14;

describe.each(databaseModes())('the map table (%s database)', (mode) => {
  const context = useTestApp(mode);
  let editor: TestActor;
  let outsider: TestActor;
  let counter = 0;
  const db = () => context.database.db;
  const tile = tileOf(here.lat, here.lon, zoom);

  async function ok(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, status = 200) {
    const response = await context.app.inject({ method, url, payload, headers: editor.headers });
    expect(response.statusCode, response.body).toBe(status);
    return response.statusCode === 204 ? null : response.json();
  }

  async function expectMapTrue() {
    const rows = await mapRows(db());
    expect(rows).toEqual(await expectedMapRows(db()));
    return rows;
  }

  /** The tile as a reader gets it, and its ETag. */
  async function tileFor(reader: TestActor | undefined, query = 'alliance=testland') {
    const response = await context.app.inject({
      url: `/api/tiles/services/${tile.z}/${tile.x}/${tile.y}.mvt?${query}`,
      headers: reader?.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return { features: decode(response.rawPayload).sort(byId), etag: String(response.headers.etag) };
  }

  /** What the tile must hold for a reader: the reader's GeoJSON's services whose point falls in the tile. */
  async function expectedTile(reader: TestActor | undefined, query = 'alliance=testland') {
    const response = await context.app.inject({ url: `/api/services.geojson?${query}`, headers: reader?.headers });
    expect(response.statusCode, response.body).toBe(200);
    const features: Feature[] = [];
    for (const { geometry, properties } of response.json().features) {
      const [lon, lat] = geometry.coordinates as [number, number];
      const at = tileOf(lat, lon, zoom);
      if (at.x !== tile.x || at.y !== tile.y) continue;
      const { dueOn: _due, verifiedAt: _verified, town, ...shown } = properties;
      features.push({ ...shown, ...(town === null ? {} : { town }), px: at.px, py: at.py });
    }
    return features.sort(byId);
  }

  /** The tile equals the GeoJSON for the anonymous public, a member of another alliance, and a member. */
  async function expectTilesTrue() {
    const tags: string[] = [];
    for (const reader of [undefined, outsider, editor]) {
      for (const query of ['alliance=testland', '']) {
        const got = await tileFor(reader, query);
        const expected = await expectedTile(reader, query);
        const shown = (features: Feature[]) => features.map(({ px: _x, py: _y, ...rest }) => rest);
        expect(shown(got.features)).toEqual(shown(expected));
        got.features.forEach((feature, i) => {
          expect(Math.abs(feature.px - expected[i]!.px)).toBeLessThanOrEqual(1);
          expect(Math.abs(feature.py - expected[i]!.py)).toBeLessThanOrEqual(1);
        });
        tags.push(got.etag);
      }
    }
    return { anonymous: await tileFor(undefined), member: await tileFor(editor), tags };
  }

  async function newOrganization(point = here) {
    counter += 1;
    return ok(
      'POST',
      '/api/organizations',
      {
        alliance: 'testland',
        name: `Map organisation ${counter}`,
        location: { lat: point.lat, lon: point.lon, town: 'Nantes', address: `${counter} quai de la Fosse` },
      },
      201,
    );
  }

  beforeAll(async () => {
    editor = await signedInAs(db(), 'editor', 'testland');
    await sql`
      insert into alliance (slug, name, country, timezone, languages, boundary)
      select 'otherland', 'Otherland', country, timezone, languages, boundary from alliance where slug = 'testland'`.execute(
      db(),
    );
    outsider = await signedInAs(db(), 'member', 'otherland');
  });

  it('is filled from the demo data', async () => {
    expect((await expectMapTrue()).length).toBeGreaterThan(0);
  });

  it('follows a service created, renamed, checked, closed, hidden, moved and deleted: the tile and its ETag change', async () => {
    const before = await expectTilesTrue();
    const org = await newOrganization();
    const locationId = org.locations[0].id as string;
    const created = await ok(
      'POST',
      '/api/services',
      { organizationId: org.id, name: 'Mapped desk', category: 'social_action', locationIds: [locationId] },
      201,
    );
    await expectMapTrue();
    const made = await expectTilesTrue();
    expect(made.anonymous.features.map((f) => f.id)).toContain(created.id);
    expect(made.anonymous.features.find((f) => f.id === created.id)).toMatchObject({
      name: 'Mapped desk',
      age: 'never',
    });
    expect(made.anonymous.etag).not.toBe(before.anonymous.etag);

    const renamed = await ok('PATCH', `/api/services/${created.id}`, {
      version: created.version,
      name: 'Mapped desk, renamed',
      category: 'professional_integration',
    });
    await expectMapTrue();
    const afterRename = await expectTilesTrue();
    expect(afterRename.anonymous.features.find((f) => f.id === created.id)).toMatchObject({
      name: 'Mapped desk, renamed',
      category: 'professional_integration',
    });
    expect(afterRename.anonymous.etag).not.toBe(made.anonymous.etag);

    await ok('POST', `/api/services/${created.id}/verify`, { version: renamed.version });
    await expectMapTrue();
    const checked = await expectTilesTrue();
    expect(checked.anonymous.features.find((f) => f.id === created.id)).toMatchObject({ age: 'fresh' });
    expect(checked.anonymous.etag).not.toBe(afterRename.anonymous.etag);

    // Closed (inactive): the workspace map still shows it, as the GeoJSON does; the ETag changes.
    const current = await ok('GET', `/api/services/${created.id}`);
    await ok('PATCH', `/api/services/${created.id}`, { version: current.version, status: 'inactive' });
    await expectMapTrue();
    const closed = await expectTilesTrue();
    expect(closed.anonymous.etag).not.toBe(checked.anonymous.etag);

    // Its address hidden: the public sees it at its rounded point, at town precision; its members at its door.
    const placeVersion = async () =>
      (await ok('GET', `/api/organizations/${org.id}`)).locations.find((l: { id: string }) => l.id === locationId)
        .version;
    await ok('PATCH', `/api/locations/${locationId}`, { version: await placeVersion(), hideAddress: true });
    await expectMapTrue();
    const hidden = await expectTilesTrue();
    expect(hidden.member.features.find((f) => f.id === created.id)).toMatchObject({ precision: 'exact' });
    const rounded = hidden.anonymous.features.find((f) => f.id === created.id);
    if (rounded) expect(rounded).toMatchObject({ precision: 'town' });
    expect(hidden.anonymous.features.some((f) => f.id === created.id && f.precision === 'exact')).toBe(false);
    expect(hidden.anonymous.etag).not.toBe(closed.anonymous.etag);

    // Moved out of the tile.
    await ok('PATCH', `/api/locations/${locationId}`, {
      version: await placeVersion(),
      lat: here.lat + 0.2,
      lon: here.lon,
      hideAddress: false,
    });
    await expectMapTrue();
    const moved = await expectTilesTrue();
    expect(moved.member.features.map((f) => f.id)).not.toContain(created.id);
    expect(moved.member.etag).not.toBe(hidden.member.etag);

    // Back, then deleted.
    await ok('PATCH', `/api/locations/${locationId}`, { version: await placeVersion(), lat: here.lat, lon: here.lon });
    expect((await expectTilesTrue()).member.features.map((f) => f.id)).toContain(created.id);
    await ok('DELETE', `/api/services/${created.id}`, undefined, 204);
    await expectMapTrue();
    const deleted = await expectTilesTrue();
    expect(deleted.anonymous.features.map((f) => f.id)).not.toContain(created.id);
    expect(deleted.member.features.map((f) => f.id)).not.toContain(created.id);
  });

  it('keeps each service at its first placed location as links and places come and go', async () => {
    const org = await newOrganization();
    const first = org.locations[0].id as string;
    const created = await ok(
      'POST',
      '/api/services',
      { organizationId: org.id, name: 'Twice placed desk', category: 'social_action', locationIds: [first] },
      201,
    );
    const later = await ok(
      'POST',
      `/api/organizations/${org.id}/locations`,
      { lat: here.lat - 0.3, lon: here.lon, town: 'Rezé', address: '1 rue des Tests' },
      201,
    );
    const asEditor = (work: Parameters<typeof changeAs<unknown>>[2]) =>
      changeAs(db(), { accountId: editor.accountId, allianceId: null }, work);
    await asEditor((trx) =>
      trx.insertInto('service_at_location').values({ service_id: created.id, location_id: later.id }).execute(),
    );
    const rowOf = async () => (await expectMapTrue()).find((row) => row.service_id === created.id);
    expect(await rowOf()).toMatchObject({ location_id: first });
    expect((await expectTilesTrue()).member.features.map((f) => f.id)).toContain(created.id);

    // The first place unplaced: the service is drawn at the next one, out of this tile.
    await asEditor((trx) =>
      trx.updateTable('location').set({ geog: null, needs_place: true }).where('id', '=', first).execute(),
    );
    expect(await rowOf()).toMatchObject({ location_id: later.id });
    expect((await expectTilesTrue()).member.features.map((f) => f.id)).not.toContain(created.id);

    // Placed again, it is first again; its link unmade, the other place stands for it; the other deleted: none.
    await asEditor((trx) =>
      trx
        .updateTable('location')
        .set({ geog: sql`ST_SetSRID(ST_MakePoint(${here.lon}, ${here.lat}), 4326)::geography`, needs_place: false })
        .where('id', '=', first)
        .execute(),
    );
    expect(await rowOf()).toMatchObject({ location_id: first });
    await asEditor((trx) =>
      trx
        .deleteFrom('service_at_location')
        .where('service_id', '=', created.id)
        .where('location_id', '=', first)
        .execute(),
    );
    expect(await rowOf()).toMatchObject({ location_id: later.id });
    await asEditor((trx) => trx.deleteFrom('location').where('id', '=', later.id).execute());
    expect(await rowOf()).toBeUndefined();
    await expectTilesTrue();
  });

  it('follows organisations renamed and moved to another alliance, and many rows written at once', async () => {
    const org = await newOrganization();
    const created = await ok(
      'POST',
      '/api/services',
      {
        organizationId: org.id,
        name: 'Travelling desk',
        category: 'social_action',
        locationIds: [org.locations[0].id],
      },
      201,
    );
    await ok('PATCH', `/api/organizations/${org.id}`, { version: org.version, name: 'A renamed organisation' });
    await expectMapTrue();
    expect((await expectTilesTrue()).anonymous.features.find((f) => f.id === created.id)).toMatchObject({
      organizationName: 'A renamed organisation',
    });
    await changeAs(db(), { accountId: editor.accountId, allianceId: null }, async (trx) => {
      const otherland = await trx
        .selectFrom('alliance')
        .select('id')
        .where('slug', '=', 'otherland')
        .executeTakeFirstOrThrow();
      await trx.updateTable('organization').set({ alliance_id: otherland.id }).where('id', '=', org.id).execute();
    });
    await expectMapTrue();
    const moved = await expectTilesTrue();
    expect(moved.anonymous.features.map((f) => f.id)).not.toContain(created.id);

    await changeAs(db(), { accountId: editor.accountId, allianceId: null }, (trx) =>
      trx
        .updateTable('service')
        .set({ name: sql`name || ' (checked)'` })
        .execute(),
    );
    const rows = await expectMapTrue();
    expect(rows.every((row) => String(row.name).endsWith(' (checked)'))).toBe(true);
    await expectTilesTrue();
  });
});
