import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { changeTimeText } from '../../server/src/domain/history/staleVersion.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

describe.each(databaseModes())('action plan (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let editor: TestActor;
  let secondEditor: TestActor;
  let member: TestActor;
  let coordinator: TestActor;
  let meridianCoordinator: TestActor;
  let organizations: Record<string, string>;
  let gap: { runId: string; unitId: string; subject: string; reason: string };

  const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, actor?: TestActor, payload?: object) =>
    context.app.inject({ method, url, headers: actor?.headers ?? {}, ...(payload ? { payload } : {}) });

  async function addAction(payload: object, actor: TestActor = editor, alliance = 'testland') {
    const response = await request('POST', `/api/alliances/${alliance}/actions`, actor, payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  const setProfilePublished = (slug: string, published: boolean) =>
    context.database.db
      .updateTable('alliance')
      .set({ profile_published: published })
      .where('slug', '=', slug)
      .execute();

  beforeAll(async () => {
    const db = context.database.db;
    editor = await signedInAs(db, 'editor', 'testland', { displayName: 'Marie Dupont' });
    secondEditor = await signedInAs(db, 'secretariat', 'testland', { displayName: 'Jan de Vries' });
    member = await signedInAs(db, 'member', 'testland', { displayName: 'Amal Haddad' });
    coordinator = await signedInAs(db, 'coordinator', 'testland');
    meridianCoordinator = await signedInAs(db, 'coordinator', 'meridian');
    const rows = await db.selectFrom('organization').select(['name', 'id']).execute();
    organizations = Object.fromEntries(rows.map((row) => [row.name, row.id]));

    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/gap-analyses',
      headers: adminHeaders,
      payload: { units: { kind: 'h3', resolution: 6 }, categories: ['socio_cultural_sports'] },
    });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as string;
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
      if (run.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const worst = (await context.app.inject({ url: `/api/gap-analyses/${runId}/results?flagged=true&limit=1` })).json()
      .items[0];
    gap = { runId, unitId: worst.unit.id, subject: worst.subject, reason: worst.reason };
  });

  it('creates an action from a gap result, with its reason as the local problem and the area in words', async () => {
    // Langon's 7,000 inhabitants are 40 km from the only football club, in Bordeaux.
    expect(gap.reason).toBe('No socio-cultural & sports service within 10 km for ~7,000 inhabitants');
    const action = await addAction({
      title: 'Football on Wednesdays in Langon',
      gapRunId: gap.runId,
      gapUnitId: gap.unitId,
      gapSubject: gap.subject,
      responsibleOrganizationId: organizations['Gamma social desk'],
      partnerOrganizationIds: [organizations['Centre Alpha'], organizations['Bureau Beta']],
      estimatedBudget: 1500,
      startsOn: '2027-01-04',
      dueOn: '2027-06-30',
    });
    expect(action).toMatchObject({
      title: 'Football on Wednesdays in Langon',
      problem: 'No socio-cultural & sports service within 10 km for ~7,000 inhabitants',
      description: null,
      gap: { runId: gap.runId, unitId: gap.unitId, subject: 'socio_cultural_sports', label: 'Near Langon' },
      estimatedBudget: 1500,
      currency: 'EUR',
      responsibleOrganization: { id: organizations['Gamma social desk'], name: 'Gamma social desk' },
      partnerOrganizations: [
        { id: organizations['Centre Alpha'], name: 'Centre Alpha' },
        { id: organizations['Bureau Beta'], name: 'Bureau Beta' },
      ],
      startsOn: '2027-01-04',
      dueOn: '2027-06-30',
      status: 'proposed',
      published: false,
      version: 1,
    });
    const read = await request('GET', `/api/actions/${action.id}`, member);
    expect(read.json()).toEqual(action);
  });

  it('keeps a problem that was written, even with a gap link', async () => {
    const action = await addAction({
      title: 'Ask the town about a sports hall',
      problem: 'No hall for indoor sports',
      gapRunId: gap.runId,
      gapUnitId: gap.unitId,
      gapSubject: gap.subject,
    });
    expect(action.problem).toBe('No hall for indoor sports');
  });

  it('records the editor as the author of the new action in the change log', async () => {
    const action = await addAction({ title: 'Change log check' });
    const log = await context.database.db
      .selectFrom('change_log')
      .select(['account_id', 'action', 'alliance_id'])
      .where('entity_type', '=', 'plan_action')
      .where('entity_id', '=', action.id)
      .execute();
    expect(log).toEqual([{ account_id: editor.accountId, action: 'create', alliance_id: action.allianceId }]);
  });

  it('numbers the actions of an alliance one after another, per alliance, never reusing a deleted number', async () => {
    const admin = { accountId: '', email: '', headers: adminHeaders };
    const first = await addAction({ title: 'First in Meridian' }, admin, 'meridian');
    const second = await addAction({ title: 'Second in Meridian' }, admin, 'meridian');
    expect([first.number, second.number]).toEqual([1, 2]);
    expect((await request('DELETE', `/api/actions/${second.id}`, admin)).statusCode).toBe(204);
    const third = await addAction({ title: 'Third in Meridian' }, admin, 'meridian');
    expect(third.number).toBe(3);
  });

  it('gives two actions added at the same moment two numbers', async () => {
    const before = (await request('GET', '/api/alliances/testland/actions', member)).json().items as {
      number: number;
    }[];
    const highest = Math.max(0, ...before.map((action) => action.number));
    const responses = await Promise.all(
      ['Together A', 'Together B', 'Together C'].map((title) =>
        request('POST', '/api/alliances/testland/actions', editor, { title }),
      ),
    );
    expect(
      responses.map((response) => response.statusCode),
      responses.map((r) => r.body).join('\n'),
    ).toEqual([201, 201, 201]);
    const numbers = responses.map((response) => response.json().number as number).sort((a, b) => a - b);
    expect(numbers).toEqual([highest + 1, highest + 2, highest + 3]);
  });

  it.each([
    [
      'a due date before the start date',
      { startsOn: '2027-03-01', dueOn: '2027-02-01' },
      'The due date (2027-02-01) is before the start date (2027-03-01).',
    ],
    ['a negative budget', { estimatedBudget: -5 }, 'The estimated budget cannot be negative (-5 was sent).'],
    [
      'an unknown organisation',
      { responsibleOrganizationId: '00000000-0000-4000-8000-000000000000' },
      'There is no organisation with id 00000000-0000-4000-8000-000000000000.',
    ],
    [
      'a gap link without its subject',
      { gapRunId: '00000000-0000-4000-8000-000000000000', gapUnitId: '00000000-0000-4000-8000-000000000000' },
      'To link an action to a gap, send gapRunId, gapUnitId and gapSubject together (or none of them).',
    ],
  ])('refuses %s with a 400 that says why', async (_case, fields, message) => {
    const response = await request('POST', '/api/alliances/testland/actions', editor, { title: 'Refused', ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(message);
  });

  it("refuses an organisation of another alliance as partner, and another alliance's gap analysis", async () => {
    const partner = await request('POST', '/api/alliances/testland/actions', editor, {
      title: 'Refused',
      partnerOrganizationIds: [organizations['South desk']],
    });
    expect(partner.statusCode).toBe(400);
    expect(partner.json().message).toBe(
      '"South desk" belongs to another alliance: choose an organisation of this one.',
    );
    const admin = { accountId: '', email: '', headers: adminHeaders };
    const foreignGap = await request('POST', '/api/alliances/meridian/actions', admin, {
      title: 'Refused',
      gapRunId: gap.runId,
      gapUnitId: gap.unitId,
      gapSubject: gap.subject,
    });
    expect(foreignGap.statusCode).toBe(400);
    expect(foreignGap.json().message).toBe(`This alliance has no gap analysis with id ${gap.runId}.`);
  });

  it('refuses a gap link to an area or a subject the analysis does not have', async () => {
    const unknownArea = await request('POST', '/api/alliances/testland/actions', editor, {
      title: 'Refused',
      gapRunId: gap.runId,
      gapUnitId: organizations['Centre Alpha'],
      gapSubject: gap.subject,
    });
    expect(unknownArea.json().message).toBe(
      `Gap analysis ${gap.runId} has no area with id ${organizations['Centre Alpha']}.`,
    );
    const unknownSubject = await request('POST', '/api/alliances/testland/actions', editor, {
      title: 'Refused',
      gapRunId: gap.runId,
      gapUnitId: gap.unitId,
      gapSubject: 'social_action',
    });
    expect(unknownSubject.statusCode).toBe(400);
    expect(unknownSubject.json().message).toBe(
      `Gap analysis ${gap.runId} did not measure "social_action" in this area; it measured: socio_cultural_sports.`,
    );
  });

  it('changes an action when the version sent is current, and bumps its version', async () => {
    const action = await addAction({ title: 'To be planned' });
    const patched = await request('PATCH', `/api/actions/${action.id}`, editor, {
      version: 1,
      status: 'planned',
      indicator: '20 children a week',
      currency: null,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'planned', indicator: '20 children a week', currency: null });
    expect(patched.json().version).toBe(2);
  });

  it('refuses a change without a version (400)', async () => {
    const action = await addAction({ title: 'Without version' });
    const response = await request('PATCH', `/api/actions/${action.id}`, editor, { status: 'planned' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^The request body is missing "version"/);
  });

  it('refuses a change made on a stale version (409), saying who changed it and when, and writes nothing', async () => {
    const action = await addAction({ title: 'Two editors' });
    const first = await request('PATCH', `/api/actions/${action.id}`, secondEditor, { version: 1, title: 'Theirs' });
    expect(first.statusCode).toBe(200);
    const second = await request('PATCH', `/api/actions/${action.id}`, editor, { version: 1, title: 'Mine' });
    expect(second.statusCode).toBe(409);
    const [lastChange] = await context.database.db
      .selectFrom('change_log')
      .select('changed_at')
      .where('entity_id', '=', action.id)
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(second.json().message).toBe(
      `Jan de Vries changed this action at ${changeTimeText(lastChange!.changed_at, 'Europe/Paris')}, after you ` +
        'opened it. Reload it to see their change, then make yours again.',
    );
    const current = (await request('GET', `/api/actions/${action.id}`, member)).json();
    expect([current.title, current.version]).toEqual(['Theirs', 2]);
  });

  it('lets only one of two changes sent at the same moment on the same version through', async () => {
    const action = await addAction({ title: 'Race' });
    const responses = await Promise.all([
      request('PATCH', `/api/actions/${action.id}`, editor, { version: 1, title: 'Mine' }),
      request('PATCH', `/api/actions/${action.id}`, secondEditor, { version: 1, title: 'Theirs' }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
    const winner = responses.find((response) => response.statusCode === 200)!.json();
    const current = (await request('GET', `/api/actions/${action.id}`, member)).json();
    expect([current.title, current.version]).toEqual([winner.title, 2]);
  });

  it('checks the dates of a change against the dates already stored', async () => {
    const action = await addAction({ title: 'Dated', startsOn: '2027-05-01' });
    const response = await request('PATCH', `/api/actions/${action.id}`, editor, { version: 1, dueOn: '2027-04-30' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('The due date (2027-04-30) is before the start date (2027-05-01).');
  });

  it('deletes an action, then answers 404 for it', async () => {
    const action = await addAction({ title: 'Short-lived' });
    expect((await request('DELETE', `/api/actions/${action.id}`, editor)).statusCode).toBe(204);
    expect((await request('GET', `/api/actions/${action.id}`, member)).statusCode).toBe(404);
    expect((await request('DELETE', `/api/actions/${action.id}`, editor)).statusCode).toBe(404);
  });

  it('lets an editor write, refuses a member (403), the public (401) and another alliance’s coordinator (403)', async () => {
    const action = await addAction({ title: 'Roles' });
    const attempts = (actor?: TestActor) =>
      Promise.all([
        request('POST', '/api/alliances/testland/actions', actor, { title: 'Not allowed' }),
        request('PATCH', `/api/actions/${action.id}`, actor, { version: 1, title: 'Not allowed' }),
        request('DELETE', `/api/actions/${action.id}`, actor),
      ]);
    expect((await attempts(member)).map((response) => response.statusCode)).toEqual([403, 403, 403]);
    expect((await attempts(undefined)).map((response) => response.statusCode)).toEqual([401, 401, 401]);
    expect((await attempts(meridianCoordinator)).map((response) => response.statusCode)).toEqual([403, 403, 403]);
    const [refused] = await attempts(member);
    expect(refused!.json().message).toBe(
      'Your role in this alliance is member; this needs an editor, the secretariat or the coordinator of the alliance.',
    );
    expect((await request('GET', `/api/actions/${action.id}`, member)).json().title).toBe('Roles');
  });

  it('lets a member comment on an action, with their name, and keeps comments from the public', async () => {
    const action = await addAction({ title: 'Discussed' });
    const posted = await request('POST', `/api/actions/${action.id}/comments`, member, {
      body: 'The Langon sports hall is free on Wednesdays.',
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json()).toMatchObject({
      entityType: 'plan_action',
      entityId: action.id,
      body: 'The Langon sports hall is free on Wednesdays.',
      author: { accountId: member.accountId, displayName: 'Amal Haddad' },
    });
    const listed = await request('GET', `/api/actions/${action.id}/comments`, member);
    expect(listed.json().items).toEqual([posted.json()]);
    expect((await request('GET', `/api/actions/${action.id}/comments`)).statusCode).toBe(401);
    expect((await request('GET', `/api/actions/${action.id}/comments`, meridianCoordinator)).statusCode).toBe(403);
    const blank = await request('POST', `/api/actions/${action.id}/comments`, member, { body: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toBe('A comment needs some text.');
  });

  it('shows the public nothing while the profile is unpublished, then only the published actions', async () => {
    const shown = await addAction({ title: 'Shown to all', published: true }, coordinator);
    const hidden = await addAction({ title: 'Internal only' });
    await setProfilePublished('testland', false);
    expect((await request('GET', '/api/alliances/testland/actions')).json()).toEqual({ items: [] });
    expect((await request('GET', `/api/actions/${shown.id}`)).statusCode).toBe(404);

    await setProfilePublished('testland', true);
    const publicItems = (await request('GET', '/api/alliances/testland/actions')).json().items;
    expect(publicItems.map((action: { id: string }) => action.id)).toEqual([shown.id]);
    expect((await request('GET', `/api/actions/${shown.id}`)).json().title).toBe('Shown to all');
    const hiddenRead = await request('GET', `/api/actions/${hidden.id}`);
    expect(hiddenRead.statusCode).toBe(404);
    expect(hiddenRead.json().message).toBe(`There is no action with id ${hidden.id}.`);
    // Someone of another alliance is the public here.
    const outsider = (await request('GET', '/api/alliances/testland/actions', meridianCoordinator)).json().items;
    expect(outsider.map((action: { id: string }) => action.id)).toEqual([shown.id]);
    const memberItems = (await request('GET', '/api/alliances/testland/actions', member)).json().items;
    expect(memberItems.map((action: { id: string }) => action.id)).toContain(hidden.id);
    await setProfilePublished('testland', false);
  });

  it('answers 404 for the actions of an alliance that does not exist', async () => {
    const response = await request('GET', '/api/alliances/atlantis/actions');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no alliance "atlantis".');
  });

  it('exports the plan as CSV, one row per action, quoted as RFC 4180 says', async () => {
    const db = context.database.db;
    await sql`insert into organization (alliance_id, name) select id, 'Wide "Partners", Ltd' from alliance
              where slug = 'wide'`.execute(db);
    const widePartner = await db
      .selectFrom('organization')
      .select('id')
      .where('name', '=', 'Wide "Partners", Ltd')
      .executeTakeFirstOrThrow();
    const wideEditor = await signedInAs(db, 'editor', 'wide');
    const wideCoordinator = await signedInAs(db, 'coordinator', 'wide');
    await addAction(
      {
        title: 'Interpreting pool',
        problem: 'Nobody speaks Tigrinya at the town hall,\nnor at the clinic',
        description: 'Train 5 interpreters',
        estimatedBudget: 2500.5,
        resources: 'Regional fund; volunteers',
        responsibleOrganizationId: widePartner.id,
        partnerOrganizationIds: [widePartner.id],
        indicator: '=SUM(A1)',
        startsOn: '2027-01-01',
        dueOn: '2027-12-31',
        status: 'in_progress',
        published: true,
      },
      wideCoordinator,
      'wide',
    );
    await addAction({ title: 'Second, shorter' }, wideEditor, 'wide');

    const response = await request('GET', '/api/alliances/wide/actions.csv', wideEditor);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="action-plan-wide.csv"');
    expect(response.body).toBe(
      'Number,Action,Local problem,Description,Estimated budget,Currency,Resources/funding,Responsible partner,' +
        'Partners,Indicator,Start,Due,Status,Published\r\n' +
        '1,Interpreting pool,"Nobody speaks Tigrinya at the town hall,\nnor at the clinic",Train 5 interpreters,' +
        '2500.50,EUR,Regional fund; volunteers,"Wide ""Partners"", Ltd","Wide ""Partners"", Ltd",\'=SUM(A1),' +
        '2027-01-01,2027-12-31,In progress,yes\r\n' +
        '2,"Second, shorter",,,,EUR,,,,,,,Proposed,no\r\n',
    );
    const publicCsv = await request('GET', '/api/alliances/wide/actions.csv');
    expect(publicCsv.body).toBe(
      'Number,Action,Local problem,Description,Estimated budget,Currency,Resources/funding,Responsible partner,' +
        'Partners,Indicator,Start,Due,Status,Published\r\n',
    );
  });
});
