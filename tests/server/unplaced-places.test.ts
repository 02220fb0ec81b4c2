import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');
const standards = path.join(projectRoot, 'tests/fixtures/standards');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(standards, file), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validHsdsServiceAtLocation = ajv.compile(readJson('hsds-3.0/schema/compiled/service_at_location.json'));
const validDataInclusionService = ajv.compile(readJson('data-inclusion-schema/schemas/v1/service.json'));
const validDataInclusionStructure = ajv.compile(readJson('data-inclusion-schema/schemas/v1/structure.json'));

/** North desk of the meridian fixture stands at 45.12° N, 0.5° E, at town level, with service S2 (social action). */
const north = { lat: 45.12, lon: 0.5 };

interface PlaceToPlace {
  id: string;
  state: 'unplaced' | 'town';
  origin: 'import' | 'typed';
  lat: number | null;
  organization: { name: string };
  services: { name: string }[];
  version: number;
}

/**
 * A place added without coordinates is not placed yet (issue 11): no point, so nothing shows, ranks or measures it
 * until someone puts its pin; it is listed among the places that need a precise place.
 */
describe.each(databaseModes())('places not placed yet (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  const get = (url: string, headers: Record<string, string> = adminHeaders) => context.app.inject({ url, headers });
  const post = (url: string, payload: object) =>
    context.app.inject({ method: 'POST', url, payload, headers: adminHeaders });

  async function northDeskId(): Promise<string> {
    const page = (await get('/api/organizations?alliance=meridian')).json();
    return page.items.find((organization: { name: string }) => organization.name === 'North desk').id;
  }

  let unplaced: { locationId: string; serviceId: string } | null = null;
  /** A new place of North desk typed in without a pin, and a social action service offered only there. */
  async function unplacedService() {
    if (unplaced) return unplaced;
    const organizationId = await northDeskId();
    const place = await post(`/api/organizations/${organizationId}/locations`, {
      town: 'North',
      address: '3 rue Neuve',
    });
    expect(place.statusCode, place.body).toBe(201);
    const service = await post('/api/services', {
      organizationId,
      name: 'S3 desk not placed yet',
      category: 'social_action',
      locationIds: [place.json().id],
    });
    expect(service.statusCode, service.body).toBe(201);
    unplaced = { locationId: place.json().id, serviceId: service.json().id };
    return unplaced;
  }

  const nearbyNames = async () =>
    (await get(`/api/services/nearby?lat=${north.lat}&lon=${north.lon}&radius_m=50000`))
      .json()
      .items.map((item: { name: string }) => item.name);

  const placesToPlace = async (headers = adminHeaders) =>
    (await get('/api/alliances/meridian/places-to-place', headers)).json().items as PlaceToPlace[];

  it('creates a place without coordinates as not placed yet', async () => {
    const { locationId } = await unplacedService();
    const organization = (await get(`/api/organizations/${await northDeskId()}`)).json();
    const place = organization.locations.find((location: { id: string }) => location.id === locationId);
    expect(place).toMatchObject({ lat: null, lon: null, needsPlace: true, town: 'North', address: '3 rue Neuve' });
  });

  it('refuses a latitude without a longitude', async () => {
    const answer = await post(`/api/organizations/${await northDeskId()}/locations`, { lat: 45 });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toBe('Send "lat" and "lon" together to put the pin.');
  });

  it('keeps an unplaced service out of the near-me search and the map, and marks town-level places', async () => {
    await unplacedService();
    const nearby = (await get(`/api/services/nearby?lat=${north.lat}&lon=${north.lon}&radius_m=50000`)).json();
    expect(nearby.items.map((item: { name: string }) => item.name)).not.toContain('S3 desk not placed yet');
    expect(nearby.items.length).toBeGreaterThan(0);
    for (const item of nearby.items) expect(item.location.precision).toBe('town');
    const map = (await get('/api/services.geojson?alliance=meridian')).json();
    expect(map.features.map((feature: { properties: { name: string } }) => feature.properties.name)).not.toContain(
      'S3 desk not placed yet',
    );
  });

  it("keeps an unplaced service out of the finder's directory", async () => {
    await unplacedService();
    const directory = (await get('/api/alliances/meridian/directory')).json();
    const names = directory.services.map((service: { name: string }) => service.name);
    expect(names).toContain('S1 social desk');
    expect(names).not.toContain('S3 desk not placed yet');
  });

  it('lists unplaced and town-level places for members, unplaced first, with their organisation and services', async () => {
    const { locationId } = await unplacedService();
    const items = await placesToPlace();
    expect(items[0]).toMatchObject({
      id: locationId,
      state: 'unplaced',
      origin: 'typed',
      lat: null,
      organization: { name: 'North desk' },
      services: [{ name: 'S3 desk not placed yet' }],
    });
    expect(items.filter((item) => item.state === 'town').map((item) => item.organization.name)).toEqual([
      'North desk',
      'South desk',
    ]);
    const stranger = await signedInAs(context.database.db, 'member', 'testland');
    const refused = await get('/api/alliances/meridian/places-to-place', stranger.headers);
    expect(refused.statusCode).toBe(403);
    const member = await signedInAs(context.database.db, 'member', 'meridian');
    expect((await get('/api/alliances/meridian/places-to-place', member.headers)).statusCode).toBe(200);
  });

  it('publishes an unplaced place without coordinates, valid against HSDS 3.0 and data·inclusion', async () => {
    const { serviceId } = await unplacedService();
    const links = (await get(`/api/hsds/service_at_locations?per_page=100`)).json().contents as {
      service_id?: string;
      service?: { id: string };
      location: Record<string, unknown>;
    }[];
    const link = links.find((item) => (item.service_id ?? item.service?.id) === serviceId)!;
    expect(link).toBeDefined();
    expect(link.location).not.toHaveProperty('latitude');
    expect(link.location).not.toHaveProperty('longitude');
    expect(validHsdsServiceAtLocation(link), JSON.stringify(validHsdsServiceAtLocation.errors)).toBe(true);

    const exported = (await get('/api/alliances/meridian/exports/data-inclusion.json')).json();
    const service = exported.services.find((item: { id: string }) => item.id === serviceId);
    expect(service).toMatchObject({ latitude: null, longitude: null, commune: 'North' });
    for (const record of exported.services) {
      expect(validDataInclusionService(record), JSON.stringify(validDataInclusionService.errors)).toBe(true);
    }
    for (const record of exported.structures) {
      expect(validDataInclusionStructure(record), JSON.stringify(validDataInclusionStructure.errors)).toBe(true);
    }
  });

  it('leaves unplaced services out of the gap analysis supply and states how many, with the town-level ones', async () => {
    await unplacedService();
    const areas = await post('/api/alliances/meridian/analysis-units', {
      name: 'One area',
      areas: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Strip', population: 1000 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0.45, 44.98],
                  [0.55, 44.98],
                  [0.55, 45.22],
                  [0.45, 45.22],
                  [0.45, 44.98],
                ],
              ],
            },
          },
        ],
      },
    });
    expect(areas.statusCode, areas.body).toBe(201);
    const started = await post('/api/alliances/meridian/gap-analyses', {
      units: { kind: 'imported', unitSetId: areas.json().unitSet.id },
      categories: ['social_action'],
    });
    expect(started.statusCode, started.body).toBe(202);
    let run = started.json();
    for (let attempt = 0; attempt < 600 && run.status === 'running'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await get(`/api/gap-analyses/${run.id}`)).json();
    }
    expect(run.status, run.error).toBe('done');
    expect(run.summary.placement).toEqual({ townLevelServiceLocations: 2, unplacedServiceLocations: 1 });
    expect(run.summary.subjects[0]).toMatchObject({ subject: 'social_action', serviceLocations: 2 });
    const results = (await get(`/api/gap-analyses/${run.id}/results`)).json();
    expect(results.items[0]).toMatchObject({ supplyCount: 2 });
  });

  it('placing it takes it off the list and into the near-me search', async () => {
    const { locationId } = await unplacedService();
    const before = (await placesToPlace()).find((item) => item.id === locationId)!;
    const placed = await context.app.inject({
      method: 'PATCH',
      url: `/api/locations/${locationId}`,
      headers: adminHeaders,
      payload: { version: before.version, lat: 45.121, lon: 0.501 },
    });
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json()).toMatchObject({ lat: 45.121, lon: 0.501, precision: 'exact', needsPlace: false });
    expect((await placesToPlace()).map((item) => item.id)).not.toContain(locationId);
    expect(await nearbyNames()).toContain('S3 desk not placed yet');
    unplaced = null;
  });
});
