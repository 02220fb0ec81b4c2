import { type RawBuilder, sql } from 'kysely';
import type { LocationPrecision } from '../../db/schema.js';

/**
 * Who reads a location's point. A hidden address (shelters, women's services) is exact for the members of its
 * alliance only — every alliance for a platform admin —; anyone else reads its public point, the exact point rounded
 * to 0.01° by the database's `public_point` (the same point `service_at_location.geog` holds), at town precision,
 * without street or postal code.
 */
export interface PointReader {
  memberOf: 'every' | readonly string[];
}

/** Someone who is a member of no alliance. */
export const publicReader: PointReader = { memberOf: [] };

/** Whether the reader sees the exact places of the alliance whose id is in `allianceColumn`. */
export function readsExactly(reader: PointReader, allianceColumn: string): RawBuilder<boolean> {
  if (reader.memberOf === 'every') return sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(allianceColumn)} = any(${[...reader.memberOf]}::uuid[]))`;
}

const hidden = (location: string) => sql.ref(`${location}.hide_address`);

/** The location's point as the reader may see it (`exact`: from readsExactly, or a member's `sql.lit(true)`). */
export function visiblePoint(location: string, exact: RawBuilder<boolean>): RawBuilder<string> {
  const geog = sql.ref(`${location}.geog`);
  return sql<string>`(case when ${exact} or not ${hidden(location)} then ${geog} else public_point(${geog}, true) end)`;
}

/** The location's precision as the reader may see it: a hidden address is a town-level place for the public. */
export function visiblePrecision(location: string, exact: RawBuilder<boolean>): RawBuilder<LocationPrecision> {
  return sql<LocationPrecision>`(case when ${exact} or not ${hidden(location)}
    then ${sql.ref(`${location}.precision`)} else 'town' end)`;
}

/** An address column (street, postal code) as the reader may see it: null for the public when it is hidden. */
export function visibleAddressPart(
  location: string,
  column: string,
  exact: RawBuilder<boolean>,
): RawBuilder<string | null> {
  return sql<string | null>`(case when ${exact} or not ${hidden(location)}
    then ${sql.ref(`${location}.${column}`)} end)`;
}
