import { type Kysely, sql } from 'kysely';
import type { CategoryId, Database, LocationPrecision } from '../../db/schema.js';
import { latitudeOf, longitudeOf } from '../../db/postgis.js';
import { webAddressOrNull } from '#contract/links/webAddress.js';
import { visiblePrecision } from '../locations/hiddenAddresses.js';
import { calendarDateAt } from '../schedules/wallClock.js';
import { type OpenInterval, openIntervals, type Period } from '../schedules/openIntervals.js';
import { scheduleRegionOf } from '../schedules/scheduleRegion.js';
import { openingHoursNote } from '../schedules/scheduleNotes.js';
import { type TranslatableField, translatableFields } from '../translations/translatableFields.js';
import { allianceBoundingBox } from '../geocoding/geocodingArea.js';
import { worldTowns } from '../towns/worldTowns.js';
import type { BasemapTown } from './basemapTowns.js';
import { directoryPeriod, openingDays } from './directoryPeriod.js';
import { addDays } from '../closures/closureRules.js';
import { applyClosures } from '../closures/closedDays.js';
import { closuresOverlapping } from '../closures/closureRepository.js';
import { type DirectoryPlace, mergePlaces } from './directoryPlaces.js';

export interface DirectoryAlliance {
  id: string;
  slug: string;
  name: string;
  country: string;
  languages: string[];
  timezone: string;
  /** Not public: only for reading opening hours. */
  holidayState: string | null;
  bbox: [number, number, number, number] | null;
  demo: boolean;
}

/** A translated text, with who wrote it and whether a person checked it: the finder labels unchecked machine text. */
export interface TranslatedText {
  text: string;
  origin: 'human' | 'machine';
  reviewState: 'machine-draft' | 'reviewed';
}

export type TranslatedTexts = Partial<Record<TranslatableField, TranslatedText>>;

export interface DirectoryService {
  id: string;
  serviceId: string;
  name: string;
  organizationName: string;
  description: string | null;
  textLanguage: string;
  translations: Record<string, TranslatedTexts>;
  category: CategoryId;
  topics: string[];
  audiences: string[];
  languages: string[];
  free: boolean | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  applicationProcess: string | null;
  openingHoursNote: string | null;
  phone: string | null;
  email: string | null;
  url: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  lat: number;
  lon: number;
  precision: LocationPrecision;
  addressHidden: boolean;
  openingHours: string | null;
  openIntervals: OpenInterval[] | null;
  /** The closure in force on the first day listed, else the next one that starts within the days listed. */
  closure: DirectoryClosure | null;
  /** When a person last checked the service (ISO instant), and that month in the region's calendar (YYYY-MM). */
  verifiedAt: string | null;
  checkedMonth: string | null;
}

/** A temporary closure, or exceptional hours, as the finder shows it (days in the region's calendar). */
export interface DirectoryClosure {
  startsOn: string;
  endsOn: string;
  reopensOn: string;
  /** Exceptional hours on those days; null: closed. */
  openingHours: string | null;
  note: string | null;
}

export interface Directory {
  alliance: Omit<DirectoryAlliance, 'id' | 'holidayState'>;
  generatedAt: string;
  openFrom: string;
  openUntil: string;
  places: DirectoryPlace[];
  services: DirectoryService[];
}

/** How far out to sea a town of the base map may lie and still count as in the region (see townsInRegion). */
const coastToleranceM = 3000;

/** The alliance a directory is asked for, by slug. */
export async function findDirectoryAlliance(
  db: Kysely<Database>,
  slug: string,
): Promise<DirectoryAlliance | undefined> {
  return db
    .selectFrom('alliance as a')
    .select([
      'a.id',
      'a.slug',
      'a.name',
      sql<string>`trim(a.country)`.as('country'),
      'a.languages',
      'a.timezone',
      'a.holiday_state as holidayState',
      sql<DirectoryAlliance['bbox']>`
        case when a.boundary is null then null
        else json_build_array(ST_XMin(a.boundary), ST_YMin(a.boundary), ST_XMax(a.boundary), ST_YMax(a.boundary)) end`.as(
        'bbox',
      ),
      'a.is_demo as demo',
    ])
    .where('a.slug', '=', slug)
    .executeTakeFirst();
}

/** The API name of each translatable field of a service, with the name its translations are stored under. */
const serviceFieldNames = sql.join(
  Object.entries(translatableFields.service).map(([field, stored]) => sql`(${field}, ${stored})`),
);

