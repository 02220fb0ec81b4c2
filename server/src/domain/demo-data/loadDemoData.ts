import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { geographyPoint } from '../../db/postgis.js';
import { withoutHistory } from '../history/actingAs.js';
import { originalHash } from '../translations/translatableFields.js';
import { type DemoData, type DemoService, readDemoData } from './demoDataFiles.js';

/**
 * A stable id for a demo record, so that reloading the demo data updates the
 * same rows (and links people shared keep working) instead of adding copies.
 */
export function demoId(...key: string[]): string {
  const hex = createHash('sha1')
    .update(['passerelle-demo', ...key].join('\u0000'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface DemoLoadCounts {
  alliances: number;
  organizations: number;
  services: number;
}

/**
 * Replaces a demo service's opening hours and translations with those of the
 * files: these rows have no natural key to update, and deleting first keeps a
 * reload from adding copies or keeping what the files no longer say.
 */
async function replaceScheduleAndTranslations(trx: Transaction<Database>, serviceId: string, service: DemoService) {
  await trx.deleteFrom('schedule').where('service_id', '=', serviceId).execute();
  if (service.openingHours) {
    await trx.insertInto('schedule').values({ service_id: serviceId, opening_hours: service.openingHours }).execute();
  }
  await trx.deleteFrom('translation').where('entity_type', '=', 'service').where('entity_id', '=', serviceId).execute();
  const translations = Object.entries(service.translations ?? {}).flatMap(([language, texts]) =>
    Object.entries(texts).map(([field, text]) => {
      const original = service[field as keyof typeof texts];
      return {
        entity_type: 'service' as const,
        entity_id: serviceId,
        field,
        language,
        text: text as string,
        // Written for the demonstration, not checked by a person who speaks the language: a machine draft.
        origin: 'machine' as const,
        source_hash: original ? originalHash(original) : null,
      };
    }),
  );
  if (translations.length > 0) await trx.insertInto('translation').values(translations).execute();
}

/**
 * Inserts or refreshes the demo alliances in one transaction. A load is not anybody's change: it leaves the
 * change log alone, which would otherwise fill with a row per record at every start.
 */
/**
 * When a demo service was last checked, so that the demonstration shows fresh, due and overdue services side by
 * side: one in ten never checked, the others between today and ten months before `loadedAt`, taken from the
 * service's stable id so that every load spreads them alike.
 */
export function demoCheck(
  serviceId: string,
  loadedAt: Date,
): { verified_at: Date | null; verified_via: 'import' | null } {
  const hex = serviceId.replace(/-/g, '');
  if (parseInt(hex.slice(0, 4), 16) % 10 === 0) return { verified_at: null, verified_via: null };
  const daysAgo = parseInt(hex.slice(4, 8), 16) % 300;
  return { verified_at: new Date(loadedAt.getTime() - daysAgo * 86_400_000), verified_via: 'import' };
}

export async function loadDemoData(
  db: Kysely<Database>,
  data: DemoData,
  loadedAt: Date = new Date(),
): Promise<DemoLoadCounts> {
  const counts: DemoLoadCounts = { alliances: 0, organizations: 0, services: 0 };
  await db.transaction().execute((transaction) =>
    withoutHistory(transaction, async (trx) => {
      const allianceIds = new Map<string, string>();
      for (const alliance of data.alliances) {
        const id = demoId('alliance', alliance.slug);
        allianceIds.set(alliance.slug, id);
        const boundaries = alliance.regions.map((code) => {
          const region = data.regions.get(code);
          if (!region) throw new Error(`Region ${code} of alliance ${alliance.slug} has no boundary file.`);
          return JSON.stringify(region.geometry);
        });
        const boundary = sql<string>`(select ST_Multi(ST_Union(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))))
        from unnest(${boundaries}::text[]) as g)`;
        const row = {
          id,
          slug: alliance.slug,
          name: alliance.name,
          country: alliance.country,
          description: alliance.description,
          languages: alliance.languages,
          timezone: alliance.timezone,
          boundary,
          // The finder tells newcomers that these details are examples.
          is_demo: true,
        };
        await trx
          .insertInto('alliance')
          .values(row)
          .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...row, updated_at: sql`now()` }))
          .execute();
        counts.alliances += 1;
      }

      for (const organization of data.organizations) {
        const allianceId = allianceIds.get(organization.alliance);
        if (!allianceId) {
          throw new Error(`Organisation "${organization.name}" names an unknown alliance "${organization.alliance}".`);
        }
        const organizationId = demoId('organization', organization.alliance, organization.name);
        const organizationRow = {
          id: organizationId,
          alliance_id: allianceId,
          name: organization.name,
          description: organization.description,
          website: organization.website,
          text_language: organization.language,
          member_role: 'member' as const,
        };
        await trx
          .insertInto('organization')
          .values(organizationRow)
          .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...organizationRow, updated_at: sql`now()` }))
          .execute();
        counts.organizations += 1;

        const { location } = organization;
        const locationId = demoId('location', organization.alliance, organization.name);
        const locationRow = {
          id: locationId,
          organization_id: organizationId,
          address_1: location.address ?? null,
          city: location.town,
          postal_code: location.postalCode ?? null,
          country: location.country,
          geog: geographyPoint(location.lon, location.lat),
          precision: location.precision,
          note: location.note,
          hide_address: location.hideAddress ?? false,
        };
        await trx
          .insertInto('location')
          .values(locationRow)
          .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...locationRow, updated_at: sql`now()` }))
          .execute();

        for (const service of organization.services) {
          const serviceId = demoId('service', organization.alliance, organization.name, service.category, service.name);
          const serviceRow = {
            id: serviceId,
            organization_id: organizationId,
            name: service.name,
            description: service.description,
            category: service.category,
            topics: service.topics,
            audiences: service.audiences,
            languages: service.languages,
            area_scope: service.serviceArea,
            url: organization.website,
            text_language: organization.language,
            free: service.free ?? null,
            fees_description: service.feesDescription ?? null,
            eligibility_description: service.eligibilityDescription ?? null,
            phone: service.phone ?? null,
          };
          await trx
            .insertInto('service')
            // The check date only on the first load: a reload keeps what editors confirmed since.
            .values({ ...serviceRow, ...demoCheck(serviceId, loadedAt) })
            .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...serviceRow, updated_at: sql`now()` }))
            .execute();
          await trx
            .insertInto('service_at_location')
            .values({ service_id: serviceId, location_id: locationId })
            .onConflict((conflict) => conflict.columns(['service_id', 'location_id']).doNothing())
            .execute();
          await replaceScheduleAndTranslations(trx, serviceId, service);
          counts.services += 1;
        }
      }
    }),
  );
  return counts;
}

/** Loads the demo data from `dataDir` when the database has no alliance yet. */
export async function loadDemoDataIfEmpty(db: Kysely<Database>, dataDir: string): Promise<DemoLoadCounts | undefined> {
  const existing = await db.selectFrom('alliance').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  return loadDemoData(db, await readDemoData(dataDir));
}
