import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const newOrganization = {
  alliance: 'testland',
  name: 'Delta language café',
  description: 'Conversation tables in French.',
  website: 'https://delta.example.org/',
  contactPerson: 'Marie Curie',
  contactEmail: 'marie@example.org',
  influence: 'high',
  location: { lat: 44.85, lon: -0.57, town: 'Bordeaux', address: '1 rue X', precision: 'exact' },
};

describe.each(databaseModes())('writing organisations and services (%s database)', (mode) => {
  const context = useTestApp(mode);
  const post = (url: string, payload: unknown, headers: Record<string, string> = adminHeaders) =>
    context.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const countServices = async () => (await context.app.inject({ url: '/api/services?limit=1' })).json().total as number;
  /** A change sent with the version the record has now, as a page that has just read it would. */
  const patch = async (url: string, payload: object) =>
    context.app.inject({
      method: 'PATCH',
      url,
      headers: adminHeaders,
      payload: { version: (await context.app.inject({ url })).json().version, ...payload },
    });

  it('refuses a write from nobody, or with a token that is not valid (401)', async () => {
    const anonymous = await post('/api/organizations', newOrganization, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().message).toMatch(/Sign in/);
    const wrong = await post('/api/organizations', newOrganization, { authorization: 'Bearer nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toMatch(/not valid/);
  });

  it('asks for the token before looking at the body', async () => {
    const response = await post('/api/services', {}, {});
    expect(response.statusCode).toBe(401);
  });

  it('creates an organisation with its location, then a service there, and reads them back', async () => {
    const created = await post('/api/organizations', newOrganization);
    expect(created.statusCode).toBe(201);
    const organization = created.json();
    expect(organization.locations).toMatchObject([{ lat: 44.85, lon: -0.57, address: '1 rue X' }]);
    expect(organization.stakeholder).toMatchObject({ contactPerson: 'Marie Curie', influence: 'high' });

    const service = await post('/api/services', {
      organizationId: organization.id,
      name: 'French conversation',
      category: 'socio_cultural_sports',
      topics: ['language_courses'],
      languages: ['fr', 'uk'],
    });
    expect(service.statusCode).toBe(201);
    expect(service.json().locations).toHaveLength(1);

    const nearby = await context.app.inject({ url: '/api/services/nearby?lat=44.85&lon=-0.57&radius_m=100' });
    expect(nearby.json().items.map((item: { name: string }) => item.name)).toEqual(['French conversation']);
  });

  it('hides the stakeholder contact fields from the public', async () => {
    const { items } = (await context.app.inject({ url: '/api/organizations?q=Delta' })).json();
    const publicView = (await context.app.inject({ url: `/api/organizations/${items[0].id}` })).json();
    expect(publicView.stakeholder).toBeUndefined();
    expect(JSON.stringify(publicView)).not.toContain('marie@example.org');
    const memberView = (
      await context.app.inject({ url: `/api/organizations/${items[0].id}`, headers: adminHeaders })
    ).json();
    expect(memberView.stakeholder.contactEmail).toBe('marie@example.org');
  });

  it('updates some fields of a service and moves it to another category everywhere', async () => {
    const [service] = (await context.app.inject({ url: '/api/services?topic=language_courses' })).json().items;
    const patched = await patch(`/api/services/${service.id}`, { category: 'social_action', feesDescription: 'Free' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ category: 'social_action', feesDescription: 'Free' });
    const nearby = await context.app.inject({
      url: '/api/services/nearby?lat=44.85&lon=-0.57&radius_m=100&category=social_action',
    });
    expect(nearby.json().items).toHaveLength(1);
  });

  it('stores a body exactly as sent: null stays null, and a number is no name', async () => {
    const [service] = (await context.app.inject({ url: '/api/services?topic=language_courses' })).json().items;
    const url = `/api/services/${service.id}`;
    await patch(url, { feesDescription: 'Free' });
    const cleared = await patch(url, { feesDescription: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().feesDescription).toBeNull();
    const numeric = await patch(url, { name: 123 });
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().message).toMatch(/name/);
  });

  it('deletes a service, then answers 404 for it', async () => {
    const [service] = (await context.app.inject({ url: '/api/services?topic=language_courses' })).json().items;
    const url = `/api/services/${service.id}`;
    expect((await context.app.inject({ method: 'DELETE', url, headers: adminHeaders })).statusCode).toBe(204);
    expect((await context.app.inject({ url })).statusCode).toBe(404);
    expect((await context.app.inject({ method: 'DELETE', url, headers: adminHeaders })).statusCode).toBe(404);
  });

  it('leaves nothing behind when linking a service to an unknown location fails', async () => {
    const before = await countServices();
    const { items } = (await context.app.inject({ url: '/api/organizations?q=Delta' })).json();
    const response = await post('/api/services', {
      organizationId: items[0].id,
      name: 'Half-written service',
      category: 'social_action',
      locationIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/does not exist/);
    expect(await countServices()).toBe(before);
  });

  it('refuses a location of another organisation', async () => {
    const organizations = (await context.app.inject({ url: '/api/organizations?alliance=testland' })).json().items;
    const alpha = (await context.app.inject({ url: `/api/organizations/${organizations[0].id}` })).json();
    const response = await post('/api/services', {
      organizationId: organizations[1].id,
      name: 'Borrowed place',
      category: 'social_action',
      locationIds: [alpha.locations[0].id],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/belongs to another organisation/);
  });

  it.each([
    ['malformed JSON', '{"name": ', 'application/json', 400, /not valid JSON/],
    ['a form instead of JSON', 'name=x', 'application/x-www-form-urlencoded', 415, /application\/json/],
    [
      'an unknown field',
      JSON.stringify({ ...newOrganization, colour: 'red' }),
      'application/json',
      400,
      /unknown field "colour"/,
    ],
    ['a missing name', JSON.stringify({ alliance: 'testland' }), 'application/json', 400, /missing "name"/],
    [
      'an invalid latitude',
      JSON.stringify({ ...newOrganization, location: { lat: 100, lon: 0 } }),
      'application/json',
      400,
      /"location.lat" must be at most 90/,
    ],
    [
      'an unknown alliance',
      JSON.stringify({ ...newOrganization, alliance: 'atlantis' }),
      'application/json',
      404,
      /no alliance "atlantis"/,
    ],
    [
      'a body over 1 MiB',
      JSON.stringify({ ...newOrganization, description: 'x'.repeat(1_100_000) }),
      'application/json',
      413,
      /too large/,
    ],
  ])('answers %s with a clear error', async (_what, payload, contentType, statusCode, message) => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: { ...adminHeaders, 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(statusCode);
    expect(response.json().message).toMatch(message);
  });

  it('stores whether a service is free, its phone and its opening hours, and the finder shows them', async () => {
    const { items } = (await context.app.inject({ url: '/api/services?topic=employment' })).json();
    const url = `/api/services/${items[0].id}`;
    const details = {
      free: false,
      feesDescription: '5 euros a session.',
      phone: '+33 5 00 00 00 02',
      openingHours: 'We 14:00-16:00',
    };
    const patched = await patch(url, details);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject(details);
    // The server's today: a fixed first day would be refused a year on (directory.day-out-of-range).
    const directory = (await context.app.inject({ url: '/api/alliances/testland/directory' })).json();
    const entry = directory.services.find((service: { name: string }) => service.name === 'Beta job coaching');
    expect(entry).toMatchObject({
      free: false,
      feesDescription: '5 euros a session.',
      phone: '+33 5 00 00 00 02',
      openingHours: 'We 14:00-16:00',
    });
    // The Wednesdays of the 8 days listed (one, or two when today is one), 14:00 to 16:00 in the region.
    const inRegion = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const intervals = entry.openIntervals as [string, string][];
    expect(intervals.length).toBeGreaterThanOrEqual(1);
    expect(intervals.length).toBeLessThanOrEqual(2);
    expect(
      intervals.map(([opens, closes]) => [inRegion.format(new Date(opens)), inRegion.format(new Date(closes))]),
    ).toEqual(intervals.map(() => ['Wed 14:00', 'Wed 16:00']));
    const cleared = await patch(url, { free: null, openingHours: null });
    expect(cleared.json()).toMatchObject({ free: null, openingHours: null, phone: '+33 5 00 00 00 02' });
  });

  it('refuses opening hours it cannot read, saying how to write them, and changes nothing', async () => {
    const { items } = (await context.app.inject({ url: '/api/services?topic=sports' })).json();
    const url = `/api/services/${items[0].id}`;
    const patched = await patch(url, { name: 'Renamed club', openingHours: 'Sa 25:00-26:00' });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().message).toMatch(/^The opening hours are not valid near "Sa 25:00".*opening_hours syntax/);
    expect((await context.app.inject({ url })).json()).toMatchObject({
      name: 'Alpha football club',
      openingHours: 'Sa 10:00-12:00',
    });
    const created = await post('/api/services', {
      organizationId: (await context.app.inject({ url })).json().organization.id,
      name: 'Night owls',
      category: 'socio_cultural_sports',
      openingHours: 'nightly',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().message).toMatch(/^The opening hours are not valid/);
  });

  it('answers 404 when changing an unknown organisation', async () => {
    const response = await context.app.inject({
      method: 'PATCH',
      url: '/api/organizations/00000000-0000-4000-8000-000000000000',
      headers: adminHeaders,
      payload: { version: 1, name: 'Ghost' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no organisation with id 00000000-0000-4000-8000-000000000000.');
  });
});
