import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, LocationPrecision, LocationTable } from '../../db/schema.js';
import { geographyPoint } from '../../db/postgis.js';
import type { UpdateOutcome } from '../history/staleVersion.js';
import { insertLocation } from '../organizations/organizationRepository.js';

/** A location as the people who edit it see it: the address even when the public does not. */
export interface LocationDetail {
  id: string;
  organizationId: string | null;
  name: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  /** Null while the place is not placed yet. */
  lat: number | null;
  lon: number | null;
  precision: LocationPrecision;
  /** Not placed yet, or put at its town by an import: someone should put its pin where it is. */
  needsPlace: boolean;
  hideAddress: boolean;
  note: string | null;
  version: number;
}

export interface LocationChange {
  name?: string | null;
  address?: string | null;
  city?: string | null;
  postalCode?: string | null;
  /** Given together with lon: the pin moves. */
  lat?: number;
  lon?: number;
  precision?: LocationPrecision;
  hideAddress?: boolean;
  note?: string | null;
}

/**
 * A new place of an organisation: where it is, and its address as the public may see it. Without lat and lon it is
 * not placed yet: it has no point, so no answer shows or measures it, until someone puts its pin.
 */
export interface NewLocation {
  lat?: number;
  lon?: number;
  name?: string | null;
  address?: string | null;
  town?: string | null;
  postalCode?: string | null;
  precision?: LocationPrecision;
  hideAddress?: boolean;
  note?: string | null;
}

/**
 * Gives the organisation a new place, in its alliance's country, in the caller's transaction (so that the change
 * log names who added it). Undefined when there is no such organisation.
 */
export async function createLocation(
  trx: Transaction<Database>,
  organizationId: string,
  place: NewLocation,
): Promise<string | undefined> {
  const organization = await trx
    .selectFrom('organization as o')
    .innerJoin('alliance as a', 'a.id', 'o.alliance_id')
    .select(sql<string>`trim(a.country)`.as('country'))
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!organization) return undefined;
  return insertLocation(trx, organizationId, { ...place, country: organization.country });
}

export async function findLocation(db: Kysely<Database>, id: string): Promise<LocationDetail | undefined> {
  return db
    .selectFrom('location as l')
    .select([
      'l.id',
      'l.organization_id as organizationId',
      'l.name',
      'l.address_1 as address',
      'l.city',
      'l.postal_code as postalCode',
      sql<number | null>`ST_Y(l.geog::geometry)`.as('lat'),
      sql<number | null>`ST_X(l.geog::geometry)`.as('lon'),
      'l.precision',
      'l.needs_place as needsPlace',
      'l.hide_address as hideAddress',
      'l.note',
      'l.version',
    ])
    .where('l.id', '=', id)
    .executeTakeFirst();
}

/**
 * The alliance a location belongs to: its organisation's, or for a location without one, that of a service
 * offered there. Undefined when there is no such location.
 */
export async function allianceOfLocation(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('location as l')
    .select(
      sql<string | null>`coalesce(
        (select o.alliance_id from organization o where o.id = l.organization_id),
        (select o.alliance_id from service_at_location sal
           join service s on s.id = sal.service_id
           join organization o on o.id = s.organization_id
         where sal.location_id = l.id limit 1))`.as('allianceId'),
    )
    .where('l.id', '=', id)
    .executeTakeFirst();
  return row?.allianceId ?? undefined;
}

