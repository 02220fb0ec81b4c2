import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { serviceTileCacheOf } from '../../server/src/domain/services/serviceTileCache.js';

/** The tile holding a point, and the point's pixel in it (extent 4096), by the Web Mercator formula. */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const fx = ((lon + 180) / 360) * n;
  const latRad = (lat * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n;
  const x = Math.floor(fx);
  const y = Math.floor(fy);
  return { z, x, y, px: Math.floor((fx - x) * 4096), py: Math.floor((fy - y) * 4096) };
}

interface DecodedFeature {
  properties: Record<string, string | number | boolean>;
  x: number;
  y: number;
}

function decode(body: Buffer): DecodedFeature[] {
  if (body.length === 0) return [];
  const layer = new VectorTile(new PbfReader(body)).layers.services;
  if (!layer) return [];
  expect(layer.extent).toBe(4096);
  return Array.from({ length: layer.length }, (_, i) => {
    const feature = layer.feature(i);
    const point = feature.loadGeometry()[0]![0]!;
    return { properties: feature.properties as DecodedFeature['properties'], x: point.x, y: point.y };
  });
}

/** 24 services on a 6 × 4 grid about 200 m apart near Lyon, three categories in turn; a shelter with a hidden door. */
const origin = { lat: 45.744, lon: 4.836 };
const categories = ['social_action', 'socio_cultural_sports', 'professional_integration'] as const;
const grid = Array.from({ length: 24 }, (_, i) => ({
  lat: origin.lat + Math.floor(i / 6) * 0.002,
  lon: origin.lon + (i % 6) * 0.0025,
  category: categories[i % 3]!,
  name: `Tile service ${i}`,
}));
const door = { lat: 45.75517, lon: 4.86 };
const publicDoor = { lat: 45.76, lon: 4.86 };

