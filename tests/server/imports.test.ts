import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { slicingFor } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { runImportCommand } from '../../server/src/domain/imports/importCommand.js';
import { ImportFileStore } from '../../server/src/domain/imports/importFiles.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGeocoder } from '../support/fakeGeocoder.js';
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
    problems: { field: string; message: string; code: string; params: object; severity: string }[];
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
    expect(uncategorised.problems[0]).toMatchObject({
      field: 'category',
      severity: 'error',
      code: 'import.no-category',
      params: {},
    });
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

  it('offers records already in the alliance as duplicates: same SIRET, same name nearby', async () => {
    const db = context.database.db;
    await sql`update organization set identifiers = '[{"scheme": "FR-SIRET", "type": "siret", "identifier": "12345678900012"}]'
      where name = 'Centre Alpha'`.execute(db);
    const preview = await previewOf(
      context,
      editor,
      [
        organization('org-a', {
          name: 'Association Alpha',
          identifiers: [{ scheme: 'FR-SIRET', type: 'siret', identifier: '12345678900012' }],
        }),
        organization('org-b', { name: 'BUREAU bêta' }),
        location('loc-b', { organizationSourceId: 'org-b', lat: 44.9405, lon: -0.5805 }),
        location('loc-a', { organizationSourceId: 'org-a', lat: 44.8401, lon: -0.5801 }),
        service('svc-a', { organizationSourceId: 'org-a', name: 'Alpha housing advice', locationSourceIds: ['loc-a'] }),
        service('svc-a', { organizationSourceId: 'org-a', name: 'Twice the same id' }),
      ],
      { source: 'Duplicates' },
    );
    const rows = await rowsOf(context, editor, preview.id, 'duplicates');
    const bySource = new Map(rows.map((row) => [`${row.kind}:${row.sourceId}`, row]));
    expect(bySource.get('organization:org-a')!.duplicate).toMatchObject({
      decision: 'merge',
      candidates: [{ name: 'Centre Alpha', reason: 'identifier' }],
    });
    expect(bySource.get('organization:org-b')!.duplicate).toMatchObject({
      decision: 'merge',
      candidates: [{ name: 'Bureau Beta', reason: 'name-nearby' }],
    });
    const housing = bySource.get('service:svc-a')!;
    expect(housing.duplicate).toMatchObject({ decision: 'skip', candidates: [{ reason: 'name-nearby' }] });
    expect(housing.outcome).toBe('skipped');
    const problems = await rowsOf(context, editor, preview.id, 'problems');
    expect(problems.find((row) => row.name === 'Twice the same id')!.problems[0]!.message).toContain('appears twice');

    const decided = await context.app.inject({
      method: 'PATCH',
      url: `/api/alliances/testland/imports/${preview.id}`,
      headers: editor.headers,
      payload: { decisions: [{ key: housing.key, action: 'create' }] },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = await rowsOf(context, editor, preview.id, 'duplicates');
    expect(after.find((row) => row.key === housing.key)).toMatchObject({
      outcome: 'new',
      duplicate: { decision: 'create' },
    });
    const refused = await context.app.inject({
      method: 'PATCH',
      url: `/api/alliances/testland/imports/${preview.id}`,
      headers: editor.headers,
      payload: { decisions: [{ key: housing.key, action: 'merge', targetId: '00000000-0000-4000-8000-000000000000' }] },
    });
    expect(refused.statusCode).toBe(400);
  });

  it('takes swapped coordinates with a warning, keeps a place outside the region as needing a place, refuses impossible ones', async () => {
    const preview = await previewOf(
      context,
      editor,
      [
        organization('org-1'),
        location('swapped', { organizationSourceId: 'org-1', lat: -0.58, lon: 44.85 }),
        location('toulouse', { organizationSourceId: 'org-1', lat: 43.6, lon: 1.44 }),
        location('impossible', { organizationSourceId: 'org-1', lat: 100, lon: 500 }),
      ],
      { source: 'Coordinates' },
    );
    const rows = await rowsOf(context, editor, preview.id);
    const row = (id: string) => rows.find((candidate) => candidate.sourceId === id)!;
    expect(row('swapped').problems[0]).toMatchObject({
      severity: 'warning',
      code: 'import.coordinates-swapped',
      params: { lat: -0.58, lon: 44.85 },
    });
    expect(row('swapped').problems[0]!.message).toContain('look swapped');
    expect(row('swapped').needsPlace).toBe(false);
    expect(row('toulouse')).toMatchObject({ outcome: 'new', needsPlace: true });
    expect(row('toulouse').problems[0]!.message).toContain('outside');
    expect(row('impossible').outcome).toBe('error');
    expect(row('impossible').problems[0]).toMatchObject({
      code: 'import.impossible-coordinates',
      params: { lat: 100, lon: 500 },
    });
    expect(row('toulouse').problems[0]).toMatchObject({
      code: 'import.outside-region',
      params: { lat: 43.6, lon: 1.44 },
    });
    const committed = await commit(context, editor, preview.id);
    expect(committed.status, committed.error).toBe('committed');
    const { rows: points } = await sql<{ source_record_id: string; lat: number; lon: number; needs_place: boolean }>`
      select source_record_id, ST_Y(geog::geometry) as lat, ST_X(geog::geometry) as lon, needs_place from location
      where source_record_id in ('swapped', 'toulouse') order by source_record_id`.execute(context.database.db);
    expect(points).toEqual([
      { source_record_id: 'swapped', lat: 44.85, lon: -0.58, needs_place: false },
      { source_record_id: 'toulouse', lat: 43.6, lon: 1.44, needs_place: true },
    ]);
  });

  it('writes nothing when one record fails mid-way, and the preview stays', async () => {
    const db = context.database.db;
    await sql`create function refuse_exploding_service() returns trigger language plpgsql as $$
      begin
        if new.name = 'Explodes' then raise check_violation using message = 'refused for the test'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_exploding_service before insert on service
      for each row execute function refuse_exploding_service()`.execute(db);
    try {
      const preview = await previewOf(
        context,
        editor,
        [
          organization('org-1', { name: 'Never written' }),
          location('loc-1', { organizationSourceId: 'org-1', lat: 44.8, lon: -0.6 }),
          service('svc-1', { name: 'Written first', locationSourceIds: ['loc-1'] }),
          service('svc-2', { name: 'Explodes', locationSourceIds: ['loc-1'] }),
          service('svc-3', { name: 'Written after', locationSourceIds: ['loc-1'] }),
        ],
        { source: 'Exploding' },
      );
      const failed = await commit(context, editor, preview.id);
      expect(failed.status).toBe('preview');
      expect(failed.error).toContain('Nothing was written');
      const written = await db.selectFrom('organization').select('id').where('name', '=', 'Never written').execute();
      expect(written).toHaveLength(0);
      const services = await db.selectFrom('service').select('id').where('name', '=', 'Written first').execute();
      expect(services).toHaveLength(0);
    } finally {
      await sql`drop trigger refuse_exploding_service on service`.execute(db);
      await sql`drop function refuse_exploding_service()`.execute(db);
    }
  });

  it('re-imports a newer file: updated, unchanged, gone archived only when asked, a local edit kept unless overwritten', async () => {
    const db = context.database.db;
    const first = [
      organization('org-1', { name: 'Sync partner' }),
      location('loc-1', { organizationSourceId: 'org-1', lat: 44.83, lon: -0.57 }),
      service('svc-a', { name: 'Permanence juridique', description: 'Le mardi.', locationSourceIds: ['loc-1'] }),
      service('svc-b', { name: 'Atelier CV', locationSourceIds: ['loc-1'], category: 'professional_integration' }),
      service('svc-c', { name: 'Ancienne permanence', locationSourceIds: ['loc-1'] }),
    ];
    const committed = await commit(context, editor, (await previewOf(context, editor, first, { source: 'Sync' })).id);
    expect(committed.status, committed.error).toBe('committed');

    const serviceA = await db
      .selectFrom('service')
      .select(['id', 'version'])
      .where('source_record_id', '=', 'svc-a')
      .executeTakeFirstOrThrow();
    const edited = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${serviceA.id}`,
      headers: editor.headers,
      payload: { version: serviceA.version, name: 'Permanence juridique (mardi)' },
    });
    expect(edited.statusCode, edited.body).toBe(200);

    const second = [
      first[0]!,
      first[1]!,
      service('svc-a', {
        name: 'Permanence d’accès au droit',
        description: 'Le mardi et le jeudi.',
        locationSourceIds: ['loc-1'],
      }),
      first[3]!,
    ];
    const preview = await previewOf(context, editor, second, { source: 'Sync' });
    expect(preview.source.previousImportAt).not.toBeNull();
    expect(preview.counts).toMatchObject({ new: 0, updated: 1, unchanged: 3, gone: 1, conflicts: 1 });
    const [updated] = await rowsOf(context, editor, preview.id, 'updated');
    expect(updated!.changes).toEqual([
      {
        field: 'description',
        current: 'Le mardi.',
        incoming: 'Le mardi et le jeudi.',
        editedLocally: false,
        overwrite: false,
      },
      {
        field: 'name',
        current: 'Permanence juridique (mardi)',
        incoming: 'Permanence d’accès au droit',
        editedLocally: true,
        overwrite: false,
      },
    ]);
    const [goneRow] = await rowsOf(context, editor, preview.id, 'gone');
    expect(goneRow).toMatchObject({ sourceId: 'svc-c', outcome: 'gone' });
    const report = (await commit(context, editor, preview.id)).report;
    expect(report).toMatchObject({ updated: 1, archived: 0 });
    const afterSecond = await db
      .selectFrom('service')
      .select(['name', 'description', 'status', 'source_record_id'])
      .where('source_record_id', 'in', ['svc-a', 'svc-c'])
      .orderBy('source_record_id')
      .execute();
    expect(afterSecond).toEqual([
      {
        name: 'Permanence juridique (mardi)',
        description: 'Le mardi et le jeudi.',
        status: 'active',
        source_record_id: 'svc-a',
      },
      { name: 'Ancienne permanence', description: null, status: 'active', source_record_id: 'svc-c' },
    ]);

    const third = [...second];
    third[2] = service('svc-a', {
      name: 'Permanence d’accès au droit (PAD)',
      description: 'Le mardi et le jeudi.',
      locationSourceIds: ['loc-1'],
    });
    const again = await previewOf(context, editor, third, { source: 'Sync' });
    const [conflicted] = await rowsOf(context, editor, again.id, 'conflicts');
    const decided = await context.app.inject({
      method: 'PATCH',
      url: `/api/alliances/testland/imports/${again.id}`,
      headers: editor.headers,
      payload: { overwrite: [{ key: conflicted!.key, field: 'name' }], archiveGone: 'all' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().counts).toMatchObject({ conflicts: 0, updated: 1, gone: 1 });
    const thirdReport = (await commit(context, editor, again.id)).report;
    expect(thirdReport).toMatchObject({ updated: 1, archived: 1 });
    const afterThird = await db
      .selectFrom('service')
      .select(['name', 'status'])
      .where('source_record_id', 'in', ['svc-a', 'svc-c'])
      .orderBy('source_record_id')
      .execute();
    expect(afterThird).toEqual([
      { name: 'Permanence d’accès au droit (PAD)', status: 'active' },
      { name: 'Ancienne permanence', status: 'inactive' },
    ]);

    const undone = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/testland/imports/${again.id}/undo`,
      headers: editor.headers,
    });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().status).toBe('undone');
    const afterUndo = await db
      .selectFrom('service')
      .select(['name', 'status'])
      .where('source_record_id', 'in', ['svc-a', 'svc-c'])
      .orderBy('source_record_id')
      .execute();
    expect(afterUndo).toEqual([
      { name: 'Permanence juridique (mardi)', status: 'active' },
      { name: 'Ancienne permanence', status: 'active' },
    ]);
  });

  it('undoes an import: its records are deleted; a record changed since makes it 409, nothing undone', async () => {
    const db = context.database.db;
    const items = [
      organization('org-1', { name: 'Undone partner' }),
      location('loc-1', { organizationSourceId: 'org-1', lat: 44.82, lon: -0.56 }),
      service('svc-1', { name: 'Undone service', locationSourceIds: ['loc-1'] }),
    ];
    const first = await commit(context, editor, (await previewOf(context, editor, items, { source: 'Undo' })).id);
    const undo = (id: string) =>
      context.app.inject({
        method: 'POST',
        url: `/api/alliances/testland/imports/${id}/undo`,
        headers: editor.headers,
      });
    expect((await undo(first.id)).statusCode).toBe(200);
    expect(
      await db.selectFrom('organization').select('id').where('name', '=', 'Undone partner').execute(),
    ).toHaveLength(0);
    expect((await undo(first.id)).statusCode).toBe(409);

    const second = await commit(
      context,
      editor,
      (await previewOf(context, editor, items, { source: 'Undo again' })).id,
    );
    const created = await db
      .selectFrom('service')
      .select(['id', 'version'])
      .where('name', '=', 'Undone service')
      .executeTakeFirstOrThrow();
    const edited = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${created.id}`,
      headers: editor.headers,
      payload: { version: created.version, description: 'Edited after the import.' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const refused = await undo(second.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('Undone service');
    expect(
      await db.selectFrom('organization').select('id').where('name', '=', 'Undone partner').execute(),
    ).toHaveLength(1);
  });

  it('refuses a second commit, a commit while another import of the alliance is written, and one after expiry', async () => {
    const db = context.database.db;
    const items = [organization('org-1', { name: 'Twice partner' })];
    const first = await previewOf(context, editor, items, { source: 'Twice' });
    await commit(context, editor, first.id);
    const again = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/testland/imports/${first.id}/commit`,
      headers: editor.headers,
    });
    expect(again.statusCode).toBe(409);

    const waiting = await previewOf(context, editor, items, { source: 'Waiting' });
    const busy = await db
      .insertInto('import_job')
      .values({
        alliance_id: await allianceId(context),
        source_name: 'Busy',
        status: 'committing',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const refused = await context.app.inject({
        method: 'POST',
        url: `/api/alliances/testland/imports/${waiting.id}/commit`,
        headers: editor.headers,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toContain(busy.id);
    } finally {
      await db.updateTable('import_job').set({ status: 'failed' }).where('id', '=', busy.id).execute();
    }

    await db
      .updateTable('import_job')
      .set({ expires_at: sql<Date>`now() - interval '1 hour'` })
      .where('id', '=', waiting.id)
      .execute();
    const expired = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/testland/imports/${waiting.id}/commit`,
      headers: editor.headers,
    });
    expect(expired.statusCode).toBe(410);
    expect((await importOf(context, editor, waiting.id)).status).toBe('expired');
  });

  it('answers 403 to a member, 404 for an unknown import, 400 for a file the reader refuses', async () => {
    const member = await signedInAs(context.database.db, 'member', 'testland');
    const listed = await context.app.inject({ url: '/api/alliances/testland/imports', headers: member.headers });
    expect(listed.statusCode).toBe(403);
    const unknown = await context.app.inject({
      url: '/api/alliances/testland/imports/00000000-0000-4000-8000-000000000000',
      headers: editor.headers,
    });
    expect(unknown.statusCode).toBe(404);
    const body = multipart([{ name: 'notes.txt', content: 'not json' }]);
    const refused = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/imports',
      headers: { ...editor.headers, ...body.headers },
      payload: body.payload,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('not HSDS JSON');
  });
});

describe.each(databaseModes())('npm run import (%s database)', (mode) => {
  const context = useTestApp(mode, undefined, { openImportReader: openTestReader });

  it('previews and commits a file, refuses an unknown alliance, and says how to use it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-import-command-'));
    const file = path.join(dir, 'roscommon.json');
    await fs.writeFile(
      file,
      testFile([
        organization('org-1', { name: 'Command partner' }),
        location('loc-1', { organizationSourceId: 'org-1', lat: 44.81, lon: -0.55 }),
        service('svc-1', { name: 'Command service', locationSourceIds: ['loc-1'], category: null }),
      ]),
    );
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const deps = {
      db: context.database.db,
      slicing: slicingFor(mode),
      openReader: openTestReader,
      files: new ImportFileStore(path.join(dir, 'imports')),
    };
    try {
      expect(await runImportCommand(['--alliance', 'testland'], deps, out)).toBe(2);
      expect(await runImportCommand(['--alliance', 'nowhere', file], deps, out)).toBe(1);
      expect(lines.join('\n')).toContain('There is no alliance "nowhere"');
      lines.length = 0;
      const code = await runImportCommand(
        ['--alliance', 'testland', '--default-category', 'professional_integration', file],
        deps,
        out,
      );
      expect(code, lines.join('\n')).toBe(0);
      expect(lines[0]).toContain('3 new');
      expect(lines[1]).toContain('3 created');
      const written = await context.database.db
        .selectFrom('service')
        .select('category')
        .where('name', '=', 'Command service')
        .execute();
      expect(written).toEqual([{ category: 'professional_integration' }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

async function allianceId(context: TestApp): Promise<string> {
  const row = await context.database.db
    .selectFrom('alliance')
    .select('id')
    .where('slug', '=', 'testland')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe.each(databaseModes())('imports with limits and a geocoder (%s database)', (mode) => {
  let geocoder: Awaited<ReturnType<typeof startFakeGeocoder>>;
  beforeAll(async () => {
    geocoder = await startFakeGeocoder();
  });
  afterAll(async () => geocoder?.close());
  const context = useTestApp(mode, undefined, {
    openImportReader: openTestReader,
    config: {
      importMaxBytes: 5000,
      get geocoderUrl() {
        return geocoder.urlTemplate;
      },
      geocoderMinIntervalMs: 0,
    },
  });
  let editor: TestActor;
  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it('states the size limit and refuses a larger upload with 413 in words', async () => {
    const limits = await context.app.inject({ url: '/api/imports/limits' });
    expect(limits.json()).toMatchObject({ maxBytes: 5000, maxSize: '5 kB' });
    const body = multipart([{ name: 'big.json', content: 'x'.repeat(6000) }]);
    const refused = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/imports',
      headers: { ...editor.headers, ...body.headers },
      payload: body.payload,
    });
    expect(refused.statusCode).toBe(413);
    expect(refused.json().message).toContain('5 kB');
  });

  it('geocodes locations without coordinates through the geocoder', async () => {
    const preview = await previewOf(context, editor, [
      organization('org-1'),
      location('loc-1', {
        organizationSourceId: 'org-1',
        address1: '5 Place Pey Berland',
        postalCode: '33000',
        city: 'Bordeaux',
      }),
      location('loc-2', { organizationSourceId: 'org-1', address1: 'Nowhere street', city: 'Atlantis' }),
    ]);
    expect(preview.geocoding).toEqual({ configured: true, done: 2, total: 2 });
    const rows = await rowsOf(context, editor, preview.id);
    expect(rows.find((row) => row.sourceId === 'loc-1')).toMatchObject({ needsPlace: false, problems: [] });
    expect(rows.find((row) => row.sourceId === 'loc-2')).toMatchObject({ needsPlace: true });
    await commit(context, editor, preview.id);
    const { rows: points } = await sql<{ lat: number; precision: string }>`
      select ST_Y(geog::geometry) as lat, precision from location where address_1 = '5 Place Pey Berland'`.execute(
      context.database.db,
    );
    expect(points).toEqual([{ lat: 44.8378, precision: 'exact' }]);
  });
});
