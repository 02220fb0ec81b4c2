import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

/** Personal contact values put on the fixture's organisations and signatures: none may reach the profile. */
const contactValues = [
  'Sophie Lenoir',
  '+33 6 12 34 56 78',
  'sophie.lenoir@alpha.example.org',
  'Paul Verdier',
  '+33 6 98 76 54 32',
  'paul@beta.example.org',
  'fatima.benali@private.example.org',
];

describe.each(databaseModes())('public profile (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let editor: TestActor;
  let coordinator: TestActor;
  let member: TestActor;
  let meridianCoordinator: TestActor;
  let organizations: Record<string, string>;
  let publishedAction: { id: string };
  let internalAction: { id: string };
  let runId: string;

  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, actor?: TestActor, payload?: object) =>
    context.app.inject({ method, url, headers: actor?.headers ?? {}, ...(payload ? { payload } : {}) });

  const setProfilePublished = (published: boolean) =>
    context.database.db
      .updateTable('alliance')
      .set({ profile_published: published })
      .where('slug', '=', 'testland')
      .execute();

  beforeAll(async () => {
    const db = context.database.db;
    editor = await signedInAs(db, 'editor', 'testland');
    coordinator = await signedInAs(db, 'coordinator', 'testland');
    member = await signedInAs(db, 'member', 'testland');
    meridianCoordinator = await signedInAs(db, 'coordinator', 'meridian');
    const rows = await db.selectFrom('organization').select(['name', 'id']).execute();
    organizations = Object.fromEntries(rows.map((row) => [row.name, row.id]));
    await db
      .updateTable('organization')
      .set({
        member_role: 'president',
        sector: 'public_authority',
        contact_person: 'Sophie Lenoir',
        contact_phone: '+33 6 12 34 56 78',
        contact_email: 'sophie.lenoir@alpha.example.org',
      })
      .where('name', '=', 'Centre Alpha')
      .execute();
    await db
      .updateTable('organization')
      .set({
        member_role: 'member',
        sector: 'ngo',
        contact_person: 'Paul Verdier',
        contact_phone: '+33 6 98 76 54 32',
        contact_email: 'paul@beta.example.org',
      })
      .where('name', '=', 'Bureau Beta')
      .execute();
    // Organisations the alliance lists but that are not its members.
    await db
      .updateTable('organization')
      .set({ member_role: null })
      .where('name', 'in', ['Gamma social desk', 'Delta welcome desk'])
      .execute();
    await db
      .updateTable('alliance')
      .set({ vision: 'Every newcomer finds help within 10 km.', charter: 'We commit to share what we know.' })
      .where('slug', '=', 'testland')
      .execute();

    const signed = await request('POST', '/api/alliances/testland/charter/signatures', editor, {
      signerName: 'Fatima Benali',
      organizationId: organizations['Centre Alpha'],
      contact: 'fatima.benali@private.example.org',
      signedOn: '2026-10-02',
    });
    expect(signed.statusCode, signed.body).toBe(201);
    publishedAction = (
      await request('POST', '/api/alliances/testland/actions', coordinator, { title: 'Open football', published: true })
    ).json();
    internalAction = (await request('POST', '/api/alliances/testland/actions', editor, { title: 'Internal' })).json();

    const started = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/gap-analyses',
      headers: adminHeaders,
      payload: { units: { kind: 'h3', resolution: 6 }, categories: ['socio_cultural_sports'] },
    });
    expect(started.statusCode, started.body).toBe(202);
    runId = started.json().id;
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
      if (run.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('answers 404 to the public while the profile is unpublished, and shows members a preview', async () => {
    await setProfilePublished(false);
    for (const actor of [undefined, meridianCoordinator]) {
      const response = await request('GET', '/api/alliances/testland/profile', actor);
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('This alliance has not published its profile.');
    }
    const preview = await request('GET', '/api/alliances/testland/profile', member);
    expect(preview.statusCode).toBe(200);
    expect(preview.json().published).toBe(false);
    const admin = await context.app.inject({ url: '/api/alliances/testland/profile', headers: adminHeaders });
    expect(admin.json().published).toBe(false);
  });

  it('publishes a finished gap analysis as research (manage), and takes it off again', async () => {
    const url = `/api/gap-analyses/${runId}`;
    expect((await request('PATCH', url, member, { published: true })).statusCode).toBe(403);
    expect((await request('PATCH', url, editor, { published: true })).statusCode).toBe(403);
    expect((await request('PATCH', url, undefined, { published: true })).statusCode).toBe(401);
    expect((await request('PATCH', url, meridianCoordinator, { published: true })).statusCode).toBe(403);
    const published = await request('PATCH', url, coordinator, { published: true });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toEqual({ id: runId, published: true });
    const unknown = await request('PATCH', '/api/gap-analyses/00000000-0000-4000-8000-000000000000', coordinator, {
      published: true,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('There is no gap analysis with id 00000000-0000-4000-8000-000000000000.');

    await setProfilePublished(true);
    const withResearch = (await request('GET', '/api/alliances/testland/profile')).json();
    expect(withResearch.research.map((item: { runId: string }) => item.runId)).toEqual([runId]);
    expect((await request('PATCH', url, coordinator, { published: false })).json()).toEqual({
      id: runId,
      published: false,
    });
    expect((await request('GET', '/api/alliances/testland/profile')).json().research).toEqual([]);
    await request('PATCH', url, coordinator, { published: true });
  });

  it('shows the public its member organisations, signatories, published actions and research', async () => {
    await setProfilePublished(true);
    const response = await request('GET', '/api/alliances/testland/profile');
    expect(response.statusCode).toBe(200);
    const profile = response.json();
    const { startedAt } = (await context.app.inject({ url: `/api/gap-analyses/${runId}` })).json();
    expect({ ...profile, actions: undefined, bbox: undefined }).toEqual({
      alliance: {
        slug: 'testland',
        name: 'Test alliance — Testland',
        country: 'FR',
        description: 'The square region of tests/fixtures/mini-data, with demand points and a possible duplicate.',
        vision: 'Every newcomer finds help within 10 km.',
        charter: 'We commit to share what we know.',
      },
      published: true,
      members: [
        { id: organizations['Bureau Beta'], name: 'Bureau Beta', sector: 'ngo', website: null },
        {
          id: organizations['Centre Alpha'],
          name: 'Centre Alpha',
          sector: 'public_authority',
          website: 'https://alpha.example.org/',
        },
      ],
      signatories: [{ signerName: 'Fatima Benali', organizationName: 'Centre Alpha', signedOn: '2026-10-02' }],
      research: [
        {
          runId,
          createdAt: startedAt,
          subject: 'Socio-cultural & sports',
          summary:
            '209 areas, ~270,000 inhabitants, services within 10 km. Areas with a gap: Socio-cultural & sports 3.',
        },
      ],
    });
    expect(profile.actions.map((action: { id: string }) => action.id)).toEqual([publishedAction.id]);
    expect(profile.actions.map((action: { id: string }) => action.id)).not.toContain(internalAction.id);
    expect(profile.bbox).toEqual([-1, 44.5, 0, 45.2]);
  });

  it('never carries a contact value of a stakeholder or a signatory, to the public or to members', async () => {
    await setProfilePublished(true);
    const db = context.database.db;
    const stored = await db
      .selectFrom('organization')
      .select(['contact_person', 'contact_phone', 'contact_email'])
      .where('contact_person', 'is not', null)
      .execute();
    expect(stored).toHaveLength(2);
    for (const actor of [undefined, member]) {
      const body = (await request('GET', '/api/alliances/testland/profile', actor)).body;
      for (const value of contactValues) expect(body).not.toContain(value);
      expect(body).not.toMatch(/contact/i);
    }
    // The charter, for members, does carry the signatory's contact: the profile leaves it out on purpose.
    const charter = (await request('GET', '/api/alliances/testland/charter', member)).body;
    expect(charter).toContain('fatima.benali@private.example.org');
  });

  it('answers 404 for an alliance that does not exist', async () => {
    const response = await request('GET', '/api/alliances/atlantis/profile');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no alliance "atlantis".');
  });
});
