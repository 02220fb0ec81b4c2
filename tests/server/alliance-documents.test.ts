import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { charterTemplate } from '#contract/charter/charterTemplate.js';
import { swotPrompts } from '../../server/src/domain/alliance-documents/swotPrompts.js';
import { changeTimeText } from '../../server/src/domain/history/staleVersion.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

const fixtureDir = path.join(projectRoot, 'tests/fixtures/gap-analysis');

describe.each(databaseModes())('SWOT and charter (%s database)', (mode) => {
  const context = useTestApp(mode, fixtureDir);
  let coordinator: TestActor;
  let editor: TestActor;
  let member: TestActor;
  let meridianCoordinator: TestActor;
  let meridianEditor: TestActor;

  const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, actor?: TestActor, payload?: object) =>
    context.app.inject({ method, url, headers: actor?.headers ?? {}, ...(payload ? { payload } : {}) });

  async function addItem(payload: object, actor: TestActor = editor, alliance = 'testland') {
    const response = await request('POST', `/api/alliances/${alliance}/swot`, actor, payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  beforeAll(async () => {
    const db = context.database.db;
    coordinator = await signedInAs(db, 'coordinator', 'testland', { displayName: 'Claire Martin' });
    editor = await signedInAs(db, 'editor', 'testland', { displayName: 'Marie Dupont' });
    member = await signedInAs(db, 'member', 'testland');
    meridianCoordinator = await signedInAs(db, 'coordinator', 'meridian');
    meridianEditor = await signedInAs(db, 'editor', 'meridian');
  });

  describe('SWOT', () => {
    it("offers the guide's questions for each quadrant", () => {
      expect(Object.keys(swotPrompts)).toEqual(['strengths', 'weaknesses', 'opportunities', 'threats']);
      expect(swotPrompts.strengths[0]).toBe('What are the benefits of your community?');
      expect(swotPrompts.threats).toContain('Do changes in policy and legislation have an impact on your community?');
    });

    it('adds items at the end of their quadrant and lists them by quadrant, with the prompts', async () => {
      const threat = await addItem({ quadrant: 'threats', text: 'Funding ends in 2027' }, meridianEditor, 'meridian');
      const strength = await addItem(
        { quadrant: 'strengths', text: 'Mediators who speak 9 languages' },
        meridianEditor,
        'meridian',
      );
      const secondStrength = await addItem(
        { quadrant: 'strengths', text: 'A shared directory' },
        meridianEditor,
        'meridian',
      );
      expect([threat.position, strength.position, secondStrength.position]).toEqual([0, 0, 1]);
      expect(strength).toMatchObject({ quadrant: 'strengths', text: 'Mediators who speak 9 languages', version: 1 });

      const listed = await request('GET', '/api/alliances/meridian/swot', meridianCoordinator);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items.map((item: { text: string }) => item.text)).toEqual([
        'Mediators who speak 9 languages',
        'A shared directory',
        'Funding ends in 2027',
      ]);
      expect(listed.json().prompts).toEqual(swotPrompts);
    });

    it('moves an item to another quadrant and changes its text when the version is current', async () => {
      const item = await addItem({ quadrant: 'opportunities', text: 'New regional law' });
      const patched = await request('PATCH', `/api/swot/${item.id}`, editor, {
        version: 1,
        quadrant: 'threats',
        text: 'New regional law restricts funding',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({
        quadrant: 'threats',
        text: 'New regional law restricts funding',
        version: 2,
      });
    });

    it('refuses a change on a stale version (409) naming who changed the item, and one without version (400)', async () => {
      const item = await addItem({ quadrant: 'weaknesses', text: 'Few volunteers' });
      expect(
        (await request('PATCH', `/api/swot/${item.id}`, coordinator, { version: 1, position: 4 })).statusCode,
      ).toBe(200);
      const stale = await request('PATCH', `/api/swot/${item.id}`, editor, { version: 1, text: 'Too few volunteers' });
      expect(stale.statusCode).toBe(409);
      const [lastChange] = await context.database.db
        .selectFrom('change_log')
        .select('changed_at')
        .where('entity_id', '=', item.id)
        .orderBy('id', 'desc')
        .limit(1)
        .execute();
      expect(stale.json().message).toBe(
        `Claire Martin changed this SWOT item at ${changeTimeText(lastChange!.changed_at, 'Europe/Paris')}, after ` +
          'you opened it. Reload it to see their change, then make yours again.',
      );
      const missing = await request('PATCH', `/api/swot/${item.id}`, editor, { text: 'No version' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().message).toMatch(/^The request body is missing "version"/);
    });

    describe('moving an item within its quadrant', () => {
      interface Listed {
        id: string;
        quadrant: string;
        text: string;
        position: number;
        version: number;
      }
      const opportunities = (items: Listed[]) => items.filter((item) => item.quadrant === 'opportunities');
      const listOpportunities = async () =>
        opportunities((await request('GET', '/api/alliances/testland/swot', member)).json().items as Listed[]);
      const move = (item: Listed, direction: 'up' | 'down', actor: TestActor = editor, version = item.version) =>
        request('POST', `/api/swot/${item.id}/move`, actor, { version, direction });
      const byText = (items: Listed[], text: string) => items.find((item) => item.text === text)!;

      it('swaps an item with its neighbour and numbers the quadrant 0, 1, 2… in the listed order', async () => {
        for (const text of ['Move A', 'Move B', 'Move C']) await addItem({ quadrant: 'opportunities', text });
        let listed = await listOpportunities();
        const up = await move(byText(listed, 'Move C'), 'up');
        expect(up.statusCode, up.body).toBe(200);
        const answered = opportunities(up.json().items as Listed[]);
        expect(answered.map((item) => item.text)).toEqual(['Move A', 'Move C', 'Move B']);
        expect(answered.map((item) => item.position)).toEqual([0, 1, 2]);
        expect(byText(answered, 'Move C').version).toBe(2);
        expect(byText(answered, 'Move B').version).toBe(2);
        expect(byText(answered, 'Move A').version).toBe(1);

        listed = await listOpportunities();
        expect(listed).toEqual(answered);
        expect((await move(byText(listed, 'Move A'), 'down')).statusCode).toBe(200);
        listed = await listOpportunities();
        expect(listed.map((item) => item.text)).toEqual(['Move C', 'Move A', 'Move B']);
        expect(listed.map((item) => item.position)).toEqual([0, 1, 2]);
      });

      it('makes positions distinct again when two items shared one', async () => {
        await addItem({ quadrant: 'opportunities', text: 'Move D', position: 0 });
        let listed = await listOpportunities();
        expect(listed.map((item) => [item.text, item.position])).toEqual([
          ['Move C', 0],
          ['Move D', 0],
          ['Move A', 1],
          ['Move B', 2],
        ]);
        expect((await move(byText(listed, 'Move B'), 'up')).statusCode).toBe(200);
        listed = await listOpportunities();
        expect(listed.map((item) => [item.text, item.position])).toEqual([
          ['Move C', 0],
          ['Move D', 1],
          ['Move B', 2],
          ['Move A', 3],
        ]);
      });

      it('records the move in the history as a change of position, by whoever made it', async () => {
        const listed = await listOpportunities();
        expect((await move(byText(listed, 'Move D'), 'down')).statusCode).toBe(200);
        const history = (await request('GET', `/api/history/swot_item/${byText(listed, 'Move D').id}`, member)).json();
        expect(history.items[0]).toMatchObject({
          action: 'update',
          changedFields: ['position'],
          author: { displayName: 'Marie Dupont' },
          old: { position: 1 },
          new: { position: 2 },
        });
        const neighbour = (
          await request('GET', `/api/history/swot_item/${byText(listed, 'Move B').id}`, member)
        ).json();
        expect(neighbour.items[0]).toMatchObject({
          changedFields: ['position'],
          old: { position: 2 },
          new: { position: 1 },
        });
        expect(neighbour.items[0].changeSet).toBe(history.items[0].changeSet);
      });

      it('refuses a move on a stale version (409) naming who changed the item, and changes nothing', async () => {
        const before = await listOpportunities();
        const item = byText(before, 'Move A');
        const stale = await move(item, 'up', editor, item.version - 1);
        expect(stale.statusCode).toBe(409);
        expect(stale.json().message).toMatch(
          /^Marie Dupont changed this SWOT item at \d{2}:\d{2}, after you opened it\. Reload it to see their change, then make yours again\.$/,
        );
        expect(await listOpportunities()).toEqual(before);
      });

      it('refuses to move the first item up or the last one down (409), changing nothing', async () => {
        const before = await listOpportunities();
        const first = await move(before[0]!, 'up');
        expect(first.statusCode).toBe(409);
        expect(first.json().message).toMatch(/^This SWOT item is already the first of its quadrant\./);
        const last = await move(before[before.length - 1]!, 'down');
        expect(last.statusCode).toBe(409);
        expect(last.json().message).toMatch(/^This SWOT item is already the last of its quadrant\./);
        expect(await listOpportunities()).toEqual(before);
      });

      it('lets editors move items but not members (403), the public (401) or other alliances (403)', async () => {
        const before = await listOpportunities();
        const item = before[1]!;
        expect((await move(item, 'up', member)).statusCode).toBe(403);
        expect((await move(item, 'up', meridianCoordinator)).statusCode).toBe(403);
        const anonymous = await context.app.inject({
          method: 'POST',
          url: `/api/swot/${item.id}/move`,
          payload: { version: item.version, direction: 'up' },
        });
        expect(anonymous.statusCode).toBe(401);
        expect(await listOpportunities()).toEqual(before);
        expect((await move(item, 'up', editor)).statusCode).toBe(200);
      });

      it('refuses an unknown direction (400) and answers 404 for an unknown item', async () => {
        const [item] = await listOpportunities();
        const sideways = await request('POST', `/api/swot/${item!.id}/move`, editor, {
          version: item!.version,
          direction: 'left',
        });
        expect(sideways.statusCode).toBe(400);
        const unknown = await request('POST', '/api/swot/00000000-0000-4000-8000-000000000000/move', editor, {
          version: 1,
          direction: 'up',
        });
        expect(unknown.statusCode).toBe(404);
      });
    });

    it('deletes an item', async () => {
      const item = await addItem({ quadrant: 'strengths', text: 'Temporary' });
      expect((await request('DELETE', `/api/swot/${item.id}`, editor)).statusCode).toBe(204);
      const items = (await request('GET', '/api/alliances/testland/swot', member)).json().items;
      expect(items.map((listed: { id: string }) => listed.id)).not.toContain(item.id);
      expect((await request('PATCH', `/api/swot/${item.id}`, editor, { version: 1, text: 'x' })).statusCode).toBe(404);
    });

    it('refuses an empty text and an unknown quadrant with a 400', async () => {
      const blank = await request('POST', '/api/alliances/testland/swot', editor, { quadrant: 'threats', text: '  ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().message).toBe('A SWOT item needs some text.');
      const quadrant = await request('POST', '/api/alliances/testland/swot', editor, { quadrant: 'risks', text: 'x' });
      expect(quadrant.statusCode).toBe(400);
      expect(quadrant.json().message).toBe(
        'Field "quadrant" must be one of: strengths, weaknesses, opportunities, threats.',
      );
    });

    it('lets members read but not write, and keeps the public and other alliances out', async () => {
      const item = await addItem({ quadrant: 'strengths', text: 'Roles' });
      expect((await request('GET', '/api/alliances/testland/swot', member)).statusCode).toBe(200);
      expect((await request('GET', '/api/alliances/testland/swot')).statusCode).toBe(401);
      expect((await request('GET', '/api/alliances/testland/swot', meridianCoordinator)).statusCode).toBe(403);
      const writes = (actor?: TestActor) =>
        Promise.all([
          request('POST', '/api/alliances/testland/swot', actor, { quadrant: 'threats', text: 'x' }),
          request('PATCH', `/api/swot/${item.id}`, actor, { version: 1, text: 'x' }),
          request('DELETE', `/api/swot/${item.id}`, actor),
        ]);
      expect((await writes(member)).map((response) => response.statusCode)).toEqual([403, 403, 403]);
      expect((await writes()).map((response) => response.statusCode)).toEqual([401, 401, 401]);
      expect((await writes(meridianCoordinator)).map((response) => response.statusCode)).toEqual([403, 403, 403]);
    });
  });

  describe('charter', () => {
    it("reads the vision and charter with the alliance's version, and offers the guide's template", async () => {
      await context.database.db
        .updateTable('alliance')
        .set({ vision: 'Every newcomer finds help within 10 km.', charter: 'We commit to share what we know.' })
        .where('slug', '=', 'testland')
        .execute();
      const { version } = await context.database.db
        .selectFrom('alliance')
        .select('version')
        .where('slug', '=', 'testland')
        .executeTakeFirstOrThrow();
      const response = await request('GET', '/api/alliances/testland/charter', member);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        vision: 'Every newcomer finds help within 10 km.',
        charter: 'We commit to share what we know.',
        version,
        template: charterTemplate,
      });
      expect(charterTemplate).toContain(
        'I am aware that the Alliance is committed to:\n(Insert the visions/goals of the Alliance)\n',
      );
      expect(charterTemplate.startsWith('As a member of the Alliance Migrant Community Mediators,')).toBe(true);
    });

    it('records a signature with its organisation and contact, shown to members', async () => {
      const alpha = await context.database.db
        .selectFrom('organization')
        .select('id')
        .where('name', '=', 'Centre Alpha')
        .executeTakeFirstOrThrow();
      const signed = await request('POST', '/api/alliances/testland/charter/signatures', editor, {
        signerName: 'Fatima Benali',
        organizationId: alpha.id,
        contact: 'fatima@alpha.example.org',
        signedOn: '2026-10-02',
      });
      expect(signed.statusCode, signed.body).toBe(201);
      expect(signed.json()).toMatchObject({
        signerName: 'Fatima Benali',
        organizationId: alpha.id,
        organizationName: 'Centre Alpha',
        contact: 'fatima@alpha.example.org',
        signedOn: '2026-10-02',
      });
      const charter = (await request('GET', '/api/alliances/testland/charter', member)).json();
      expect(charter.signatures).toContainEqual(signed.json());
    });

    it('dates a signature today when no date is sent', async () => {
      const signed = await request('POST', '/api/alliances/testland/charter/signatures', editor, {
        signerName: 'Individual member',
      });
      expect(signed.statusCode).toBe(201);
      const { rows } = await sql<{ today: string }>`select current_date::text as today`.execute(context.database.db);
      const today = rows[0]!.today;
      expect(signed.json()).toMatchObject({ organizationId: null, contact: null, signedOn: today });
    });

    it("refuses another alliance's organisation for a signature", async () => {
      const southDesk = await context.database.db
        .selectFrom('organization')
        .select('id')
        .where('name', '=', 'South desk')
        .executeTakeFirstOrThrow();
      const response = await request('POST', '/api/alliances/testland/charter/signatures', editor, {
        signerName: 'Someone',
        organizationId: southDesk.id,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe(
        '"South desk" belongs to another alliance: choose an organisation of this one.',
      );
    });

    it('removes a signature', async () => {
      const signed = (
        await request('POST', '/api/alliances/testland/charter/signatures', editor, { signerName: 'Withdrawn' })
      ).json();
      expect((await request('DELETE', `/api/charter-signatures/${signed.id}`, editor)).statusCode).toBe(204);
      const charter = (await request('GET', '/api/alliances/testland/charter', member)).json();
      expect(charter.signatures.map((signature: { id: string }) => signature.id)).not.toContain(signed.id);
      expect((await request('DELETE', `/api/charter-signatures/${signed.id}`, editor)).statusCode).toBe(404);
    });

    it('lets members read the charter but not sign for others; the public and other alliances get nothing', async () => {
      expect((await request('GET', '/api/alliances/testland/charter')).statusCode).toBe(401);
      expect((await request('GET', '/api/alliances/testland/charter', meridianCoordinator)).statusCode).toBe(403);
      const signature = { signerName: 'Not allowed' };
      const url = '/api/alliances/testland/charter/signatures';
      expect((await request('POST', url, member, signature)).statusCode).toBe(403);
      expect((await request('POST', url, undefined, signature)).statusCode).toBe(401);
      expect((await request('POST', url, meridianCoordinator, signature)).statusCode).toBe(403);
      const existing = (await request('GET', '/api/alliances/testland/charter', member)).json().signatures[0];
      expect((await request('DELETE', `/api/charter-signatures/${existing.id}`, member)).statusCode).toBe(403);
    });
  });
});
