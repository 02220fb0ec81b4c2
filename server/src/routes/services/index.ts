import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { resolveAllianceId } from '../../domain/alliances/allianceRepository.js';
import { webAddressProblem } from '../webAddressProblem.js';
import { checkOpeningHours } from '../../domain/schedules/openIntervals.js';
import { findScheduleRegion } from '../../domain/schedules/scheduleRegion.js';
import { findNeed, type NeedId } from '#contract/taxonomy/needs.js';
import type { Bbox, ServiceFilters } from '../../domain/services/serviceFilters.js';
import { changeAs } from '../../domain/history/actingAs.js';
import { staleVersionMessage } from '../../domain/history/staleVersion.js';
import { allianceOfOrganization } from '../../domain/organizations/organizationRepository.js';
import {
  allianceOfService,
  createService,
  deleteService,
  findService,
  listServices,
  locationIdsOfOrganization,
  locationsOwnedElsewhere,
  nearbyServices,
  servicePointPages,
  type ServiceListItem,
  updateService,
} from '../../domain/services/serviceRepository.js';
import { errorResponses, IdParams, writeErrorResponses } from '../commonSchemas.js';
import { badRequest, nothingToChange, notFound } from '../notFound.js';
import { allianceOfRecordInPath, allianceResolver, changeAuthor, conflict, pointReader } from '../workspaceRouting.js';
import {
  NearbyQuery,
  NearbyService,
  ServiceCreateBody,
  ServiceDetail,
  ServiceFeatureCollection,
  ServiceListQuery,
  ServicePage,
  ServicePointsQuery,
  ServiceTileParams,
  ServiceTileQuery,
  ServiceUpdateBody,
} from './schemas.js';
import { etagMatches, mapEtag, mapVersion } from '../../domain/services/mapVersion.js';
import {
  MAX_TILE_ZOOM,
  POINTS_FROM_ZOOM,
  serviceTile,
  serviceTileWithVersion,
  tileInRange,
} from '../../domain/services/serviceTiles.js';
import { serviceTileCacheOf } from '../../domain/services/serviceTileCache.js';
import { type CodedMessage, codedFrom, said, UserError } from '../../domain/messages/userError.js';

export class FilterError extends UserError {
  constructor(
    override readonly statusCode: 400 | 404,
    message: CodedMessage,
  ) {
    super(statusCode, message);
  }
}

/** Checks a "west,south,east,north" box beyond what the pattern can say. */
export function parseBbox(text: string): Bbox {
  const [west, south, east, north] = text.split(',').map(Number) as Bbox;
  const valid =
    [west, south, east, north].every(Number.isFinite) &&
    west >= -180 &&
    east <= 180 &&
    west < east &&
    south >= -90 &&
    north <= 90 &&
    south < north;
  if (!valid) {
    throw new FilterError(400, said('services.bbox-invalid', { bbox: text }));
  }
  return [west, south, east, north];
}

async function toServiceFilters(
  db: Kysely<Database>,
  query: {
    alliance?: string;
    category?: ServiceFilters['category'];
    topic?: string;
    language?: string;
    need?: NeedId;
    bbox?: string;
    notCheckedForMonths?: number;
  },
): Promise<ServiceFilters> {
  const filters: ServiceFilters = {
    category: query.category,
    topic: query.topic,
    language: query.language,
    need: query.need && findNeed(query.need),
    notCheckedForMonths: query.notCheckedForMonths,
  };
  if (query.bbox) filters.bbox = parseBbox(query.bbox);
  if (query.alliance) {
    filters.allianceId = await resolveAllianceId(db, query.alliance);
    if (!filters.allianceId) throw new FilterError(404, said('not-found.alliance', { alliance: query.alliance }));
  }
  return filters;
}

const notModified = { description: 'Not modified: the ETag sent in If-None-Match is still current.', type: 'null' };
const mvtType = 'application/vnd.mapbox-vector-tile';
const mvtResponse = {
  description: 'A Mapbox Vector Tile (empty when no service is in the tile).',
  content: { [mvtType]: { schema: { type: 'string', format: 'binary' } } },
};

/**
 * Sets the ETag and its cache rule on a map answer, and says whether the client's copy is still current (then
 * the caller answers 304). Private: what a reader sees of hidden addresses depends on who they are.
 */
function revalidate(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'cookie, authorization');
  return etagMatches(request.headers['if-none-match'], etag);
}