/** One row per active service at one location of the alliance, with its schedule and translations. */
async function serviceRows(db: Kysely<Database>, allianceId: string, timeZone: string) {
  return (
    db
      .selectFrom('service_at_location as sal')
      .innerJoin('service as s', 's.id', 'sal.service_id')
      .innerJoin('location as l', 'l.id', 'sal.location_id')
      .innerJoin('organization as o', 'o.id', 's.organization_id')
      .select([
        'sal.id',
        's.id as serviceId',
        's.name',
        'o.name as organizationName',
        's.description',
        's.text_language as textLanguage',
        's.category',
        's.topics',
        's.audiences',
        's.languages',
        's.free',
        's.fees_description as feesDescription',
        's.eligibility_description as eligibilityDescription',
        's.application_process as applicationProcess',
        openingHoursNote(sql.ref('s.id')).as('openingHoursNote'),
        's.phone',
        sql<string | null>`to_char(s.verified_at at time zone ${timeZone}, 'YYYY-MM')`.as('checkedMonth'),
        's.verified_at as verifiedAt',
        // A service without its own contact is reached through its organisation's.
        sql<string | null>`coalesce(s.email, o.email)`.as('email'),
        's.url as serviceUrl',
        'o.website as organizationWebsite',
        'l.address_1 as address',
        'l.city',
        'l.postal_code as postalCode',
        // The public point: a hidden address's is rounded (see schema.ts), the same in every answer.
        latitudeOf(sql.ref('sal.geog')).as('lat'),
        longitudeOf(sql.ref('sal.geog')).as('lon'),
        visiblePrecision('l', sql.lit(false)).as('precision'),
        'l.hide_address as addressHidden',
        // Hours kept for this location win over the service's hours everywhere.
        sql<string | null>`(
        select sc.opening_hours from schedule sc
        where sc.service_id = s.id and (sc.location_id = l.id or sc.location_id is null) and sc.opening_hours is not null
        order by sc.location_id is null, sc.id
        limit 1)`.as('openingHours'),
        sql<Record<string, TranslatedTexts>>`(
        select coalesce(json_object_agg(by_language.language, by_language.texts), '{}'::json)
        from (
          select t.language, json_object_agg(f.field, json_build_object(
            'text', t.text, 'origin', t.origin, 'reviewState', t.review_state)) as texts
          from translation t
          join (values ${serviceFieldNames}) as f(field, stored) on f.stored = t.field
          where t.entity_type = 'service' and t.entity_id = s.id
          group by t.language
        ) as by_language)`.as('translations'),
      ])
      .where('o.alliance_id', '=', allianceId)
      .where('s.status', '=', 'active')
      // A place not placed yet has no point to find or rank: the finder lists it once someone places it.
      .where('sal.geog', 'is not', null)
      .orderBy('s.name')
      .orderBy('sal.id')
      .execute()
  );
}

/**
 * The base map's towns that lie in the alliance's region, or on its coast: the
 * generalised coastlines put some harbour towns (Helsingborg, Landskrona) just
 * at sea, and the base map keeps towns within 3 km of a region for that reason.
 */
async function townsInRegion(db: Kysely<Database>, allianceId: string, towns: BasemapTown[]): Promise<BasemapTown[]> {
  if (towns.length === 0) return [];
  const { rows } = await sql<BasemapTown>`
    select t.name, t.lat, t.lon
    from json_to_recordset(${JSON.stringify(towns)}::json) as t(name text, lat float8, lon float8)
    cross join lateral (select ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) as point) as p
    join alliance a on a.id = ${allianceId}
    where ST_Covers(a.boundary, p.point)
      or ST_DWithin(a.boundary::geography, p.point::geography, ${coastToleranceM})`.execute(db);
  return rows;
}

/** Towns a newcomer may choose in a region outside the demo: as on the demo's base map, of 5,000 inhabitants or more. */
const worldTownMinPopulation = 5000;
/** A choice among more would not help anyone; the biggest are kept. */
const maxWorldTowns = 200;

/** The worldwide list's towns in the box of the alliance's boundary (townsInRegion keeps those in the region). */
async function worldTownsOfRegion(db: Kysely<Database>, allianceId: string): Promise<BasemapTown[]> {
  const box = await allianceBoundingBox(db, allianceId);
  if (!box) return [];
  return (await worldTowns())
    .inBox(box, { limit: maxWorldTowns, minPopulation: worldTownMinPopulation })
    .map(({ name, lat, lon }) => ({ name, lat, lon }));
}

/**
 * The towns of the alliance's locations, each at the centre of its published
 * locations. A town known only from hidden addresses is placed at the centre
 * of their public points (rounded to 0.01°, about a kilometre), which says the
 * town, not the door.
 */
