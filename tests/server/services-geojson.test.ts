import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { publicReader, type PointReader } from '../../server/src/domain/locations/hiddenAddresses.js';
import type { ServiceFilters } from '../../server/src/domain/services/serviceFilters.js';
import {
  listServicePoints,
  servicePointPages,
  servicePointPageSize,
} from '../../server/src/domain/services/serviceRepository.js';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, demoDataDir, useTestApp } from '../support/testApp.js';

interface Feature {
  properties: { id: string };
}

describe.each(databaseModes())('services.geojson, written as it is read (%s database)', (mode) => {
  const context = useTestApp(mode, demoDataDir);
  const db = () => context.database.db;
  const now = new Date('2026-12-01T12:00:00Z');

  /** The FeatureCollection as the route built it whole, from one query, before it was written page by page. */
  async function builtWhole(filters: ServiceFilters, reader: PointReader) {
    const services = await listServicePoints(db(), filters, reader, now);
    return {
      type: 'FeatureCollection',
      features: services.map((service) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [service.location!.lon, service.location!.lat] },
        properties: {
          id: service.id,
          name: service.name,
          category: service.category,
          organizationName: service.organization.name,
          precision: service.location!.precision,
          town: service.location!.town,
          age: service.age,
          dueOn: service.dueOn,
          verifiedAt: service.verifiedAt,
        },
      })),
    };
  }

  async function allianceId(slug: string) {
    const { rows } = await sql<{ id: string }>`select id from alliance where slug = ${slug}`.execute(db());
    return rows[0]!.id;
  }

  it('answers the demo with the same features as the whole answer built at once', async () => {
    const bordeaux = await allianceId('bordeaux');
    const asked: [string, ServiceFilters, Record<string, string>, PointReader][] = [
      ['', {}, {}, publicReader],
      ['?alliance=bordeaux', { allianceId: bordeaux }, {}, publicReader],
      ['?category=social_action', { category: 'social_action' }, {}, publicReader],
      ['?alliance=bordeaux', { allianceId: bordeaux }, adminHeaders, { memberOf: 'every' }],
    ];
    for (const [query, filters, headers, reader] of asked) {
      const response = await context.app.inject({ url: `/api/services.geojson${query}`, headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/geo+json');
      const expected = await builtWhole(filters, reader);
      expect(expected.features.length).toBeGreaterThan(0);
      // Ages are read on the day of the request: compared apart from them, on the same day.
      const body = response.json() as typeof expected;
      expect(body).toEqual({
        ...expected,
        features: expected.features.map((feature, index) => ({
          ...feature,
          properties: { ...feature.properties, age: body.features[index]?.properties.age },
        })),
      });
    }
  });

  it('reads the services in pages of ids, giving the same services in the same order', async () => {
    const whole = await listServicePoints(db(), {}, publicReader, now);
    const pages: string[][] = [];
    for await (const page of servicePointPages(db(), {}, publicReader, { pageSize: 7, now })) {
      pages.push(page.map((service) => service.id));
    }
    expect(pages.flat()).toEqual(whole.map((service) => service.id));
    expect(pages.every((page) => page.length <= 7)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(whole.length / 7));
  });

  it('writes a large alliance out in pieces, with the ETag rules of the whole answer', async () => {
    const count = servicePointPageSize + 345;
    const organization = await sql<{ id: string }>`
      select o.id from organization o join alliance a on a.id = o.alliance_id where a.slug = 'bordeaux'
      order by o.id limit 1`.execute(db());
    const organizationId = organization.rows[0]!.id;
    await sql`
      insert into location (id, organization_id, name, city, country, geog)
      select md5('geojson-l' || n)::uuid, ${organizationId}, 'Site ' || n, 'Bordeaux', 'FR',
             ST_SetSRID(ST_MakePoint(-0.6 + n * 0.00001, 44.8 + (n % 97) * 0.0001), 4326)::geography
      from generate_series(1, ${count}) n`.execute(db());
    await sql`
      insert into service (id, organization_id, name, category, status)
      select md5('geojson-s' || n)::uuid, ${organizationId}, 'Generated ' || n, 'professional_integration', 'active'
      from generate_series(1, ${count}) n`.execute(db());
    await sql`
      insert into service_at_location (service_id, location_id)
      select md5('geojson-s' || n)::uuid, md5('geojson-l' || n)::uuid from generate_series(1, ${count}) n`.execute(
      db(),
    );

    const address = (await context.app.listen({ host: '127.0.0.1', port: 0 })) && context.app.server.address();
    const origin = `http://127.0.0.1:${(address as AddressInfo).port}`;
    const url = `${origin}/api/services.geojson?alliance=bordeaux&category=professional_integration`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    // Written as it is read: no length known beforehand, sent in chunks.
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();

    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let chunks = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (chunks === 0) expect(decoder.decode(read.value, { stream: false })).toMatch(/^\{"type":"FeatureCollection"/);
      text += decoder.decode(read.value, { stream: true });
      chunks++;
    }
    expect(chunks).toBeGreaterThan(1);
    const features = (JSON.parse(text) as { features: Feature[] }).features;
    expect(features.length).toBeGreaterThanOrEqual(count);
    const ids = features.map((feature) => feature.properties.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    const whole = await listServicePoints(
      db(),
      { allianceId: await allianceId('bordeaux'), category: 'professional_integration' },
      publicReader,
    );
    expect(ids).toEqual(whole.map((service) => service.id));

    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('refuses an unknown alliance before writing anything', async () => {
    const response = await context.app.inject({ url: '/api/services.geojson?alliance=nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not-found.alliance' });
  });
});
