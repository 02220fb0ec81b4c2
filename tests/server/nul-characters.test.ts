import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/** What the answer says, with `where` the part of the request holding the NUL character. */
const refusal = (where: string) =>
  `Text cannot contain the NUL character (\\u0000), and ${where} has one: remove it and send again.`;

describe.each(databaseModes())('the NUL character, which PostgreSQL cannot store in text (%s database)', (mode) => {
  const context = useTestApp(mode);
  let coordinator: TestActor;

  const allianceRow = () =>
    context.database.db.selectFrom('alliance').selectAll().where('slug', '=', 'testland').executeTakeFirstOrThrow();

  beforeAll(async () => {
    coordinator = await signedInAs(context.database.db, 'coordinator', 'testland');
  });

  it('is refused in a JSON text field with 400 naming the field, and nothing changes', async () => {
    const before = await allianceRow();
    const response = await context.app.inject({
      method: 'PATCH',
      url: '/api/alliances/testland',
      headers: coordinator.headers,
      payload: { version: before.version, name: 'Test\u0000land' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe(refusal('field "name"'));
    expect(await allianceRow()).toEqual(before);
  });

  it('is refused in a nested JSON text field, named by its path', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: coordinator.headers,
      payload: { alliance: 'testland', name: 'Centre', location: { lat: 44.83, lon: -0.59, town: 'Bor\u0000deaux' } },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe(refusal('field "location.town"'));
  });

  it('is refused in the text of another route’s body', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/swot',
      headers: coordinator.headers,
      payload: { quadrant: 'strengths', text: 'Partners\u0000' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toBe(refusal('field "text"'));
  });

  it.each(['/api/services?alliance=test%00land', '/api/organizations?alliance=test%00land'])(
    'is refused when a query parameter holds it: %s',
    async (url) => {
      const response = await context.app.inject({ url });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toBe(refusal('query parameter "alliance"'));
    },
  );

  it.each([
    ['GET', '/api/alliances/test%00land'],
    ['GET', '/api/alliances/test%00land/actions'],
    ['GET', '/api/alliances/test%00land/profile'],
    ['PATCH', '/api/alliances/test%00land'],
  ] as const)('is refused when a path parameter holds it: %s %s', async (method, url) => {
    const response = await context.app.inject({
      method,
      url,
      headers: coordinator.headers,
      ...(method === 'PATCH' ? { payload: { version: 1, name: 'Renamed' } } : {}),
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(
      /^Text cannot contain the NUL character \(\\u0000\), and path parameter "(idOrSlug|slug)" has one/,
    );
  });
});
