import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/src/domain/admin/adminToken.js';
import { signedInAs, TEST_PASSWORD, type TestActor } from '../support/accounts.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

type Headers = Record<string, string>;

const LAST_COORDINATOR_CHANGE =
  'An alliance needs at least one coordinator: make someone else coordinator first, then change this one.';
const LAST_COORDINATOR_REMOVE =
  'An alliance needs at least one coordinator: make someone else coordinator first, then remove this one.';

/** A square of about 11 km around a point, as a GeoJSON Polygon. */
function square(lon: number, lat: number, half = 0.05) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
      ],
    ],
  };
}

let slugCounter = 0;
function newAlliance(overrides: Record<string, unknown> = {}) {
  slugCounter += 1;
  return {
    slug: `river-${slugCounter}`,
    name: `River alliance ${slugCounter}`,
    country: 'FR',
    timezone: 'Europe/Paris',
    languages: ['fr', 'en'],
    ...overrides,
  };
}

function sessionHeaders(response: LightMyRequestResponse): Headers {
  const cookie = response.cookies.find((candidate) => candidate.name === 'passerelle_session')!;
  return { cookie: `passerelle_session=${cookie.value}`, 'x-csrf-token': response.json().csrfToken };
}

describe.each(databaseModes())('members, invitations and alliances (%s database)', (mode) => {
  const context = useTestApp(mode);
  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
    context.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const tokenOf = (link: string) => /\/map#\/invitation\/([A-Za-z0-9_-]+)$/.exec(link)![1]!;
  const members = async (slug: string, headers: Headers) =>
    (await inject('GET', `/api/alliances/${slug}/members`, headers)).json().items as {
      accountId: string;
      email: string;
      role: string;
    }[];
  const invitations = async (slug: string, headers: Headers) =>
    (await inject('GET', `/api/alliances/${slug}/members`, headers)).json().invitations as
      | { id: string; email: string; role: string; organizationName: string | null; invitedBy: string | null }[]
      | undefined;

  let coordinator: TestActor;
  let editor: TestActor;
  let member: TestActor;
  let outsider: TestActor;
  let organizationId: string;

  beforeAll(async () => {
    const db = context.database.db;
    coordinator = await signedInAs(db, 'coordinator', 'testland', { displayName: 'Coralie Coordinator' });
    editor = await signedInAs(db, 'editor', 'testland');
    member = await signedInAs(db, 'member', 'testland');
    outsider = await signedInAs(db, null, 'testland');
    organizationId = (
      await db.selectFrom('organization').select('id').where('name', '=', 'Centre Alpha').executeTakeFirstOrThrow()
    ).id;
  });

  describe('who may do what', () => {
    const memberPath = () => `/api/alliances/testland/members/${member.accountId}`;
    const managing = () =>
      [
        ['POST', '/api/alliances/testland/invitations', { email: 'x@test.example', role: 'member' }],
        ['PATCH', memberPath(), { role: 'editor' }],
        ['DELETE', memberPath(), undefined],
        ['PATCH', '/api/alliances/testland', { version: 1, name: 'Taken over' }],
        ['DELETE', '/api/alliances/testland/invitations/00000000-0000-4000-8000-000000000000', undefined],
      ] as const;

    it('refuses every route to someone not signed in (401)', async () => {
      const routes = [
        ...managing(),
        ['GET', '/api/alliances/testland/members', undefined],
        ['POST', '/api/alliances', newAlliance()],
      ] as const;
      for (const [method, url, payload] of routes) {
        const response = await inject(method, url, {}, payload);
        expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 401 });
      }
    });

    it.each(['member', 'editor'] as const)('refuses the coordinators’ routes to a %s (403)', async (role) => {
      const actor = role === 'member' ? member : editor;
      for (const [method, url, payload] of managing()) {
        const response = await inject(method, url, actor.headers, payload);
        expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 403 });
        expect(response.json().message).toBe(
          `Your role in this alliance is ${role}; this needs the coordinator of the alliance.`,
        );
      }
      expect((await members('testland', coordinator.headers)).find((m) => m.accountId === member.accountId)).toEqual(
        expect.objectContaining({ role: 'member' }),
      );
    });

    it('lets a member read the member list, coordinators first, with organisations and e-mails', async () => {
      await inject('PATCH', `/api/alliances/testland/members/${editor.accountId}`, coordinator.headers, {
        organizationId,
      });
      const response = await inject('GET', '/api/alliances/testland/members', member.headers);
      expect(response.statusCode).toBe(200);
      const { items } = response.json();
      expect(items[0]).toEqual({
        accountId: coordinator.accountId,
        email: coordinator.email,
        displayName: 'Coralie Coordinator',
        role: 'coordinator',
        organizationId: null,
        organizationName: null,
        joinedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      expect(items.find((item: { accountId: string }) => item.accountId === editor.accountId)).toMatchObject({
        role: 'editor',
        organizationId,
        organizationName: 'Centre Alpha',
      });
    });

    it('refuses the member list to a signed-in person of no alliance (403)', async () => {
      const response = await inject('GET', '/api/alliances/testland/members', outsider.headers);
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toBe(
        'You are not a member of this alliance; this needs a member of the alliance.',
      );
    });

    it('answers 404 for an unknown alliance', async () => {
      const response = await inject('GET', '/api/alliances/atlantis/members', coordinator.headers);
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('There is no alliance "atlantis".');
    });
  });

  const invite = (body: object, headers: Headers = coordinator.headers) =>
    inject('POST', '/api/alliances/testland/invitations', headers, body);

  describe('invitations', () => {
    it('invites a new person, who accepts with a password, becomes a member and reads the members', async () => {
      const created = await invite({ email: ' Nadia@Test.Example ', role: 'editor', organizationId, language: 'en' });
      expect(created.statusCode).toBe(201);
      const { link, expiresAt } = created.json();
      expect(link).toMatch(/^http:\/\/localhost(:\d+)?\/map#\/invitation\/[A-Za-z0-9_-]{43}$/);
      const days = (new Date(expiresAt).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);

      const [mail] = await context.database.db
        .selectFrom('outbox')
        .select(['subject', 'body'])
        .where('to_email', '=', 'nadia@test.example')
        .execute();
      expect(mail!.subject).toBe('Invitation to Test alliance — Testland on Passerelle');
      expect(mail!.body).toContain(link);
      expect(mail!.body).toMatch(
        /^Coralie Coordinator invites you to join Test alliance — Testland on Passerelle, as editor\./,
      );

      // Invited is not a member: the invitation waits in the coordinators' list and grants nothing yet.
      expect((await members('testland', coordinator.headers)).map((m) => m.email)).not.toContain('nadia@test.example');
      expect(
        await context.database.db.selectFrom('account').where('email', '=', 'nadia@test.example').execute(),
      ).toEqual([]);
      expect((await invitations('testland', coordinator.headers))![0]).toMatchObject({
        email: 'nadia@test.example',
        role: 'editor',
        organizationName: 'Centre Alpha',
        invitedBy: 'Coralie Coordinator',
      });

      const token = tokenOf(link);
      const shown = await inject('GET', `/api/invitations/${token}`, {});
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toEqual({
        email: 'nadia@test.example',
        allianceName: 'Test alliance — Testland',
        allianceSlug: 'testland',
        role: 'editor',
        invitedBy: 'Coralie Coordinator',
        expiresAt,
        needsPassword: true,
      });

      const noPassword = await inject('POST', `/api/invitations/${token}/accept`, {}, { displayName: 'Nadia' });
      expect(noPassword.statusCode).toBe(400);
      expect(noPassword.json().message).toBe('Choose a password to finish joining.');

      const accepted = await inject(
        'POST',
        `/api/invitations/${token}/accept`,
        {},
        { displayName: ' Nadia Haddad ', password: 'Nadia’s own long password' },
      );
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        account: { email: 'nadia@test.example', displayName: 'Nadia Haddad', isPlatformAdmin: false },
        memberships: [{ allianceSlug: 'testland', role: 'editor' }],
      });

      const list = await inject('GET', '/api/alliances/testland/members', sessionHeaders(accepted));
      expect(list.statusCode).toBe(200);
      expect(list.json().items.find((item: { email: string }) => item.email === 'nadia@test.example')).toMatchObject({
        displayName: 'Nadia Haddad',
        role: 'editor',
        organizationId,
      });
      expect((await invitations('testland', coordinator.headers))!.map((i) => i.email)).not.toContain(
        'nadia@test.example',
      );
      const signIn = await context.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nadia@test.example', password: 'Nadia’s own long password' },
      });
      expect(signIn.statusCode).toBe(200);
    });

    it('refuses a used invitation (410) and an unknown one (404)', async () => {
      const { link } = (await invite({ email: 'once@test.example', role: 'member' })).json();
      const url = `/api/invitations/${tokenOf(link)}`;
      const payload = { password: 'a long first password' };
      expect((await inject('POST', `${url}/accept`, {}, payload)).statusCode).toBe(200);
      const reused = await inject('POST', `${url}/accept`, {}, { password: 'a long second password' });
      expect(reused.statusCode).toBe(410);
      expect(reused.json().message).toBe(
        'This invitation was already accepted. Sign in with your e-mail and password.',
      );
      expect((await inject('GET', url, {})).statusCode).toBe(410);
      const unknown = await inject('GET', '/api/invitations/made-up-token', {});
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toBe('This invitation link is not valid: check that it was copied whole.');
    });

    it('refuses an expired invitation (410), naming who to ask', async () => {
      const { link } = (await invite({ email: 'late@test.example', role: 'member' })).json();
      const token = tokenOf(link);
      await context.database.db
        .updateTable('account_link')
        .set({ expires_at: new Date('2026-01-05T12:00:00Z') })
        .where('id', '=', hashToken(token))
        .execute();
      const message = 'This invitation expired on 5 January 2026. Ask Coralie Coordinator to invite you again.';
      const shown = await inject('GET', `/api/invitations/${token}`, {});
      expect(shown.statusCode).toBe(410);
      expect(shown.json().message).toBe(message);
      const accepted = await inject('POST', `/api/invitations/${token}/accept`, {}, { password: 'a long password!' });
      expect(accepted.statusCode).toBe(410);
      expect(accepted.json().message).toBe(message);
    });

    it('lets an existing account join only when signed in as it or with its password', async () => {
      const other = await signedInAs(context.database.db, null, 'testland', { displayName: 'Olga Other' });
      const { link } = (await invite({ email: other.email, role: 'secretariat' })).json();
      const token = tokenOf(link);
      expect((await inject('GET', `/api/invitations/${token}`, {})).json().needsPassword).toBe(false);

      const byLinkAlone = await inject('POST', `/api/invitations/${token}/accept`, {}, {});
      expect(byLinkAlone.statusCode).toBe(401);
      expect(byLinkAlone.json().message).toBe(
        `This invitation is for ${other.email}, which already has an account: sign in with it (or enter its password) to accept.`,
      );
      const wrongPassword = await inject('POST', `/api/invitations/${token}/accept`, {}, { password: 'guess guess' });
      expect(wrongPassword.statusCode).toBe(401);

      const joined = await inject('POST', `/api/invitations/${token}/accept`, other.headers, {});
      expect(joined.statusCode).toBe(200);
      expect(joined.json().memberships).toMatchObject([{ allianceSlug: 'testland', role: 'secretariat' }]);
      expect(
        (
          await context.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: other.email, password: TEST_PASSWORD },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('refuses to invite someone who is already a member (409)', async () => {
      const response = await invite({ email: editor.email, role: 'member' });
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/is already a member of this alliance, as editor\./);
    });

    it('refuses an organisation of no alliance, and a string that is not an e-mail (400)', async () => {
      const badOrganization = await invite({
        email: 'someone@test.example',
        role: 'member',
        organizationId: '00000000-0000-4000-8000-000000000000',
      });
      expect(badOrganization.statusCode).toBe(400);
      expect(badOrganization.json().message).toBe(
        'There is no organisation with id 00000000-0000-4000-8000-000000000000 in this alliance.',
      );
      const badEmail = await invite({ email: 'not an address', role: 'member' });
      expect(badEmail.statusCode).toBe(400);
      expect(badEmail.json().message).toBe('"not an address" is not an e-mail address.');
    });

    it('withdraws an invitation: its link stops working and it leaves the list', async () => {
      const { link } = (await invite({ email: 'withdrawn@test.example', role: 'member' })).json();
      const pending = (await invitations('testland', coordinator.headers))!.find(
        (i) => i.email === 'withdrawn@test.example',
      )!;
      const path = `/api/alliances/testland/invitations/${pending.id}`;
      const removed = await inject('DELETE', path, coordinator.headers);
      expect(removed.statusCode).toBe(204);
      expect((await inject('GET', `/api/invitations/${tokenOf(link)}`, {})).statusCode).toBe(404);
      expect((await invitations('testland', coordinator.headers))!.map((i) => i.email)).not.toContain(
        'withdrawn@test.example',
      );
      const again = await inject('DELETE', path, coordinator.headers);
      expect(again.statusCode).toBe(404);
      expect(again.json().message).toBe(
        'There is no invitation waiting with this id in this alliance: it was accepted or withdrawn.',
      );
    });

    it('shows pending invitations to coordinators only', async () => {
      await invite({ email: 'private-invitee@test.example', role: 'coordinator' });
      expect((await invitations('testland', coordinator.headers))!.map((i) => i.email)).toContain(
        'private-invitee@test.example',
      );
      for (const actor of [member, editor]) {
        const list = (await inject('GET', '/api/alliances/testland/members', actor.headers)).json();
        expect(list.invitations).toBeUndefined();
        expect(JSON.stringify(list)).not.toContain('private-invitee@test.example');
      }
    });
  });

  describe('invitations across alliances', () => {
    /** A signed-in person who creates an alliance of their own, and so coordinates it. */
    async function coordinatorOfNewAlliance(actor: TestActor) {
      const alliance = newAlliance();
      expect((await inject('POST', '/api/alliances', actor.headers, alliance)).statusCode).toBe(201);
      const refreshed = (await inject('GET', '/api/auth/me', actor.headers)).json();
      return { slug: alliance.slug, headers: { ...actor.headers, 'x-csrf-token': refreshed.csrfToken } };
    }

    it('never lets a link from another alliance take over an invitation made elsewhere', async () => {
      const victim = 'incoming-coordinator@test.example';
      const genuine = await inject('POST', '/api/alliances/testland/invitations', coordinator.headers, {
        email: victim,
        role: 'coordinator',
      });
      expect(genuine.statusCode).toBe(201);

      // A member of testland sets up an alliance of their own and invites the same e-mail there.
      const evil = await coordinatorOfNewAlliance(await signedInAs(context.database.db, 'member', 'testland'));
      const forged = await inject('POST', `/api/alliances/${evil.slug}/invitations`, evil.headers, {
        email: victim,
        role: 'member',
      });
      expect(forged.statusCode).toBe(201);
      const accepted = await inject(
        'POST',
        `/api/invitations/${tokenOf(forged.json().link)}/accept`,
        {},
        { password: 'the attacker’s own password' },
      );
      expect(accepted.statusCode).toBe(200);
      // The link gave what its own alliance offered, and nothing of testland's.
      expect(accepted.json().memberships).toEqual([
        expect.objectContaining({ allianceSlug: evil.slug, role: 'member' }),
      ]);
      const holder = sessionHeaders(accepted);
      expect((await inject('GET', '/api/alliances/testland/members', holder)).statusCode).toBe(403);
      expect((await inject('PATCH', '/api/alliances/testland', holder, { version: 1, name: 'Taken' })).statusCode).toBe(
        403,
      );
      expect((await members('testland', coordinator.headers)).map((m) => m.email)).not.toContain(victim);

      // testland's invitation still waits for whoever controls the account: holding a password is needed now.
      const genuineToken = tokenOf(genuine.json().link);
      expect((await inject('GET', `/api/invitations/${genuineToken}`, {})).json().needsPassword).toBe(false);
      const byLinkAlone = await inject(
        'POST',
        `/api/invitations/${genuineToken}/accept`,
        {},
        { password: 'another chosen password' },
      );
      expect(byLinkAlone.statusCode).toBe(401);
    });

    it('never sets the password of an existing account through another alliance’s link', async () => {
      const owner = await signedInAs(context.database.db, 'member', 'testland');
      const other = await coordinatorOfNewAlliance(await signedInAs(context.database.db, 'editor', 'testland'));
      const { link } = (
        await inject('POST', `/api/alliances/${other.slug}/invitations`, other.headers, {
          email: owner.email,
          role: 'coordinator',
        })
      ).json();
      const taken = await inject(
        'POST',
        `/api/invitations/${tokenOf(link)}/accept`,
        {},
        { password: 'a password chosen by the link holder' },
      );
      expect(taken.statusCode).toBe(401);
      const login = (password: string) =>
        context.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: owner.email, password } });
      expect((await login('a password chosen by the link holder')).statusCode).toBe(401);
      expect((await login(TEST_PASSWORD)).statusCode).toBe(200);
      // The account's owner accepts it while signed in, and only then belongs to the other alliance.
      expect((await members(other.slug, other.headers)).map((m) => m.email)).not.toContain(owner.email);
      const joined = await inject('POST', `/api/invitations/${tokenOf(link)}/accept`, owner.headers, {});
      expect(joined.statusCode).toBe(200);
      expect((await members(other.slug, other.headers)).find((m) => m.email === owner.email)?.role).toBe('coordinator');
    });

    it('refuses another alliance’s coordinator the withdrawal of this alliance’s invitation', async () => {
      await invite({ email: 'kept-invitation@test.example', role: 'member' });
      const pending = (await invitations('testland', coordinator.headers))!.find(
        (i) => i.email === 'kept-invitation@test.example',
      )!;
      const other = await coordinatorOfNewAlliance(await signedInAs(context.database.db, null, 'testland'));
      const refused = await inject('DELETE', `/api/alliances/testland/invitations/${pending.id}`, other.headers);
      expect(refused.statusCode).toBe(403);
      const wrongAlliance = await inject(
        'DELETE',
        `/api/alliances/${other.slug}/invitations/${pending.id}`,
        other.headers,
      );
      expect(wrongAlliance.statusCode).toBe(404);
      expect((await invitations('testland', coordinator.headers))!.map((i) => i.email)).toContain(
        'kept-invitation@test.example',
      );
    });
  });

  describe('roles and alliances', () => {
    let founder: TestActor;
    let river: { slug: string; name: string; version: number };

    beforeAll(async () => {
      founder = await signedInAs(context.database.db, null, 'testland', { displayName: 'Zoé Founder' });
    });

    it('creates an alliance with a boundary; its creator becomes its coordinator', async () => {
      const body = newAlliance({ description: 'Along the river.', boundary: square(-0.57, 44.84) });
      const response = await inject('POST', '/api/alliances', founder.headers, body);
      expect(response.statusCode).toBe(201);
      const alliance = response.json();
      expect(alliance).toMatchObject({
        slug: body.slug,
        name: body.name,
        country: 'FR',
        timezone: 'Europe/Paris',
        languages: ['fr', 'en'],
        description: 'Along the river.',
        vision: null,
        charter: null,
        profilePublished: false,
        version: 1,
        organizationCount: 0,
        boundary: { type: 'MultiPolygon' },
      });
      expect(alliance.bbox.map((value: number) => Math.round(value * 100) / 100)).toEqual([-0.62, 44.79, -0.52, 44.89]);
      river = { slug: alliance.slug, name: alliance.name, version: alliance.version };
      const list = await members(river.slug, founder.headers);
      expect(list).toMatchObject([{ accountId: founder.accountId, role: 'coordinator' }]);
      const me = (await inject('GET', '/api/auth/me', founder.headers)).json();
      expect(me.memberships).toMatchObject([{ allianceSlug: river.slug, role: 'coordinator' }]);
    });

    it('repairs a boundary whose ring crosses itself into two polygons', async () => {
      const bowtie = {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      };
      const response = await inject('POST', '/api/alliances', founder.headers, newAlliance({ boundary: bowtie }));
      expect(response.statusCode).toBe(201);
      expect(response.json().boundary.type).toBe('MultiPolygon');
      expect(response.json().boundary.coordinates).toHaveLength(2);
    });

    it.each([
      [
        'a ring that is not closed',
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
        'Ring 1 of the boundary is not closed: its last point must repeat its first.',
      ],
      [
        'a point',
        { type: 'Point', coordinates: [0, 0] },
        'The boundary must be a GeoJSON Polygon or MultiPolygon, not a Point.',
      ],
      [
        'latitude and longitude beyond the globe',
        {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [0, 0],
                [200, 0],
                [200, 1],
                [0, 0],
              ],
            ],
          ],
        },
        'Point 2 of ring 1 of polygon 1 of the boundary (200, 0) is not a longitude between -180 and 180 and a latitude between -90 and 90.',
      ],
      [
        'a ring folded flat',
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [2, 2],
              [0, 0],
            ],
          ],
        },
        'The boundary encloses no area, even once repaired: check that its points are in longitude, latitude order.',
      ],
      [
        'text',
        'a square around Bordeaux',
        'The boundary must be a GeoJSON geometry object, such as {"type": "Polygon", "coordinates": [...]}.',
      ],
    ])('refuses a broken boundary (%s) with a clear message, creating nothing', async (_what, boundary, message) => {
      const body = newAlliance({ boundary });
      const response = await inject('POST', '/api/alliances', founder.headers, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe(message);
      expect((await context.app.inject({ url: `/api/alliances/${body.slug}` })).statusCode).toBe(404);
    });

    it('refuses an unknown time zone and a slug already taken', async () => {
      const zone = await inject(
        'POST',
        '/api/alliances',
        founder.headers,
        newAlliance({ timezone: 'Europe/Atlantis' }),
      );
      expect(zone.statusCode).toBe(400);
      expect(zone.json().message).toBe(
        '"Europe/Atlantis" is not a time zone this server knows; use a name such as "Europe/Paris".',
      );
      const taken = await inject('POST', '/api/alliances', founder.headers, newAlliance({ slug: 'testland' }));
      expect(taken.statusCode).toBe(409);
      expect(taken.json().message).toBe('There is already an alliance "testland"; choose another slug.');
    });

    it('keeps the last coordinator: neither demoted nor removed (409)', async () => {
      const url = `/api/alliances/${river.slug}/members/${founder.accountId}`;
      const demoted = await inject('PATCH', url, founder.headers, { role: 'member' });
      expect(demoted.statusCode).toBe(409);
      expect(demoted.json().message).toBe(LAST_COORDINATOR_CHANGE);
      const removed = await inject('DELETE', url, founder.headers);
      expect(removed.statusCode).toBe(409);
      expect(removed.json().message).toBe(LAST_COORDINATOR_REMOVE);
      expect(await members(river.slug, founder.headers)).toMatchObject([{ role: 'coordinator' }]);
    });

    it('changes roles: once there is a second coordinator, the first may step down', async () => {
      const { link } = (
        await inject('POST', `/api/alliances/${river.slug}/invitations`, founder.headers, {
          email: 'second@test.example',
          role: 'member',
        })
      ).json();
      const second = await inject(
        'POST',
        `/api/invitations/${tokenOf(link)}/accept`,
        {},
        { password: 'the second password' },
      );
      const secondId = second.json().account.id;
      const promoted = await inject('PATCH', `/api/alliances/${river.slug}/members/${secondId}`, founder.headers, {
        role: 'coordinator',
      });
      expect(promoted.statusCode).toBe(200);
      expect(promoted.json()).toMatchObject({ accountId: secondId, role: 'coordinator', email: 'second@test.example' });
      const steppedDown = await inject(
        'PATCH',
        `/api/alliances/${river.slug}/members/${founder.accountId}`,
        founder.headers,
        {
          role: 'editor',
        },
      );
      expect(steppedDown.statusCode).toBe(200);
      expect(steppedDown.json().role).toBe('editor');
      const forbidden = await inject('PATCH', `/api/alliances/${river.slug}`, founder.headers, {
        version: river.version,
        name: 'Not mine any more',
      });
      expect(forbidden.statusCode).toBe(403);
      const back = await inject(
        'PATCH',
        `/api/alliances/${river.slug}/members/${founder.accountId}`,
        sessionHeaders(second),
        {
          role: 'coordinator',
        },
      );
      expect(back.statusCode).toBe(200);
    });

    it('answers 404 for a member of another alliance', async () => {
      const response = await inject(
        'DELETE',
        `/api/alliances/${river.slug}/members/${editor.accountId}`,
        founder.headers,
      );
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('This person is not a member of this alliance.');
    });

    it('changes the settings at the version read, and records who did', async () => {
      const response = await inject('PATCH', `/api/alliances/${river.slug}`, founder.headers, {
        version: river.version,
        vision: 'Every newcomer finds help within a week.',
        charter: 'We share what we know.',
        profilePublished: true,
        boundary: square(-0.5, 44.9),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        vision: 'Every newcomer finds help within a week.',
        charter: 'We share what we know.',
        profilePublished: true,
        version: river.version + 1,
      });
      expect(response.json().bbox.map((value: number) => Math.round(value * 100) / 100)).toEqual([
        -0.55, 44.85, -0.45, 44.95,
      ]);
      const logged = await context.database.db
        .selectFrom('change_log')
        .select(['account_id', 'action'])
        .where('entity_type', '=', 'alliance')
        .where('entity_id', '=', response.json().id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(logged).toEqual({ account_id: founder.accountId, action: 'update' });
    });

    it('refuses a change made at a stale version (409), saying who changed it, and writes nothing', async () => {
      const response = await inject('PATCH', `/api/alliances/${river.slug}`, founder.headers, {
        version: river.version,
        name: 'Overwritten',
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(
        /^Zoé Founder changed this alliance at \d{2}:\d{2}, after you opened it\. Reload it to see their change, then make yours again\.$/,
      );
      const current = (await context.app.inject({ url: `/api/alliances/${river.slug}` })).json();
      expect(current.name).toBe(river.name);
    });

    it('refuses a settings change sent with the cookie but without the CSRF token (403)', async () => {
      const response = await inject(
        'PATCH',
        `/api/alliances/${river.slug}`,
        { cookie: founder.headers.cookie! },
        {
          version: river.version + 1,
          name: 'Forged',
        },
      );
      expect(response.statusCode).toBe(403);
    });

    it('refuses a settings change with nothing to change (400)', async () => {
      const response = await inject('PATCH', `/api/alliances/${river.slug}`, founder.headers, { version: 2 });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('The request body must contain at least one field to change.');
    });
  });
});
