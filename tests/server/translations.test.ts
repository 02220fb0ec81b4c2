import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { type TestActor, signedInAs } from '../support/accounts.js';
import { type FakeLibreTranslate, startFakeLibreTranslate } from '../support/fakeLibreTranslate.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, type TestApp, useTestApp } from '../support/testApp.js';

const translatorKey = 'test-translator-key';

/** Requests of one suite's app, as a signed-in person or the admin token. */
function requests(context: TestApp) {
  const idOf = async (table: 'service' | 'organization', name: string) =>
    (await context.database.db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const inject = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, headers: object, payload?: object) =>
    context.app.inject({ method, url, headers: headers as Record<string, string>, payload });
  return { idOf, inject };
}

interface Sheet {
  textLanguage: string;
  machineTranslation: boolean;
  drafted?: number;
  fields: {
    field: string;
    original: string | null;
    translations: {
      language: string;
      text: string;
      origin: string;
      reviewState: string;
      reviewedBy: string | null;
      outdated: boolean;
      version: number;
    }[];
  }[];
}

const translationOf = (sheet: Sheet, field: string, language: string) =>
  sheet.fields.find((entry) => entry.field === field)?.translations.find((entry) => entry.language === language);

describe.each(databaseModes())('translating organisations and services (%s database)', (mode) => {
  let translator: FakeLibreTranslate;
  const config: { translatorUrl?: string; translatorApiKey?: string } = {};
  beforeAll(async () => {
    translator = await startFakeLibreTranslate({ apiKey: translatorKey });
    Object.assign(config, { translatorUrl: translator.url, translatorApiKey: translatorKey });
  });
  afterAll(() => translator.close());
  const context = useTestApp(mode, undefined, { config });
  const { idOf, inject } = requests(context);
  let editor: TestActor;
  let member: TestActor;
  let outsider: TestActor;
  let housing: string;
  let football: string;
  beforeAll(async () => {
    editor = await signedInAs(context.database.db, 'editor', 'testland', { displayName: 'Eda Editor' });
    member = await signedInAs(context.database.db, 'member', 'testland');
    outsider = await signedInAs(context.database.db, null, 'testland');
    housing = await idOf('service', 'Alpha housing advice');
    football = await idOf('service', 'Alpha football club');
  });
  const sheetOf = async (id: string, actor: TestActor = member) =>
    (await inject('GET', `/api/services/${id}/translations`, actor.headers)).json() as Sheet;

  it('lists every translatable field of a service with its original and translations, to the members', async () => {
    const response = await inject('GET', `/api/services/${housing}/translations`, member.headers);
    expect(response.statusCode).toBe(200);
    const sheet = response.json() as Sheet;
    expect(sheet).toMatchObject({ textLanguage: 'en', machineTranslation: true });
    expect(sheet.fields.map((entry) => entry.field)).toEqual([
      'name',
      'description',
      'feesDescription',
      'eligibilityDescription',
      'applicationProcess',
      'openingHoursNote',
    ]);
    expect(sheet.fields[3]).toMatchObject({ original: 'For anyone without a stable home.', translations: [] });
    expect(translationOf(sheet, 'description', 'fr')).toMatchObject({
      text: 'Conseils pour le logement.',
      origin: 'machine',
      reviewState: 'machine-draft',
      outdated: false,
    });
  });

  it('lists an organisation’s name and description only', async () => {
    const organization = await idOf('organization', 'Centre Alpha');
    const sheet = (await inject('GET', `/api/organizations/${organization}/translations`, member.headers)).json();
    expect(sheet.fields.map((entry: { field: string }) => entry.field)).toEqual(['name', 'description']);
  });

  it('refuses nobody (401), someone of no alliance (403), and a member who writes (403)', async () => {
    expect((await inject('GET', `/api/services/${housing}/translations`, {})).statusCode).toBe(401);
    expect((await inject('GET', `/api/services/${housing}/translations`, outsider.headers)).statusCode).toBe(403);
    const write = await inject('PUT', `/api/services/${housing}/translations/fr/feesDescription`, member.headers, {
      text: 'x',
    });
    expect(write.statusCode).toBe(403);
  });

  it('refuses a write without the session’s CSRF token (403)', async () => {
    const { cookie } = editor.headers as { cookie: string };
    const response = await inject(
      'PUT',
      `/api/services/${housing}/translations/fr/eligibilityDescription`,
      { cookie },
      { text: 'x' },
    );
    expect(response.statusCode).toBe(403);
  });

  it('answers 404 for a service that does not exist', async () => {
    const url = '/api/services/00000000-0000-4000-8000-000000000000/translations';
    expect((await inject('GET', url, member.headers)).statusCode).toBe(404);
  });

  it('writes a person’s translation as human and reviewed, by them', async () => {
    const response = await inject('PUT', `/api/services/${football}/translations/fr/feesDescription`, editor.headers, {
      text: '20 euros pour la saison.',
    });
    expect(response.statusCode).toBe(200);
    expect(translationOf(response.json(), 'feesDescription', 'fr')).toMatchObject({
      text: '20 euros pour la saison.',
      origin: 'human',
      reviewState: 'reviewed',
      reviewedBy: 'Eda Editor',
      outdated: false,
      version: 1,
    });
  });

  it('explains what is wrong with a translation it refuses (400)', async () => {
    const put = (url: string, payload: object) => inject('PUT', url, editor.headers, payload);
    const blank = await put(`/api/services/${housing}/translations/fr/eligibilityDescription`, { text: '   ' });
    expect(blank.statusCode).toBe(400);
    const unknownField = await put(`/api/services/${housing}/translations/fr/website`, { text: 'x' });
    expect(unknownField.statusCode).toBe(400);
    const badLanguage = await put(`/api/services/${housing}/translations/French/name`, { text: 'x' });
    expect(badLanguage.statusCode).toBe(400);
    const organization = await idOf('organization', 'Centre Alpha');
    const fees = await put(`/api/organizations/${organization}/translations/fr/feesDescription`, { text: 'x' });
    expect(fees.statusCode).toBe(400);
    expect(fees.json().message).toBe(
      'An organisation has no field "feesDescription" to translate; its translatable fields are name, description.',
    );
    const sameLanguage = await put(`/api/services/${housing}/translations/en-GB/name`, { text: 'x' });
    expect(sameLanguage.statusCode).toBe(400);
    expect(sameLanguage.json().message).toMatch(/written in English already/);
  });

  it('refuses to overwrite a translation written or changed since it was read (409)', async () => {
    const url = `/api/services/${football}/translations/nl/feesDescription`;
    expect((await inject('PUT', url, editor.headers, { text: '20 euro per seizoen.' })).statusCode).toBe(200);
    const again = await inject('PUT', url, editor.headers, { text: 'Twintig euro.' });
    expect(again.statusCode).toBe(409);
    const changed = await inject('PUT', url, editor.headers, { text: '20 euro voor het seizoen.', version: 1 });
    expect(translationOf(changed.json(), 'feesDescription', 'nl')).toMatchObject({
      text: '20 euro voor het seizoen.',
      version: 2,
    });
    const stale = await inject('PUT', url, editor.headers, { text: 'Twintig euro.', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/^Eda Editor changed this translation at .*Reload it/);
  });

  it('shows a translation as outdated once its original changes, until someone reviews it', async () => {
    const url = `/api/services/${football}`;
    const version = (await inject('GET', url, adminHeaders)).json().version as number;
    const patched = await context.app.inject({
      method: 'PATCH',
      url,
      headers: adminHeaders,
      payload: { version, feesDescription: '25 euros for the season.' },
    });
    expect(patched.statusCode).toBe(200);
    const outdated = translationOf(await sheetOf(football), 'feesDescription', 'fr')!;
    expect(outdated.outdated).toBe(true);
    const reviewed = await inject(
      'POST',
      `/api/services/${football}/translations/fr/feesDescription/review`,
      editor.headers,
      {
        version: outdated.version,
        text: '25 euros pour la saison.',
      },
    );
    expect(reviewed.statusCode).toBe(200);
    expect(translationOf(reviewed.json(), 'feesDescription', 'fr')).toMatchObject({ outdated: false, origin: 'human' });
  });

  it('keeps a machine translation reviewed as it is a machine translation, and makes a corrected one human', async () => {
    const url = `/api/services/${housing}/translations`;
    const arabicName = translationOf(await sheetOf(housing), 'name', 'ar')!;
    const kept = await inject('POST', `${url}/ar/name/review`, editor.headers, { version: arabicName.version });
    expect(translationOf(kept.json(), 'name', 'ar')).toMatchObject({
      origin: 'machine',
      reviewState: 'reviewed',
      reviewedBy: 'Eda Editor',
    });
    const french = translationOf(await sheetOf(housing), 'description', 'fr')!;
    const corrected = await inject('POST', `${url}/fr/description/review`, editor.headers, {
      version: french.version,
      text: 'Des conseils pour trouver un logement.',
    });
    expect(translationOf(corrected.json(), 'description', 'fr')).toMatchObject({
      text: 'Des conseils pour trouver un logement.',
      origin: 'human',
      reviewState: 'reviewed',
    });
    const missing = await inject('POST', `${url}/sv/name/review`, editor.headers, { version: 1 });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes a translation read at its version, and says when it changed since (409) or is gone (404)', async () => {
    const url = `/api/services/${football}/translations/nl/feesDescription`;
    const { version } = translationOf(await sheetOf(football), 'feesDescription', 'nl')!;
    expect((await inject('DELETE', `${url}?version=${version - 1}`, editor.headers)).statusCode).toBe(409);
    const deleted = await inject('DELETE', `${url}?version=${version}`, editor.headers);
    expect(deleted.statusCode).toBe(200);
    expect(translationOf(deleted.json(), 'feesDescription', 'nl')).toBeUndefined();
    expect((await inject('DELETE', `${url}?version=${version}`, editor.headers)).statusCode).toBe(404);
  });

  it('records each translation change in the history with its author', async () => {
    const rows = await context.database.db
      .selectFrom('change_log as c')
      .innerJoin('account as a', 'a.id', 'c.account_id')
      .select(['c.action', 'a.display_name'])
      .where('c.entity_type', '=', 'translation')
      .orderBy('c.id')
      .execute();
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
    expect(new Set(rows.map((row) => row.display_name))).toEqual(new Set(['Eda Editor']));
  });

  describe('restored from the history', () => {
    /** The logged changes of a service's translations into a language, oldest first. */
    const changesOf = (serviceId: string, language: string) =>
      context.database.db
        .selectFrom('change_log')
        .select([sql<string>`id::text`.as('id'), 'action', 'entity_id'])
        .where('entity_type', '=', 'translation')
        .where(sql<boolean>`coalesce(new_values, old_values) ->> 'entity_id' = ${serviceId}`)
        .where(sql<boolean>`coalesce(new_values, old_values) ->> 'language' = ${language}`)
        // By the number, not by its text: change 10 comes after change 9.
        .orderBy(sql`change_log.id`)
        .execute();
    const restore = (changeId: string, actor: TestActor = editor) =>
      inject('POST', `/api/history/${changeId}/restore`, actor.headers);
    const write = (url: string, payload: object) => inject('PUT', url, editor.headers, payload);

    it('puts a changed translation back as it was, as a change of its own', async () => {
      const url = `/api/services/${housing}/translations/de/name`;
      expect((await write(url, { text: 'Alpha Wohnberatung' })).statusCode).toBe(200);
      expect((await write(url, { text: 'Wohnberatung', version: 1 })).statusCode).toBe(200);
      const [, update] = await changesOf(housing, 'de');
      expect(update).toMatchObject({ action: 'update' });

      expect((await restore(update!.id, member)).statusCode).toBe(403);
      const restored = await restore(update!.id);
      expect(restored.statusCode).toBe(200);
      expect(restored.json()).toEqual({ entityType: 'translation', entityId: update!.entity_id, version: 3 });
      expect(translationOf(await sheetOf(housing), 'name', 'de')).toMatchObject({
        text: 'Alpha Wohnberatung',
        origin: 'human',
        version: 3,
      });
      const history = await inject('GET', '/api/alliances/testland/history?limit=1', member.headers);
      expect(history.json().items[0]).toMatchObject({
        entityType: 'translation',
        action: 'update',
        changedFields: expect.arrayContaining(['text']),
        author: { displayName: 'Eda Editor' },
      });
    });

    it('brings a deleted translation back, and lists it among the deletions until then', async () => {
      const url = `/api/services/${housing}/translations/de/name`;
      const { version } = translationOf(await sheetOf(housing), 'name', 'de')!;
      expect((await inject('DELETE', `${url}?version=${version}`, editor.headers)).statusCode).toBe(200);
      const deletion = (await changesOf(housing, 'de')).at(-1)!;
      const deleted = await inject('GET', '/api/alliances/testland/deleted', member.headers);
      expect(deleted.json().items.map((item: { id: string }) => item.id)).toContain(deletion.id);

      expect((await restore(deletion.id)).statusCode).toBe(200);
      expect(translationOf(await sheetOf(housing), 'name', 'de')).toMatchObject({
        text: 'Alpha Wohnberatung',
        version: version + 1,
      });
      const again = await restore(deletion.id);
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toBe('This translation exists again already: it was restored or added again since.');
    });

    it('refuses to bring back a deleted translation where another has been written since (409)', async () => {
      const url = `/api/services/${housing}/translations/de/name`;
      const { version } = translationOf(await sheetOf(housing), 'name', 'de')!;
      await inject('DELETE', `${url}?version=${version}`, editor.headers);
      const deletion = (await changesOf(housing, 'de')).at(-1)!;
      expect((await write(url, { text: 'Beratung zum Wohnen' })).statusCode).toBe(200);

      const refused = await restore(deletion.id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toBe(
        'This translation cannot be restored: another record now has the same unique value.',
      );
      expect(translationOf(await sheetOf(housing), 'name', 'de')).toMatchObject({ text: 'Beratung zum Wohnen' });

      const creation = (await changesOf(housing, 'de')).at(-1)!;
      expect(creation.action).toBe('create');
      expect((await restore(creation.id)).statusCode).toBe(200);
      expect(translationOf(await sheetOf(housing), 'name', 'de')).toBeUndefined();
    });

    it('refuses to bring back a translation of a service deleted since, until the service is back', async () => {
      const organization = await idOf('organization', 'Centre Alpha');
      const created = await inject('POST', '/api/services', editor.headers, {
        organizationId: organization,
        name: 'Alpha winter shelter',
        category: 'social_action',
      });
      expect(created.statusCode).toBe(201);
      const shelter = (created.json() as { id: string }).id;
      const url = `/api/services/${shelter}/translations/fr/name`;
      expect((await write(url, { text: 'Alpha abri d’hiver' })).statusCode).toBe(200);
      expect((await inject('DELETE', `${url}?version=1`, editor.headers)).statusCode).toBe(200);
      const deletion = (await changesOf(shelter, 'fr')).at(-1)!;
      expect((await inject('DELETE', `/api/services/${shelter}`, editor.headers)).statusCode).toBe(204);

      const refused = await restore(deletion.id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toBe(
        'This translation cannot be restored: its service “Alpha winter shelter” no longer exists. ' +
          'Restore the service first.',
      );
      const serviceDeletion = await context.database.db
        .selectFrom('change_log')
        .select(sql<string>`id::text`.as('id'))
        .where('entity_type', '=', 'service')
        .where('entity_id', '=', shelter)
        .where('action', '=', 'delete')
        .executeTakeFirstOrThrow();
      expect((await restore(serviceDeletion.id)).statusCode).toBe(200);
      expect((await restore(deletion.id)).statusCode).toBe(200);
      expect(translationOf(await sheetOf(shelter), 'name', 'fr')).toMatchObject({ text: 'Alpha abri d’hiver' });
    });
  });

  it('drafts the missing translations with the machine, never replacing a person’s or a reviewed one', async () => {
    translator.requests.length = 0;
    const response = await inject('POST', `/api/services/${football}/translations/fr/machine-drafts`, editor.headers);
    expect(response.statusCode).toBe(200);
    const sheet = response.json() as Sheet;
    // Name and description; the fees have a person's French already, the other fields no original.
    expect(sheet.drafted).toBe(2);
    expect(translator.requests).toEqual([
      {
        q: ['Alpha football club', 'Football on Saturdays.'],
        source: 'en',
        target: 'fr',
        format: 'text',
        api_key: translatorKey,
      },
    ]);
    expect(translationOf(sheet, 'name', 'fr')).toMatchObject({
      text: '[fr] Alpha football club',
      origin: 'machine',
      reviewState: 'machine-draft',
    });
    expect(translationOf(sheet, 'feesDescription', 'fr')).toMatchObject({
      text: '25 euros pour la saison.',
      origin: 'human',
    });
  });

  it('asks the machine nothing when every field already has a current translation', async () => {
    translator.requests.length = 0;
    const again = await inject('POST', `/api/services/${football}/translations/fr/machine-drafts`, editor.headers);
    expect(again.json().drafted).toBe(0);
    expect(translator.requests).toEqual([]);
  });

  it('sends the directory each translated field with its origin and review state', async () => {
    const directory = (await inject('GET', '/api/alliances/testland/directory', {})).json();
    const entry = directory.services.find((service: { name: string }) => service.name === 'Alpha football club');
    expect(entry.translations.fr).toEqual({
      name: { text: '[fr] Alpha football club', origin: 'machine', reviewState: 'machine-draft' },
      description: { text: '[fr] Football on Saturdays.', origin: 'machine', reviewState: 'machine-draft' },
      feesDescription: { text: '25 euros pour la saison.', origin: 'human', reviewState: 'reviewed' },
    });
  });

  it('answers 502 with a sentence when the machine-translation service fails, and stores nothing', async () => {
    translator.failWith(500, JSON.stringify({ error: 'Model not loaded' }));
    const before = await sheetOf(housing);
    const response = await inject('POST', `/api/services/${housing}/translations/sv/machine-drafts`, editor.headers);
    expect(response.statusCode).toBe(502);
    expect(response.json().message).toBe(
      'The machine-translation service refused the texts (HTTP 500): "Model not loaded".',
    );
    translator.failWith(200, '{"translatedText": "one text for two"}');
    const garbled = await inject('POST', `/api/services/${housing}/translations/sv/machine-drafts`, editor.headers);
    expect(garbled.statusCode).toBe(502);
    expect(garbled.json().message).toMatch(/answered something other than the translations/);
    expect(await sheetOf(housing)).toEqual(before);
  });
});

describe.each(databaseModes())('translating without a machine-translation service (%s database)', (mode) => {
  const context = useTestApp(mode);
  const { idOf, inject } = requests(context);

  it('says there is none (409), hides the offer, and sends nothing anywhere', async () => {
    const editor = await signedInAs(context.database.db, 'editor', 'testland');
    const housing = await idOf('service', 'Alpha housing advice');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const response = await inject('POST', `/api/services/${housing}/translations/sv/machine-drafts`, editor.headers);
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/no machine-translation service \(TRANSLATOR_URL is not set\)/);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
    const sheet = (await inject('GET', `/api/services/${housing}/translations`, editor.headers)).json();
    expect(sheet.machineTranslation).toBe(false);
  });
});

describe('TRANSLATOR_URL', () => {
  it('is read without its trailing slash, with its key, and refused when it is not a web address', () => {
    const config = loadConfig({ TRANSLATOR_URL: 'https://translate.example.org/lt/', TRANSLATOR_API_KEY: 'k' });
    expect(config).toMatchObject({ translatorUrl: 'https://translate.example.org/lt', translatorApiKey: 'k' });
    expect(loadConfig({}).translatorUrl).toBeUndefined();
    expect(() => loadConfig({ TRANSLATOR_URL: 'ftp://translate.example.org' })).toThrow(
      'TRANSLATOR_URL must start with https:// or http://, not "ftp://translate.example.org".',
    );
  });
});
