import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { projectRoot } from '../../../server/src/config.js';
import type { Database } from '../../../server/src/db/schema.js';
import { readDemoData } from '../../../server/src/domain/demo-data/demoDataFiles.js';
import { loadDemoData } from '../../../server/src/domain/demo-data/loadDemoData.js';
import { withoutHistory } from '../../../server/src/domain/history/actingAs.js';
import { categoryIds } from '#contract/taxonomy/categories.js';

export interface BordeauxAlliance {
  allianceId: string;
  /** Its demo services and the synthetic ones, all active. */
  services: number;
  demoServices: number;
}

const categoryArray = sql.raw(`array[${categoryIds.map((id) => `'${id}'`).join(', ')}]`);

/**
 * The demo Bordeaux alliance as `npm run db:seed` loads it (boundary: Gironde, data/regions/FR-GI.geojson; its
 * partners of data/organizations.json), and `synthetic` more services of its own: a service per location, five per
 * organisation, at seeded random points inside the boundary, of every category in turn. Set-based, without history.
 */
export async function loadBordeauxAlliance(
  db: Kysely<Database>,
  synthetic: number,
  seed: number,
): Promise<BordeauxAlliance> {
  const demo = await readDemoData(path.join(projectRoot, 'data'));
  const counts = await loadDemoData(db, {
    ...demo,
    alliances: demo.alliances.filter((alliance) => alliance.slug === 'bordeaux'),
    organizations: demo.organizations.filter((organization) => organization.alliance === 'bordeaux'),
  });
  const { id: allianceId } = await db
    .selectFrom('alliance')
    .select('id')
    .where('slug', '=', 'bordeaux')
    .executeTakeFirstOrThrow();
  const organizations = Math.max(1, Math.ceil(synthetic / 5));
  await db.transaction().execute((transaction) =>
    withoutHistory(transaction, async (trx) => {
      await sql`select setseed(${(seed % 1000) / 1000})`.execute(trx);
      // Twice as many draws in the boundary's box as services: Gironde fills more than half of it.
      await sql`
        create temporary table bench_site on commit drop as
        select row_number() over (order by i) - 1 as i, lon, lat, category
        from (
          select i, ST_XMin(a.boundary) + random() * (ST_XMax(a.boundary) - ST_XMin(a.boundary)) as lon,
                 ST_YMin(a.boundary) + random() * (ST_YMax(a.boundary) - ST_YMin(a.boundary)) as lat,
                 (${categoryArray})[1 + i % ${categoryIds.length}] as category, a.boundary
          from generate_series(0, ${2 * synthetic - 1}) as i, alliance a where a.id = ${allianceId}
        ) draw
        where ST_Intersects(boundary, ST_SetSRID(ST_MakePoint(lon, lat), 4326))
        order by i limit ${synthetic}`.execute(trx);
      await sql`
        insert into organization (id, alliance_id, name)
        select md5('bench-o' || k)::uuid, ${allianceId}, 'Organisation ' || k
        from generate_series(0, ${organizations - 1}) as k`.execute(trx);
      await sql`
        insert into location (id, organization_id, name, city, country, geog)
        select md5('bench-l' || i)::uuid, md5('bench-o' || (i / 5))::uuid, 'Site ' || i, 'Town ' || (i % 500), 'FR',
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography
        from bench_site`.execute(trx);
      await sql`
        insert into service (id, organization_id, name, category, status)
        select md5('bench-s' || i)::uuid, md5('bench-o' || (i / 5))::uuid, 'Service ' || i, category, 'active'
        from bench_site`.execute(trx);
      await sql`
        insert into service_at_location (service_id, location_id)
        select md5('bench-s' || i)::uuid, md5('bench-l' || i)::uuid from bench_site`.execute(trx);
    }),
  );
  await sql`vacuum analyze`.execute(db);
  const { rows } = await sql<{ services: number }>`
    select count(*)::int as services from service_at_location sal
    join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
    where o.alliance_id = ${allianceId} and s.status = 'active'`.execute(db);
  return { allianceId, services: rows[0]!.services, demoServices: counts.services };
}
