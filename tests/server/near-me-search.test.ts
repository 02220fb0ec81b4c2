import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { categoryIds, topics } from '#contract/taxonomy/categories.js';
import { findNeed, needIds } from '#contract/taxonomy/needs.js';
import type { Database } from '../../server/src/db/schema.js';
import { slicingFor } from '../../server/src/domain/gap-analysis/batchSizer.js';
import { changeAs } from '../../server/src/domain/history/actingAs.js';
import { runImportCommand } from '../../server/src/domain/imports/importCommand.js';
import { ImportFileStore } from '../../server/src/domain/imports/importFiles.js';
import { seededRandom } from '../../scripts/bench/lib/stats.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { location, openTestReader, organization, service, testFile } from '../support/importRecords.js';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

/**
 * What the search table must hold, written here over the base tables without the migration's view or functions:
 * one row per active service at a placed location, its public point (a hidden address rounded to 0.01°, at town
 * precision).
 */
async function expectedSearchRows(db: Kysely<Database>) {
  const { rows } = await sql<Record<string, unknown>>`
    select sal.service_id, sal.location_id,
           ST_AsText(case when l.hide_address then ST_SnapToGrid(l.geog::geometry, 0.01) else l.geog::geometry end)
             as point,
           s.category, s.name, s.topics, s.languages, o.id as organization_id, o.name as organization_name,
           a.slug as alliance_slug, l.city as town,
           case when l.hide_address then 'town' else l.precision end as precision
    from service_at_location sal, service s, location l, organization o, alliance a
    where s.id = sal.service_id and l.id = sal.location_id and o.id = s.organization_id and a.id = o.alliance_id
      and s.status = 'active' and l.geog is not null
    order by 1, 2`.execute(db);
  return rows;
}

async function searchRows(db: Kysely<Database>) {
  const { rows } = await sql<Record<string, unknown>>`
    select service_id, location_id, ST_AsText(geog::geometry) as point, category, name, topics, languages,
           organization_id, organization_name, alliance_slug, town, precision
    from service_search order by 1, 2`.execute(db);
  return rows;
}

