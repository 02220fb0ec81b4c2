import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import { withoutHistory } from '../../../server/src/domain/history/actingAs.js';
import { categoryIds, topics } from '#contract/taxonomy/categories.js';

export type Spread = 'uniform' | 'clustered';

/** A Gironde-sized box around Bordeaux: about 130 × 155 km, 12 half-degree cells. */
export const finderRegion = { slug: 'bench-finder', west: -1.3, south: 44.2, east: 0.3, north: 45.6 };

/** Towns the clustered region gathers around (lat, lon, share of the clustered services). */
const towns: [number, number, number][] = [
  [44.84, -0.58, 0.45], // Bordeaux
  [44.92, -0.24, 0.1], // Libourne
  [44.55, -0.25, 0.1], // Langon
  [44.66, -1.17, 0.1], // Arcachon
  [45.17, -0.43, 0.1], // Blaye
  [45.05, -0.93, 0.15], // Médoc
];

const categoryArray = sql.raw(`array[${categoryIds.map((id) => `'${id}'`).join(', ')}]`);
const topicArray = sql.raw(`array[${topics.map((id) => `'${id}'`).join(', ')}]`);
/** Timetables as services write them: a few dozen shapes cover most of a real region. */
const hours = sql.raw(
  `array[${[
    'Mo-Fr 09:00-12:00,14:00-17:00',
    'Mo-Fr 09:00-17:00',
    'Mo,We,Fr 14:00-18:00',
    'Tu,Th 09:00-12:30',
    'Mo-Sa 08:30-19:00; PH off',
    'Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00',
    'We 14:00-17:00',
    'Mo-Fr 10:00-16:00; PH off',
  ]
    .map((text) => `'${text}'`)
    .join(', ')}]`,
);

/**
 * Fills a migrated database with one alliance of `size` active services, each at its own location, with the
 * texts a real service has (description, fees, eligibility, phone, email), opening hours for 85 % of them, a
 * check date for 60 %, hidden addresses for 5 %. Uniform: spread over the box. Clustered: 80 % around six towns
 * (normal spread of ~4 km), the rest over the box. Set-based and seeded: the same seed gives the same region.
 */
export async function loadFinderRegion(
  db: Kysely<Database>,
  size: number,
  spread: Spread,
  seed: number,
): Promise<void> {
  const { west, south, east, north, slug } = finderRegion;
  const organizations = Math.max(1, Math.floor(size / 8));
  const townTable = sql.raw(
    `(values ${towns.map(([lat, lon, share], index) => `(${index}, ${lat}, ${lon}, ${share})`).join(', ')}) as t(k, lat, lon, share)`,
  );
  await db.transaction().execute((transaction) =>
    withoutHistory(transaction, async (trx) => {
      await sql`select setseed(${(seed % 1000) / 1000})`.execute(trx);
      await sql`
        insert into alliance (id, slug, name, country, timezone, languages, boundary)
        values (md5('bench-finder')::uuid, ${slug}, 'Finder benchmark region', 'FR', 'Europe/Paris', '{fr}',
                ST_Multi(ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)))`.execute(trx);
      await sql`
        insert into organization (id, alliance_id, name, email)
        select md5('fo' || k)::uuid, md5('bench-finder')::uuid, 'Association ' || k || ' pour l’accueil',
               'contact' || k || '@example.org'
        from generate_series(0, ${organizations - 1}) as k`.execute(trx);
      await sql`create temporary table finder_site (i int, lon float8, lat float8) on commit drop`.execute(trx);
      if (spread === 'uniform') {
        await sql`
          insert into finder_site
          select i, ${west}::float8 + random() * ${east - west}::float8, ${south}::float8 + random() * ${north - south}::float8
          from generate_series(0, ${size - 1}) as i`.execute(trx);
      } else {
        // Box–Muller for a normal spread around a town drawn by its share; one in five anywhere in the box.
        await sql`
          insert into finder_site
          select i,
                 least(greatest(case when u0 < 0.2 then ${west}::float8 + u1 * ${east - west}::float8
                      else t.lon + 0.05 * sqrt(-2 * ln(greatest(u1, 1e-9))) * cos(2 * pi() * u2) end, ${west}::float8), ${east}::float8),
                 least(greatest(case when u0 < 0.2 then ${south}::float8 + u2 * ${north - south}::float8
                      else t.lat + 0.035 * sqrt(-2 * ln(greatest(u1, 1e-9))) * sin(2 * pi() * u2) end, ${south}::float8), ${north}::float8)
          from (select i, random() as u0, random() as u1, random() as u2, random() as u3
                from generate_series(0, ${size - 1}) as i) as draw
          cross join lateral (
            select t.lat, t.lon from ${townTable}
            where (select coalesce(sum(share), 0) from ${townTable} where k < t.k) <= draw.u3
            order by t.k desc limit 1) as t`.execute(trx);
      }
      await sql`
        insert into location (id, organization_id, name, address_1, city, postal_code, country, geog, hide_address)
        select md5('fl' || i)::uuid, md5('fo' || (i % ${organizations}))::uuid, 'Site ' || i,
               (i % 180) || ' rue de la République', 'Commune ' || (i % 400), lpad((33000 + i % 900)::text, 5, '0'), 'FR',
               ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, i % 20 = 7
        from finder_site`.execute(trx);
      await sql`
        insert into service (id, organization_id, name, description, category, status, topics, languages, free,
                             fees_description, eligibility_description, application_process, phone, verified_at)
        select md5('fs' || i)::uuid, md5('fo' || (i % ${organizations}))::uuid,
               (array['Accueil', 'Permanence', 'Atelier', 'Cours', 'Point info', 'Épicerie'])[1 + i % 6] || ' ' || i,
               'Accueil, écoute et orientation des personnes nouvellement arrivées : démarches, droits, ' ||
               'accompagnement vers les services du territoire. Sur rendez-vous ou sans rendez-vous selon les jours.',
               (${categoryArray})[1 + floor(random() * ${categoryIds.length})::int], 'active',
               array[(${topicArray})[1 + i % ${topics.length}]],
               case i % 3 when 0 then '{fr}'::text[] when 1 then '{fr,en}'::text[] else '{fr,ar}'::text[] end,
               case i % 3 when 0 then true when 1 then false end,
               case when i % 3 = 1 then 'Adhésion annuelle de 10 €.' end,
               case when i % 4 = 0 then 'Personnes majeures résidant dans le département.' end,
               'Se présenter aux horaires d’ouverture avec une pièce d’identité si possible.',
               '+33 5 56 ' || lpad((i % 100)::text, 2, '0') || ' ' || lpad((i % 97)::text, 2, '0') || ' 00',
               case when i % 5 < 3 then now() - (i % 400) * interval '1 day' end
        from finder_site`.execute(trx);
      await sql`alter table service_at_location disable trigger service_at_location_fill`.execute(trx);
      await sql`
        insert into service_at_location (id, service_id, location_id, category, geog)
        select md5('fa' || i)::uuid, s.id, md5('fl' || i)::uuid, s.category,
               public_point(ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, i % 20 = 7)
        from finder_site join service s on s.id = md5('fs' || i)::uuid`.execute(trx);
      await sql`alter table service_at_location enable trigger service_at_location_fill`.execute(trx);
      await sql`
        insert into schedule (service_id, opening_hours)
        select md5('fs' || i)::uuid, (${hours})[1 + i % 8]
        from finder_site where i % 20 >= 3`.execute(trx);
    }),
  );
  await sql`vacuum analyze`.execute(db);
}
