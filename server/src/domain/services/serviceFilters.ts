import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { CategoryId, Database } from '../../db/schema.js';
import { envelope } from '../../db/postgis.js';
import type { Need } from '#contract/taxonomy/needs.js';
import { notCheckedForCondition } from '../freshness/updateCycles.js';

export type Bbox = [west: number, south: number, east: number, north: number];

export interface ServiceFilters {
  allianceId?: string;
  category?: CategoryId;
  topic?: string;
  language?: string;
  need?: Need;
  bbox?: Bbox;
  /** Only services not checked within this many months (never checked included), on their region's calendar. */
  notCheckedForMonths?: number;
  /** The instant `notCheckedForMonths` counts back from. */
  now?: Date;
}

/**
 * Whether the service whose category and topics are in these columns meets the
 * need: the SQL twin of `serviceMeetsNeed`. The need's lists travel as array
 * parameters, so every need gives the same SQL text.
 */
export function meetsNeed(categoryColumn: string, topicsColumn: string, need: Need): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(categoryColumn)} = any(${[...need.categories]}::text[])
    or ${sql.ref(topicsColumn)} && ${[...need.topics]}::text[])`;
}

type ServiceQuery = SelectQueryBuilder<
  Database & { s: Database['service']; o: Database['organization'] },
  's' | 'o',
  object
>;

/** Narrows a query over services `s` joined to organisations `o` by the given filters. */
export function applyServiceFilters<Q extends ServiceQuery>(query: Q, filters: ServiceFilters): Q {
  let filtered = query as ServiceQuery;
  if (filters.allianceId) filtered = filtered.where('o.alliance_id', '=', filters.allianceId);
  if (filters.category) filtered = filtered.where('s.category', '=', filters.category);
  if (filters.topic) filtered = filtered.where(sql<boolean>`${filters.topic} = any(s.topics)`);
  if (filters.language) filtered = filtered.where(sql<boolean>`${filters.language} = any(s.languages)`);
  if (filters.need) filtered = filtered.where(meetsNeed('s.category', 's.topics', filters.need));
  if (filters.notCheckedForMonths !== undefined) {
    const timeZone = sql`(select tz.timezone from alliance tz where tz.id = o.alliance_id)`;
    filtered = filtered.where(
      notCheckedForCondition(
        { verifiedAt: sql.ref('s.verified_at'), timeZone },
        filters.notCheckedForMonths,
        filters.now,
      ),
    );
  }
  const { bbox } = filters;
  if (bbox) {
    filtered = filtered.where((eb: ExpressionBuilder<Database & { s: Database['service'] }, 's'>) =>
      eb.exists(
        eb
          .selectFrom('service_at_location as sal')
          .select(sql`1`.as('one'))
          .whereRef('sal.service_id', '=', 's.id')
          .where(sql<boolean>`ST_Intersects(sal.geog::geometry, ${envelope(...bbox)})`),
      ),
    );
  }
  return filtered as Q;
}
