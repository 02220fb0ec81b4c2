import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

interface Request {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
}

interface Place {
  id: string;
  lat: number;
  lon: number;
  version: number;
}

const unknownId = '00000000-0000-4000-8000-000000000000';
const firstPoint = { lat: 44.86, lon: -0.56 };
const secondPoint = { lat: 44.8, lon: -0.63 };

describe.each(databaseModes())('deleting a place of an organisation (%s database)', (mode) => {
  const context = useTestApp(mode);
  let editor: TestActor;
  let member: TestActor;
  let counter = 0;

  const send = (actor: TestActor | null, request: Request) =>
    context.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      payload: request.payload,
      headers: actor?.headers ?? {},
    });
  async function ok(actor: TestActor | null, request: Request, statusCode = 200) {
    const response = await send(actor, request);
    expect(response.statusCode, response.body).toBe(statusCode);
    return response.statusCode === 204 ? null : response.json();
  }
  const deletePlace = (actor: TestActor | null, id: string) =>
    send(actor, { method: 'DELETE', url: `/api/locations/${id}` });
  const logCount = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from change_log`.execute(context.database.db)).rows[0]!.n;

  /** A new organisation with a first place at firstPoint and a second at secondPoint. */
  async function organizationWithTwoPlaces(): Promise<{ id: string; first: Place; second: Place }> {
    counter += 1;
    const organization = await ok(
      editor,
      {
        method: 'POST',
        url: '/api/organizations',
        payload: {
          alliance: 'testland',
          name: `Places organisation ${counter}`,
          location: { ...firstPoint, town: 'Bordeaux', address: `${counter} rue du Premier` },
        },
      },
      201,
    );
    const second = await ok(
      editor,
      {
        method: 'POST',
        url: `/api/organizations/${organization.id}/locations`,
        payload: { ...secondPoint, town: 'Bordeaux', address: `${counter} rue du Second` },
      },
      201,
    );
    return { id: organization.id, first: organization.locations[0], second };
  }

  async function newService(organizationId: string, locationIds: string[], name = `Places service ${counter}`) {
    return ok(
      editor,
      {
        method: 'POST',
        url: '/api/services',
        payload: { organizationId, name, category: 'social_action', locationIds },
      },
      201,
    );
  }

  const placeIds = async (organizationId: string) =>
    (await ok(editor, { url: `/api/organizations/${organizationId}` })).locations.map((place: Place) => place.id);
  const servicePlaceIds = async (serviceId: string) =>
    (await ok(null, { url: `/api/services/${serviceId}` })).locations.map((place: Place) => place.id);
  const nearby = async ({ lat, lon }: { lat: number; lon: number }) =>
    (await ok(null, { url: `/api/services/nearby?lat=${lat}&lon=${lon}&radius_m=50` })).items.map(
      (item: { id: string }) => item.id,
    );
  const directoryPoints = async (serviceId: string) =>
    (await ok(null, { url: '/api/alliances/testland/directory' })).services
      .filter((entry: { serviceId: string }) => entry.serviceId === serviceId)
      .map((entry: { lat: number; lon: number }) => ({ lat: entry.lat, lon: entry.lon }));

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland', { displayName: 'Eva Editor' });
    member = await signedInAs(context.database.db, 'member', 'testland');
  });

  it("says in the organisation's answer how many of its services each place has", async () => {
    const organization = await organizationWithTwoPlaces();
    await newService(organization.id, [organization.first.id, organization.second.id], `Both places ${counter}`);
    await newService(organization.id, [organization.first.id], `First place only ${counter}`);
    const places = (await ok(editor, { url: `/api/organizations/${organization.id}` })).locations;
    expect(places.map((place: { id: string; serviceCount: number }) => [place.id, place.serviceCount])).toEqual([
      [organization.first.id, 2],
      [organization.second.id, 1],
    ]);
  });

  it('lets an editor delete a place that no service uses', async () => {
    const organization = await organizationWithTwoPlaces();
    const response = await deletePlace(editor, organization.second.id);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    expect(await placeIds(organization.id)).toEqual([organization.first.id]);
  });

  it('refuses a member (403) and someone signed out (401), writing nothing', async () => {
    const organization = await organizationWithTwoPlaces();
    const logged = await logCount();
    const asMember = await deletePlace(member, organization.second.id);
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().message).toMatch(/editor/);
    expect((await deletePlace(null, organization.second.id)).statusCode).toBe(401);
    expect(await logCount()).toBe(logged);
    expect(await placeIds(organization.id)).toContain(organization.second.id);
  });

  it('answers 404 for an unknown place and 400 for a malformed id', async () => {
    const unknown = await deletePlace(editor, unknownId);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe(`There is no location with id ${unknownId}.`);
    const malformed = await deletePlace(editor, 'not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).not.toBe('');
  });

  it('keeps the only place of a service (409 naming the service), writing nothing', async () => {
    const organization = await organizationWithTwoPlaces();
    const service = await newService(organization.id, [organization.second.id], 'Evening French class');
    const logged = await logCount();
    const response = await deletePlace(editor, organization.second.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'conflict.only-place',
      params: { service: '“Evening French class”', services: 'Evening French class', count: 1 },
      message:
        'This is the only place of the service “Evening French class”; move the service to another place first, ' +
        'or delete it.',
    });
    expect(await logCount()).toBe(logged);
    expect(await servicePlaceIds(service.id)).toEqual([organization.second.id]);
  });

  it('names every service offered only at that place', async () => {
    const organization = await organizationWithTwoPlaces();
    await newService(organization.id, [organization.second.id], 'Legal advice');
    await newService(organization.id, [organization.second.id], 'Food parcels');
    await newService(organization.id, [organization.first.id, organization.second.id], 'Job club');
    const response = await deletePlace(editor, organization.second.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toBe(
      'This is the only place of the services “Food parcels” and “Legal advice”; move them to another place first, ' +
        'or delete them.',
    );
  });

  it('stops offering a service at the place, in the finder and the directory, and keeps its other place', async () => {
    const organization = await organizationWithTwoPlaces();
    const service = await newService(organization.id, [organization.first.id, organization.second.id]);
    expect(await nearby(secondPoint)).toContain(service.id);
    expect(await directoryPoints(service.id)).toHaveLength(2);

    expect((await deletePlace(editor, organization.second.id)).statusCode).toBe(204);
    expect(await servicePlaceIds(service.id)).toEqual([organization.first.id]);
    expect(await nearby(secondPoint)).not.toContain(service.id);
    expect(await nearby(firstPoint)).toContain(service.id);
    expect(await directoryPoints(service.id)).toEqual([firstPoint]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from service_at_location
      where location_id = ${organization.second.id}`.execute(context.database.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('records the deletion in the history, among the deletions that can be restored', async () => {
    const organization = await organizationWithTwoPlaces();
    await ok(editor, { method: 'DELETE', url: `/api/locations/${organization.second.id}` }, 204);
    const [deletion] = (await ok(member, { url: `/api/history/location/${organization.second.id}` })).items;
    expect(deletion).toMatchObject({
      entityType: 'location',
      entityId: organization.second.id,
      action: 'delete',
      author: { accountId: editor.accountId, displayName: 'Eva Editor' },
      old: expect.objectContaining({ address1: `${counter} rue du Second` }),
      new: null,
    });
    const [latest] = (await ok(member, { url: '/api/alliances/testland/deleted' })).items;
    expect(latest).toMatchObject({ id: deletion.id, entityType: 'location', entityId: organization.second.id });
  });

  it('restores the place with its id and its links to the services offered there', async () => {
    const organization = await organizationWithTwoPlaces();
    const service = await newService(organization.id, [organization.first.id, organization.second.id]);
    const before = (await ok(editor, { url: `/api/organizations/${organization.id}` })).locations;
    await ok(editor, { method: 'DELETE', url: `/api/locations/${organization.second.id}` }, 204);
    const [deletion] = (await ok(member, { url: `/api/history/location/${organization.second.id}` })).items;

    const restored = await ok(editor, { method: 'POST', url: `/api/history/${deletion.id}/restore` });
    expect(restored).toEqual({
      entityType: 'location',
      entityId: organization.second.id,
      version: organization.second.version + 1,
    });
    const after = (await ok(editor, { url: `/api/organizations/${organization.id}` })).locations;
    expect(after).toEqual(
      before.map((place: Place) =>
        place.id === organization.second.id ? { ...place, version: place.version + 1 } : place,
      ),
    );
    expect((await servicePlaceIds(service.id)).sort()).toEqual([organization.first.id, organization.second.id].sort());
    expect(await nearby(secondPoint)).toContain(service.id);
    expect(await directoryPoints(service.id)).toHaveLength(2);
  });
});
