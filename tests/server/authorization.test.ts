import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

/** Who asks: nobody, people with each role in Testland or none, Otherland's coordinator, a page without its token. */
const actors = [
  'anonymous',
  'outsider',
  'member',
  'editor',
  'secretariat',
  'coordinator',
  'otherCoordinator',
  'noCsrf',
] as const;
type ActorName = (typeof actors)[number];

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
}

interface RouteCase {
  route: string;
  /** Makes a fresh target (with the admin token) and returns the request to try on it. */
  prepare: () => Promise<Request>;
  succeeds: number;
  permission: 'read' | 'edit' | 'manage';
  /**
   * Publishing (the coordinators'): the route itself needs `permission`, and what this request does — named
   * here as the refusal names it — needs manage too.
   */
  publishing?: string;
}

const needsOf = {
  read: 'this needs a member of the alliance.',
  edit: 'this needs an editor, the secretariat or the coordinator of the alliance.',
  manage: 'this needs the coordinator of the alliance.',
};

/** The answer each actor gets to `request`, on a route needing `permission` and answering `succeeds` when allowed. */
function expected(
  actor: ActorName,
  { permission, publishing, succeeds }: RouteCase,
  request: Request,
): { statusCode: number; message?: string | RegExp } {
  const needs = needsOf[permission];
  switch (actor) {
    case 'anonymous':
      return {
        statusCode: 401,
        message: 'Sign in to do this (scripts send an API token as "Authorization: Bearer <token>").',
      };
    case 'outsider':
    case 'otherCoordinator':
      return { statusCode: 403, message: `You are not a member of this alliance; ${needs}` };
    case 'member':
      return permission === 'read'
        ? { statusCode: succeeds }
        : { statusCode: 403, message: `Your role in this alliance is member; ${needs}` };
    case 'noCsrf':
      // Reading needs no token: only changes can be forged from another site.
      return request.method === 'GET' ? { statusCode: succeeds } : { statusCode: 403, message: /CSRF protection/ };
    case 'editor':
    case 'secretariat':
      // Editors and the secretariat prepare; the coordinator manages and publishes.
      if (permission === 'manage') {
        return { statusCode: 403, message: `Your role in this alliance is ${actor}; ${needs}` };
      }
      if (publishing) {
        return {
          statusCode: 403,
          message: `Your role in this alliance is ${actor}; ${publishing} needs the coordinator of the alliance.`,
        };
      }
      return { statusCode: succeeds };
    default:
      return { statusCode: succeeds };
  }
}

const square = (west: number, south: number, size = 0.02) => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [west + size, south],
      [west + size, south + size],
      [west, south + size],
      [west, south],
    ],
  ],
});

const areas = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: 'Centre', population: 1200 }, geometry: square(-0.6, 44.82) }],
};

