import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ScheduleRegion } from './openIntervals.js';

/** What an alliance says about where its opening hours are read. */
export interface AllianceClock {
  timezone: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Whose public holidays apply where they differ within the country (see holidayStates.ts); none elsewhere. */
  holidayState?: string | null;
}

/**
 * The region in which the alliance's opening hours are read: its time zone and its country's public holidays, or its
 * state's where they differ (a German Land, a British nation: see holidayStates.ts).
 */
export function scheduleRegionOf(alliance: AllianceClock): ScheduleRegion {
  const region: ScheduleRegion = { timeZone: alliance.timezone, countryCode: alliance.country.trim() };
  return alliance.holidayState ? { ...region, state: alliance.holidayState } : region;
}

/** The schedule region of an alliance, by id; undefined when there is no such alliance. */
export async function findScheduleRegion(
  db: Kysely<Database>,
  allianceId: string,
): Promise<ScheduleRegion | undefined> {
  const alliance = await db
    .selectFrom('alliance')
    .select(['timezone', 'country', 'holiday_state as holidayState'])
    .where('id', '=', allianceId)
    .executeTakeFirst();
  return alliance && scheduleRegionOf(alliance);
}
