import { describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';
import { queueOrganizationReminder } from '../../server/src/domain/self-service/selfServiceLinks.js';

interface Opened {
  cookie: string;
  csrfToken: string;
  body: {
    organization: { name: string };
    approval: boolean;
    services: { id: string; name: string; verifiedAt: string | null; closures: { endsOn: string }[] }[];
  };
}

describe.each(databaseModes())('self-service links (%s database)', (mode) => {
  const context = useTestApp(mode);
  const db = () => context.database.db;
  let editor: TestActor | undefined;

  async function anEditor(): Promise<TestActor> {
    editor ??= await signedInAs(db(), 'editor', 'testland', { displayName: 'Eli Editor' });
    return editor;
  }

  async function organizationId(name: string): Promise<string> {
    const row = await db().selectFrom('organization').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return row.id;
  }

  async function serviceId(name: string): Promise<string> {
    const row = await db().selectFrom('service').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return row.id;
  }

  async function setApproval(approval: boolean): Promise<void> {
    await db()
      .updateTable('alliance')
      .set({ self_service_approval: approval })
      .where('slug', '=', 'testland')
      .execute();
  }

  /** Sends Centre Alpha a link and reads its token back from the mail queued for it. */
  async function sendLink(to = 'desk@alpha.example'): Promise<string> {
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/organizations/${await organizationId('Centre Alpha')}/self-service-links`,
      headers: (await anEditor()).headers,
      payload: { email: to },
    });
    expect(response.statusCode).toBe(201);
    const mail = await db()
      .selectFrom('outbox')
      .select('body')
      .where('to_email', '=', to)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return /#\/self-service\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
  }

  async function open(token: string): Promise<Opened> {
    const response = await context.app.inject({ method: 'POST', url: '/api/self-service/open', payload: { token } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((one) => one.name === 'passerelle_self_service')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/self-service' });
    return {
      cookie: `passerelle_self_service=${cookie.value}`,
      csrfToken: response.json().csrfToken,
      body: response.json(),
    };
  }

  const asOrganization = (opened: Opened) => ({
    cookie: opened.cookie,
    'x-self-service-token': opened.csrfToken,
  });

  it('mails the link, in the alliance’s language, with the organisation’s services and no one else’s', async () => {
    const token = await sendLink('mail-check@alpha.example');
    const mail = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('to_email', '=', 'mail-check@alpha.example')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Les services de Centre Alpha sont-ils toujours à jour ?');
    expect(mail.body).toContain(`/map#/self-service/${token}`);
    expect(mail.body).toContain('Alpha housing advice');
    expect(mail.body).toContain('Alpha football club');
    expect(mail.body).not.toContain('Beta');
    expect(mail.body).not.toContain('Gamma');
    const stored = await db().selectFrom('self_service_link').select('id').execute();
    expect(stored.map((link) => link.id)).not.toContain(token);
  });

  it('sends to the organisation’s own address by default, and refuses with a code when it has none', async () => {
    const beta = await organizationId('Bureau Beta');
    const send = async () =>
      context.app.inject({
        method: 'POST',
        url: `/api/organizations/${beta}/self-service-links`,
        headers: (await anEditor()).headers,
        payload: {},
      });
    const refused = await send();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('self-service.no-address');
    await db()
      .updateTable('organization')
      .set({ contact_email: 'contact@beta.example' })
      .where('id', '=', beta)
      .execute();
    const sent = await send();
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ email: 'contact@beta.example', sentBy: 'Eli Editor', openedAt: null });
  });

  it('lists the links sent, opened or not, never their tokens', async () => {
    const token = await sendLink('listed@alpha.example');
    await open(token);
    const response = await context.app.inject({
      url: `/api/organizations/${await organizationId('Centre Alpha')}/self-service-links`,
      headers: (await anEditor()).headers,
    });
    expect(response.statusCode).toBe(200);
    const listed = response.json().items.find((link: { email: string }) => link.email === 'listed@alpha.example');
    expect(listed.openedAt).not.toBeNull();
    expect(listed.expired).toBe(false);
    expect(response.body).not.toContain(token);
  });

  it('refuses people who are not editors of the alliance to send links', async () => {
    const member = await signedInAs(db(), 'member', 'testland');
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/organizations/${await organizationId('Centre Alpha')}/self-service-links`,
      headers: member.headers,
      payload: { email: 'x@alpha.example' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('opens a link once, with only the organisation’s services', async () => {
    const token = await sendLink();
    const opened = await open(token);
    expect(opened.body.organization.name).toBe('Centre Alpha');
    expect(opened.body.services.map((service) => service.name)).toEqual([
      'Alpha football club',
      'Alpha housing advice',
    ]);
    const again = await context.app.inject({ method: 'POST', url: '/api/self-service/open', payload: { token } });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('self-service.link-used');
  });

  it('answers an expired link with 410 and a forged one with 404', async () => {
    const token = await sendLink('expired@alpha.example');
    await db()
      .updateTable('self_service_link')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('email', '=', 'expired@alpha.example')
      .execute();
    const expired = await context.app.inject({ method: 'POST', url: '/api/self-service/open', payload: { token } });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('self-service.link-expired');
    const forged = await context.app.inject({
      method: 'POST',
      url: '/api/self-service/open',
      payload: { token: 'A'.repeat(43) },
    });
    expect(forged.statusCode).toBe(404);
    expect(forged.json().code).toBe('self-service.link-invalid');
  });

  it('answers 404 for a service of another organisation, and changes nothing', async () => {
    await setApproval(false);
    const opened = await open(await sendLink());
    const beta = await serviceId('Beta job coaching');
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/self-service/services/${beta}/still-true`,
      headers: asOrganization(opened),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not-found.self-service-service');
    const service = await db().selectFrom('service').select('verified_via').where('id', '=', beta).executeTakeFirst();
    expect(service?.verified_via).not.toBe('organization');
  });

  it('needs the session and the page’s token; the session opens no other route', async () => {
    const opened = await open(await sendLink());
    const housing = await serviceId('Alpha housing advice');
    const withoutSession = await context.app.inject({ url: '/api/self-service/services' });
    expect(withoutSession.statusCode).toBe(401);
    const withoutToken = await context.app.inject({
      method: 'POST',
      url: `/api/self-service/services/${housing}/still-true`,
      headers: { cookie: opened.cookie },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().code).toBe('self-service.csrf-missing');
    const elsewhere = await context.app.inject({
      method: 'PATCH',
      url: `/api/services/${housing}`,
      headers: { ...asOrganization(opened), 'x-csrf-token': opened.csrfToken },
      payload: { version: 1, description: 'Taken over' },
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('refuses a closure that ends before it starts', async () => {
    const opened = await open(await sendLink());
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/self-service/services/${await serviceId('Alpha housing advice')}/closure`,
      headers: asOrganization(opened),
      payload: { startsOn: '2031-08-10', endsOn: '2031-08-01' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('self-service.closure-ends-before-start');
  });

  it('without approval, makes changes at once, in the history under the organisation’s name', async () => {
    await setApproval(false);
    const opened = await open(await sendLink());
    const housing = await serviceId('Alpha housing advice');
    const football = await serviceId('Alpha football club');
    const post = (url: string, payload?: object) =>
      context.app.inject({ method: 'POST', url, headers: asOrganization(opened), payload });
    expect((await post(`/api/self-service/services/${housing}/still-true`)).json()).toEqual({ outcome: 'applied' });
    const closure = await post(`/api/self-service/services/${football}/closure`, {
      startsOn: '2031-07-01',
      endsOn: '2031-08-31',
      note: 'Summer',
    });
    expect(closure.json()).toEqual({ outcome: 'applied' });
    const edit = await context.app.inject({
      method: 'PATCH',
      url: `/api/self-service/services/${housing}`,
      headers: asOrganization(opened),
      payload: { phone: '+33 5 56 00 00 00', openingHours: 'Mo-Fr 09:00-12:00' },
    });
    expect(edit.json()).toEqual({ outcome: 'applied' });

    const reloaded = (
      await context.app.inject({ url: '/api/self-service/services', headers: { cookie: opened.cookie } })
    ).json();
    const byName = Object.fromEntries(
      reloaded.services.map((service: Opened['body']['services'][number]) => [service.name, service]),
    );
    expect(byName['Alpha housing advice']).toMatchObject({
      phone: '+33 5 56 00 00 00',
      openingHours: 'Mo-Fr 09:00-12:00',
    });
    expect(byName['Alpha housing advice'].verifiedAt).not.toBeNull();
    expect(byName['Alpha football club'].closures).toEqual([
      expect.objectContaining({ startsOn: '2031-07-01', endsOn: '2031-08-31', note: 'Summer' }),
    ]);

    const history = await context.app.inject({
      url: '/api/alliances/testland/history?limit=20',
      headers: (await anEditor()).headers,
    });
    const changes = history
      .json()
      .items.filter(
        (change: { entityId: string; entityType: string }) =>
          change.entityId === housing || change.entityType === 'service_closure',
      );
    expect(changes.length).toBeGreaterThanOrEqual(3);
    for (const change of changes) {
      expect(change.author).toBeNull();
      expect(change.authorLabel).toBe('Centre Alpha (through its self-service link)');
    }
  });

  it('with approval, keeps changes as proposals: approving makes them, rejecting does not', async () => {
    await setApproval(true);
    try {
      const opened = await open(await sendLink());
      expect(opened.body.approval).toBe(true);
      const housing = await serviceId('Alpha housing advice');
      const propose = (description: string) =>
        context.app.inject({
          method: 'PATCH',
          url: `/api/self-service/services/${housing}`,
          headers: asOrganization(opened),
          payload: { description },
        });
      expect((await propose('Approved words')).json()).toEqual({ outcome: 'proposed' });
      expect((await propose('Rejected words')).json()).toEqual({ outcome: 'proposed' });
      const description = async () =>
        (await db().selectFrom('service').select('description').where('id', '=', housing).executeTakeFirstOrThrow())
          .description;
      const before = await description();
      expect(before).not.toBe('Approved words');

      const headers = (await anEditor()).headers;
      const waiting = (
        await context.app.inject({ url: '/api/alliances/testland/self-service-proposals', headers })
      ).json().items;
      const find = (words: string) =>
        waiting.find((proposal: { changes: { description?: string } }) => proposal.changes.description === words);
      expect(find('Approved words')).toMatchObject({ kind: 'edit', organizationName: 'Centre Alpha' });

      const reject = await context.app.inject({
        method: 'POST',
        url: `/api/self-service-proposals/${find('Rejected words').id}/reject`,
        headers,
      });
      expect(reject.statusCode).toBe(204);
      expect(await description()).toBe(before);

      const approve = await context.app.inject({
        method: 'POST',
        url: `/api/self-service-proposals/${find('Approved words').id}/approve`,
        headers,
      });
      expect(approve.statusCode).toBe(204);
      expect(await description()).toBe('Approved words');
      const twice = await context.app.inject({
        method: 'POST',
        url: `/api/self-service-proposals/${find('Approved words').id}/approve`,
        headers,
      });
      expect(twice.statusCode).toBe(409);

      const history = await context.app.inject({ url: '/api/alliances/testland/history?limit=5', headers });
      const change = history.json().items.find((item: { entityId: string }) => item.entityId === housing);
      expect(change).toMatchObject({
        author: { displayName: 'Eli Editor' },
        authorLabel: 'approved change from Centre Alpha',
      });
      const left = (await context.app.inject({ url: '/api/alliances/testland/self-service-proposals', headers })).json()
        .items;
      expect(left.filter((proposal: { changes: { description?: string } }) => proposal.changes.description)).toEqual(
        [],
      );
    } finally {
      await setApproval(false);
    }
  });

  it('queues the monthly reminder to the organisation’s own address', async () => {
    const gamma = await organizationId('Gamma social desk');
    await db().updateTable('organization').set({ email: 'hello@gamma.example' }).where('id', '=', gamma).execute();
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        queueOrganizationReminder(trx, gamma, {
          createdBy: null,
          now: new Date(),
          baseUrl: 'https://passerelle.example.org',
        }),
      );
    expect(outcome.state).toBe('queued');
    const mail = await db()
      .selectFrom('outbox')
      .select('body')
      .where('to_email', '=', 'hello@gamma.example')
      .executeTakeFirstOrThrow();
    expect(mail.body).toContain('https://passerelle.example.org/map#/self-service/');
    expect(mail.body).toContain('Gamma social desk');
    expect(mail.body).not.toContain('Alpha');
  });
});
