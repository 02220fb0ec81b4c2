import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

describe.each(databaseModes())('giving an organisation a new place (%s database)', (mode) => {
  const context = useTestApp(mode);
  let editor: TestActor;
  let member: TestActor;
  let organizationId: string;

  const newPlace = {
    lat: 44.8378,
    lon: -0.5772,
    address: '5 Place Pey Berland',
    postalCode: '33000',
    town: 'Bordeaux',
    precision: 'exact',
    hideAddress: false,
  };

  const addPlace = (body: unknown, actor: TestActor | null = editor, id = organizationId) =>
    context.app.inject({
      method: 'POST',
      url: `/api/organizations/${id}/locations`,
      headers: actor?.headers ?? {},
      payload: body as object,
    });

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland', { displayName: 'Eva Editor' });
    member = await signedInAs(context.database.db, 'member', 'testland');
    const page = (await context.app.inject({ url: '/api/organizations?alliance=testland' })).json();
    organizationId = page.items.find((item: { name: string }) => item.name === 'Centre Alpha').id;
  });

  it('adds the place to the organisation and answers it with its version', async () => {
    const response = await addPlace(newPlace);
    expect(response.statusCode).toBe(201);
    const place = response.json();
    expect(place).toMatchObject({
      organizationId,
      address: '5 Place Pey Berland',
      city: 'Bordeaux',
      postalCode: '33000',
      precision: 'exact',
      hideAddress: false,
      version: 1,
    });
    expect(place.lat).toBeCloseTo(44.8378, 6);
    expect(place.lon).toBeCloseTo(-0.5772, 6);
    const organization = (
      await context.app.inject({ url: `/api/organizations/${organizationId}`, headers: editor.headers })
    ).json();
    expect(organization.locations.map((location: { id: string }) => location.id)).toContain(place.id);
  });

  it('records who added it in the history', async () => {
    const place = (await addPlace({ ...newPlace, address: '6 Place Pey Berland' })).json();
    const history = await context.app.inject({ url: `/api/history/location/${place.id}`, headers: member.headers });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([
      expect.objectContaining({
        action: 'create',
        entityType: 'location',
        entityId: place.id,
        author: expect.objectContaining({ accountId: editor.accountId, displayName: 'Eva Editor' }),
        old: null,
        new: expect.objectContaining({ address1: '6 Place Pey Berland', country: 'FR' }),
      }),
    ]);
  });

  it('keeps a hidden address from the public', async () => {
    const place = (await addPlace({ ...newPlace, address: 'Shelter street', hideAddress: true })).json();
    const organization = (await context.app.inject({ url: `/api/organizations/${organizationId}` })).json();
    const publicPlace = organization.locations.find((location: { id: string }) => location.id === place.id);
    expect(publicPlace).toMatchObject({ address: null, postalCode: null, town: 'Bordeaux', hideAddress: true });
  });

  it('asks for a signed-in editor of the organisation’s alliance', async () => {
    expect((await addPlace(newPlace, null)).statusCode).toBe(401);
    const asMember = await addPlace(newPlace, member);
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().message).toMatch(/editor/);
    const outsider = await signedInAs(context.database.db, null, 'testland');
    expect((await addPlace(newPlace, outsider)).statusCode).toBe(403);
    const viaToken = await context.app.inject({
      method: 'POST',
      url: `/api/organizations/${organizationId}/locations`,
      headers: adminHeaders,
      payload: newPlace,
    });
    expect(viaToken.statusCode).toBe(201);
  });

  it('answers 404 for an unknown organisation', async () => {
    const response = await addPlace(newPlace, editor, '00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/no organisation with id/);
  });

  it('refuses coordinates off the globe, a missing one, and unknown fields, writing nothing', async () => {
    const before = (await context.app.inject({ url: `/api/organizations/${organizationId}` })).json().locations.length;
    for (const body of [
      { ...newPlace, lat: 91 },
      { ...newPlace, lon: -181 },
      { lat: 44.8 },
      { ...newPlace, lat: '44.8' },
      { ...newPlace, precision: 'roughly' },
      { ...newPlace, city: 'Bordeaux' },
    ]) {
      const response = await addPlace(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().message).not.toBe('');
    }
    const after = (await context.app.inject({ url: `/api/organizations/${organizationId}` })).json().locations.length;
    expect(after).toBe(before);
  });
});