describe.each(databaseModes())('who may change what (%s database)', (mode) => {
  const context = useTestApp(mode);
  const headers = {} as Record<ActorName, Record<string, string>>;
  let counter = 0;
  let unitSetId = '';

  const inject = (request: Request, requestHeaders: Record<string, string>) =>
    context.app.inject({ ...request, headers: requestHeaders });
  const asAdmin = async (request: Request, statusCode: number) => {
    const response = await inject(request, adminHeaders);
    expect(response.statusCode, response.body).toBe(statusCode);
    return response.json();
  };

  async function newOrganization() {
    counter += 1;
    return asAdmin(
      {
        method: 'POST',
        url: '/api/organizations',
        payload: {
          alliance: 'testland',
          name: `Matrix organisation ${counter}`,
          location: { lat: 44.83, lon: -0.59, town: 'Bordeaux' },
        },
      },
      201,
    );
  }

  async function newService() {
    const organization = await newOrganization();
    return asAdmin(
      {
        method: 'POST',
        url: '/api/services',
        payload: { organizationId: organization.id, name: `Matrix service ${counter}`, category: 'social_action' },
      },
      201,
    );
  }

  async function newAction(published: boolean) {
    counter += 1;
    return asAdmin(
      {
        method: 'POST',
        url: '/api/alliances/testland/actions',
        payload: { title: `Matrix action ${counter}`, published },
      },
      201,
    );
  }

  /** Waits for a background gap analysis run, so that nothing outlives the suite. */
  async function finished(progressUrl: string) {
    await expect
      .poll(async () => (await context.app.inject({ url: progressUrl })).json().status, { timeout: 30_000 })
      .toBe('done');
  }

  /** Counts that a refused request must leave as they were. */
  async function stored() {
    const { rows } = await sql<{ changes: number; runs: number; sets: number }>`
      select (select count(*)::int from change_log) as changes,
             (select count(*)::int from gap_analysis_run) as runs,
             (select count(*)::int from analysis_unit_set) as sets`.execute(context.database.db);
    return rows[0]!;
  }

  beforeAll(async () => {
    const db = context.database.db;
    await db
      .insertInto('alliance')
      .values({ slug: 'otherland', name: 'Otherland', country: 'BE', languages: ['nl'], timezone: 'Europe/Brussels' })
      .execute();
    headers.anonymous = {};
    headers.outsider = (await signedInAs(db, null, 'testland')).headers;
    for (const role of ['member', 'editor', 'secretariat', 'coordinator'] as const) {
      headers[role] = (await signedInAs(db, role, 'testland')).headers;
    }
    headers.otherCoordinator = (await signedInAs(db, 'coordinator', 'otherland')).headers;
    const { 'x-csrf-token': _token, ...cookieOnly } = (await signedInAs(db, 'editor', 'testland')).headers;
    headers.noCsrf = cookieOnly;
    const imported = await asAdmin(
      {
        method: 'POST',
        url: '/api/alliances/testland/analysis-units',
        payload: { name: 'Matrix areas', areas },
      },
      201,
    );
    unitSetId = imported.unitSet.id;
  });

  const routes: RouteCase[] = [
    {
      route: 'POST /api/organizations',
      permission: 'edit',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/organizations',
        payload: { alliance: 'testland', name: 'Created in the matrix' },
      }),
    },
    {
      route: 'PATCH /api/organizations/:id',
      permission: 'edit',
      succeeds: 200,
      prepare: async () => {
        const organization = await newOrganization();
        return {
          method: 'PATCH',
          url: `/api/organizations/${organization.id}`,
          payload: { version: organization.version, sector: 'ngo' },
        };
      },
    },
    {
      route: 'DELETE /api/organizations/:id',
      permission: 'edit',
      succeeds: 204,
      prepare: async () => ({ method: 'DELETE', url: `/api/organizations/${(await newOrganization()).id}` }),
    },
    {
      route: 'POST /api/services',
      permission: 'edit',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/services',
        payload: { organizationId: (await newOrganization()).id, name: 'Matrix advice', category: 'social_action' },
      }),
    },
    {
      route: 'PATCH /api/services/:id',
      permission: 'edit',
      succeeds: 200,
      prepare: async () => {
        const service = await newService();
        return {
          method: 'PATCH',
          url: `/api/services/${service.id}`,
          payload: { version: service.version, free: true },
        };
      },
    },
    {
      route: 'DELETE /api/services/:id',
      permission: 'edit',
      succeeds: 204,
      prepare: async () => ({ method: 'DELETE', url: `/api/services/${(await newService()).id}` }),
    },
    {
      route: 'PATCH /api/locations/:id',
      permission: 'edit',
      succeeds: 200,
      prepare: async () => {
        const [location] = (await newOrganization()).locations;
        return {
          method: 'PATCH',
          url: `/api/locations/${location.id}`,
          payload: { version: location.version, name: 'Front desk' },
        };
      },
    },
    {
      route: 'DELETE /api/locations/:id',
      permission: 'edit',
      succeeds: 204,
      prepare: async () => ({ method: 'DELETE', url: `/api/locations/${(await newOrganization()).locations[0].id}` }),
    },
    {
      route: 'POST /api/organizations/:id/locations',
      permission: 'edit',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: `/api/organizations/${(await newOrganization()).id}/locations`,
        payload: { lat: 44.8378, lon: -0.5772, town: 'Bordeaux', precision: 'town' },
      }),
    },
    {
      route: 'POST /api/alliances/:idOrSlug/analysis-units',
      permission: 'edit',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/alliances/testland/analysis-units',
        payload: { name: 'Imported in the matrix', areas },
      }),
    },
    {
      route: 'POST /api/alliances/:idOrSlug/gap-analyses',
      permission: 'edit',
      succeeds: 202,
      prepare: async () => ({
        method: 'POST',
        url: '/api/alliances/testland/gap-analyses',
        payload: { units: { kind: 'imported', unitSetId } },
      }),
    },
    {
      route: 'PATCH /api/gap-analyses/:id (publishing research)',
      permission: 'manage',
      succeeds: 200,
      prepare: async () => {
        const run = await asAdmin(
          {
            method: 'POST',
            url: '/api/alliances/testland/gap-analyses',
            payload: { units: { kind: 'imported', unitSetId } },
          },
          202,
        );
        await finished(run.progressUrl);
        return { method: 'PATCH', url: `/api/gap-analyses/${run.id}`, payload: { published: true } };
      },
    },
    {
      route: 'POST /api/alliances/:idOrSlug/actions',
      permission: 'edit',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/alliances/testland/actions',
        payload: { title: 'Prepared in the matrix', published: false },
      }),
    },
    {
      route: 'POST /api/alliances/:idOrSlug/actions (published)',
      permission: 'edit',
      publishing: 'showing an action on the public profile',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/alliances/testland/actions',
        payload: { title: 'Published in the matrix', published: true },
      }),
    },
    {
      route: 'PATCH /api/actions/:id',
      permission: 'edit',
      succeeds: 200,
      prepare: async () => {
        const action = await newAction(false);
        return {
          method: 'PATCH',
          url: `/api/actions/${action.id}`,
          payload: { version: action.version, status: 'planned', published: false },
        };
      },
    },
    {
      route: 'PATCH /api/actions/:id (publishing)',
      permission: 'edit',
      publishing: 'showing an action on the public profile',
      succeeds: 200,
      prepare: async () => {
        const action = await newAction(false);
        return {
          method: 'PATCH',
          url: `/api/actions/${action.id}`,
          payload: { version: action.version, published: true },
        };
      },
    },
    {
      route: 'PATCH /api/actions/:id (taking off the profile)',
      permission: 'edit',
      publishing: 'taking an action off the public profile',
      succeeds: 200,
      prepare: async () => {
        const action = await newAction(true);
        return {
          method: 'PATCH',
          url: `/api/actions/${action.id}`,
          payload: { version: action.version, published: false },
        };
      },
    },
    {
      route: 'PATCH /api/alliances/:slug (publishing the profile)',
      permission: 'manage',
      succeeds: 200,
      prepare: async () => {
        const alliance = await asAdmin({ method: 'GET', url: '/api/alliances/testland/charter' }, 200);
        return {
          method: 'PATCH',
          url: '/api/alliances/testland',
          payload: { version: alliance.version, profilePublished: false },
        };
      },
    },
    {
      route: 'POST /api/history/:changeId/restore',
      permission: 'edit',
      succeeds: 200,
      prepare: async () => {
        const organization = await newOrganization();
        const url = `/api/organizations/${organization.id}`;
        await asAdmin({ method: 'PATCH', url, payload: { version: organization.version, name: 'Renamed' } }, 200);
        const history = await asAdmin({ method: 'GET', url: `/api/history/organization/${organization.id}` }, 200);
        expect(history.items[0]).toMatchObject({ action: 'update', changedFields: ['name'] });
        return { method: 'POST', url: `/api/history/${history.items[0].id}/restore` };
      },
    },
    {
      route: 'GET /api/alliances/:idOrSlug/stakeholders',
      permission: 'read',
      succeeds: 200,
      prepare: async () => ({ method: 'GET', url: '/api/alliances/testland/stakeholders' }),
    },
    {
      route: 'GET /api/alliances/:idOrSlug/history',
      permission: 'read',
      succeeds: 200,
      prepare: async () => ({ method: 'GET', url: '/api/alliances/testland/history' }),
    },
    {
      route: 'GET /api/alliances/:idOrSlug/deleted',
      permission: 'read',
      succeeds: 200,
      prepare: async () => ({ method: 'GET', url: '/api/alliances/testland/deleted' }),
    },
    {
      route: 'GET /api/history/:entityType/:entityId',
      permission: 'read',
      succeeds: 200,
      prepare: async () => ({ method: 'GET', url: `/api/history/organization/${(await newOrganization()).id}` }),
    },
  ];

  describe.each(routes.map((routeCase) => [routeCase.route, routeCase] as const))('%s', (_route, routeCase) => {
    it.each(actors)('answers %s as the roles say', async (actor) => {
      const request = await routeCase.prepare();
      const want = expected(actor, routeCase, request);
      const before = await stored();
      const response = await inject(request, headers[actor]);
      expect(response.statusCode, response.body).toBe(want.statusCode);
      if (typeof want.message === 'string') expect(response.json().message).toBe(want.message);
      if (want.message instanceof RegExp) expect(response.json().message).toMatch(want.message);
      if (want.statusCode >= 400) expect(await stored()).toEqual(before);
      if (response.statusCode === 202) await finished(response.json().progressUrl);
    });
  });
});

