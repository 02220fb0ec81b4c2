import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { location, multipart, openTestReader, organization, service, testFile } from '../support/importRecords.js';
import { databaseModes } from '../support/testDatabase.js';
import { type TestApp, useTestApp } from '../support/testApp.js';
import type { ImportItem } from '../../server/src/domain/imports/importRecord.js';

/** Starts an import of `items` as `actor` and waits for its preview. */
async function previewOf(
  context: TestApp,
  actor: TestActor,
  items: ImportItem[],
  fields: Record<string, string> = { source: 'Partner list' },
) {
  const body = multipart([{ name: 'partners.json', content: testFile(items) }], fields);
  const started = await context.app.inject({
    method: 'POST',
    url: '/api/alliances/testland/imports',
    headers: { ...actor.headers, ...body.headers },
    payload: body.payload,
  });
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().status).toBe('reading');
  await context.app.backgroundTasksSettled();
  return importOf(context, actor, started.json().id as string);
}

async function importOf(context: TestApp, actor: TestActor, id: string) {
  const answer = await context.app.inject({ url: `/api/alliances/testland/imports/${id}`, headers: actor.headers });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
}

async function rowsOf(context: TestApp, actor: TestActor, id: string, show?: string) {
  const answer = await context.app.inject({
    url: `/api/alliances/testland/imports/${id}/rows?per_page=500${show ? `&show=${show}` : ''}`,
    headers: actor.headers,
  });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json().rows as {
    key: number;
    kind: string;
    sourceId: string;
    name: string;
    outcome: string;
    problems: { field: string; message: string; severity: string }[];
    duplicate: { candidates: { id: string; name: string; reason: string }[]; decision: string } | null;
    changes: { field: string; current: unknown; incoming: unknown; editedLocally: boolean }[];
    existingId: string | null;
    needsPlace: boolean;
  }[];
}

async function commit(context: TestApp, actor: TestActor, id: string) {
  const answer = await context.app.inject({
    method: 'POST',
    url: `/api/alliances/testland/imports/${id}/commit`,
    headers: actor.headers,
  });
  expect(answer.statusCode, answer.body).toBe(202);
  await context.app.backgroundTasksSettled();
  return importOf(context, actor, id);
}

const partners: ImportItem[] = [
  organization('org-1', { name: 'Maison des Partenaires' }),
  location('loc-1', {
    organizationSourceId: 'org-1',
    address1: '3 rue Sainte-Catherine',
    city: 'Bordeaux',
    lat: 44.8405,
    lon: -0.5735,
  }),
  location('loc-2', { organizationSourceId: 'org-1', city: 'Langon' }),
  service('svc-1', {
    name: 'Cours de français',
    locationSourceIds: ['loc-1'],
    category: 'socio_cultural_sports',
    schedules: [{ openingHours: 'Mo-Fr 09:00-12:00', description: null, note: null }],
  }),
  service('svc-2', { name: 'Aide administrative', locationSourceIds: ['loc-2'] }),
  service('svc-3', { name: 'Sans catégorie', locationSourceIds: ['loc-1'], category: null }),
];

describe.each(databaseModes())('imports (%s database)', (mode) => {
  const context = useTestApp(mode, undefined, { openImportReader: openTestReader });
  let editor: TestActor;

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it('previews the records with their counts and problems, writing nothing', async () => {
    const preview = await previewOf(context, editor, partners);
    expect(preview.status, preview.error).toBe('preview');
    expect(preview.counts).toMatchObject({
      organizations: 1,
      services: 3,
      locations: 2,
      new: 5,
      errors: 1,
      needsPlace: 1,
    });
    const rows = await rowsOf(context, editor, preview.id, 'problems');
    const uncategorised = rows.find((row) => row.sourceId === 'svc-3')!;
    expect(uncategorised.outcome).toBe('error');
    expect(uncategorised.problems[0]).toMatchObject({ field: 'category', severity: 'error' });
    const langon = rows.find((row) => row.sourceId === 'loc-2')!;
    expect(langon.needsPlace).toBe(true);
    expect(langon.problems[0]!.message).toContain('Langon');
    const written = await context.database.db
      .selectFrom('organization')
      .select('id')
      .where('name', '=', 'Maison des Partenaires')
      .execute();
    expect(written).toHaveLength(0);
  });

  it('commits a preview in one change set of the history, with provenance', async () => {
    const preview = await previewOf(context, editor, partners, { source: 'Commit test' });
    const committed = await commit(context, editor, preview.id);
    expect(committed.status, committed.error).toBe('committed');
    expect(committed.report).toMatchObject({ created: 5, updated: 0, errors: 1 });
    const db = context.database.db;
    const org = await db
      .selectFrom('organization')
      .selectAll()
      .where('name', '=', 'Maison des Partenaires')
      .executeTakeFirstOrThrow();
    expect(org.source_record_id).toBe('org-1');
    const services = await db
      .selectFrom('service')
      .select(['name', 'category', 'import_source_id'])
      .where('organization_id', '=', org.id)
      .orderBy('name')
      .execute();
    expect(services.map((s) => s.name)).toEqual(['Aide administrative', 'Cours de français']);
    const { rows: sets } = await sql<{ change_set: string }>`
      select distinct change_set::text from change_log where entity_id in (
        select id from service where organization_id = ${org.id} union select ${org.id}::uuid)`.execute(db);
    expect(sets.map((set) => set.change_set)).toEqual([committed.report.changeSet]);
  });
});
