import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import * as hiddenAddressPoints from '../../server/src/db/migrations/2026-12-02-01-hidden-address-points.js';
import * as nearMeSearch from '../../server/src/db/migrations/2026-12-05-11-near-me-search.js';
import * as serviceMap from '../../server/src/db/migrations/2026-12-06-03-service-map.js';
import { nearbyServicesQuery } from '../../server/src/domain/services/serviceRepository.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { meridianArcMetres } from './geodesy.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/** A shelter's door, and the point anyone else may see: rounded to 0.01° on the same meridian. */
const door = { lat: 44.83517, lon: -0.57 };
const publicPoint = { lat: 44.84, lon: -0.57 };
const doorToPublicPointM = meridianArcMetres(door.lat, publicPoint.lat);

interface Located {
  lat: number;
  lon: number;
  precision: string;
}

/** A service as the lists and the near-me search give it. */
interface Listed {
  id: string;
  location: Located;
  distanceM: number;
}

function expectAt(location: Located, point: { lat: number; lon: number }) {
  expect(location.lat).toBeCloseTo(point.lat, 9);
  expect(location.lon).toBeCloseTo(point.lon, 9);
}

describe.each(databaseModes())('hidden addresses (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let member: TestActor;
  let outsider: TestActor;
  let organizationId: string;
  let locationId: string;
  let serviceId: string;

  const get = (url: string, actor?: TestActor) => context.app.inject({ url, headers: actor?.headers ?? {} });
  const nearby = async (point: { lat: number; lon: number }, radiusM: number) =>
    (await get(`/api/services/nearby?lat=${point.lat}&lon=${point.lon}&radius_m=${radiusM}&limit=100`)).json()
      .items as Listed[];
  const shelterIn = (items: Listed[]) => items.find((item) => item.id === serviceId);

  beforeAll(async () => {
    const db = context.database.db;
    member = await signedInAs(db, 'member', 'testland');
    outsider = await signedInAs(db, 'member', 'meridian');
    const organization = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: adminHeaders,
      payload: {
        alliance: 'testland',
        name: 'Safe house',
        location: {
          ...door,
          address: '7 rue Discrète',
          postalCode: '33800',
          town: 'Bordeaux',
          precision: 'exact',
          hideAddress: true,
        },
      },
    });
    expect(organization.statusCode, organization.body).toBe(201);
    organizationId = organization.json().id;
    locationId = organization.json().locations[0].id;
    const service = await context.app.inject({
      method: 'POST',
      url: '/api/services',
      headers: adminHeaders,
      payload: { organizationId, name: 'Shelter advice', category: 'social_action' },
    });
    expect(service.statusCode, service.body).toBe(201);
    serviceId = service.json().id;
  });

  it("gives the public the organisation's hidden place at its public point, at town precision", async () => {
    const [place] = (await get(`/api/organizations/${organizationId}`)).json().locations;
    expectAt(place, publicPoint);
    expect(place).toMatchObject({ precision: 'town', address: null, postalCode: null, hideAddress: true });
  });

  it('gives a member of another alliance the public point too', async () => {
    const [place] = (await get(`/api/organizations/${organizationId}`, outsider)).json().locations;
    expectAt(place, publicPoint);
  });

  it("gives the alliance's members the organisation's hidden place exactly, with its address", async () => {
    const [place] = (await get(`/api/organizations/${organizationId}`, member)).json().locations;
    expectAt(place, door);
    expect(place).toMatchObject({ precision: 'exact', address: '7 rue Discrète', postalCode: '33800' });
  });

  it("gives the public the service's hidden place at its public point", async () => {
    const [place] = (await get(`/api/services/${serviceId}`)).json().locations;
    expectAt(place, publicPoint);
    expect(place).toMatchObject({ precision: 'town', address: null, hideAddress: true });
  });

  it("gives the alliance's members the service's hidden place exactly", async () => {
    const [place] = (await get(`/api/services/${serviceId}`, member)).json().locations;
    expectAt(place, door);
    expect(place).toMatchObject({ precision: 'exact', address: '7 rue Discrète' });
  });

  it('lists the service at its public point for the public', async () => {
    const items = (await get('/api/services?alliance=testland&limit=500')).json().items;
    const { location } = shelterIn(items)!;
    expectAt(location, publicPoint);
    expect(location.precision).toBe('town');
  });

  it("lists the service exactly for the alliance's members, among every alliance's services", async () => {
    const items = (await get('/api/services?limit=500', member)).json().items;
    expectAt(shelterIn(items)!.location, door);
  });

  it('maps the service at its public point for the public', async () => {
    const { features } = (await get('/api/services.geojson?alliance=testland')).json();
    const feature = features.find((item: { properties: { id: string } }) => item.properties.id === serviceId);
    expect(feature.geometry.coordinates[0]).toBeCloseTo(publicPoint.lon, 9);
    expect(feature.geometry.coordinates[1]).toBeCloseTo(publicPoint.lat, 9);
    expect(feature.properties.precision).toBe('town');
  });

  it('does not find the service near its door', async () => {
    expect(shelterIn(await nearby(door, doorToPublicPointM - 50))).toBeUndefined();
  });

  it('finds the service near its public point, and says where it is only at town precision', async () => {
    const shelter = shelterIn(await nearby(publicPoint, 10))!;
    expectAt(shelter.location, publicPoint);
    expect(shelter).toMatchObject({ location: { precision: 'town' }, distanceM: 0 });
  });

  it('measures and ranks the near-me distance to the public point, not to the door', async () => {
    const shelter = shelterIn(await nearby(door, 5000))!;
    expect(shelter.distanceM).toBeCloseTo(doorToPublicPointM, 0);
  });

  it("gives the finder's directory the same public point, without street or postal code", async () => {
    const directory = (await get('/api/alliances/testland/directory')).json();
    const entry = directory.services.find((item: { serviceId: string }) => item.serviceId === serviceId);
    expectAt(entry, publicPoint);
    expect(entry).toMatchObject({ precision: 'town', address: null, postalCode: null, addressHidden: true });
  });

  it('takes the door out of the near-me search as soon as an address is hidden', async () => {
    const corner = { lat: 44.81234, lon: -0.6 };
    const place = await context.app.inject({
      method: 'POST',
      url: `/api/organizations/${organizationId}/locations`,
      headers: adminHeaders,
      payload: { ...corner, town: 'Bordeaux', precision: 'exact' },
    });
    const linked = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${serviceId}`,
      headers: adminHeaders,
      payload: {
        version: (await get(`/api/services/${serviceId}`)).json().version,
        locationIds: [locationId, place.json().id],
      },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(shelterIn(await nearby(corner, 50))).toBeDefined();
    const hidden = await context.app.inject({
      method: 'PATCH',
      url: `/api/locations/${place.json().id}`,
      headers: adminHeaders,
      payload: { version: place.json().version, hideAddress: true },
    });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(shelterIn(await nearby(corner, 50))).toBeUndefined();
    expect(shelterIn(await nearby({ lat: 44.81, lon: -0.6 }, 10))).toBeDefined();
  });

  it('still answers the near-me search from the GiST index on (geog, category)', async () => {
    const compiled = nearbyServicesQuery(context.database.db, {
      ...publicPoint,
      radiusM: 5000,
      limit: 20,
      category: 'social_action',
    }).compile();
    const plan = await context.database.db.transaction().execute(async (trx) => {
      // The test data is small enough for a scan to win; the question is whether the index can answer.
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await trx.executeQuery(
        CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
      );
      return JSON.stringify(rows);
    });
    expect(plan).toContain('service_search_geog_category_idx');
  });

  it('rounds the copies of hidden addresses that databases made before the migration', async () => {
    const copied = await context.database.db
      .transaction()
      .execute(async (trx) => {
        // The map and near-me search tables, made later, read public_point: they go first, as migrating down would.
        await serviceMap.down(trx);
        await nearMeSearch.down(trx);
        await hiddenAddressPoints.down(trx);
        const before = await sql<{ lat: number }>`
          select ST_Y(geog::geometry) as lat from service_at_location where location_id = ${locationId}`.execute(trx);
        await hiddenAddressPoints.up(trx);
        const after = await sql<{ lat: number }>`
          select ST_Y(geog::geometry) as lat from service_at_location where location_id = ${locationId}`.execute(trx);
        throw Object.assign(new Error('rolled back'), { before: before.rows[0]!.lat, after: after.rows[0]!.lat });
      })
      .catch((rollback: { before: number; after: number }) => rollback);
    expect(copied.before).toBeCloseTo(door.lat, 9);
    expect(copied.after).toBeCloseTo(publicPoint.lat, 9);
  });

  describe('in a gap analysis', () => {
    let runId: string;
    let unitId: string;

    beforeAll(async () => {
      const square = [
        [-0.575, 44.832],
        [-0.565, 44.832],
        [-0.565, 44.838],
        [-0.575, 44.838],
        [-0.575, 44.832],
      ];
      const imported = await context.app.inject({
        method: 'POST',
        url: '/api/alliances/testland/analysis-units',
        headers: adminHeaders,
        payload: {
          name: 'Around the shelter',
          areas: {
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { name: 'Shelter block', population: 500 },
                geometry: { type: 'Polygon', coordinates: [square] },
              },
            ],
          },
        },
      });
      expect(imported.statusCode, imported.body).toBe(201);
      const started = await context.app.inject({
        method: 'POST',
        url: '/api/alliances/testland/gap-analyses',
        headers: adminHeaders,
        payload: { units: { kind: 'imported', unitSetId: imported.json().unitSet.id }, categories: ['social_action'] },
      });
      expect(started.statusCode, started.body).toBe(202);
      runId = started.json().id;
      for (let attempt = 0; attempt < 600; attempt++) {
        if ((await get(`/api/gap-analyses/${runId}`)).json().status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      unitId = (await get(`/api/gap-analyses/${runId}/results`)).json().items[0].unit.id;
    });

    const distanceFromUnitTo = async (point: { lat: number; lon: number }) => {
      const { rows } = await sql<{ distance: number }>`
        select ST_Distance(centroid, ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326)::geography) as distance
        from analysis_unit where id = ${unitId}`.execute(context.database.db);
      return rows[0]!.distance;
    };

    it("lists the shelter among an area's nearest services at its public point and distance", async () => {
      const { items } = (await get(`/api/gap-analyses/${runId}/units/${unitId}/nearest?subject=social_action`)).json();
      const shelter = items.find((item: { serviceId: string }) => item.serviceId === serviceId);
      expectAt(shelter, publicPoint);
      expect(shelter.precision).toBe('town');
      expect(shelter.distanceM).toBeCloseTo(await distanceFromUnitTo(publicPoint), 3);
    });

    it("publishes an area's nearest distance to the shelter's public point, not to its door", async () => {
      const [result] = (await get(`/api/gap-analyses/${runId}/results?subject=social_action`)).json().items;
      expect(result.nearestDistanceM).toBeCloseTo(await distanceFromUnitTo(publicPoint), 3);
    });
  });
});