describe.each(databaseModes())('the near-me search table (%s database)', (mode) => {
  const context = useTestApp(mode, undefined, { openImportReader: openTestReader });
  let editor: TestActor;
  let counter = 0;
  const db = () => context.database.db;

  async function expectSearchTrue(): Promise<Record<string, unknown>[]> {
    const rows = await searchRows(db());
    expect(rows).toEqual(await expectedSearchRows(db()));
    return rows;
  }
  const rowsOf = async (serviceId: string) => (await searchRows(db())).filter((row) => row.service_id === serviceId);

  async function ok(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, status = 200) {
    const response = await context.app.inject({ method, url, payload, headers: editor.headers });
    expect(response.statusCode, response.body).toBe(status);
    return response.statusCode === 204 ? null : response.json();
  }

  async function newOrganization() {
    counter += 1;
    return ok(
      'POST',
      '/api/organizations',
      {
        alliance: 'testland',
        name: `Search organisation ${counter}`,
        location: { lat: 44.86, lon: -0.56, town: 'Bordeaux', address: `${counter} quai des Tests` },
      },
      201,
    );
  }

  const asEditor = <T>(work: Parameters<typeof changeAs<T>>[2]) =>
    changeAs(db(), { accountId: editor.accountId, allianceId: null }, work);

  beforeAll(async () => {
    editor = await signedInAs(db(), 'editor', 'testland');
  });

  it('is filled from the demo data', async () => {
    const rows = await expectSearchTrue();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('follows a service created, changed, closed, reopened and deleted through the API', async () => {
    const org = await newOrganization();
    const created = await ok(
      'POST',
      '/api/services',
      {
        organizationId: org.id,
        name: 'Searchable desk',
        category: 'social_action',
        locationIds: [org.locations[0].id],
      },
      201,
    );
    expect((await rowsOf(created.id)).map((row) => row.name)).toEqual(['Searchable desk']);
    await expectSearchTrue();

    const changed = await ok('PATCH', `/api/services/${created.id}`, {
      version: created.version,
      name: 'Searchable desk, renamed',
      category: 'professional_integration',
      topics: ['employment'],
      languages: ['fr', 'uk'],
    });
    expect(await rowsOf(created.id)).toMatchObject([
      { name: 'Searchable desk, renamed', category: 'professional_integration', topics: ['employment'] },
    ]);
    await expectSearchTrue();

    const closed = await ok('PATCH', `/api/services/${created.id}`, { version: changed.version, status: 'inactive' });
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();
    await ok('PATCH', `/api/services/${created.id}`, { version: closed.version, status: 'active' });
    expect(await rowsOf(created.id)).toHaveLength(1);

    await ok('DELETE', `/api/services/${created.id}`, undefined, 204);
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();
  });

  it('follows a location moved, hidden, made town-level, unplaced and placed again', async () => {
    const org = await newOrganization();
    const locationId = org.locations[0].id as string;
    const created = await ok(
      'POST',
      '/api/services',
      { organizationId: org.id, name: 'Moving desk', category: 'social_action', locationIds: [locationId] },
      201,
    );
    const update = (columns: object) =>
      asEditor((trx) =>
        trx
          .updateTable('location')
          .set(columns as never)
          .where('id', '=', locationId)
          .execute(),
      );

    await update({ geog: sql`ST_SetSRID(ST_MakePoint(-0.5712, 44.8234), 4326)::geography` });
    expect(await rowsOf(created.id)).toMatchObject([{ point: 'POINT(-0.5712 44.8234)', precision: 'exact' }]);
    await expectSearchTrue();

    await update({ hide_address: true });
    expect(await rowsOf(created.id)).toMatchObject([{ point: 'POINT(-0.57 44.82)', precision: 'town' }]);
    await expectSearchTrue();

    await update({ hide_address: false, precision: 'town', city: 'Talence' });
    expect(await rowsOf(created.id)).toMatchObject([
      { point: 'POINT(-0.5712 44.8234)', precision: 'town', town: 'Talence' },
    ]);
    await expectSearchTrue();

    await update({ geog: null, needs_place: true });
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();

    await update({ geog: sql`ST_SetSRID(ST_MakePoint(-0.6, 44.9), 4326)::geography`, needs_place: false });
    expect(await rowsOf(created.id)).toMatchObject([{ point: 'POINT(-0.6 44.9)' }]);
    await expectSearchTrue();
  });

  it('follows links made, pointed elsewhere and unmade', async () => {
    const org = await newOrganization();
    const other = await newOrganization();
    const first = org.locations[0].id as string;
    const second = other.locations[0].id as string;
    const created = await ok(
      'POST',
      '/api/services',
      { organizationId: org.id, name: 'Linked desk', category: 'social_action' },
      201,
    );
    // A new service is offered at its organisation's places: unlinking them takes it out of the search.
    expect(await rowsOf(created.id)).toHaveLength(1);
    await asEditor((trx) => trx.deleteFrom('service_at_location').where('service_id', '=', created.id).execute());
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();

    await asEditor((trx) =>
      trx
        .insertInto('service_at_location')
        .values([
          { service_id: created.id, location_id: first },
          { service_id: created.id, location_id: second },
        ])
        .execute(),
    );
    expect((await rowsOf(created.id)).map((row) => row.location_id).sort()).toEqual([first, second].sort());
    await expectSearchTrue();

    const otherPlace = await ok(
      'POST',
      `/api/organizations/${org.id}/locations`,
      { lat: 44.7, lon: -0.4, town: 'Créon', address: '1 place de la Prévôté' },
      201,
    );
    await asEditor((trx) =>
      trx
        .updateTable('service_at_location')
        .set({ location_id: otherPlace.id })
        .where('service_id', '=', created.id)
        .where('location_id', '=', second)
        .execute(),
    );
    expect((await rowsOf(created.id)).map((row) => row.location_id).sort()).toEqual([first, otherPlace.id].sort());
    await expectSearchTrue();

    await asEditor((trx) =>
      trx
        .deleteFrom('service_at_location')
        .where('service_id', '=', created.id)
        .where('location_id', '=', first)
        .execute(),
    );
    expect((await rowsOf(created.id)).map((row) => row.location_id)).toEqual([otherPlace.id]);
    await expectSearchTrue();

    // Deleting the place takes its link, and the search row, with it.
    await asEditor((trx) => trx.deleteFrom('location').where('id', '=', otherPlace.id).execute());
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();
  });

  it('follows organisations and alliances renamed, moved and deleted', async () => {
    const org = await newOrganization();
    const created = await ok(
      'POST',
      '/api/services',
      { organizationId: org.id, name: 'Renamed desk', category: 'social_action', locationIds: [org.locations[0].id] },
      201,
    );
    await ok('PATCH', `/api/organizations/${org.id}`, { version: org.version, name: 'A new name' });
    expect(await rowsOf(created.id)).toMatchObject([{ organization_name: 'A new name', alliance_slug: 'testland' }]);
    await expectSearchTrue();

    const otherland = await asEditor(async (trx) => {
      const { rows } = await sql<{ id: string }>`
        insert into alliance (slug, name, country, timezone, languages, boundary)
        select 'otherland', 'Otherland', country, timezone, languages, boundary from alliance where slug = 'testland'
        returning id`.execute(trx);
      await trx.updateTable('organization').set({ alliance_id: rows[0]!.id }).where('id', '=', org.id).execute();
      return rows[0]!.id;
    });
    expect(await rowsOf(created.id)).toMatchObject([{ alliance_slug: 'otherland' }]);
    await expectSearchTrue();

    await asEditor((trx) =>
      trx.updateTable('alliance').set({ slug: 'elsewhere' }).where('id', '=', otherland).execute(),
    );
    expect(await rowsOf(created.id)).toMatchObject([{ alliance_slug: 'elsewhere' }]);
    await expectSearchTrue();

    const second = await newOrganization();
    const secondService = await ok(
      'POST',
      '/api/services',
      {
        organizationId: second.id,
        name: 'Doomed desk',
        category: 'social_action',
        locationIds: [second.locations[0].id],
      },
      201,
    );
    expect(await rowsOf(secondService.id)).toHaveLength(1);
    await asEditor((trx) => trx.deleteFrom('organization').where('id', '=', second.id).execute());
    expect(await rowsOf(secondService.id)).toEqual([]);
    await expectSearchTrue();

    await asEditor((trx) => trx.deleteFrom('alliance').where('id', '=', otherland).execute());
    expect(await rowsOf(created.id)).toEqual([]);
    await expectSearchTrue();
  });

  it('follows a service and its changes written by many rows at once', async () => {
    await asEditor((trx) =>
      trx
        .updateTable('service')
        .set({ name: sql`name || ' (checked)'` })
        .execute(),
    );
    const rows = await expectSearchTrue();
    expect(rows.every((row) => String(row.name).endsWith(' (checked)'))).toBe(true);
  });

  it('follows an import', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'passerelle-search-import-'));
    const file = path.join(dir, 'partners.json');
    await fs.writeFile(
      file,
      testFile([
        organization('org-1', { name: 'Imported partner' }),
        location('loc-1', { organizationSourceId: 'org-1', lat: 44.81, lon: -0.55 }),
        location('loc-2', { organizationSourceId: 'org-1', lat: 44.83, lon: -0.52 }),
        service('svc-1', {
          name: 'Imported service',
          locationSourceIds: ['loc-1', 'loc-2'],
          category: 'social_action',
        }),
      ]),
    );
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const deps = {
      db: db(),
      slicing: slicingFor(mode),
      openReader: openTestReader,
      files: new ImportFileStore(path.join(dir, 'imports')),
    };
    try {
      expect(await runImportCommand(['--alliance', 'testland', file], deps, out), lines.join('\n')).toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const rows = await expectSearchTrue();
    expect(rows.filter((row) => row.name === 'Imported service')).toHaveLength(2);
  });
});

