import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, TEST_PASSWORD, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/** `{"a":{"a":…{"a":1}}}`, `depth` objects deep, as JSON text (deeper than JSON.stringify can write). */
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe.each(databaseModes())('fields a route does not name (%s database)', (mode) => {
  const context = useTestApp(mode);
  let coordinator: TestActor;
  let editor: TestActor;

  const inject = (method: 'POST' | 'PATCH', url: string, actor: TestActor | undefined, payload: object | string) =>
    context.app.inject({ method, url, headers: actor?.headers ?? {}, payload });

  /** Testland's whole row and how many changes the log holds: what a refused request must leave as it was. */
  async function stored() {
    const alliance = await context.database.db
      .selectFrom('alliance')
      .selectAll()
      .select(sql<string>`ST_AsText(boundary)`.as('boundaryText'))
      .where('slug', '=', 'testland')
      .executeTakeFirstOrThrow();
    const { changes } = await context.database.db
      .selectFrom('change_log')
      .select((eb) => eb.fn.countAll<number>().as('changes'))
      .executeTakeFirstOrThrow();
    return { alliance: { ...alliance, boundary: undefined }, changes: Number(changes) };
  }

  const version = async () => (await stored()).alliance.version;

  beforeAll(async () => {
    coordinator = await signedInAs(context.database.db, 'coordinator', 'testland');
    editor = await signedInAs(context.database.db, 'editor', 'testland');
  });

  it.each([
    ['slug', 'elsewhere'],
    ['country', 'ZZ'],
    ['is_demo', true],
    ['created_at', '2000-01-01T00:00:00Z'],
    ['id', '00000000-0000-4000-8000-000000000000'],
  ])('refuses "%s" in an alliance change with 400, and changes nothing', async (field, value) => {
    const before = await stored();
    const response = await inject('PATCH', '/api/alliances/testland', coordinator, {
      version: before.alliance.version,
      name: 'Renamed by mass assignment',
      [field]: value,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe(`The request body has an unknown field "${field}".`);
    expect(await stored()).toEqual(before);
  });

  it('refuses a field it does not know with 400, however deep its value is nested', async () => {
    const before = await stored();
    const response = await context.app.inject({
      method: 'PATCH',
      url: '/api/alliances/testland',
      headers: { ...coordinator.headers, 'content-type': 'application/json' },
      payload: `{"version":${before.alliance.version},"settings":${nestedJson(100_000)}}`,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "settings".');
    expect(await stored()).toEqual(before);
  });

  it('still writes every field an alliance change names', async () => {
    const response = await inject('PATCH', '/api/alliances/testland', coordinator, {
      version: await version(),
      name: 'Testland alliance',
      description: 'Described',
      vision: 'A vision',
      charter: 'A charter',
      languages: ['fr', 'en'],
      timezone: 'Europe/Brussels',
      profilePublished: false,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await stored()).alliance).toMatchObject({
      name: 'Testland alliance',
      description: 'Described',
      vision: 'A vision',
      charter: 'A charter',
      languages: ['fr', 'en'],
      timezone: 'Europe/Brussels',
      profile_published: false,
      slug: 'testland',
      country: 'FR',
    });
  });

  it('refuses an unknown field when creating an alliance', async () => {
    const response = await inject('POST', '/api/alliances', editor, {
      slug: 'newland',
      name: 'Newland',
      country: 'FR',
      timezone: 'Europe/Paris',
      languages: ['fr'],
      is_demo: true,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "is_demo".');
    const created = await context.database.db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'newland')
      .executeTakeFirst();
    expect(created).toBeUndefined();
  });

  it('refuses an unknown field in an invitation', async () => {
    const response = await inject('POST', '/api/alliances/testland/invitations', coordinator, {
      email: 'invited@test.example',
      role: 'member',
      isPlatformAdmin: true,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "isPlatformAdmin".');
  });

  it("refuses an unknown field in a change of a member's role", async () => {
    const response = await inject('PATCH', `/api/alliances/testland/members/${editor.accountId}`, coordinator, {
      role: 'member',
      alliance_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "alliance_id".');
  });

  it('refuses an unknown field in a change of one’s own account', async () => {
    const response = await inject('PATCH', '/api/auth/me', editor, {
      displayName: 'Eli',
      is_platform_admin: true,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "is_platform_admin".');
  });

  it('refuses an unknown field in a password reset request', async () => {
    const response = await inject('POST', '/api/auth/password-reset', undefined, {
      email: editor.email,
      redirect: 'https://elsewhere.example',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "redirect".');
  });

  it('refuses an unknown field when choosing a new password from a reset link', async () => {
    const response = await inject('POST', '/api/auth/password-reset/some-token', undefined, {
      password: TEST_PASSWORD,
      email: editor.email,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe('The request body has an unknown field "email".');
  });

  it('describes every request body object in the OpenAPI document as closed to fields it does not name', async () => {
    const open: string[] = [];
    const visit = (schema: unknown, where: string): void => {
      if (Array.isArray(schema)) return schema.forEach((item, index) => visit(item, `${where}[${index}]`));
      if (typeof schema !== 'object' || schema === null) return;
      const object = schema as Record<string, unknown>;
      if ((object.type === 'object' || object.properties) && object.additionalProperties === undefined)
        open.push(where);
      for (const [key, value] of Object.entries(object)) visit(value, `${where}.${key}`);
    };
    const document = context.app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    };
    let bodies = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        bodies += 1;
        visit(schema, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(bodies).toBeGreaterThan(20);
    expect(open).toEqual([]);
  });
});
