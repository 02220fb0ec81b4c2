import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { defaultReportRateLimits } from '../../server/src/plugins/rateLimits.js';
import { signedInAs } from '../support/accounts.js';
import { createAllianceOverBox } from '../support/alliances.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

describe.each(databaseModes())('reports of what is wrong with a service (%s database)', (mode) => {
  const context = useTestApp(mode);

  let clients = 0;
  /** A client address of its own (TEST-NET-3), so that one test's reports never count against another's. */
  const newClient = () => `203.0.113.${++clients}`;

  const inject = (options: InjectOptions) => context.app.inject(options);
  const report = (serviceId: string, payload: unknown, client = newClient(), headers: Record<string, string> = {}) =>
    inject({
      method: 'POST',
      url: `/api/services/${serviceId}/reports`,
      payload: payload as object,
      remoteAddress: client,
      headers,
    });
  const serviceId = async (name: string) =>
    (await context.database.db.selectFrom('service').select('id').where('name', '=', name).executeTakeFirstOrThrow())
      .id;
  const rowsOf = (id: string) =>
    context.database.db.selectFrom('service_report').selectAll().where('service_id', '=', id).execute();
  const list = (headers: Record<string, string>, state = 'open', alliance = 'testland') =>
    inject({ url: `/api/alliances/${alliance}/reports?state=${state}`, headers });

  it('takes a report from someone without an account and keeps nothing about them', async () => {
    const id = await serviceId('Alpha housing advice');
    const response = await report(id, { kind: 'wrong_hours', comment: '  Closed on Mondays now.  ', language: 'ar' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ received: true });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        'id',
        'service_id',
        'kind',
        'comment',
        'language',
        'resolved_at',
        'resolved_by',
        'resolution',
        'version',
        'created_at',
        'updated_at',
      ].sort(),
    );
    expect(rows[0]).toMatchObject({ kind: 'wrong_hours', comment: 'Closed on Mondays now.', language: 'ar' });
    // The change log names no author either.
    const logged = await context.database.db
      .selectFrom('change_log')
      .select(['account_id', 'author_label', 'new_values'])
      .where('entity_type', '=', 'service_report')
      .where('entity_id', '=', rows[0]!.id)
      .execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ account_id: null, author_label: null });
    expect(JSON.stringify(logged[0]!.new_values)).not.toContain('203.0.113');
  });

  it('names no author even when someone signed in sends it, and needs no CSRF token', async () => {
    const member = await signedInAs(context.database.db, 'editor', 'testland');
    const id = await serviceId('Beta job coaching');
    const { 'x-csrf-token': _csrf, ...cookieOnly } = member.headers;
    // A signed-in person's page sends its CSRF token; the finder sends no cookie at all (credentials: omit).
    const response = await report(id, { kind: 'moved' }, newClient(), member.headers);
    expect(response.statusCode, response.body).toBe(201);
    const logged = await context.database.db
      .selectFrom('change_log')
      .select('account_id')
      .where('entity_type', '=', 'service_report')
      .where(({ ref }) => ref('new_values'), 'is not', null)
      .where(
        'entity_id',
        'in',
        (await rowsOf(id)).map((row) => row.id),
      )
      .execute();
    expect(logged.map((row) => row.account_id)).toEqual([null]);
    // With the cookie but without the token, the usual CSRF refusal: the finder never sends the cookie.
    expect((await report(id, { kind: 'other', comment: 'x' }, newClient(), cookieOnly)).statusCode).toBe(403);
  });

  it('does not add an identical open report without a comment again, and says the same', async () => {
    const id = await serviceId('Gamma social desk');
    const before = (await rowsOf(id)).length;
    expect((await report(id, { kind: 'closed' })).json()).toEqual({ received: true });
    expect((await report(id, { kind: 'closed' })).json()).toEqual({ received: true });
    expect((await report(id, { kind: 'closed', comment: 'Door locked, sign says closed for good.' })).statusCode).toBe(
      201,
    );
    expect((await rowsOf(id)).length).toBe(before + 2);
  });

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const id = await serviceId('Alpha football club');
    const refusals = [
      [{ kind: 'burnt_down' }, 400],
      [{ kind: 'other', comment: 'x'.repeat(501) }, 400],
      [{ kind: 'other', comment: 'a\u0000b' }, 400],
      [{ kind: 'other', language: 'not a language' }, 400],
      [{ kind: 'other', email: 'someone@example.org' }, 400],
      [{}, 400],
    ] as const;
    for (const [payload, status] of refusals) {
      const response = await report(id, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json().code).toBeTruthy();
    }
    expect(await rowsOf(id)).toEqual([]);
    expect((await report(id, { kind: 'other', comment: 'x'.repeat(500) })).statusCode).toBe(201);
  });

  it('answers 404 for an unknown service, and for one the finder does not show', async () => {
    const unknown = await report('00000000-0000-4000-8000-000000000000', { kind: 'closed' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: 'not-found.reportable-service',
      params: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect((await report('not-a-uuid', { kind: 'closed' })).statusCode).toBe(400);

    const id = await serviceId('Alpha football club');
    const db = context.database.db;
    await db.updateTable('service').set({ status: 'inactive' }).where('id', '=', id).execute();
    try {
      expect((await report(id, { kind: 'moved' })).statusCode).toBe(404);
      await db.updateTable('service').set({ status: 'temporarily closed' }).where('id', '=', id).execute();
      expect((await report(id, { kind: 'moved' })).statusCode).toBe(201);
    } finally {
      await db.updateTable('service').set({ status: 'active' }).where('id', '=', id).execute();
    }
  });

  it('refuses a flood from one client with 429, coded for the finder, while another client is heard', async () => {
    const id = await serviceId('Beta job coaching');
    const client = newClient();
    const { max } = defaultReportRateLimits.perMinute;
    for (let sent = 1; sent <= max; sent++) {
      expect((await report(id, { kind: 'other', comment: `flood ${sent}` }, client)).statusCode).toBe(201);
    }
    const refused = await report(id, { kind: 'other', comment: 'one too many' }, client);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate-limit.reports-network', params: {} });
    expect(refused.json().params.retryAfterS).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const stored = (await rowsOf(id)).filter(
      (row) => row.comment?.startsWith('flood') || row.comment === 'one too many',
    );
    expect(stored).toHaveLength(max);
    // Counted before anything else: made-up services count too, so that a flood cannot go around the limit.
    expect((await report('00000000-0000-4000-8000-000000000000', { kind: 'closed' }, client)).statusCode).toBe(429);
    expect((await report(id, { kind: 'other', comment: 'someone else' })).statusCode).toBe(201);
  });

  it('lists the open reports to the alliance’s editors only, with the service and no sender', async () => {
    const editor = await signedInAs(context.database.db, 'editor', 'testland');
    const member = await signedInAs(context.database.db, 'member', 'testland');
    const id = await serviceId('Alpha housing advice');
    await report(id, { kind: 'closed', comment: 'Listed for the moderators', language: 'fr' });

    const answer = await list(editor.headers);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    const item = body.items.find((entry: { comment: string }) => entry.comment === 'Listed for the moderators');
    expect(item).toMatchObject({
      service: { id, name: 'Alpha housing advice', organizationName: expect.any(String) },
      kind: 'closed',
      language: 'fr',
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
      version: 1,
    });
    expect(body.openCount).toBe(body.items.length);
    expect((await inject({ url: '/api/alliances/testland/reports/count', headers: editor.headers })).json()).toEqual({
      open: body.openCount,
    });

    expect((await list(member.headers)).statusCode).toBe(403);
    expect((await inject({ url: '/api/alliances/testland/reports' })).statusCode).toBe(401);
    expect((await list(editor.headers, 'open', 'nowhere')).statusCode).toBe(404);
    expect((await list(editor.headers, 'everything')).statusCode).toBe(400);
  });

  it('keeps another alliance’s editors out of the list and out of resolving', async () => {
    await createAllianceOverBox(context.app, adminHeaders, 'otherland', [10, 50, 11, 51], {
      country: 'DE',
      timezone: 'Europe/Berlin',
      languages: ['de'],
    });
    const outsider = await signedInAs(context.database.db, 'editor', 'otherland');
    const id = await serviceId('Gamma social desk');
    await report(id, { kind: 'moved', comment: 'Not for otherland' });
    const [row] = (await rowsOf(id)).filter((entry) => entry.comment === 'Not for otherland');

    expect((await list(outsider.headers)).statusCode).toBe(403);
    const own = await list(outsider.headers, 'open', 'otherland');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({ items: [], openCount: 0 });
    const resolve = await inject({
      method: 'POST',
      url: `/api/reports/${row!.id}/resolve`,
      headers: outsider.headers,
      payload: { version: row!.version, resolution: 'dismissed' },
    });
    expect(resolve.statusCode).toBe(403);
    expect((await rowsOf(id)).find((entry) => entry.id === row!.id)?.resolved_at).toBeNull();
  });

  it('resolves in one request, records the editor in the history, and refuses a second resolution', async () => {
    const editor = await signedInAs(context.database.db, 'editor', 'testland', { displayName: 'Rosa Resolver' });
    const other = await signedInAs(context.database.db, 'editor', 'testland');
    const id = await serviceId('Beta job coaching');
    await report(id, { kind: 'wrong_hours', comment: 'To be corrected' });
    const [row] = (await rowsOf(id)).filter((entry) => entry.comment === 'To be corrected');
    const openBefore = (await list(editor.headers)).json().openCount;

    const resolve = (headers: Record<string, string>, payload: object, reportId = row!.id) =>
      inject({ method: 'POST', url: `/api/reports/${reportId}/resolve`, headers, payload });
    expect((await resolve(editor.headers, { version: row!.version, resolution: 'fixed' })).statusCode).toBe(400);
    const done = await resolve(editor.headers, { version: row!.version, resolution: 'corrected' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      id: row!.id,
      resolution: 'corrected',
      resolvedBy: { accountId: editor.accountId, displayName: 'Rosa Resolver' },
      version: row!.version + 1,
    });
    expect(done.json().resolvedAt).toEqual(expect.any(String));

    const again = await resolve(other.headers, { version: row!.version + 1, resolution: 'dismissed' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'reports.resolved-already', params: { who: 'Rosa Resolver' } });
    const stale = await resolve(other.headers, { version: row!.version, resolution: 'dismissed' });
    expect(stale.statusCode).toBe(409);
    expect(
      (await resolve(other.headers, { version: 1, resolution: 'dismissed' }, '00000000-0000-4000-8000-000000000000'))
        .statusCode,
    ).toBe(404);

    expect((await list(editor.headers)).json().openCount).toBe(openBefore - 1);
    const resolved = (await list(editor.headers, 'resolved')).json().items;
    expect(resolved.map((item: { id: string }) => item.id)).toContain(row!.id);

    const history = await inject({ url: `/api/history/service_report/${row!.id}`, headers: editor.headers });
    expect(history.statusCode, history.body).toBe(200);
    const [latest, created] = history.json().items;
    expect(latest).toMatchObject({
      action: 'update',
      author: { accountId: editor.accountId, displayName: 'Rosa Resolver' },
      entityLabel: 'Beta job coaching',
    });
    expect(latest.changedFields).toEqual(expect.arrayContaining(['resolution', 'resolvedAt', 'resolvedBy']));
    expect(created).toMatchObject({ action: 'create', author: null });
  });
});