function sendFilterError(reply: FastifyReply, error: unknown) {
  if (!(error instanceof FilterError)) throw error;
  return error.statusCode === 404 ? notFound(reply, codedFrom(error)) : badRequest(reply, codedFrom(error));
}

/** A map point's GeoJSON Feature, its members in the order of ServiceFeatureCollection's schema. */
function serviceFeature(service: ServiceListItem) {
  const location = service.location!;
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [location.lon, location.lat] },
    properties: {
      id: service.id,
      name: service.name,
      category: service.category,
      organizationName: service.organization.name,
      precision: location.precision,
      town: location.town,
      age: service.age,
      dueOn: service.dueOn,
      verifiedAt: service.verifiedAt,
    },
  };
}

/**
 * The text of a GeoJSON FeatureCollection (ServiceFeatureCollection), in pieces: its opening and the first page
 * (already read), then one piece a page of services as they are read, then its end.
 */
async function* featureCollectionText(
  firstPage: IteratorResult<ServiceListItem[]>,
  nextPages: AsyncIterator<ServiceListItem[]>,
): AsyncGenerator<string> {
  const features = (page: ServiceListItem[]) => page.map((service) => JSON.stringify(serviceFeature(service)));
  yield `{"type":"FeatureCollection","features":[${firstPage.done ? '' : features(firstPage.value).join(',')}`;
  try {
    if (!firstPage.done) {
      for (let page = await nextPages.next(); !page.done; page = await nextPages.next()) {
        yield `,${features(page.value).join(',')}`;
      }
    }
    yield ']}';
  } finally {
    // A client gone midway: the pages are read no further.
    await nextPages.return?.(undefined);
  }
}

const serviceNotFound = (id: string) => said('not-found.service', { id });

