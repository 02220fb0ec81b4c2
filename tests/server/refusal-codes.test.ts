import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/src/config.js';
import { errorMessages } from '../../server/src/domain/messages/errorMessages.js';
import { signedInAs } from '../support/accounts.js';
import { useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

/** Every TypeScript file under `folder`, recursively. */
async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('the server’s sentences for people', () => {
  it('are all coded: no refusal is built from a sentence without a code', async () => {
    const uncoded: string[] = [];
    for (const file of await sourceFiles(path.join(projectRoot, 'server/src'))) {
      const text = await fs.readFile(file, 'utf8');
      if (/\buncoded\(|code: 'error'|code \?\? 'error'/.test(text)) uncoded.push(path.relative(projectRoot, file));
    }
    expect(uncoded).toEqual([]);
  });
});

describe.each(databaseModes())('refusals answered with a code of their own (%s database)', (mode) => {
  const context = useTestApp(mode);

  /** The refusal's code, after checking it is one errorMessages.ts knows, with its English sentence. */
  function codeOf(response: { statusCode: number; json(): unknown }, status: number): string {
    expect(response.statusCode).toBe(status);
    const body = response.json() as { code: string; params: Record<string, unknown>; message: string };
    expect(body.code).not.toBe('error');
    expect(Object.keys(errorMessages)).toContain(body.code);
    expect(body.message.length).toBeGreaterThan(0);
    return body.code;
  }

  it('codes the bounding box and filter refusals of the services and towns', async () => {
    const get = (url: string) => context.app.inject({ url });
    expect(codeOf(await get('/api/services?bbox=1,2,0,3'), 400)).toBe('services.bbox-invalid');
    expect(codeOf(await get('/api/services?alliance=nowhere-at-all'), 404)).toBe('not-found.alliance');
    expect(codeOf(await get('/api/towns?q=paris&near=100,0'), 400)).toBe('towns.near-not-point');
    expect(codeOf(await get('/api/hsds/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000'), 404)).toBe(
      'not-found.taxonomy-term',
    );
    expect(codeOf(await get('/api/alliances/testland/directory?from=2001-01-01'), 400)).toBe(
      'directory.day-out-of-range',
    );
  });

  it('codes the CSRF refusal, the missing invitation and the history’s missing change', async () => {
    const coordinator = await signedInAs(context.database.db, 'coordinator', 'testland');
    const { 'x-csrf-token': _token, ...withoutToken } = coordinator.headers;
    const forged = await context.app.inject({
      method: 'DELETE',
      url: '/api/alliances/testland/invitations/00000000-0000-4000-8000-000000000000',
      headers: withoutToken,
    });
    expect(codeOf(forged, 403)).toBe('auth.csrf-missing');
    const withdrawn = await context.app.inject({
      method: 'DELETE',
      url: '/api/alliances/testland/invitations/00000000-0000-4000-8000-000000000000',
      headers: coordinator.headers,
    });
    expect(codeOf(withdrawn, 404)).toBe('not-found.invitation');
  });

  it('codes the settings an alliance cannot have: holidays, boundary', async () => {
    const founder = await signedInAs(context.database.db, null, 'testland');
    const create = (fields: Record<string, unknown>) =>
      context.app.inject({
        method: 'POST',
        url: '/api/alliances',
        headers: founder.headers,
        payload: {
          slug: 'codes-test',
          name: 'Codes test',
          country: 'IT',
          timezone: 'Europe/Rome',
          languages: ['it'],
          ...fields,
        },
      });
    const holidays = await create({ holidayState: 'Lombardia' });
    expect(codeOf(holidays, 400)).toBe('alliance.holidays-same-everywhere');
    expect(holidays.json().params).toMatchObject({ country: 'IT' });
    const ring = [
      [9, 45],
      [9.1, 45],
      [9.1, 45.1],
      [9, 45.2],
    ];
    const open = await create({ boundary: { type: 'MultiPolygon', coordinates: [[ring]] } });
    expect(codeOf(open, 400)).toBe('boundary.polygon-ring-not-closed');
    expect(open.json().params).toEqual({ polygon: 1, ring: 1 });
    expect(open.json().message).toBe(
      'Ring 1 of polygon 1 of the boundary is not closed: its last point must repeat its first.',
    );
  });

  it('codes the translation routes’ refusals', async () => {
    const editor = await signedInAs(context.database.db, 'editor', 'testland');
    const services = await context.app.inject({ url: '/api/services?alliance=testland' });
    const serviceId = (services.json() as { items: { id: string }[] }).items[0]!.id;
    const draft = await context.app.inject({
      method: 'POST',
      url: `/api/services/${serviceId}/translations/de/machine-drafts`,
      headers: editor.headers,
    });
    expect(codeOf(draft, 409)).toBe('translator.none');
    const unknownField = await context.app.inject({
      method: 'DELETE',
      url: `/api/services/${serviceId}/translations/de/name?version=1`,
      headers: editor.headers,
    });
    expect([404, 409]).toContain(unknownField.statusCode);
    expect(codeOf(unknownField, unknownField.statusCode)).toMatch(/^(not-found|conflict)\.translation/);
  });
});
