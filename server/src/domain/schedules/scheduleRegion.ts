import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ScheduleRegion } from './openIntervals.js';

/** What an alliance says about where its opening hours are read. */
export interface AllianceClock {
  timezone: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/**
 * The region in which the alliance's opening hours are read: its time zone and its country's public holidays. No
 * state is known for an alliance yet; the national holidays of the demo regions' countries (France, Ireland, the
 * Netherlands, Sweden) need none.
 */
export function scheduleRegionOf(alliance: AllianceClock): ScheduleRegion {
  return { timeZone: alliance.timezone, countryCode: alliance.country.trim() };
}

/** The schedule region of an alliance, by id; undefined when there is no such alliance. */
export async function findScheduleRegion(
  db: Kysely<Database>,
  allianceId: string,
): Promise<ScheduleRegion | undefined> {
  const alliance = await db
    .selectFrom('alliance')
    .select(['timezone', 'country'])
    .where('id', '=', allianceId)
    .executeTakeFirst();
  return alliance && scheduleRegionOf(alliance);
}
