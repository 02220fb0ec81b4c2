import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

interface Request {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
}

interface DirectoryEntry {
  serviceId: string;
  openIntervals: [string, string][] | null;
  closure: unknown;
  verifiedAt: string | null;
  checkedMonth: string | null;
}

/** Saturday 24 October 2026: the directory lists 24 to 31 October (Paris goes back to winter time on the 25th). */
const from = '2026-10-24';
/** What Mo-Fr 09:00-12:00,14:00-17:00 gives on a weekday of that week, in Paris's winter time. */
const usualDay = (day: number): [string, string][] => [
  [`2026-10-${day}T08:00:00.000Z`, `2026-10-${day}T11:00:00.000Z`],
  [`2026-10-${day}T13:00:00.000Z`, `2026-10-${day}T16:00:00.000Z`],
];

describe.each(databaseModes())('temporary closures and exceptional hours (%s database)', (mode) => {
  // The directory's today is the day these tests read (a fixed day would be refused a year on).
  const context = useTestApp(mode, undefined, { clock: () => new Date(`${from}T10:00:00Z`) });
  let editor: TestActor;
  let member: TestActor;
  let outsider: TestActor;
  let organizationId: string;
  let counter = 0;

  const send = (actor: TestActor | null, { method = 'GET', url, payload }: Request) =>
    context.app.inject({ method, url, payload, headers: actor?.headers ?? {} });
  const ok = async (actor: TestActor | null, request: Request, status = 200) => {
    const response = await send(actor, request);
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  };

  async function newService(openingHours: string | null = 'Mo-Fr 09:00-12:00,14:00-17:00') {
    counter += 1;
    return ok(
      editor,
      {
        method: 'POST',
        url: '/api/services',
        payload: { organizationId, name: `Closing service ${counter}`, category: 'social_action', openingHours },
      },
      201,
    );
  }
  const addClosure = (serviceId: string, payload: object) =>
    send(editor, { method: 'POST', url: `/api/services/${serviceId}/closures`, payload });
  const directoryEntry = async (serviceId: string, day = from): Promise<DirectoryEntry> => {
    const body = await ok(null, { url: `/api/alliances/testland/directory?from=${day}` });
    return body.services.find((service: DirectoryEntry) => service.serviceId === serviceId);
  };

  beforeAll(async () => {
    const db = context.database.db;
    editor = await signedInAs(db, 'editor', 'testland', { displayName: 'Marie Dupont' });
    member = await signedInAs(db, 'member', 'testland');
    outsider = await signedInAs(db, null, 'testland');
    const organization = await ok(
      editor,
      {
        method: 'POST',
        url: '/api/organizations',
        payload: {
          alliance: 'testland',
          name: 'Closures organisation',
          location: { lat: 44.86, lon: -0.56, town: 'Bordeaux', address: '3 quai des Tests' },
        },
      },
      201,
    );
    organizationId = organization.id;
  });

  it('closes a service on the days of its closure only, and says when it reopens', async () => {
    const service = await newService();
    const closure = await ok(
      editor,
      {
        method: 'POST',
        url: `/api/services/${service.id}/closures`,
        payload: { startsOn: '2026-10-27', endsOn: '2026-10-28', note: 'Staff training' },
      },
      201,
    );
    expect(closure).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      serviceId: service.id,
      startsOn: '2026-10-27',
      endsOn: '2026-10-28',
      reopensOn: '2026-10-29',
      openingHours: null,
      note: 'Staff training',
      version: 1,
    });

    const entry = await directoryEntry(service.id);
    expect(entry.openIntervals).toEqual([26, 29, 30].flatMap(usualDay));
    expect(entry.closure).toEqual({
      startsOn: '2026-10-27',
      endsOn: '2026-10-28',
      reopensOn: '2026-10-29',
      openingHours: null,
      note: 'Staff training',
    });
  });

  it('is not open now during a closure that started before the days listed', async () => {
    const service = await newService();
    expect((await addClosure(service.id, { startsOn: '2026-10-01', endsOn: '2026-10-27' })).statusCode).toBe(201);
    const entry = await directoryEntry(service.id);
    // Tuesday 27 October at 10:00 in Paris, a time the service is usually open: closed, back on the 28th.
    const now = Date.parse('2026-10-27T09:00:00.000Z');
    expect(entry.openIntervals!.some(([opens, closes]) => Date.parse(opens) <= now && now < Date.parse(closes))).toBe(
      false,
    );
    expect(entry.openIntervals).toEqual([28, 29, 30].flatMap(usualDay));
    expect(entry.closure).toMatchObject({ startsOn: '2026-10-01', reopensOn: '2026-10-28' });
  });

  it('gives exceptional hours instead of the usual ones on those days only', async () => {
    const service = await newService();
    const response = await addClosure(service.id, {
      startsOn: '2026-10-29',
      endsOn: '2026-10-30',
      openingHours: 'Mo-Fr 10:00-12:00',
    });
    expect(response.statusCode).toBe(201);
    const entry = await directoryEntry(service.id);
    expect(entry.openIntervals).toEqual([
      ...[26, 27, 28].flatMap(usualDay),
      ['2026-10-29T09:00:00.000Z', '2026-10-29T11:00:00.000Z'],
      ['2026-10-30T09:00:00.000Z', '2026-10-30T11:00:00.000Z'],
    ]);
    expect(entry.closure).toMatchObject({ startsOn: '2026-10-29', openingHours: 'Mo-Fr 10:00-12:00' });
  });

  it('leaves a closure after the days listed out of the directory', async () => {
    const service = await newService();
    expect((await addClosure(service.id, { startsOn: '2026-11-02', endsOn: '2026-11-05' })).statusCode).toBe(201);
    const entry = await directoryEntry(service.id);
    expect(entry.closure).toBeNull();
    expect(entry.openIntervals).toEqual([26, 27, 28, 29, 30].flatMap(usualDay));
  });

  it('says the month a service was last checked, in the region’s calendar', async () => {
    const service = await newService();
    expect(await directoryEntry(service.id)).toMatchObject({ verifiedAt: null, checkedMonth: null });
    // 23:30 on 31 March in UTC is already 1 April in Paris.
    await context.database.db
      .updateTable('service')
      .set({ verified_at: new Date('2026-03-31T23:30:00Z'), verified_via: 'editor' })
      .where('id', '=', service.id)
      .execute();
    expect(await directoryEntry(service.id)).toMatchObject({
      verifiedAt: '2026-03-31T23:30:00.000Z',
      checkedMonth: '2026-04',
    });
  });

  it.each([
    [{ startsOn: '2026-12-20', endsOn: '2026-12-19' }, 'closures.ends-before-start'],
    [{ startsOn: '2026-02-30', endsOn: '2026-03-02' }, 'closures.date-invalid'],
    [{ startsOn: '2026-01-01', endsOn: '2028-01-02' }, 'closures.too-long'],
    [{ startsOn: '2026-12-20', endsOn: '2027-01-04', openingHours: 'Mo-Fx 10:00' }, 'opening-hours.invalid-near'],
  ])('refuses %j with 400 (%s) and records nothing', async (payload, code) => {
    const service = await newService();
    const response = await addClosure(service.id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code });
    expect((await ok(member, { url: `/api/services/${service.id}/closures` })).items).toEqual([]);
  });

  it('accepts a closure of exactly two years, and one of a single day', async () => {
    const service = await newService();
    expect((await addClosure(service.id, { startsOn: '2026-01-01', endsOn: '2028-01-01' })).statusCode).toBe(201);
    expect((await addClosure(service.id, { startsOn: '2028-02-29', endsOn: '2028-02-29' })).statusCode).toBe(201);
  });

  it('lets members read, and only editors write', async () => {
    const service = await newService();
    const payload = { startsOn: '2026-12-20', endsOn: '2027-01-04' };
    expect(
      (await send(member, { method: 'POST', url: `/api/services/${service.id}/closures`, payload })).statusCode,
    ).toBe(403);
    expect((await send(null, { url: `/api/services/${service.id}/closures` })).statusCode).toBe(401);
    expect((await send(outsider, { url: `/api/services/${service.id}/closures` })).statusCode).toBe(403);
    const created = (await addClosure(service.id, payload)).json();
    expect((await ok(member, { url: `/api/services/${service.id}/closures` })).items).toEqual([created]);
    expect((await send(member, { method: 'DELETE', url: `/api/closures/${created.id}` })).statusCode).toBe(403);
  });

  it('refuses a change that would end it before it starts, and keeps it as it was', async () => {
    const service = await newService();
    const created = (await addClosure(service.id, { startsOn: '2026-12-20', endsOn: '2027-01-04' })).json();
    const response = await send(editor, {
      method: 'PATCH',
      url: `/api/closures/${created.id}`,
      payload: { version: 1, endsOn: '2026-12-01' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'closures.ends-before-start',
      params: { startsOn: '2026-12-20', endsOn: '2026-12-01' },
    });
    expect((await ok(member, { url: `/api/services/${service.id}/closures` })).items).toEqual([created]);
  });

  it('records its creation, changes and deletion in the history with their author', async () => {
    const service = await newService();
    const created = (await addClosure(service.id, { startsOn: '2026-12-20', endsOn: '2027-01-04' })).json();
    const changed = await ok(editor, {
      method: 'PATCH',
      url: `/api/closures/${created.id}`,
      payload: { version: created.version, endsOn: '2027-01-06', openingHours: 'Mo-Fr 10:00-12:00' },
    });
    expect(changed).toMatchObject({ endsOn: '2027-01-06', reopensOn: '2027-01-07', version: 2 });

    const stale = await send(editor, {
      method: 'PATCH',
      url: `/api/closures/${created.id}`,
      payload: { version: created.version, note: 'Too late' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict.stale-version', params: { who: 'Marie Dupont' } });

    const history = (await ok(member, { url: `/api/history/service_closure/${created.id}` })).items;
    expect(history[0]).toMatchObject({
      entityType: 'service_closure',
      action: 'update',
      author: { displayName: 'Marie Dupont' },
      changedFields: ['endsOn', 'openingHours'],
    });
    expect(history.map((change: { action: string }) => change.action)).toEqual(['update', 'create']);

    expect((await send(editor, { method: 'DELETE', url: `/api/closures/${created.id}` })).statusCode).toBe(204);
    expect((await send(editor, { method: 'DELETE', url: `/api/closures/${created.id}` })).statusCode).toBe(404);
    const afterDeletion = (await ok(member, { url: `/api/history/service_closure/${created.id}` })).items;
    expect(afterDeletion.map((change: { action: string }) => change.action)).toEqual(['delete', 'update', 'create']);
  });

  it('answers 404 for a closure or service that does not exist', async () => {
    const nowhere = '00000000-0000-4000-8000-000000000000';
    const patch = await send(editor, {
      method: 'PATCH',
      url: `/api/closures/${nowhere}`,
      payload: { version: 1, note: 'x' },
    });
    expect(patch.statusCode).toBe(404);
    expect(patch.json()).toMatchObject({ code: 'not-found.closure' });
    const post = await addClosure(nowhere, { startsOn: '2026-12-20', endsOn: '2027-01-04' });
    expect(post.statusCode).toBe(404);
    expect(post.json()).toMatchObject({ code: 'not-found.service' });
  });
});