/** Changes the given fields if the location is still at `version`, in one compare-and-update statement. */
export async function updateLocation(
  trx: Transaction<Database>,
  id: string,
  version: number,
  change: LocationChange,
): Promise<UpdateOutcome> {
  const columns: Updateable<LocationTable> = {
    name: change.name,
    address_1: change.address,
    city: change.city,
    postal_code: change.postalCode,
    precision: change.precision,
    hide_address: change.hideAddress,
    note: change.note,
  };
  const set: Updateable<LocationTable> = Object.fromEntries(
    Object.entries(columns).filter(([, value]) => value !== undefined),
  );
  const moved = change.lat !== undefined && change.lon !== undefined;
  const updated = await trx
    .updateTable('location')
    .set({
      ...set,
      // A pin moved by hand is where the place is: an import's "needs a place" mark (put at its town) is done.
      ...(moved ? { geog: geographyPoint(change.lon!, change.lat!), needs_place: false } : {}),
      // A pin put on a place that had none is where the place is, unless the caller says how precise it is.
      ...(moved && change.precision === undefined
        ? { precision: sql<LocationPrecision>`case when geog is null then 'exact' else precision end` }
        : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) return 'updated';
  const exists = await trx.selectFrom('location').select('id').where('id', '=', id).executeTakeFirst();
  return exists ? 'stale' : 'missing';
}

/**
 * What deleting a location did: deleted it (with its links to services and its opening hours), found no such
 * location, or kept it because it is the only place of some services, named here.
 */
export type LocationDeletion =
  { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'onlyPlace'; serviceNames: string[] };

/**
 * Deletes the location unless a service offered there is offered nowhere else: such a service would vanish from
 * the map, the finder and the gap analysis without anyone deciding so. The links to the other services and the
 * location's opening hours go with it (on delete cascade), and the change log keeps them all for a restore.
 */
export async function deleteLocation(trx: Transaction<Database>, id: string): Promise<LocationDeletion> {
  // Locking the location waits for a link to it being added now; locking its services waits for a change of
  // their places, so that two places of one service deleted at once cannot both pass the check below.
  const location = await trx.selectFrom('location').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!location) return { outcome: 'missing' };
  await trx
    .selectFrom('service as s')
    .innerJoin('service_at_location as sal', 'sal.service_id', 's.id')
    .select('s.id')
    .where('sal.location_id', '=', id)
    .forUpdate('s')
    .execute();
  const stranded = await trx
    .selectFrom('service as s')
    .innerJoin('service_at_location as sal', 'sal.service_id', 's.id')
    .select('s.name')
    .where('sal.location_id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('service_at_location as other')
            .select('other.id')
            .whereRef('other.service_id', '=', 's.id')
            .where('other.location_id', '<>', id),
        ),
      ),
    )
    .orderBy('s.name')
    .execute();
  if (stranded.length > 0) return { outcome: 'onlyPlace', serviceNames: stranded.map((row) => row.name) };
  await trx.deleteFrom('location').where('id', '=', id).execute();
  return { outcome: 'deleted' };
}

/** Why a place is in the "needs a precise place" list: no point at all, or only its town's. */
export type PlaceToPlaceState = 'unplaced' | 'town';

/** A place of the alliance whose pin someone should put where it is, with who offers what there. */
export interface PlaceToPlace {
  id: string;
  name: string | null;
  address: string | null;
  town: string | null;
  postalCode: string | null;
  /** Null while unplaced. */
  lat: number | null;
  lon: number | null;
  state: PlaceToPlaceState;
  /** Brought by an import (which could not find it) or typed in the workspace. */
  origin: 'import' | 'typed';
  organization: { id: string; name: string };
  services: { id: string; name: string }[];
  version: number;
}

/**
 * The alliance's places left unplaced, at town precision, or marked by an import as needing a place: unplaced
 * first, then by organisation. Exact points and addresses: only the alliance's members read this list.
 */
export async function placesToPlace(db: Kysely<Database>, allianceId: string): Promise<PlaceToPlace[]> {
  const rows = await db
    .selectFrom('location as l')
    .innerJoin('organization as o', 'o.id', 'l.organization_id')
    .select([
      'l.id',
      'l.name',
      'l.address_1 as address',
      'l.city as town',
      'l.postal_code as postalCode',
      sql<number | null>`ST_Y(l.geog::geometry)`.as('lat'),
      sql<number | null>`ST_X(l.geog::geometry)`.as('lon'),
      sql<PlaceToPlaceState>`case when l.geog is null then 'unplaced' else 'town' end`.as('state'),
      sql<'import' | 'typed'>`case when l.import_source_id is not null then 'import' else 'typed' end`.as('origin'),
      'o.id as organizationId',
      'o.name as organizationName',
      sql<{ id: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name, s.id)
        from service_at_location sal join service s on s.id = sal.service_id
        where sal.location_id = l.id), '[]'::json)`.as('services'),
      'l.version',
    ])
    .where('o.alliance_id', '=', allianceId)
    .where(sql<boolean>`(l.geog is null or l.needs_place or l.precision = 'town')`)
    .orderBy(sql`l.geog is null`, 'desc')
    .orderBy('o.name')
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
  return rows.map(({ organizationId, organizationName, ...row }) => ({
    ...row,
    organization: { id: organizationId, name: organizationName },
  }));
}