async function townsOfLocations(db: Kysely<Database>, allianceId: string): Promise<BasemapTown[]> {
  const { rows } = await sql<BasemapTown>`
    select l.city as name,
      coalesce(avg(ST_Y(l.geog::geometry)) filter (where not l.hide_address),
               avg(ST_Y(public_point(l.geog, true)::geometry))) as lat,
      coalesce(avg(ST_X(l.geog::geometry)) filter (where not l.hide_address),
               avg(ST_X(public_point(l.geog, true)::geometry))) as lon
    from location l
    join organization o on o.id = l.organization_id
    where o.alliance_id = ${allianceId} and l.city is not null and trim(l.city) <> '' and l.geog is not null
    group by l.city
    order by l.city`.execute(db);
  return rows;
}

export interface DirectoryOptions {
  /** The base map's towns, the candidates for places. */
  towns: BasemapTown[];
  /** The first day (YYYY-MM-DD, in the region) of the opening times; today in the region by default. */
  day?: string;
  now?: Date;
}

/**
 * The public directory of one alliance, as the newcomers' finder downloads it
 * (see routes/directory/schemas.ts). A hidden address leaves nothing that
 * would find the door: no street, no postal code (a Dutch one names a street),
 * and its public point (rounded to 0.01°, at town precision), the one every
 * other answer and the near-me search give.
 */
export async function buildDirectory(
  db: Kysely<Database>,
  alliance: DirectoryAlliance,
  { towns, day, now = new Date() }: DirectoryOptions,
): Promise<Directory> {
  const firstDay = day ?? calendarDateAt(now, alliance.timezone);
  const lastDay = addDays(firstDay, openingDays - 1);
  const period = directoryPeriod(firstDay, alliance.timezone);
  const [rows, closures, fileTowns, locationTowns] = await Promise.all([
    serviceRows(db, alliance.id, alliance.timezone),
    closuresOverlapping(db, alliance.id, firstDay, lastDay),
    townsInRegion(db, alliance.id, towns),
    townsOfLocations(db, alliance.id),
  ]);
  // A region the data folder's base map does not cover (outside the demo) takes its towns from the worldwide list.
  const regionTowns =
    fileTowns.length > 0 ? fileTowns : await townsInRegion(db, alliance.id, await worldTownsOfRegion(db, alliance.id));
  const places = mergePlaces(regionTowns, locationTowns, alliance.languages[0] ?? 'en');

  // The region's holidays and clocks: `PH off` means 14 July in Bordeaux and St Patrick's Day in Roscommon.
  const region = scheduleRegionOf(alliance);
  const intervalsByHours = new Map<string, OpenInterval[] | null>();
  const intervalsOf = (hours: string) => {
    if (!intervalsByHours.has(hours)) {
      let intervals: OpenInterval[] | null;
      try {
        intervals = openIntervals(hours, region, period);
      } catch {
        // Hours written before they were checked, or whose holidays the library does not know in this region:
        // shown as written, with no times worked out.
        intervals = null;
      }
      intervalsByHours.set(hours, intervals);
    }
    return intervalsByHours.get(hours) ?? null;
  };

  const closureHoursDuring = (hours: string, days: Period) => {
    try {
      return openIntervals(hours, region, days);
    } catch {
      return null;
    }
  };

  const services = rows.map(({ serviceUrl, organizationWebsite, verifiedAt, ...row }): DirectoryService => {
    const serviceClosures = closures.get(row.serviceId) ?? [];
    const usual = row.openingHours === null ? null : intervalsOf(row.openingHours);
    const [closure] = serviceClosures;
    const service: DirectoryService = {
      ...row,
      url: webAddressOrNull(serviceUrl) ?? webAddressOrNull(organizationWebsite),
      openIntervals: applyClosures(
        usual,
        serviceClosures,
        { firstDay, lastDay, timeZone: alliance.timezone },
        closureHoursDuring,
      ),
      closure: closure
        ? {
            startsOn: closure.startsOn,
            endsOn: closure.endsOn,
            reopensOn: closure.reopensOn,
            openingHours: closure.openingHours,
            note: closure.note,
          }
        : null,
      verifiedAt: verifiedAt ? verifiedAt.toISOString() : null,
    };
    return row.addressHidden ? { ...service, address: null, postalCode: null } : service;
  });

  const { id: _id, holidayState: _holidayState, ...publicAlliance } = alliance;
  return {
    alliance: publicAlliance,
    generatedAt: now.toISOString(),
    openFrom: period.from.toISOString(),
    openUntil: period.to.toISOString(),
    places,
    services,
  };
}
