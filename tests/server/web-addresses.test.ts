import { beforeAll, describe, expect, it } from 'vitest';
import { isWebAddress } from '#contract/links/webAddress.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

/** Addresses a link would run or open something else than a web page with. */
const notWebAddresses = [
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://files.example.org/',
];

const refusal = (field: string) =>
  `Field "${field}" must be a web address starting with http:// or https://, such as https://example.org/.`;

describe('what counts as a web address, for the server and the pages', () => {
  it.each([
    ['https://example.org/', true],
    ['HTTP://example.org', true],
    ['http://example.org/a b', true],
    ['java\tscript:alert(1)', false],
    [' javascript:alert(1)', false],
    ['\u0000javascript:alert(1)', false],
    ['https:evil.example.org', false],
    ['http://', false],
    ['www.example.org', false],
    ['//example.org/', false],
  ])('%j → %s', (text, expected) => {
    expect(isWebAddress(text)).toBe(expected);
  });
});

describe.each(databaseModes())('web addresses (%s database)', (mode) => {
  const context = useTestApp(mode);
  let alpha: { id: string; version: number };
  let alphaService: { id: string; version: number };

  const send = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    context.app.inject({ method, url, headers: adminHeaders, payload });

  beforeAll(async () => {
    const organizations = (await context.app.inject({ url: '/api/organizations?alliance=testland' })).json().items;
    alpha = organizations.find((item: { name: string }) => item.name === 'Centre Alpha');
    const services = (await context.app.inject({ url: '/api/services?alliance=testland' })).json().items;
    const serviceId = services.find((item: { name: string }) => item.name === 'Alpha housing advice').id;
    alphaService = (await context.app.inject({ url: `/api/services/${serviceId}` })).json();
  });

  it.each(notWebAddresses)('refuses %s as the address of a new service', async (url) => {
    const response = await send('POST', '/api/services', {
      organizationId: alpha.id,
      name: 'Linked elsewhere',
      category: 'social_action',
      url,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(refusal('url'));
  });

  it.each(notWebAddresses)("refuses %s as a service's new address", async (url) => {
    const response = await send('PATCH', `/api/services/${alphaService.id}`, { version: alphaService.version, url });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(refusal('url'));
  });

  it.each(notWebAddresses)("refuses %s as a new organisation's website", async (website) => {
    const response = await send('POST', '/api/organizations', { alliance: 'testland', name: 'Elsewhere', website });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(refusal('website'));
  });

  it.each(notWebAddresses)("refuses %s as an organisation's new website", async (website) => {
    const response = await send('PATCH', `/api/organizations/${alpha.id}`, { version: alpha.version, website });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(refusal('website'));
  });

  it('takes http and https addresses', async () => {
    const created = await send('POST', '/api/organizations', {
      alliance: 'testland',
      name: 'Plain web',
      website: 'http://plain.example.org/welcome',
    });
    expect(created.statusCode, created.body).toBe(201);
    const service = await send('POST', '/api/services', {
      organizationId: created.json().id,
      name: 'Plain web service',
      category: 'social_action',
      url: 'HTTPS://plain.example.org/service?lang=fr',
    });
    expect(service.statusCode, service.body).toBe(201);
    expect(service.json()).toMatchObject({
      url: 'HTTPS://plain.example.org/service?lang=fr',
      organization: { website: 'http://plain.example.org/welcome' },
    });
  });

  describe('an address stored before the check', () => {
    let serviceId: string;
    let organizationId: string;

    beforeAll(async () => {
      const db = context.database.db;
      const organization = await db
        .insertInto('organization')
        .values({
          alliance_id: (await db.selectFrom('alliance').select('id').executeTakeFirstOrThrow()).id,
          name: 'Stored long ago',
          website: 'javascript:alert(1)',
          member_role: 'member',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      organizationId = organization.id;
      const location = await db
        .insertInto('location')
        .values({
          organization_id: organizationId,
          city: 'Bordeaux',
          geog: 'SRID=4326;POINT(-0.58 44.84)',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const service = await db
        .insertInto('service')
        .values({
          organization_id: organizationId,
          name: 'Stored service',
          category: 'social_action',
          url: 'data:text/html,<script>alert(1)</script>',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      serviceId = service.id;
      await db.insertInto('service_at_location').values({ service_id: serviceId, location_id: location.id }).execute();
      await db.updateTable('alliance').set({ profile_published: true }).execute();
    });

    it('is not handed out with the service', async () => {
      const service = (await context.app.inject({ url: `/api/services/${serviceId}` })).json();
      expect(service.url).toBeNull();
      expect(service.organization.website).toBeNull();
    });

    it('is not handed out with the organisation', async () => {
      const organization = (await context.app.inject({ url: `/api/organizations/${organizationId}` })).json();
      expect(organization.website).toBeNull();
    });

    it('is not handed out in the list of organisations', async () => {
      const items = (await context.app.inject({ url: '/api/organizations?q=Stored' })).json().items;
      expect(items).toMatchObject([{ name: 'Stored long ago', website: null }]);
    });

    it("is not handed out in the finder's directory", async () => {
      const directory = (await context.app.inject({ url: '/api/alliances/testland/directory' })).json();
      const entry = directory.services.find((item: { serviceId: string }) => item.serviceId === serviceId);
      expect(entry.url).toBeNull();
    });

    it("is not handed out on the alliance's public profile", async () => {
      const profile = (await context.app.inject({ url: '/api/alliances/testland/profile' })).json();
      const member = profile.members.find((item: { id: string }) => item.id === organizationId);
      expect(member.website).toBeNull();
    });
  });
});
