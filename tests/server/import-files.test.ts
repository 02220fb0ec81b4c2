import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { multipart } from '../support/importRecords.js';
import { databaseModes } from '../support/testDatabase.js';
import { type TestApp, useTestApp } from '../support/testApp.js';

const fixtures = path.join(projectRoot, 'tests/fixtures/imports');

async function upload(context: TestApp, actor: TestActor, names: string[], fields: Record<string, string> = {}) {
  const files = await Promise.all(
    names.map(async (name) => ({ name: path.basename(name), content: await fs.readFile(path.join(fixtures, name)) })),
  );
  const body = multipart(files, fields);
  return context.app.inject({
    method: 'POST',
    url: '/api/alliances/testland/imports',
    headers: { ...actor.headers, ...body.headers },
    payload: body.payload,
  });
}

async function settled(context: TestApp, actor: TestActor, id: string) {
  await context.app.backgroundTasksSettled();
  const answer = await context.app.inject({ url: `/api/alliances/testland/imports/${id}`, headers: actor.headers });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
}

async function commit(context: TestApp, actor: TestActor, id: string) {
  const answer = await context.app.inject({
    method: 'POST',
    url: `/api/alliances/testland/imports/${id}/commit`,
    headers: actor.headers,
  });
  expect(answer.statusCode, answer.body).toBe(202);
  return settled(context, actor, id);
}

const gironde = ['data-inclusion-gironde/structures.json', 'data-inclusion-gironde/services.json'];

describe.each(databaseModes())('imports of real files (%s database)', (mode) => {
  const context = useTestApp(mode);
  let editor: TestActor;

  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it('imports the data·inclusion extract of Gironde, then finds it unchanged when imported again', async () => {
    const started = await upload(context, editor, gironde, { source: 'data·inclusion Gironde' });
    expect(started.statusCode, started.body).toBe(202);
    const preview = await settled(context, editor, started.json().id);
    expect(preview.status, preview.error).toBe('preview');
    expect(preview.format).toBe('data-inclusion-json');
    expect(preview.counts).toMatchObject({ organizations: 8, services: 15, errors: 0, updated: 0, gone: 0 });
    expect(preview.counts.new).toBe(preview.counts.organizations + preview.counts.services + preview.counts.locations);
    // The CADA of Bègles has an address but no coordinates, and no geocoder is configured: it stands at its town.
    expect(preview.counts.needsPlace).toBeGreaterThanOrEqual(1);
    expect(preview.vocabulary.length).toBeGreaterThan(0);

    const committed = await commit(context, editor, preview.id);
    expect(committed.status, committed.error).toBe('committed');
    expect(committed.report).toMatchObject({ created: preview.counts.new, errors: 0 });
    const db = context.database.db;
    const ccas = await db
      .selectFrom('organization')
      .select(['name', 'identifiers', 'source_updated_at'])
      .where('source_record_id', '=', 'dora--ccas-bordeaux')
      .executeTakeFirstOrThrow();
    expect(ccas.identifiers).toEqual([{ scheme: 'FR-SIRET', type: 'siret', identifier: '26330018100016' }]);
    expect(new Date(ccas.source_updated_at!).toISOString().slice(0, 10)).toBe('2025-09-18');
    const asl = await db
      .selectFrom('service')
      .select(['category', 'topics'])
      .where('source_record_id', '=', 'reseau-alpha--asl-bastide')
      .executeTakeFirstOrThrow();
    expect(asl).toEqual({ category: 'social_action', topics: ['language_courses'] });
    const schedules = await db
      .selectFrom('schedule')
      .innerJoin('service', 'service.id', 'schedule.service_id')
      .select('schedule.opening_hours')
      .where('service.source_record_id', '=', 'dora--svc-ccas-domiciliation')
      .execute();
    expect(schedules).toEqual([{ opening_hours: 'Mo-Fr 08:30-17:00; PH off' }]);

    const again = await upload(context, editor, [...gironde].reverse(), { source: 'data·inclusion Gironde' });
    const second = await settled(context, editor, again.json().id);
    expect(second.counts).toMatchObject({ new: 0, updated: 0, gone: 0, duplicates: 0 });
    expect(second.counts.unchanged).toBe(preview.counts.new);
  });

  it('previews the Roscommon spreadsheet with its columns, places outside the region kept as needing one', async () => {
    const started = await upload(context, editor, ['spreadsheets/roscommon-services.csv']);
    expect(started.statusCode, started.body).toBe(202);
    const preview = await settled(context, editor, started.json().id);
    expect(preview.status, preview.error).toBe('preview');
    expect(preview.format).toBe('spreadsheet-csv');
    expect(preview.source.name).toBe('roscommon-services');
    expect(preview.columns.map((column: { header: string }) => column.header)).toContain('Service Name');
    // Testland is around Bordeaux: every Roscommon place is outside it.
    expect(preview.counts.needsPlace).toBe(preview.counts.locations);
    const rows = await context.app.inject({
      url: `/api/alliances/testland/imports/${preview.id}/rows?show=needs-place`,
      headers: editor.headers,
    });
    expect(
      rows
        .json()
        .rows[0].problems.map((problem: { message: string }) => problem.message)
        .join(' '),
    ).toMatch(/outside the alliance’s region|No coordinates/);
  });

  it('refuses an empty file, a file of no known format, and one of another format than announced', async () => {
    const empty = await upload(context, editor, ['bad/empty.json']);
    expect(empty.statusCode).toBe(400);
    const pdf = await upload(context, editor, ['bad/leaflet.pdf']);
    expect(pdf.statusCode).toBe(415);
    const announced = await upload(context, editor, ['spreadsheets/roscommon-services.csv'], { format: 'hsds-json' });
    expect(announced.statusCode).toBe(400);
    expect(announced.json().message).toContain('announced');
  });
});