export const serviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * The alliance ids the tiles were asked by (slug or id → id), for this application's database, so that an uncached
   * tile costs one statement: each use is checked by that statement (`allianceHolds`), and a name that no longer
   * holds is forgotten and read afresh.
   */
  const tileAllianceIds = new Map<string, string>();
  const rememberAlliance = (named: string, allianceId: string) => {
    if (tileAllianceIds.size >= 1000) tileAllianceIds.clear();
    tileAllianceIds.set(named, allianceId);
  };
  /** Opening hours are checked in the alliance's region, whose holidays `PH` means, as the directory reads them. */
  const openingHoursProblem = async (openingHours: string, allianceId: string) => {
    const region = await findScheduleRegion(app.db, allianceId);
    return region ? checkOpeningHours(openingHours, region) : null;
  };
  const serviceAlliance = allianceOfRecordInPath((id) => allianceOfService(app.db, id), serviceNotFound);
  const organizationInBody = allianceResolver(async (request) => {
    const { organizationId } = request.body as { organizationId: string };
    const allianceId = await allianceOfOrganization(app.db, organizationId);
    return allianceId ? { allianceId } : { notFound: said('not-found.organization', { id: organizationId }) };
  });

  app.get(
    '/services',
    {
      schema: {
        tags: ['services'],
        summary: 'Services, filtered and paginated, sorted by name',
        querystring: ServiceListQuery,
        response: { 200: ServicePage, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { limit, offset, ...query } = request.query;
      try {
        const filters = await toServiceFilters(app.db, query);
        return await listServices(app.db, filters, { limit, offset }, await pointReader(app.db, request));
      } catch (error) {
        return sendFilterError(reply, error);
      }
    },
  );

  app.get(
    '/services.geojson',
    {
      schema: {
        tags: ['services'],
        summary: 'Every matching service as a GeoJSON point, for map layers',
        querystring: ServicePointsQuery,
        response: { 200: ServiceFeatureCollection, 304: notModified, ...errorResponses },
      },
    },
    async (request, reply) => {
      let filters: ServiceFilters;
      try {
        filters = await toServiceFilters(app.db, request.query);
      } catch (error) {
        return sendFilterError(reply, error);
      }
      const reader = await pointReader(app.db, request);
      const version = await mapVersion(app.db, filters.allianceId);
      const etag = mapEtag({ kind: 'geojson', version, query: request.query, reader });
      if (revalidate(request, reply, etag)) return reply.code(304).send(null);
      reply.type('application/geo+json');
      // Written page by page as the pages are read; the stream asks for the next page only once the previous
      // one is on its way (at most one page waits in memory), and stops reading when the client goes away. The
      // first page is read before anything is sent, so that a failing database still gets its 503 (and a
      // small answer, one page, is whole before it is sent).
      const pages = servicePointPages(app.db, filters, reader);
      const first = await pages.next();
      return reply.send(Readable.from(featureCollectionText(first, pages), { highWaterMark: 1 }));
    },
  );

  app.get(
    '/tiles/services/:z/:x/:y',
    {
      schema: {
        tags: ['services'],
        summary: 'The matching services of one map tile, as a Mapbox Vector Tile',
        description:
          'Layer `services`, extent 4096. From zoom 12, one point a service (`id`, `name`, `category`, `age`, ' +
          '`precision`), at its first placed location as the GeoJSON has it; below zoom 12, one point a cell of an ' +
          '8 × 8 grid of the tile, at the mean of its services, with `count` and `category:<id>` counts. The same ' +
          'filters and the same reading of hidden addresses as `services.geojson`. With an ETag: send it in ' +
          '`If-None-Match` for a 304 while the services of the scope have not changed.',
        params: ServiceTileParams,
        querystring: ServiceTileQuery,
        response: { 200: mvtResponse, 304: notModified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { z, x } = request.params;
      const y = Number.parseInt(request.params.y, 10);
      const tile = { z, x, y };
      if (!tileInRange(tile)) {
        return badRequest(reply, said('basemap.tile-out-of-range', { z, max: 2 ** Math.min(z, MAX_TILE_ZOOM) - 1 }));
      }
      const reader = await pointReader(app.db, request);
      const etagOf = (version: string) =>
        mapEtag({ kind: 'tile', version, query: { ...request.query, z, x, y }, reader });
      const filtersOf = async (remembered: boolean): Promise<ServiceFilters | undefined> => {
        const named = request.query.alliance;
        const known = remembered && named !== undefined ? tileAllianceIds.get(named) : undefined;
        try {
          if (known === undefined) {
            const filters = await toServiceFilters(app.db, request.query);
            if (named !== undefined && filters.allianceId) rememberAlliance(named, filters.allianceId);
            return filters;
          }
          return { ...(await toServiceFilters(app.db, { ...request.query, alliance: undefined })), allianceId: known };
        } catch (error) {
          await sendFilterError(reply, error);
          return undefined;
        }
      };
      let data: Uint8Array;
      if (z < POINTS_FROM_ZOOM) {
        // A low-zoom tile groups up to every service of the scope: built once a version of the scope's data and
        // kept (serviceTileCache.ts). The version first, then the tile: a tile is never older than its version.
        const filters = await filtersOf(false);
        if (!filters) return reply;
        const version = await mapVersion(app.db, filters.allianceId);
        if (revalidate(request, reply, etagOf(version))) return reply.code(304).send(null);
        // An aggregated tile holds counts, no age: only the filter on the last check reads the date.
        const now = filters.notCheckedForMonths === undefined ? new Date(0) : undefined;
        const key = mapEtag({ kind: 'tile', version, query: { ...request.query, z, x, y }, reader, now });
        data = await serviceTileCacheOf(app.db).tile({ scope: filters.allianceId ?? '*', version, key }, () =>
          serviceTile(app.db, app.database.mode, { filters, reader, tile }),
        );
      } else if (request.headers['if-none-match']) {
        // A copy to revalidate: the alliance read afresh, the version alone first, often all there is to read.
        const filters = await filtersOf(false);
        if (!filters) return reply;
        if (revalidate(request, reply, etagOf(await mapVersion(app.db, filters.allianceId)))) {
          return reply.code(304).send(null);
        }
        data = await serviceTile(app.db, app.database.mode, { filters, reader, tile });
      } else {
        // No copy: the version and the tile in one statement, with the alliance's id as remembered from its slug
        // (server mode), which the statement checks; when it no longer holds, once more with the alliance read afresh.
        const remembered = app.database.mode === 'server';
        let filters = await filtersOf(remembered);
        if (!filters) return reply;
        let answer = await serviceTileWithVersion(app.db, app.database.mode, {
          filters,
          reader,
          tile,
          allianceNamed: remembered ? request.query.alliance : undefined,
        });
        if (!answer.allianceHolds) {
          tileAllianceIds.delete(request.query.alliance!);
          filters = await filtersOf(false);
          if (!filters) return reply;
          answer = await serviceTileWithVersion(app.db, app.database.mode, { filters, reader, tile });
        }
        revalidate(request, reply, etagOf(answer.version));
        data = answer.tile;
      }
      return reply.type(mvtType).send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );

  app.get(
    '/services/nearby',
    {
      schema: {
        tags: ['services'],
        summary: 'Service locations near a point, nearest first, with geodesic distance',
        description:
          'The position is used for this query only: it is neither stored nor logged. One item per service at a location.',
        querystring: NearbyQuery,
        response: { 200: Type.Object({ items: Type.Array(NearbyService) }), ...errorResponses },
      },
    },
    async (request) => {
      const { lat, lon, radius_m: radiusM, limit, category, language, need } = request.query;
      return {
        items: await nearbyServices(app.db, {
          lat,
          lon,
          radiusM,
          limit,
          category,
          language,
          need: need && findNeed(need),
        }),
      };
    },
  );

  app.get(
    '/services/:id',
    {
      schema: {
        tags: ['services'],
        summary: 'One service with its organisation and locations',
        params: IdParams,
        response: { 200: ServiceDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await allianceOfService(app.db, id);
      const service =
        allianceId && (await findService(app.db, id, { forMembers: await request.can(allianceId, 'read') }));
      if (!service) return notFound(reply, serviceNotFound(id));
      return service;
    },
  );

  app.post(
    '/services',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', organizationInBody.resolve),
      schema: {
        tags: ['services'],
        summary: "Create a service (editors of the organisation's alliance)",
        body: ServiceCreateBody,
        response: { 201: ServiceDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const problem =
        webAddressProblem({ url: body.url }) ??
        (body.openingHours
          ? await openingHoursProblem(body.openingHours, await organizationInBody.allianceId(request))
          : null);
      if (problem) return badRequest(reply, problem);
      const foreign = await locationsOwnedElsewhere(app.db, body.organizationId, body.locationIds ?? []);
      if (foreign.length > 0) {
        return badRequest(reply, said('input.location-of-other-organization', { id: foreign[0]! }));
      }
      const locationIds = body.locationIds ?? (await locationIdsOfOrganization(app.db, body.organizationId));
      const allianceId = await organizationInBody.allianceId(request);
      const id = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        createService(trx, { ...body, locationIds }),
      );
      return reply.code(201).send((await findService(app.db, id, { forMembers: true }))!);
    },
  );

  app.patch(
    '/services/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', serviceAlliance.resolve),
      schema: {
        tags: ['services'],
        summary: 'Change some fields of a service (send the version it was read at; 409 when changed since)',
        params: IdParams,
        body: ServiceUpdateBody,
        response: { 200: ServiceDetail, ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { version, ...changes } = request.body;
      if (Object.keys(changes).length === 0) return badRequest(reply, nothingToChange);
      const allianceId = await serviceAlliance.allianceId(request);
      const problem =
        webAddressProblem({ url: changes.url }) ??
        (changes.openingHours ? await openingHoursProblem(changes.openingHours, allianceId) : null);
      if (problem) return badRequest(reply, problem);
      if (changes.locationIds) {
        const organization = await app.db
          .selectFrom('service')
          .select('organization_id')
          .where('id', '=', id)
          .executeTakeFirst();
        const foreign = organization
          ? await locationsOwnedElsewhere(app.db, organization.organization_id, changes.locationIds)
          : [];
        if (foreign.length > 0)
          return badRequest(reply, said('input.location-of-other-organization', { id: foreign[0]! }));
      }
      const outcome = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) =>
        updateService(trx, id, version, changes),
      );
      if (outcome === 'missing') return notFound(reply, serviceNotFound(id));
      if (outcome === 'stale') {
        return conflict(
          reply,
          await staleVersionMessage(app.db, { entityType: 'service', entityId: id, noun: 'service' }),
        );
      }
      return (await findService(app.db, id, { forMembers: true }))!;
    },
  );

  app.delete(
    '/services/:id',
    {
      onRequest: app.requireSignedIn,
      preHandler: app.requirePermission('edit', serviceAlliance.resolve),
      schema: {
        tags: ['services'],
        summary: 'Delete a service (it can be restored from the history)',
        params: IdParams,
        response: { 204: Type.Null(), ...writeErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const allianceId = await serviceAlliance.allianceId(request);
      const deleted = await changeAs(app.db, await changeAuthor(request, allianceId), (trx) => deleteService(trx, id));
      if (!deleted) return notFound(reply, serviceNotFound(id));
      return reply.code(204).send(null);
    },
  );
};