interface NearbyItem {
  id: string;
  name: string;
  category: string;
  topics: string[];
  languages: string[];
  organization: { id: string; name: string };
  location: { lat: number; lon: number; town: string | null; precision: string } | null;
  allianceSlug: string;
  distanceM: number;
}

describe.each(databaseModes())('near-me answers against a reference query (%s database)', (mode) => {
  const context = useTestApp(mode);
  const random = seededRandom(1405);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const centre = { lat: 44.84, lon: -0.58 };
  const languages = ['fr', 'en', 'ar', 'uk', 'fa'];

  /** 300 services in and around Bordeaux: some closed, hidden, town-level (sharing a point), unplaced, at two places. */
  beforeAll(async () => {
    const db = context.database.db;
    const { id: allianceId } = await db
      .selectFrom('alliance')
      .select('id')
      .where('slug', '=', 'testland')
      .executeTakeFirstOrThrow();
    const organizations = await db
      .insertInto('organization')
      .values(Array.from({ length: 20 }, (_, k) => ({ alliance_id: allianceId, name: `Random organisation ${k}` })))
      .returning('id')
      .execute();
    const towns = [
      { city: 'Mérignac', lat: 44.8386, lon: -0.6436 },
      { city: 'Pessac', lat: 44.8067, lon: -0.6311 },
    ];
    const locations = await db
      .insertInto('location')
      .values(
        Array.from({ length: 260 }, (_, k) => {
          const organizationId = pick(organizations).id;
          const kind = random();
          if (kind < 0.05) return { organization_id: organizationId, city: 'Nowhere yet', needs_place: true };
          if (kind < 0.2) {
            const town = pick(towns);
            const point = sql`ST_SetSRID(ST_MakePoint(${town.lon}, ${town.lat}), 4326)::geography`;
            return { organization_id: organizationId, city: town.city, precision: 'town' as const, geog: point };
          }
          const lon = centre.lon + (random() - 0.5) * 0.4;
          const lat = centre.lat + (random() - 0.5) * 0.3;
          return {
            organization_id: organizationId,
            city: `Town ${k % 7}`,
            hide_address: kind > 0.9,
            geog: sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography`,
          };
        }) as never,
      )
      .returning('id')
      .execute();
    const services = await db
      .insertInto('service')
      .values(
        Array.from({ length: 300 }, (_, k) => ({
          organization_id: pick(organizations).id,
          name: `Random service ${k}`,
          category: pick(categoryIds),
          status: random() < 0.1 ? ('inactive' as const) : ('active' as const),
          topics: [pick(topics), pick(topics)].filter((topic, index, all) => all.indexOf(topic) === index),
          languages: languages.filter(() => random() < 0.4),
        })),
      )
      .returning('id')
      .execute();
    const links = new Map<string, { service_id: string; location_id: string }>();
    for (const [index, { id }] of services.entries()) {
      const places = index % 6 === 0 ? 2 : 1;
      for (let n = 0; n < places; n += 1) {
        const locationId = pick(locations).id;
        links.set(`${id}/${locationId}`, { service_id: id, location_id: locationId });
      }
    }
    await db
      .insertInto('service_at_location')
      .values([...links.values()])
      .execute();
  }, 60_000);

  /** Every service location within the radius that passes the filters, nearest first, then by ids. */
  async function reference(query: {
    lat: number;
    lon: number;
    radiusM: number;
    category?: string;
    language?: string;
    need?: string;
  }): Promise<{ nearness: number; item: NearbyItem }[]> {
    const here = sql`ST_SetSRID(ST_MakePoint(${query.lon}, ${query.lat}), 4326)::geography`;
    const need = query.need ? findNeed(query.need)! : undefined;
    const { rows } = await sql<{
      id: string;
      name: string;
      category: string;
      topics: string[];
      languages: string[];
      organization_id: string;
      organization_name: string;
      slug: string;
      lat: number;
      lon: number;
      town: string | null;
      precision: string;
      distance_m: number;
      nearness: number;
    }>`
      select id, name, category, topics, languages, organization_id, organization_name, slug, town, precision,
             ST_Y(point::geometry) as lat, ST_X(point::geometry) as lon, ST_Distance(point, ${here}) as distance_m,
             point <-> ${here} as nearness
      from (
        select s.id, s.name, s.category, s.topics, s.languages, o.id as organization_id,
               o.name as organization_name, a.slug, l.city as town, l.id as location_id,
               case when l.hide_address then 'town' else l.precision end as precision,
               case when l.hide_address then ST_SnapToGrid(l.geog::geometry, 0.01)::geography else l.geog end
                 as point
        from service s
        join organization o on o.id = s.organization_id
        join alliance a on a.id = o.alliance_id
        join service_at_location sal on sal.service_id = s.id
        join location l on l.id = sal.location_id
        where s.status = 'active' and l.geog is not null
      ) candidate
      where ST_DWithin(point, ${here}, ${query.radiusM})
        and (${query.category ?? null}::text is null or category = ${query.category ?? null})
        and (${query.language ?? null}::text is null or ${query.language ?? null} = any(languages))
        and (${need ? 'yes' : null}::text is null
             or category = any(${need ? [...need.categories] : []}::text[])
             or topics && ${need ? [...need.topics] : []}::text[])
      order by point <-> ${here}, id, location_id`.execute(context.database.db);
    return rows.map((row) => ({
      nearness: row.nearness,
      item: {
        id: row.id,
        name: row.name,
        category: row.category,
        topics: row.topics,
        languages: row.languages,
        organization: { id: row.organization_id, name: row.organization_name },
        location: { lat: row.lat, lon: row.lon, town: row.town, precision: row.precision },
        allianceSlug: row.slug,
        distanceM: Math.round(row.distance_m * 10) / 10,
      },
    }));
  }

  /**
   * The API's answer against every candidate, nearest first: the first `limit`, in the same order, except that of
   * several places at the same distance at the limit's edge any may make it in (the index chooses), in id order.
   */
  function expectSameAnswer(items: NearbyItem[], candidates: { nearness: number; item: NearbyItem }[], limit: number) {
    if (candidates.length <= limit) {
      expect(items).toEqual(candidates.map((candidate) => candidate.item));
      return;
    }
    expect(items).toHaveLength(limit);
    const edge = candidates[limit - 1]!.nearness;
    const before = candidates.filter((candidate) => candidate.nearness < edge).map((candidate) => candidate.item);
    const tied = candidates.filter((candidate) => candidate.nearness === edge).map((candidate) => candidate.item);
    expect(items.slice(0, before.length)).toEqual(before);
    const rest = items.slice(before.length);
    for (const item of rest) expect(tied).toContainEqual(item);
    expect(rest.map((item) => item.id)).toEqual(rest.map((item) => item.id).sort());
  }

  it('gives the same answers as a plain query over the base tables, with every filter', async () => {
    let nonEmpty = 0;
    let filtered = 0;
    for (let k = 0; k < 80; k += 1) {
      const query = {
        lat: Math.round((centre.lat + (random() - 0.5) * 0.4) * 1e6) / 1e6,
        lon: Math.round((centre.lon + (random() - 0.5) * 0.5) * 1e6) / 1e6,
        radiusM: pick([2000, 5000, 15000, 50000]),
        limit: pick([5, 20, 100]),
        ...(random() < 0.3 ? { category: pick(categoryIds) } : {}),
        ...(random() < 0.3 ? { language: pick(languages) } : {}),
        ...(random() < 0.3 ? { need: pick(needIds) } : {}),
      };
      const parameters = new URLSearchParams({
        lat: String(query.lat),
        lon: String(query.lon),
        radius_m: String(query.radiusM),
        limit: String(query.limit),
      });
      for (const name of ['category', 'language', 'need'] as const) {
        if (query[name]) parameters.set(name, query[name]);
      }
      const response = await context.app.inject({ url: `/api/services/nearby?${parameters}` });
      expect(response.statusCode, response.body).toBe(200);
      const items = response.json().items as NearbyItem[];
      expectSameAnswer(items, await reference(query), query.limit);
      if (items.length > 0) nonEmpty += 1;
      if (items.length > 0 && (query.category || query.language || query.need)) filtered += 1;
    }
    // The comparison means something only if the answers are not all empty.
    expect(nonEmpty).toBeGreaterThan(40);
    expect(filtered).toBeGreaterThan(10);
  });

  it('ranks places at the same point, a town centre, in a fixed order', async () => {
    const response = await context.app.inject({
      url: '/api/services/nearby?lat=44.8386&lon=-0.6436&radius_m=10&limit=100',
    });
    const items = response.json().items as NearbyItem[];
    expect(items.length).toBeGreaterThan(2);
    expect(items.every((item) => item.distanceM === 0 && item.location?.precision === 'town')).toBe(true);
    const ids = items.map((item) => item.id);
    expect(ids).toEqual([...ids].sort());
  });
});
