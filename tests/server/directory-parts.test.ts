import { describe, expect, it } from 'vitest';
import {
  type CompactIndex,
  decodeSearchPack,
  type DetailsPack,
  type SearchPack,
  withDetails,
} from '#contract/directory/compactDirectory.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

/** Saturday 24 October 2026: Paris puts its clocks back during the 8 days listed from it. */
const from = '2026-10-24';

interface Service {
  id: string;
  serviceId: string;
  name: string;
}

describe.each(databaseModes())("the finder's compact directory, in parts (%s database)", (mode) => {
  // The directory's today is the day these tests read (a fixed day would be refused a year on).
  const context = useTestApp(mode, undefined, { clock: () => new Date(`${from}T10:00:00Z`) });
  const get = (url: string, headers: Record<string, string> = {}) => context.app.inject({ url, headers });
  const indexUrl = `/api/alliances/testland/directory/parts?from=${from}`;
  const partUrl = (id: string) => `/api/alliances/testland/directory/parts/${id}?from=${from}`;
  const detailsUrl = (id: string) => `/api/alliances/testland/directory/parts/${id}/details?from=${from}`;

  /** A part's services, whole: its search pack with its details pack. */
  async function partServices(id: string): Promise<Array<Service & { lat: number; lon: number }>> {
    const search = (await get(partUrl(id))).json() as SearchPack;
    const details = (await get(detailsUrl(id))).json() as DetailsPack;
    return decodeSearchPack(search).map((service, position) => withDetails(service, details, position));
  }

  async function allParts(): Promise<{ index: CompactIndex; services: Service[] }> {
    const index = (await get(indexUrl)).json() as CompactIndex;
    const parts = await Promise.all(index.parts.map(({ id }) => partServices(id)));
    return { index, services: parts.flat() };
  }

  it('lists the region, its towns and its parts, each a large cell with its ETag', async () => {
    const response = await get(indexUrl);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers.etag).toMatch(/^"2-[\w-]{22}"$/);
    const index = response.json() as CompactIndex;
    const whole = (await get(`/api/alliances/testland/directory?from=${from}`)).json();
    expect(index.alliance).toEqual(whole.alliance);
    expect(index.places).toEqual(whole.places);
    expect([index.openFrom, index.openUntil]).toEqual([whole.openFrom, whole.openUntil]);
    expect(index.cellDegrees).toBe(0.5);
    expect(index.parts.length).toBeGreaterThan(0);
    for (const part of index.parts) {
      expect(part.id).toMatch(/^-?\d+_-?\d+$/);
      expect(part.etag).toMatch(/^"2-[\w-]{22}"$/);
      expect(part.detailsEtag).toMatch(/^"2-[\w-]{22}"$/);
    }
    expect(index.parts.reduce((sum, part) => sum + part.services, 0)).toBe(whole.services.length);
  });

  it('gives, decoded, exactly the services of the whole directory: each search pack with its details pack', async () => {
    const whole = (await get(`/api/alliances/testland/directory?from=${from}`)).json();
    const { services } = await allParts();
    const byId = (list: Service[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(services)).toEqual(byId(whole.services));
    // Each part holds the services of its cell only.
    const index = (await get(indexUrl)).json() as CompactIndex;
    for (const { id } of index.parts) {
      const [row, column] = id.split('_').map(Number) as [number, number];
      for (const service of await partServices(id)) {
        expect(Math.floor(service.lat / 0.5)).toBe(row);
        expect(Math.floor(service.lon / 0.5)).toBe(column);
      }
    }
  });

  it('answers 304 to a phone that holds the current index or part, and 200 to one that holds another', async () => {
    const index = await get(indexUrl);
    const etag = index.headers.etag as string;
    const again = await get(indexUrl, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await get(indexUrl, { 'if-none-match': '"1-older"' })).statusCode).toBe(200);

    const [first] = (index.json() as CompactIndex).parts;
    const part = await get(partUrl(first!.id));
    expect(part.headers.etag).toBe(first!.etag);
    expect((await get(partUrl(first!.id), { 'if-none-match': `"x", ${first!.etag}` })).statusCode).toBe(304);
    expect((await get(partUrl(first!.id), { 'if-none-match': '"x"' })).statusCode).toBe(200);

    const details = await get(detailsUrl(first!.id));
    expect(details.statusCode).toBe(200);
    expect(details.headers['cache-control']).toBe('no-cache');
    expect(details.headers.etag).toBe(first!.detailsEtag);
    expect((details.json() as DetailsPack).searchEtag).toBe(first!.etag);
    expect((await get(detailsUrl(first!.id), { 'if-none-match': first!.detailsEtag })).statusCode).toBe(304);
    expect((await get(detailsUrl(first!.id), { 'if-none-match': first!.etag })).statusCode).toBe(200);
  });

  it('keeps ids and long texts out of the search packs', async () => {
    const whole = (await get(`/api/alliances/testland/directory?from=${from}`)).json() as {
      services: Array<Service & { description: string | null; phone: string | null }>;
    };
    const index = (await get(indexUrl)).json() as CompactIndex;
    const text = (await Promise.all(index.parts.map(async ({ id }) => (await get(partUrl(id))).body))).join('');
    for (const service of whole.services) {
      expect(text).not.toContain(service.id);
      expect(text).not.toContain(service.serviceId);
      if (service.description) expect(text).not.toContain(JSON.stringify(service.description));
      if (service.phone) expect(text).not.toContain(service.phone);
    }
  });

  it('builds the parts again after a change, and only the changed part gets a new ETag', async () => {
    const before = await allParts();
    const beta = before.services.find((service) => service.name === 'Beta job coaching')!;
    const url = `/api/services/${beta.serviceId}`;
    const rename = async (name: string) =>
      context.app.inject({
        method: 'PATCH',
        url,
        headers: adminHeaders,
        payload: { version: (await context.app.inject({ url })).json().version, name },
      });
    expect((await rename('Beta job coaching and more')).statusCode).toBe(200);
    try {
      const after = await allParts();
      expect(after.services.map((service) => service.name)).toContain('Beta job coaching and more');
      const changed = after.index.parts.filter(
        (part) => before.index.parts.find((old) => old.id === part.id)?.etag !== part.etag,
      );
      expect(changed.length).toBe(1);
      // The details of that cell name the new search pack; the others' are as they were.
      const changedDetails = after.index.parts.filter(
        (part) => before.index.parts.find((old) => old.id === part.id)?.detailsEtag !== part.detailsEtag,
      );
      expect(changedDetails.map((part) => part.id)).toEqual(changed.map((part) => part.id));
    } finally {
      await rename('Beta job coaching');
    }
  });

  it.each([
    ['/api/alliances/atlantis/directory/parts', 404, 'not-found.alliance'],
    ['/api/alliances/atlantis/directory/parts/89_-1', 404, 'not-found.alliance'],
    ['/api/alliances/testland/directory/parts/0_0', 404, 'not-found.directory-part'],
    ['/api/alliances/testland/directory/parts/north', 400, 'validation.pattern'],
    ['/api/alliances/testland/directory/parts/1_2_3', 400, 'validation.pattern'],
    ['/api/alliances/atlantis/directory/parts/89_-1/details', 404, 'not-found.alliance'],
    ['/api/alliances/testland/directory/parts/0_0/details', 404, 'not-found.directory-part'],
    ['/api/alliances/testland/directory/parts/north/details', 400, 'validation.pattern'],
    ['/api/alliances/testland/directory/parts/89_-1/details?from=1990-01-01', 400, 'directory.day-out-of-range'],
    ['/api/alliances/testland/directory/parts?from=24/10/2026', 400, 'validation.format'],
    ['/api/alliances/testland/directory/parts?from=1990-01-01', 400, 'directory.day-out-of-range'],
  ])('%s answers %i', async (url, status, code) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    if (code) expect(response.json().code).toBe(code);
  });
});