describe.each(databaseModes())('service tiles (%s database)', (mode) => {
  const context = useTestApp(mode);
  let member: TestActor;
  let outsider: TestActor;
  const serviceIds: string[] = [];
  let shelterId = '';

  const get = (url: string, headers: Record<string, string> = {}) => context.app.inject({ url, headers });
  const tileUrl = (t: { z: number; x: number; y: number }, query = 'alliance=tileland') =>
    `/api/tiles/services/${t.z}/${t.x}/${t.y}.mvt?${query}`;

  beforeAll(async () => {
    const db = context.database.db;
    const alliance = await db
      .insertInto('alliance')
      .values({ slug: 'tileland', name: 'Tileland', country: 'FR', languages: ['fr'], timezone: 'Europe/Paris' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const organization = await db
      .insertInto('organization')
      .values({ alliance_id: alliance.id, name: 'Tile desk' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const place = (point: { lat: number; lon: number }, hide = false) =>
      db
        .insertInto('location')
        .values({
          organization_id: organization.id,
          city: 'Lyon',
          hide_address: hide,
          geog: sql<string>`ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326)::geography`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    for (const service of grid) {
      const location = await place(service);
      const { id } = await db
        .insertInto('service')
        .values({ organization_id: organization.id, name: service.name, category: service.category })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('service_at_location').values({ service_id: id, location_id: location.id }).execute();
      serviceIds.push(id);
    }
    const hidden = await place(door, true);
    const shelter = await db
      .insertInto('service')
      .values({ organization_id: organization.id, name: 'Shelter', category: 'social_action' })
      .returning('id')
      .executeTakeFirstOrThrow();
    shelterId = shelter.id;
    await db.insertInto('service_at_location').values({ service_id: shelterId, location_id: hidden.id }).execute();
    member = await signedInAs(db, 'member', 'tileland');
    outsider = await signedInAs(db, 'member', 'testland');
  });

  it('holds every service of a zoom-14 tile, with its category, age and point', async () => {
    const tile = tileOf(origin.lat, origin.lon, 14);
    const response = await get(tileUrl(tile));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const features = decode(response.rawPayload);
    const byId = new Map(features.map((feature) => [feature.properties.id, feature]));
    const expected = grid
      .map((service, i) => ({ ...service, id: serviceIds[i]!, at: tileOf(service.lat, service.lon, 14) }))
      .filter(({ at }) => at.x === tile.x && at.y === tile.y);
    expect(expected).toHaveLength(grid.length);
    for (const service of expected) {
      const feature = byId.get(service.id);
      expect(feature, service.name).toBeDefined();
      expect(feature!.properties).toMatchObject({ name: service.name, category: service.category, age: 'never' });
      expect(Math.abs(feature!.x - service.at.px)).toBeLessThanOrEqual(1);
      expect(Math.abs(feature!.y - service.at.py)).toBeLessThanOrEqual(1);
    }
    // Nothing else of the alliance is in this tile but the shelter, whose public point may fall in it too.
    const others = features.filter((f) => !expected.some((service) => service.id === f.properties.id));
    expect(others.every((f) => f.properties.id === shelterId)).toBe(true);
  });

  it('counts the services by cell and category below zoom 12', async () => {
    const tile = tileOf(origin.lat, origin.lon, 8);
    const features = decode((await get(tileUrl(tile))).rawPayload);
    const total = features.reduce((sum, feature) => sum + Number(feature.properties.count), 0);
    expect(total).toBe(grid.length + 1);
    // The whole grid lies in one cell of 512 × 512 at zoom 8: one feature with the counts of each category.
    expect(features).toHaveLength(1);
    expect(features[0]!.properties).toMatchObject({
      count: 25,
      'category:social_action': 9,
      'category:socio_cultural_sports': 8,
      'category:professional_integration': 8,
    });
    const filtered = decode(
      (await get(tileUrl(tile, 'alliance=tileland&category=professional_integration'))).rawPayload,
    );
    expect(filtered.map((f) => f.properties.count)).toEqual([8]);
    // Another alliance's scope has none of them.
    expect(decode((await get(tileUrl(tile, 'alliance=testland'))).rawPayload)).toEqual([]);
  });

  it('builds a low-zoom tile once for every phone until the services of its alliance change', async () => {
    const cache = serviceTileCacheOf(context.app.db);
    const tile = tileOf(origin.lat, origin.lon, 6);
    const countOf = (body: Buffer, category: string) =>
      decode(body).reduce((sum, feature) => sum + Number(feature.properties[`category:${category}`] ?? 0), 0);
    const before = cache.builds;
    const first = await get(tileUrl(tile));
    expect(first.statusCode, first.body).toBe(200);
    expect(cache.builds).toBe(before + 1);
    const second = await get(tileUrl(tile));
    expect(second.statusCode).toBe(200);
    expect(cache.builds).toBe(before + 1);
    expect(Buffer.compare(second.rawPayload, first.rawPayload)).toBe(0);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect((await get(tileUrl(tile), { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    // Another filter, or a member (who sees hidden addresses at their door), is another tile.
    await get(tileUrl(tile, 'alliance=tileland&category=social_action'));
    expect(cache.builds).toBe(before + 2);
    await get(tileUrl(tile), member.headers);
    expect(cache.builds).toBe(before + 3);
    await get(tileUrl(tile), member.headers);
    expect(cache.builds).toBe(before + 3);

    // An edit in another alliance leaves this alliance's tile as it was built.
    const other = (await get('/api/services?alliance=testland&limit=1')).json().items[0];
    const otherDetail = (await get(`/api/services/${other.id}`)).json();
    const otherEdit = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${other.id}`,
      headers: adminHeaders,
      payload: { version: otherDetail.version, name: `${other.name} (again)` },
    });
    expect(otherEdit.statusCode, otherEdit.body).toBe(200);
    await get(tileUrl(tile));
    expect(cache.builds).toBe(before + 3);

    // A service of this tile changes its category: the next phone gets the new counts, built once again.
    const id = serviceIds[3]!;
    const detail = (await get(`/api/services/${id}`)).json();
    const from = detail.category as string;
    const to = from === 'social_action' ? 'professional_integration' : 'social_action';
    const edit = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${id}`,
      headers: adminHeaders,
      payload: { version: detail.version, category: to },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const after = await get(tileUrl(tile));
    expect(after.statusCode).toBe(200);
    expect(cache.builds).toBe(before + 4);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(countOf(after.rawPayload, to)).toBe(countOf(first.rawPayload, to) + 1);
    expect(countOf(after.rawPayload, from)).toBe(countOf(first.rawPayload, from) - 1);
    await get(tileUrl(tile));
    expect(cache.builds).toBe(before + 4);
    // The member's copy was of the old version too.
    const memberAfter = await get(tileUrl(tile), member.headers);
    expect(cache.builds).toBe(before + 5);
    expect(countOf(memberAfter.rawPayload, to)).toBe(countOf(first.rawPayload, to) + 1);

    const restore = (await get(`/api/services/${id}`)).json();
    const back = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${id}`,
      headers: adminHeaders,
      payload: { version: restore.version, category: from },
    });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('shows a hidden address at its public point to those outside the alliance, at its door to its members', async () => {
    const exact = tileOf(door.lat, door.lon, 16);
    const rounded = tileOf(publicDoor.lat, publicDoor.lon, 16);
    expect(`${exact.x}/${exact.y}`).not.toBe(`${rounded.x}/${rounded.y}`);
    const shelterIn = async (t: typeof exact, actor?: TestActor) =>
      decode((await get(tileUrl(t), actor?.headers)).rawPayload).find((f) => f.properties.id === shelterId);
    expect(await shelterIn(exact, member)).toMatchObject({ properties: { precision: 'exact' } });
    expect(await shelterIn(rounded, member)).toBeUndefined();
    expect(await shelterIn(exact, outsider)).toBeUndefined();
    expect(await shelterIn(exact)).toBeUndefined();
    const seen = await shelterIn(rounded, outsider);
    expect(seen).toMatchObject({ properties: { precision: 'town' } });
    expect(Math.abs(seen!.x - rounded.px)).toBeLessThanOrEqual(1);
    // Without an alliance: a member reads every alliance, exactly theirs, the public points of the others.
    const shelterInAll = async (t: typeof exact, actor?: TestActor) =>
      decode((await get(tileUrl(t, ''), actor?.headers)).rawPayload).find((f) => f.properties.id === shelterId);
    expect(await shelterInAll(exact, member)).toMatchObject({ properties: { precision: 'exact' } });
    expect(await shelterInAll(rounded, member)).toBeUndefined();
    expect(await shelterInAll(exact, outsider)).toBeUndefined();
    expect(await shelterInAll(rounded, outsider)).toMatchObject({ properties: { precision: 'town' } });
    expect(await shelterInAll(exact)).toBeUndefined();
    expect(await shelterInAll(rounded)).toMatchObject({ properties: { precision: 'town' } });
    expect(await shelterInAll(exact, { headers: adminHeaders } as unknown as TestActor)).toMatchObject({
      properties: { precision: 'exact' },
    });
    // The two readers get different ETags for the same tile: a cache never gives one the other's answer.
    const tag = async (actor?: TestActor) => (await get(tileUrl(exact), actor?.headers)).headers.etag;
    expect(await tag(member)).not.toBe(await tag(outsider));
  });

  it('answers 304 while nothing changed, and a new tile after an edit', async () => {
    const tile = tileOf(origin.lat, origin.lon, 14);
    const first = await get(tileUrl(tile));
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await get(tileUrl(tile), { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    // An edit in another alliance leaves this alliance's tiles current.
    const testlandService = await get('/api/services?alliance=testland&limit=1');
    const other = testlandService.json().items[0];
    const otherDetail = (await get(`/api/services/${other.id}`)).json();
    const otherEdit = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${other.id}`,
      headers: adminHeaders,
      payload: { version: otherDetail.version, name: `${other.name} (renamed)` },
    });
    expect(otherEdit.statusCode, otherEdit.body).toBe(200);
    expect((await get(tileUrl(tile), { 'if-none-match': etag })).statusCode).toBe(304);

    const id = serviceIds[0]!;
    const detail = (await get(`/api/services/${id}`)).json();
    const edit = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${id}`,
      headers: adminHeaders,
      payload: { version: detail.version, name: 'Renamed tile service' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const after = await get(tileUrl(tile), { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    const renamed = decode(after.rawPayload).find((f) => f.properties.id === id);
    expect(renamed?.properties.name).toBe('Renamed tile service');
    expect((await get(tileUrl(tile), { 'if-none-match': String(after.headers.etag) })).statusCode).toBe(304);
  });

  it('reads an alliance renamed since its last tile by its new name only', async () => {
    const db = context.database.db;
    const tile = tileOf(origin.lat, origin.lon, 14);
    expect(decode((await get(tileUrl(tile))).rawPayload).length).toBeGreaterThan(0);
    await db.updateTable('alliance').set({ slug: 'tileland-moved' }).where('slug', '=', 'tileland').execute();
    try {
      expect((await get(tileUrl(tile))).statusCode).toBe(404);
      const moved = await get(tileUrl(tile, 'alliance=tileland-moved'));
      expect(decode(moved.rawPayload).length).toBeGreaterThanOrEqual(grid.length);
      // Another alliance takes the old name: its tiles, not the first one's.
      await db.updateTable('alliance').set({ slug: 'tileland' }).where('slug', '=', 'testland').execute();
      expect(decode((await get(tileUrl(tile))).rawPayload)).toEqual([]);
    } finally {
      await db.updateTable('alliance').set({ slug: 'testland' }).where('slug', '=', 'tileland').execute();
      await db.updateTable('alliance').set({ slug: 'tileland' }).where('slug', '=', 'tileland-moved').execute();
    }
    expect(decode((await get(tileUrl(tile))).rawPayload).length).toBeGreaterThan(0);
  });

  it('refuses tiles that do not exist with a clear 400', async () => {
    for (const url of [
      '/api/tiles/services/3/8/0.mvt',
      '/api/tiles/services/3/0/8.mvt',
      '/api/tiles/services/23/0/0.mvt',
      '/api/tiles/services/-1/0/0.mvt',
      '/api/tiles/services/2/1/1.png',
      '/api/tiles/services/a/1/1.mvt',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code, url).toBeTruthy();
    }
    const outside = await get('/api/tiles/services/3/8/0.mvt');
    expect(outside.json().code).toBe('basemap.tile-out-of-range');
    expect((await get('/api/tiles/services/3/1/1.mvt?alliance=nowhere')).statusCode).toBe(404);
  });

  it('gives the GeoJSON an ETag too, and 304 while the scope has not changed', async () => {
    const url = '/api/services.geojson?alliance=tileland';
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    expect(first.json().features).toHaveLength(grid.length + 1);
    const etag = String(first.headers.etag);
    expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': `W/${etag}` })).statusCode).toBe(304);
    const id = serviceIds[1]!;
    const detail = (await get(`/api/services/${id}`)).json();
    await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${id}`,
      headers: adminHeaders,
      payload: { version: detail.version, category: 'professional_integration' },
    });
    const after = await get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(
      after.json().features.find((f: { properties: { id: string } }) => f.properties.id === id).properties.category,
    ).toBe('professional_integration');
  });
});
