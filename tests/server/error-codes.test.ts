import { describe, expect, it } from 'vitest';
import { errorMessages } from '../../server/src/domain/messages/errorMessages.js';
import { fillTemplate, said } from '../../server/src/domain/messages/userError.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

describe('coded messages', () => {
  it('fills a template, numbers with thousands separators where the template asks', () => {
    expect(fillTemplate('{a} and {b:number} but {c}', { a: 'x', b: 999_999 })).toBe('x and 999,999 but {c}');
    expect(said('action.budget-too-large', { max: 1_000_000 })).toEqual({
      code: 'action.budget-too-large',
      params: { max: 1_000_000 },
      message: 'The estimated budget can be at most 1,000,000.',
    });
  });

  it('names codes in kebab-case, with dots between the parts', () => {
    for (const code of Object.keys(errorMessages)) expect(code).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });
});

describe.each(databaseModes())('error answers carry a code and parameters (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('codes a validation error by its keyword, with where, field and limit', async () => {
    const response = await context.app.inject({ url: '/api/services/nearby?lat=95&lon=0&radius_m=1000' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation.maximum',
      params: { where: 'querystring', field: 'lat', limit: 90 },
      message: 'Query parameter "lat" must be at most 90.',
    });
  });

  it('codes a missing field with its path, and an unknown one with its name', async () => {
    const missing = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: adminHeaders,
      payload: { alliance: 'testland' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      code: 'validation.required',
      params: { where: 'body', field: 'name', missing: 'name' },
    });
    const unknown = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: adminHeaders,
      payload: { alliance: 'testland', name: 'X', colour: 'red' },
    });
    expect(unknown.json()).toMatchObject({
      code: 'validation.additional-property',
      params: { where: 'body', field: '', unknown: 'colour' },
    });
  });

  it('codes a record that is not there with its id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const response = await context.app.inject({ url: `/api/services/${id}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'not-found.service',
      params: { id },
      message: `There is no service with id ${id}.`,
    });
  });

  it('codes an unknown alliance and a refused sign-in', async () => {
    const alliance = await context.app.inject({ url: '/api/alliances/atlantis' });
    expect(alliance.json()).toMatchObject({ code: 'not-found.alliance', params: { alliance: 'atlantis' } });
    const anonymous = await context.app.inject({ method: 'POST', url: '/api/organizations', payload: {} });
    expect(anonymous.json()).toMatchObject({ statusCode: 401, code: 'auth.sign-in-required', params: {} });
  });

  it('codes a change made on an old version with the current version and who changed it', async () => {
    const created = await context.app.inject({
      method: 'POST',
      url: '/api/organizations',
      headers: adminHeaders,
      payload: { alliance: 'testland', name: 'Versioned café' },
    });
    const { id, version } = created.json();
    const change = (name: string) =>
      context.app.inject({
        method: 'PATCH',
        url: `/api/organizations/${id}`,
        headers: adminHeaders,
        payload: { version, name },
      });
    expect((await change('First change')).statusCode).toBe(200);
    const stale = await change('Second change');
    expect(stale.statusCode).toBe(409);
    const body = stale.json();
    expect(body).toMatchObject({
      code: 'conflict.stale-version',
      params: { entityType: 'organization', currentVersion: version + 1, timeZone: 'Europe/Paris' },
    });
    expect(new Date(body.params.changedAt).getTime()).not.toBeNaN();
    expect(body.message).toMatch(/changed this organisation at .*, after you opened it/);
  });

  it('codes an unknown route with its method and path', async () => {
    const response = await context.app.inject({ url: '/api/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'request.unknown-route',
      params: { method: 'GET', path: '/api/nowhere' },
    });
  });
});
