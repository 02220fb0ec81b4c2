import fs from 'node:fs/promises';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { calendarDateAt } from '../../server/src/domain/schedules/wallClock.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { multipart } from '../support/importRecords.js';
import { databaseModes } from '../support/testDatabase.js';
import { type TestApp, useTestApp } from '../support/testApp.js';

const dayMs = 86_400_000;

describe.each(databaseModes())('keeping the map true: checks and cycles (%s database)', (mode) => {
  const context = useTestApp(mode);
  let coordinator: TestActor;
  let editor: TestActor;
  let member: TestActor;
  let outsider: TestActor;
  const ids: Record<string, string> = {};

  const send = (actor: TestActor | null, options: InjectOptions) =>
    context.app.inject({ ...options, headers: { ...actor?.headers, ...options.headers } });
  const ok = async (actor: TestActor | null, options: InjectOptions, status = 200) => {
    const answer = await send(actor, options);
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  };
  const detail = (actor: TestActor | null, id: string) => ok(actor, { url: `/api/services/${id}` });
  const toCheck = async (query = '') =>
    (await ok(member, { url: `/api/alliances/testland/services-to-check${query}` })).items.map(
      (item: { name: string }) => item.name,
    );
  /** Sets when a service was last checked, as if somebody had checked it `daysAgo` days ago (null: never). */
  const checkedDaysAgo = async (name: string, daysAgo: number | null) => {
    await context.database.db
      .updateTable('service')
      .set({
        verified_at: daysAgo === null ? null : new Date(Date.now() - daysAgo * dayMs),
        verified_via: daysAgo === null ? null : 'import',
        verified_by: null,
        update_cycle_months: null,
      })
      .where('id', '=', ids[name]!)
      .execute();
  };

  beforeAll(async () => {
    const db = context.database.db;
    coordinator = await signedInAs(db, 'coordinator', 'testland');
    editor = await signedInAs(db, 'editor', 'testland', { displayName: 'Inès Checker' });
    member = await signedInAs(db, 'member', 'testland');
    outsider = await signedInAs(db, null, 'testland');
    const rows = await db.selectFrom('service').select(['id', 'name']).execute();
    for (const row of rows) ids[row.name] = row.id;
    // Testland's cycle is six months: one never checked, one two years ago, one yesterday, one seven months ago.
    await checkedDaysAgo('Alpha housing advice', null);
    await checkedDaysAgo('Alpha football club', 730);
    await checkedDaysAgo('Beta job coaching', 1);
    await checkedDaysAgo('Gamma social desk', 213);
  });

  it('lists the overdue services, never checked first, then the oldest due first, with their organisation', async () => {
    const body = await ok(member, { url: '/api/alliances/testland/services-to-check' });
    expect(body.items.map((item: { name: string }) => item.name)).toEqual([
      'Alpha housing advice',
      'Alpha football club',
      'Gamma social desk',
    ]);
    expect(body.items[0]).toMatchObject({
      organization: { name: 'Centre Alpha' },
      verifiedAt: null,
      checkedOn: null,
      dueOn: null,
      monthsSinceCheck: null,
      effectiveCycleMonths: 6,
    });
    expect(body.items[2]).toMatchObject({ organization: { name: 'Gamma social desk' }, verifiedVia: 'import' });
    expect(body.items[2].monthsSinceCheck).toBeGreaterThanOrEqual(6);
    expect(body.items[2].dueOn < calendarDateAt(new Date(), 'Europe/Paris')).toBe(true);
  });

  it('narrows the list to one organisation, and to services not checked for N months', async () => {
    const [alpha] = (await ok(member, { url: '/api/services?topic=housing' })).items;
    expect(await toCheck(`?organization=${alpha.organization.id}`)).toEqual([
      'Alpha housing advice',
      'Alpha football club',
    ]);
    expect(await toCheck('?notCheckedForMonths=12')).toEqual(['Alpha housing advice', 'Alpha football club']);
  });

  it('refuses an organisation of another alliance, and anyone who is not a member', async () => {
    const answer = await send(member, {
      url: '/api/alliances/testland/services-to-check?organization=00000000-0000-4000-8000-000000000000',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('input.organization-of-other-alliance');
    expect((await send(outsider, { url: '/api/alliances/testland/services-to-check' })).statusCode).toBe(403);
    expect((await send(null, { url: '/api/alliances/testland/services-to-check' })).statusCode).toBe(401);
    expect((await send(member, { url: '/api/alliances/nowhere/services-to-check' })).statusCode).toBe(404);
  });

  it('tells the age of each service in the list and on the map, and filters by months without a check', async () => {
    const page = await ok(member, { url: '/api/services?alliance=testland' });
    const ages = Object.fromEntries(page.items.map((item: { name: string; age: string }) => [item.name, item.age]));
    expect(ages).toEqual({
      'Alpha housing advice': 'never',
      'Alpha football club': 'overdue',
      'Beta job coaching': 'fresh',
      'Gamma social desk': 'overdue',
    });
    const beta = page.items.find((item: { name: string }) => item.name === 'Beta job coaching');
    expect(beta).toMatchObject({
      verifiedVia: 'import',
      updateCycleMonths: null,
      effectiveCycleMonths: 6,
      overdue: false,
    });
    const filtered = await ok(member, { url: '/api/services?alliance=testland&notCheckedForMonths=6' });
    expect(filtered.items.map((item: { name: string }) => item.name)).toEqual([
      'Alpha football club',
      'Alpha housing advice',
      'Gamma social desk',
    ]);
    expect(filtered.total).toBe(3);
    const points = await ok(null, { url: '/api/services.geojson?alliance=testland&notCheckedForMonths=12' });
    expect(
      points.features.map((feature: { properties: { name: string; age: string } }) => feature.properties.age).sort(),
    ).toEqual(['never', 'overdue']);
    expect((await send(null, { url: '/api/services?notCheckedForMonths=0' })).statusCode).toBe(400);
  });

  it('counts a service as due soon within a month of its due day', async () => {
    await checkedDaysAgo('Beta job coaching', 170);
    const page = await ok(member, { url: '/api/services?topic=employment' });
    expect(page.items[0]).toMatchObject({ age: 'due-soon', overdue: false });
    await checkedDaysAgo('Beta job coaching', 1);
  });

  it('lets an editor say a service is still true: the date and checker change, nothing else', async () => {
    const id = ids['Gamma social desk']!;
    const before = await detail(editor, id);
    const after = await ok(editor, {
      method: 'POST',
      url: `/api/services/${id}/verify`,
      payload: { version: before.version },
    });
    const today = calendarDateAt(new Date(), 'Europe/Paris');
    expect(after).toMatchObject({
      verifiedVia: 'editor',
      verifiedByName: 'Inès Checker',
      checkedOn: today,
      overdue: false,
      age: 'fresh',
      version: before.version + 1,
    });
    const unchanged = (service: Record<string, unknown>) => {
      const {
        verifiedAt: _verifiedAt,
        verifiedVia: _verifiedVia,
        verifiedByName: _verifiedByName,
        checkedOn: _checkedOn,
        dueOn: _dueOn,
        overdue: _overdue,
        age: _age,
        version: _version,
        // The version trigger moves updated_at with the version.
        updatedAt: _updatedAt,
        ...rest
      } = service;
      return rest;
    };
    expect(unchanged(after)).toEqual(unchanged(before));
    expect(await toCheck()).not.toContain('Gamma social desk');

    const history = (await ok(member, { url: `/api/history/service/${id}` })).items;
    expect(history[0]).toMatchObject({
      action: 'update',
      author: { accountId: editor.accountId, displayName: 'Inès Checker' },
    });
    expect(history[0].changedFields).toEqual(expect.arrayContaining(['verifiedAt', 'verifiedBy', 'verifiedVia']));
    expect(history[0].changedFields).not.toContain('name');
  });

  it("names the checker to the alliance's members only", async () => {
    const id = ids['Gamma social desk']!;
    expect((await detail(member, id)).verifiedByName).toBe('Inès Checker');
    const publicView = await detail(null, id);
    expect(publicView.verifiedByName).toBeNull();
    expect(publicView.verifiedVia).toBe('editor');
  });

  it('refuses a check of a service read at an older version, and changes nothing', async () => {
    const id = ids['Alpha football club']!;
    const before = await detail(editor, id);
    const answer = await send(editor, {
      method: 'POST',
      url: `/api/services/${id}/verify`,
      payload: { version: before.version - 1 < 1 ? before.version + 5 : before.version - 1 },
    });
    expect(answer.statusCode).toBe(409);
    expect(await detail(editor, id)).toEqual(before);
  });

  it('lets editors only check a service, and answers 404 for a service that does not exist', async () => {
    const id = ids['Alpha football club']!;
    const { version } = await detail(member, id);
    const verify = (actor: TestActor | null, serviceId = id) =>
      send(actor, { method: 'POST', url: `/api/services/${serviceId}/verify`, payload: { version } });
    expect((await verify(member)).statusCode).toBe(403);
    expect((await verify(outsider)).statusCode).toBe(403);
    expect((await verify(null)).statusCode).toBe(401);
    expect((await verify(editor, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const extra = await send(editor, {
      method: 'POST',
      url: `/api/services/${id}/verify`,
      payload: { version, verifiedAt: '2020-01-01' },
    });
    expect(extra.statusCode).toBe(400);
    expect((await detail(member, id)).version).toBe(version);
  });

  it("lets an editor give a service its own cycle, or follow the alliance's again", async () => {
    const id = ids['Beta job coaching']!;
    const patch = async (updateCycleMonths: unknown, status = 200) => {
      const { version } = await detail(editor, id);
      return ok(
        editor,
        { method: 'PATCH', url: `/api/services/${id}`, payload: { version, updateCycleMonths } },
        status,
      );
    };
    expect(await patch(1)).toMatchObject({ updateCycleMonths: 1, effectiveCycleMonths: 1, age: 'due-soon' });
    expect(await patch(null)).toMatchObject({ updateCycleMonths: null, effectiveCycleMonths: 6, age: 'fresh' });
    expect((await patch(2, 400)).code).toMatch(/^validation\./);
  });

  it('lets a coordinator set the default cycle and the self-service approval, and nobody else', async () => {
    const settings = await ok(coordinator, { url: '/api/alliances/testland' });
    expect(settings).toMatchObject({ updateCycleMonths: 6, selfServiceApproval: false });
    const patch = (actor: TestActor, payload: object) =>
      send(actor, { method: 'PATCH', url: '/api/alliances/testland', payload });
    expect((await patch(editor, { version: settings.version, updateCycleMonths: 12 })).statusCode).toBe(403);
    expect((await patch(coordinator, { version: settings.version, updateCycleMonths: 5 })).statusCode).toBe(400);
    const changed = await patch(coordinator, {
      version: settings.version,
      updateCycleMonths: 12,
      selfServiceApproval: true,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ updateCycleMonths: 12, selfServiceApproval: true });
    // Seven months ago is within a year: only the service never checked and the one of two years ago are left.
    await checkedDaysAgo('Gamma social desk', 213);
    expect(await toCheck()).toEqual(['Alpha housing advice', 'Alpha football club']);
    const reset = await patch(coordinator, {
      version: changed.json().version,
      updateCycleMonths: 6,
      selfServiceApproval: false,
    });
    expect(reset.statusCode, reset.body).toBe(200);
  });
});

describe.each(databaseModes())('imported services carry their source’s date (%s database)', (mode) => {
  const context = useTestApp(mode);

  it("takes the check date of a data·inclusion service from its date_maj, not from the import's day", async () => {
    const editor = await signedInAs(context.database.db, 'editor', 'testland');
    const fixtures = path.join(projectRoot, 'tests/fixtures/imports/data-inclusion-gironde');
    const files = await Promise.all(
      ['structures.json', 'services.json'].map(async (name) => ({
        name,
        content: await fs.readFile(path.join(fixtures, name)),
      })),
    );
    const body = multipart(files, { source: 'data·inclusion Gironde' });
    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/imports',
      headers: { ...editor.headers, ...body.headers },
      payload: body.payload,
    });
    expect(started.statusCode, started.body).toBe(202);
    await settle(context, editor, started.json().id);
    const committed = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/testland/imports/${started.json().id}/commit`,
      headers: editor.headers,
    });
    expect(committed.statusCode, committed.body).toBe(202);
    expect((await settle(context, editor, started.json().id)).status).toBe('committed');

    const service = await context.database.db
      .selectFrom('service')
      .select(['id', 'verified_at', 'verified_via', 'verified_by'])
      .where('source_record_id', '=', 'reseau-alpha--asl-bastide')
      .executeTakeFirstOrThrow();
    expect(calendarDateAt(new Date(service.verified_at!), 'Europe/Paris')).toBe('2025-06-30');
    expect(service).toMatchObject({ verified_via: 'import', verified_by: null });
    const answer = (await context.app.inject({ url: `/api/services/${service.id}` })).json();
    expect(answer).toMatchObject({ checkedOn: '2025-06-30', verifiedVia: 'import', overdue: true });
  });
});

async function settle(context: TestApp, actor: TestActor, id: string) {
  await context.app.backgroundTasksSettled();
  const answer = await context.app.inject({ url: `/api/alliances/testland/imports/${id}`, headers: actor.headers });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
}
