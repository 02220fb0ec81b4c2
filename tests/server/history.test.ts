import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeAs } from '../../server/src/domain/history/actingAs.js';
import { loggedEntityTypes } from '../../server/src/domain/history/changeLog.js';
import { bookkeepingFields } from '../../web/src/history/bookkeepingFields.js';
import historyMessages from '../../web/src/history/messages/en.json' with { type: 'json' };
import { changeTimeText } from '../../server/src/domain/history/staleVersion.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

interface Request {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
}

const reloadAdvice = 'after you opened it. Reload it to see their change, then make yours again.';
const contact = { contactPerson: 'Awa Diallo', contactPhone: '+33 6 12 34 56 78', contactEmail: 'awa@private.example' };

describe.each(databaseModes())('editing with history (%s database)', (mode) => {
  const context = useTestApp(mode);
  let marie: TestActor;
  let jean: TestActor;
  let coordinator: TestActor;
  let member: TestActor;
  let counter = 0;

  const send = (actor: TestActor | null, request: Request) =>
    context.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      payload: request.payload,
      headers: actor?.headers ?? {},
    });
  async function ok(actor: TestActor | null, request: Request, statusCode = 200) {
    const response = await send(actor, request);
    expect(response.statusCode, response.body).toBe(statusCode);
    return response.statusCode === 204 ? null : response.json();
  }
  const logCount = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from change_log`.execute(context.database.db)).rows[0]!.n;

  async function newOrganization(extra: object = {}) {
    counter += 1;
    return ok(
      marie,
      {
        method: 'POST',
        url: '/api/organizations',
        payload: {
          alliance: 'testland',
          name: `History organisation ${counter}`,
          location: { lat: 44.86, lon: -0.56, town: 'Bordeaux', address: `${counter} quai des Tests` },
          ...extra,
        },
      },
      201,
    );
  }

  async function newService(organizationId: string, extra: object = {}) {
    counter += 1;
    return ok(
      marie,
      {
        method: 'POST',
        url: '/api/services',
        payload: { organizationId, name: `History service ${counter}`, category: 'social_action', ...extra },
      },
      201,
    );
  }

  const restore = (actor: TestActor, changeId: string) =>
    send(actor, { method: 'POST', url: `/api/history/${changeId}/restore` });
  const recordHistory = async (entityType: string, id: string) =>
    (await ok(member, { url: `/api/history/${entityType}/${id}` })).items;
  const deleted = async () => (await ok(member, { url: '/api/alliances/testland/deleted' })).items;

  beforeAll(async () => {
    const db = context.database.db;
    marie = await signedInAs(db, 'editor', 'testland', { displayName: 'Marie Dupont' });
    jean = await signedInAs(db, 'secretariat', 'testland', { displayName: 'Jean Martin' });
    coordinator = await signedInAs(db, 'coordinator', 'testland', { displayName: 'Camille Coordinator' });
    member = await signedInAs(db, 'member', 'testland', { displayName: 'Mo Member' });
  });

  it('loads the demo data without writing to the change log', async () => {
    expect(await logCount()).toBe(0);
  });

  describe('two people editing the same version', () => {
    it.each([
      ['service', 'service', { name: 'Marie’s name' }, { name: 'Jean’s name' }],
      ['organisation', 'organization', { name: 'Marie’s organisation' }, { name: 'Jean’s organisation' }],
      ['location', 'location', { name: 'Marie’s desk', lat: 44.87, lon: -0.55 }, { name: 'Jean’s desk' }],
    ] as const)(
      'answers the second change to a %s with 409 and writes nothing',
      async (noun, entityType, mine, theirs) => {
        const organization = await newOrganization();
        const record =
          entityType === 'service'
            ? await newService(organization.id)
            : entityType === 'organization'
              ? organization
              : organization.locations[0];
        const url = `/api/${entityType === 'service' ? 'services' : entityType === 'organization' ? 'organizations' : 'locations'}/${record.id}`;
        const readUrl = entityType === 'location' ? `/api/organizations/${organization.id}` : url;
        const current = async () => {
          const read = await ok(marie, { url: readUrl });
          return entityType === 'location' ? read.locations[0] : read;
        };

        const first = await ok(marie, { method: 'PATCH', url, payload: { version: record.version, ...mine } });
        expect(first).toMatchObject({ ...mine, version: record.version + 1 });
        const logged = await logCount();
        const second = await send(jean, { method: 'PATCH', url, payload: { version: record.version, ...theirs } });

        const [lastChange] = await recordHistory(entityType, record.id);
        const at = changeTimeText(new Date(lastChange.changedAt), 'Europe/Paris');
        expect(second.statusCode).toBe(409);
        expect(second.json()).toEqual({
          statusCode: 409,
          error: 'Conflict',
          code: 'conflict.stale-version',
          params: expect.objectContaining({
            entityType,
            currentVersion: record.version + 1,
            who: 'Marie Dupont',
            changedAt: lastChange.changedAt,
          }),
          message: `Marie Dupont changed this ${noun} at ${at}, ${reloadAdvice}`,
        });
        expect(await logCount()).toBe(logged);
        expect(await current()).toMatchObject({ name: mine.name, version: record.version + 1 });
      },
    );

    it('asks for the version when a change comes without it', async () => {
      const organization = await newOrganization();
      const response = await send(marie, {
        method: 'PATCH',
        url: `/api/organizations/${organization.id}`,
        payload: { name: 'No version' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe(
        'The request body is missing "version": send the version the record was read at, so that a change someone made since is not overwritten.',
      );
      const versionOnly = await send(marie, {
        method: 'PATCH',
        url: `/api/organizations/${organization.id}`,
        payload: { version: organization.version },
      });
      expect(versionOnly.statusCode).toBe(400);
      expect(versionOnly.json().message).toBe('The request body must contain at least one field to change.');
    });
  });

  it('lists who changed what and when, with the old and new values, for the record and the alliance', async () => {
    const organization = await newOrganization();
    const service = await newService(organization.id, { feesDescription: 'Free' });
    const before = Date.now();
    await ok(jean, {
      method: 'PATCH',
      url: `/api/services/${service.id}`,
      payload: { version: service.version, name: 'Renamed by Jean', feesDescription: null },
    });

    const [change] = await recordHistory('service', service.id);
    expect(change).toEqual({
      id: expect.stringMatching(/^[0-9]+$/),
      changeSet: expect.stringMatching(/^[0-9]+$/),
      entityType: 'service',
      entityId: service.id,
      entityLabel: 'Renamed by Jean',
      action: 'update',
      changedAt: expect.any(String),
      author: { accountId: jean.accountId, displayName: 'Jean Martin' },
      authorLabel: null,
      changedFields: ['name', 'feesDescription'],
      old: expect.objectContaining({ name: service.name, feesDescription: 'Free', version: 1 }),
      new: expect.objectContaining({ name: 'Renamed by Jean', feesDescription: null, version: 2 }),
    });
    expect(Date.parse(change.changedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(change.changedAt)).toBeLessThanOrEqual(Date.now() + 1000);

    const [creation] = (await recordHistory('service', service.id)).filter(
      (item: { entityType: string; action: string }) => item.entityType === 'service' && item.action === 'create',
    );
    expect(creation).toMatchObject({ author: { displayName: 'Marie Dupont' }, old: null, new: { name: service.name } });

    const alliance = (await ok(member, { url: '/api/alliances/testland/history?limit=1' })).items;
    expect(alliance).toEqual([change]);
    const older = (await ok(member, { url: `/api/alliances/testland/history?limit=1&before=${change.id}` })).items;
    expect(Number(older[0].id)).toBeLessThan(Number(change.id));
  });

  it('restores a service to its values before a change, as a change of its own', async () => {
    const organization = await newOrganization();
    const service = await newService(organization.id, { phone: '+33 5 55 55 55 55' });
    const url = `/api/services/${service.id}`;
    await ok(jean, { method: 'PATCH', url, payload: { version: service.version, name: 'Wrong name', phone: null } });
    const [mistake] = await recordHistory('service', service.id);

    const restored = await restore(marie, mistake.id);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toEqual({ entityType: 'service', entityId: service.id, version: service.version + 2 });
    expect(await ok(null, { url })).toEqual({
      ...service,
      version: service.version + 2,
      updatedAt: expect.any(String),
    });
    const [undo] = await recordHistory('service', service.id);
    expect(undo).toMatchObject({
      action: 'update',
      author: { displayName: 'Marie Dupont' },
      changedFields: ['name', 'phone'],
      new: { name: service.name, phone: '+33 5 55 55 55 55' },
    });
  });

  it('moves a pin and hides an address, and restores the pin from the history', async () => {
    const organization = await newOrganization();
    const [location] = organization.locations;
    const service = await newService(organization.id);
    const url = `/api/locations/${location.id}`;
    const moved = await ok(marie, {
      method: 'PATCH',
      url,
      payload: { version: location.version, lat: 44.9, lon: -0.7, precision: 'street', hideAddress: true },
    });
    expect(moved).toMatchObject({ lat: 44.9, lon: -0.7, precision: 'street', hideAddress: true, version: 2 });
    const near = async (lat: number, lon: number) =>
      (await ok(null, { url: `/api/services/nearby?lat=${lat}&lon=${lon}&radius_m=50` })).items.map(
        (item: { id: string }) => item.id,
      );
    expect(await near(44.9, -0.7)).toEqual([service.id]);
    const publicView = await ok(null, { url: `/api/organizations/${organization.id}` });
    expect(publicView.locations[0]).toMatchObject({ address: null, postalCode: null, hideAddress: true });

    const [move] = await recordHistory('location', location.id);
    expect(move.changedFields).toEqual(['geog', 'precision', 'hideAddress']);
    expect(move.old.geog).toEqual({ type: 'Point', coordinates: [-0.56, 44.86] });
    expect(move.new.geog).toEqual({ type: 'Point', coordinates: [-0.7, 44.9] });
    expect((await restore(marie, move.id)).statusCode).toBe(200);
    expect((await ok(null, { url: `/api/organizations/${organization.id}` })).locations[0]).toMatchObject({
      lat: 44.86,
      lon: -0.56,
      precision: 'exact',
      hideAddress: false,
      address: location.address,
      version: 3,
    });
    expect(await near(44.86, -0.56)).toContain(service.id);
    expect(await near(44.9, -0.7)).toEqual([]);
  });

  it('restores a deleted service with its link to its location and its opening hours', async () => {
    const organization = await newOrganization();
    const service = await newService(organization.id, { openingHours: 'Mo 09:00-12:00' });
    const directoryEntry = async () =>
      (await ok(null, { url: '/api/alliances/testland/directory' })).services.find(
        (entry: { serviceId: string }) => entry.serviceId === service.id,
      );
    const listed = async () =>
      (await ok(null, { url: `/api/services?alliance=testland&limit=500` })).items.some(
        (item: { id: string }) => item.id === service.id,
      );
    const entryBefore = await directoryEntry();
    expect(entryBefore).toMatchObject({ name: service.name, openingHours: 'Mo 09:00-12:00' });

    await ok(marie, { method: 'DELETE', url: `/api/services/${service.id}` }, 204);
    expect(await listed()).toBe(false);
    expect(await directoryEntry()).toBeUndefined();
    const [deletion] = await deleted();
    expect(deletion).toMatchObject({
      entityType: 'service',
      entityId: service.id,
      entityLabel: service.name,
      action: 'delete',
      author: { displayName: 'Marie Dupont' },
      new: null,
    });

    const restored = await restore(jean, deletion.id);
    expect(restored.json()).toEqual({ entityType: 'service', entityId: service.id, version: service.version + 1 });
    expect(await listed()).toBe(true);
    expect(await directoryEntry()).toEqual(entryBefore);
    expect(await ok(null, { url: `/api/services/${service.id}` })).toEqual({
      ...service,
      version: service.version + 1,
      updatedAt: expect.any(String),
    });
    expect((await deleted()).map((item: { entityId: string }) => item.entityId)).not.toContain(service.id);
    const again = await restore(jean, deletion.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('This service exists again already: it was restored or added again since.');
  });

  it('restores a deleted organisation with its location and services', async () => {
    const organization = await newOrganization({ sector: 'education', memberRole: 'member', ...contact });
    const first = await newService(organization.id, { openingHours: 'Tu 10:00-11:00' });
    const second = await newService(organization.id);
    const before = await ok(member, { url: `/api/organizations/${organization.id}` });
    expect(before.services.map((item: { id: string }) => item.id).sort()).toEqual([first.id, second.id].sort());

    await ok(jean, { method: 'DELETE', url: `/api/organizations/${organization.id}` }, 204);
    expect((await send(null, { url: `/api/services/${first.id}` })).statusCode).toBe(404);
    const deletions = (await deleted()).filter((item: { entityId: string; changeSet: string }) =>
      [organization.id, first.id, second.id, organization.locations[0].id].includes(item.entityId),
    );
    expect(deletions.map((item: { entityType: string }) => item.entityType)).toEqual(['organization']);

    const restored = await restore(marie, deletions[0].id);
    expect(restored.json()).toEqual({
      entityType: 'organization',
      entityId: organization.id,
      version: before.version + 1,
    });
    expect(await ok(member, { url: `/api/organizations/${organization.id}` })).toEqual({
      ...before,
      version: before.version + 1,
      locations: [{ ...before.locations[0], version: before.locations[0].version + 1 }],
    });
    expect(await ok(null, { url: `/api/services/${first.id}` })).toMatchObject({
      openingHours: 'Tu 10:00-11:00',
      locations: [{ id: organization.locations[0].id, lat: 44.86, lon: -0.56 }],
    });
  });

  it('gives back the references the deletion of an organisation cleared (an action, a signature)', async () => {
    const organization = await newOrganization();
    const action = await ok(
      marie,
      {
        method: 'POST',
        url: '/api/alliances/testland/actions',
        payload: { title: 'Open a second desk', responsibleOrganizationId: organization.id, estimatedBudget: 1200.5 },
      },
      201,
    );
    const signature = await ok(
      marie,
      {
        method: 'POST',
        url: '/api/alliances/testland/charter/signatures',
        payload: { signerName: 'Ines Garcia', organizationId: organization.id, signedOn: '2026-11-02' },
      },
      201,
    );
    const signatureOf = async () =>
      (await ok(member, { url: '/api/alliances/testland/charter' })).signatures.find(
        (item: { id: string }) => item.id === signature.id,
      );
    await ok(marie, { method: 'DELETE', url: `/api/organizations/${organization.id}` }, 204);
    expect((await ok(member, { url: `/api/actions/${action.id}` })).responsibleOrganization).toBeNull();
    expect((await signatureOf()).organizationId).toBeNull();

    const [deletion] = await deleted();
    expect(deletion.entityId).toBe(organization.id);
    expect((await restore(marie, deletion.id)).statusCode).toBe(200);
    expect(await ok(member, { url: `/api/actions/${action.id}` })).toEqual({
      ...action,
      version: action.version + 2,
      updatedAt: expect.any(String),
    });
    expect(await signatureOf()).toMatchObject({ organizationId: organization.id, organizationName: organization.name });
  });

  it('restores a deleted action and a deleted SWOT item as they were', async () => {
    const action = await ok(
      marie,
      {
        method: 'POST',
        url: '/api/alliances/testland/actions',
        payload: {
          title: 'Translate the leaflet',
          estimatedBudget: 300,
          startsOn: '2026-12-01',
          dueOn: '2027-01-15',
          status: 'planned',
        },
      },
      201,
    );
    const item = await ok(
      marie,
      { method: 'POST', url: '/api/alliances/testland/swot', payload: { quadrant: 'threats', text: 'Funding ends' } },
      201,
    );
    await ok(jean, { method: 'DELETE', url: `/api/actions/${action.id}` }, 204);
    await ok(jean, { method: 'DELETE', url: `/api/swot/${item.id}` }, 204);
    const [swotDeletion, actionDeletion] = await deleted();
    expect([swotDeletion.entityLabel, actionDeletion.entityLabel]).toEqual(['Funding ends', 'Translate the leaflet']);

    expect((await restore(marie, actionDeletion.id)).json()).toEqual({
      entityType: 'plan_action',
      entityId: action.id,
      version: action.version + 1,
    });
    expect((await restore(marie, swotDeletion.id)).statusCode).toBe(200);
    expect(await ok(member, { url: `/api/actions/${action.id}` })).toEqual({
      ...action,
      version: action.version + 1,
      updatedAt: expect.any(String),
    });
    const swot = (await ok(member, { url: '/api/alliances/testland/swot' })).items;
    expect(swot.find((entry: { id: string }) => entry.id === item.id)).toEqual({
      ...item,
      version: item.version + 1,
      updatedAt: expect.any(String),
    });
  });

  it('lets only one of two changes sent at once on the same version through', async () => {
    const organization = await newOrganization();
    const url = `/api/organizations/${organization.id}`;
    const answers = await Promise.all(
      [marie, jean].map((actor, index) =>
        send(actor, {
          method: 'PATCH',
          url,
          payload: { version: organization.version, website: `https://${index}.example.org/` },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.statusCode === 200)!.json();
    expect(await ok(null, { url })).toMatchObject({ website: winner.website, version: organization.version + 1 });
  });

  it('refuses to restore a service whose organisation is gone, until the organisation is back', async () => {
    const organization = await newOrganization();
    const service = await newService(organization.id);
    await ok(marie, { method: 'DELETE', url: `/api/services/${service.id}` }, 204);
    await ok(marie, { method: 'DELETE', url: `/api/organizations/${organization.id}` }, 204);
    const [organizationDeletion, serviceDeletion] = await deleted();
    expect([organizationDeletion.entityId, serviceDeletion.entityId]).toEqual([organization.id, service.id]);

    const refused = await restore(marie, serviceDeletion.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(
      `This service cannot be restored: its organisation “${organization.name}” no longer exists. Restore the organisation first.`,
    );
    expect((await send(null, { url: `/api/services/${service.id}` })).statusCode).toBe(404);

    expect((await restore(marie, organizationDeletion.id)).statusCode).toBe(200);
    expect((await restore(marie, serviceDeletion.id)).statusCode).toBe(200);
    expect(await ok(null, { url: `/api/services/${service.id}` })).toMatchObject({
      organization: { id: organization.id },
      locations: [{ id: organization.locations[0].id }],
    });
  });

  it('undoes a creation by deleting the record, which can then be restored', async () => {
    const organization = await newOrganization();
    const service = await newService(organization.id);
    const creation = (await recordHistory('service', service.id)).find(
      (item: { entityType: string; action: string }) => item.entityType === 'service' && item.action === 'create',
    );
    expect((await restore(marie, creation.id)).json()).toEqual({
      entityType: 'service',
      entityId: service.id,
      version: null,
    });
    expect((await send(null, { url: `/api/services/${service.id}` })).statusCode).toBe(404);
    const gone = await restore(marie, creation.id);
    expect(gone.statusCode).toBe(409);
    expect(gone.json().message).toBe('This service no longer exists.');
  });

  it("restores an alliance's boundary (a geometry) for its coordinator only", async () => {
    const db = context.database.db;
    const boundary = async () =>
      (await ok(null, { url: '/api/alliances/testland' })).boundary as { coordinates: number[][][][] };
    const original = await boundary();
    await changeAs(db, { accountId: coordinator.accountId, allianceId: null }, (trx) =>
      trx
        .updateTable('alliance')
        .set({ boundary: sql`ST_Multi(ST_MakeEnvelope(-0.7, 44.7, -0.5, 44.9, 4326))` })
        .where('slug', '=', 'testland')
        .execute(),
    );
    expect(await boundary()).not.toEqual(original);
    const [change] = (await ok(member, { url: '/api/alliances/testland/history?limit=1' })).items;
    expect(change).toMatchObject({ entityType: 'alliance', action: 'update', changedFields: ['boundary'] });

    const editor = await restore(marie, change.id);
    expect(editor.statusCode).toBe(403);
    expect(editor.json().message).toBe("Only the alliance's coordinator may restore its settings.");
    expect((await restore(coordinator, change.id)).statusCode).toBe(200);
    expect(await boundary()).toEqual(original);
  });

  it('keeps the services tally true through the deletions and restores above', async () => {
    // The tally that the HSDS pages read for their totals (migration 2026-12-03-01-service-tally) is written by
    // triggers; restores write through the change log, not through the repositories.
    const byAlliance = (rows: { alliance_id: string; status: string; n: number }[]) =>
      rows.map((row) => `${row.alliance_id} ${row.status} ${row.n}`).sort();
    const tallied = await sql<{ alliance_id: string; status: string; n: number }>`
      select alliance_id, status, sum(delta)::int as n from service_tally group by 1, 2 having sum(delta) <> 0`.execute(
      context.database.db,
    );
    const counted = await sql<{ alliance_id: string; status: string; n: number }>`
      select o.alliance_id, s.status, count(*)::int as n from service s join organization o on o.id = s.organization_id
      group by 1, 2`.execute(context.database.db);
    expect(byAlliance(tallied.rows)).toEqual(byAlliance(counted.rows));
  });

  it('has words on the history page for every column a change can name', async () => {
    const columns = await sql<{ table: string; column: string }>`
      select table_name as table, column_name as column from information_schema.columns
      where table_schema = current_schema() and table_name in (${sql.join([...loggedEntityTypes])})`.execute(
      context.database.db,
    );
    expect(new Set(columns.rows.map((row) => row.table))).toEqual(new Set(loggedEntityTypes));
    const unnamed = columns.rows
      .filter(({ column }) => !bookkeepingFields.has(column) && !(column in historyMessages.field))
      .map(({ table, column }) => `${table}.${column}`);
    expect(unnamed).toEqual([]);
  });

  it('answers 404 for a change that does not exist', async () => {
    const response = await restore(marie, '999999999');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no change with id 999999999.');
  });

  describe('the public', () => {
    it('never sees the contact people, phones and e-mails of the stakeholder register', async () => {
      const organization = await newOrganization({ ...contact, memberRole: 'member', sector: 'ngo' });
      await newService(organization.id);
      const views = [
        `/api/organizations/${organization.id}`,
        '/api/organizations?alliance=testland&limit=500',
        '/api/alliances/testland/sector-balance',
        '/api/alliances/testland/directory',
      ];
      for (const url of views) {
        const response = await send(null, { url });
        expect(response.statusCode, url).toBe(200);
        for (const value of Object.values(contact)) expect(response.body, url).not.toContain(value);
      }
      expect((await ok(null, { url: views[0]! })).stakeholder).toBeUndefined();
      expect((await ok(member, { url: views[0]! })).stakeholder).toMatchObject({ ...contact, memberRole: 'member' });
      const register = (await ok(member, { url: '/api/alliances/testland/stakeholders' })).items;
      expect(register.find((item: { id: string }) => item.id === organization.id).stakeholder).toMatchObject(contact);
    });

    it('counts member organisations per sector against the 8–12 target', async () => {
      await context.database.db
        .insertInto('alliance')
        .values({
          slug: 'balanceland',
          name: 'Balanceland',
          country: 'FR',
          languages: ['fr'],
          timezone: 'Europe/Paris',
        })
        .execute();
      const admin = await signedInAs(context.database.db, 'coordinator', 'balanceland');
      const organizations: [string | null, string | null][] = [
        ['ngo', 'president'],
        ['ngo', 'member'],
        ['public_authority', 'secretariat'],
        ['other', 'member'],
        [null, 'member'],
        ['employer', null],
      ];
      for (const [index, [sector, memberRole]] of organizations.entries()) {
        await ok(
          admin,
          {
            method: 'POST',
            url: '/api/organizations',
            payload: { alliance: 'balanceland', name: `Balance ${index}`, sector, memberRole },
          },
          201,
        );
      }
      expect(await ok(null, { url: '/api/alliances/balanceland/sector-balance' })).toEqual({
        target: { min: 8, max: 12 },
        members: 5,
        bySector: [
          { sector: 'public_authority', count: 1 },
          { sector: 'ngo', count: 2 },
          { sector: 'migrant_association', count: 0 },
          { sector: 'mediator', count: 0 },
          { sector: 'social_services', count: 0 },
          { sector: 'education', count: 0 },
          { sector: 'employer', count: 0 },
          { sector: 'other', count: 1 },
        ],
        withoutSector: 1,
        missingSectors: ['migrant_association', 'mediator', 'social_services', 'education', 'employer'],
      });
      expect((await send(null, { url: '/api/alliances/nowhere/sector-balance' })).statusCode).toBe(404);
    });
  });
});