/**
 * Coordinators' routes (manage), and invitations across alliances: another alliance's coordinator can invite
 * anyone to their own alliance, and that invitation, once accepted, gives nothing in this one.
 */
describe.each(databaseModes())('who may manage members and invitations (%s database)', (mode) => {
  const context = useTestApp(mode);
  const headers = {} as Record<ActorName, Record<string, string>>;
  let counter = 0;

  const manageNeeds = 'this needs the coordinator of the alliance.';
  function expectedManage(actor: ActorName, succeeds: number, request: Request) {
    switch (actor) {
      case 'anonymous':
        return { statusCode: 401 };
      case 'outsider':
      case 'otherCoordinator':
        return { statusCode: 403, message: `You are not a member of this alliance; ${manageNeeds}` };
      case 'member':
      case 'editor':
      case 'secretariat':
        return { statusCode: 403, message: `Your role in this alliance is ${actor}; ${manageNeeds}` };
      case 'noCsrf':
        return request.method === 'GET' ? { statusCode: succeeds } : { statusCode: 403 };
      default:
        return { statusCode: succeeds };
    }
  }

  const invite = async (slug: string, email: string, role: string, by: Record<string, string>) => {
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/alliances/${slug}/invitations`,
      headers: by,
      payload: { email, role },
    });
    expect(response.statusCode, response.body).toBe(201);
    return /#\/invitation\/([A-Za-z0-9_-]+)$/.exec(response.json().link)![1]!;
  };
  const pendingInvitations = async () =>
    (await context.app.inject({ url: '/api/alliances/testland/members', headers: headers.coordinator })).json()
      .invitations as { id: string; email: string }[];

  beforeAll(async () => {
    const db = context.database.db;
    await db
      .insertInto('alliance')
      .values({ slug: 'otherland', name: 'Otherland', country: 'BE', languages: ['nl'], timezone: 'Europe/Brussels' })
      .execute();
    headers.anonymous = {};
    headers.outsider = (await signedInAs(db, null, 'testland')).headers;
    for (const role of ['member', 'editor', 'secretariat', 'coordinator'] as const) {
      headers[role] = (await signedInAs(db, role, 'testland')).headers;
    }
    headers.otherCoordinator = (await signedInAs(db, 'coordinator', 'otherland')).headers;
    const { 'x-csrf-token': _token, ...cookieOnly } = (await signedInAs(db, 'coordinator', 'testland')).headers;
    headers.noCsrf = cookieOnly;
  });

  const routes: { route: string; succeeds: number; prepare: () => Promise<Request> }[] = [
    {
      route: 'POST /api/alliances/:slug/invitations',
      succeeds: 201,
      prepare: async () => ({
        method: 'POST',
        url: '/api/alliances/testland/invitations',
        payload: { email: `matrix-invitee-${++counter}@test.example`, role: 'coordinator' },
      }),
    },
    {
      route: 'DELETE /api/alliances/:slug/invitations/:invitationId',
      succeeds: 204,
      prepare: async () => {
        const email = `matrix-withdrawn-${++counter}@test.example`;
        await invite('testland', email, 'member', headers.coordinator);
        const { id } = (await pendingInvitations()).find((invitation) => invitation.email === email)!;
        return { method: 'DELETE', url: `/api/alliances/testland/invitations/${id}` };
      },
    },
    {
      route: 'PATCH /api/alliances/:slug/members/:accountId',
      succeeds: 200,
      prepare: async () => {
        const target = await signedInAs(context.database.db, 'member', 'testland');
        return {
          method: 'PATCH',
          url: `/api/alliances/testland/members/${target.accountId}`,
          payload: { role: 'editor' },
        };
      },
    },
    {
      route: 'DELETE /api/alliances/:slug/members/:accountId',
      succeeds: 204,
      prepare: async () => {
        const target = await signedInAs(context.database.db, 'member', 'testland');
        return { method: 'DELETE', url: `/api/alliances/testland/members/${target.accountId}` };
      },
    },
  ];

  describe.each(routes.map((routeCase) => [routeCase.route, routeCase] as const))('%s', (_route, routeCase) => {
    it.each(actors)('answers %s as the roles say', async (actor) => {
      const request = await routeCase.prepare();
      const want = expectedManage(actor, routeCase.succeeds, request);
      const invitationsBefore = (await pendingInvitations()).length;
      const response = await context.app.inject({ ...request, headers: headers[actor] });
      expect(response.statusCode, response.body).toBe(want.statusCode);
      if (want.message) expect(response.json().message).toBe(want.message);
      if (want.statusCode >= 400) expect((await pendingInvitations()).length).toBe(invitationsBefore);
    });
  });

  it('gives nothing in this alliance to whoever accepts another alliance’s invitation of the same e-mail', async () => {
    const email = 'sought-after@test.example';
    const ours = await invite('testland', email, 'coordinator', headers.coordinator);
    const theirs = await invite('otherland', email, 'member', headers.otherCoordinator);
    const accepted = await context.app.inject({
      method: 'POST',
      url: `/api/invitations/${theirs}/accept`,
      payload: { password: 'chosen by whoever held the link' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().memberships.map((m: { allianceSlug: string }) => m.allianceSlug)).toEqual(['otherland']);

    const ourLink = await context.app.inject({
      method: 'POST',
      url: `/api/invitations/${ours}/accept`,
      payload: { password: 'another password chosen by the holder' },
    });
    expect(ourLink.statusCode).toBe(401);
    expect((await pendingInvitations()).map((invitation) => invitation.email)).toContain(email);
  });
});
