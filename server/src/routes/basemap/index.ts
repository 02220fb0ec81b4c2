import { gunzipSync } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CountryLayers, type CountryLayerName } from '../../domain/basemap/countryLayers.js';
import { GlyphRanges, streetFontStack } from '../../domain/basemap/glyphRanges.js';
import { openVectorTileArchive, type VectorTileArchive } from '../../domain/basemap/vectorTileArchive.js';
import { labelMinPopulation, worldTowns } from '../../domain/towns/worldTowns.js';
import { errorResponses } from '../commonSchemas.js';
import { badRequest, notFound } from '../notFound.js';
import { FilterError, parseBbox } from '../services/index.js';
import { TownBoxQuery, TownPoints } from './schemas.js';
import { codedFrom, said } from '../../domain/messages/userError.js';

const FeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

/**
 * The layers of the built-in offline base map: the countries, a file read once and sent as it is (it changes only
 * with a new release of the data), and the town labels of a box, from the worldwide town list.
 */
export const basemapRoutes: FastifyPluginAsyncTypebox<{
  dataDir: string;
  /** The street tiles (`BASEMAP_TILES`): a PMTiles file or a folder of z/x/y.pbf; unset, no street map. */
  tilesPath?: string;
}> = async (app, { dataDir, tilesPath }) => {
  const countries = new CountryLayers(dataDir);

  /**
   * A country layer, compressed once (brotli once it is made, else gzip) and sent as it is, with an ETag: a map that has it
   * already gets a 304. The address carries no version, so the answer is cached for a day, then revalidated.
   */
  const sendCountries = async (name: CountryLayerName, request: FastifyRequest, reply: FastifyReply) => {
    const layer = await countries.layer(name);
    reply
      .type('application/geo+json')
      .header('cache-control', 'public, max-age=86400, stale-while-revalidate=604800')
      .header('etag', layer.etag)
      .header('vary', 'accept-encoding');
    const known = String(request.headers['if-none-match'] ?? '');
    if (known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === layer.etag)) {
      return reply.code(304).send();
    }
    const accepted = String(request.headers['accept-encoding'] ?? '');
    if (layer.brotli && /\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(layer.brotli);
    if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(layer.gzip);
    // The file is already GeoJSON text: sent as it is, not parsed and serialised again.
    return reply.serializer((payload: unknown) => payload as string).send(layer.text);
  };
  const notModified = { description: 'The map already has this version (If-None-Match).', type: 'null' };

  app.get(
    '/basemap/countries.geojson',
    {
      schema: {
        tags: ['basemap'],
        summary: 'World countries for the offline base map, in detail (from zoom 4)',
        description:
          'Natural Earth 1:50m countries (about 470 kB gzipped). Maps load it only once zoomed in to 4 or more; ' +
          'below that, `countries-low.geojson` draws the same land.',
        security: [],
        response: { 200: FeatureCollection, 304: notModified, ...errorResponses },
      },
    },
    (request, reply) => sendCountries('detailed', request, reply),
  );

  app.get(
    '/basemap/countries-low.geojson',
    {
      schema: {
        tags: ['basemap'],
        summary: 'World countries for the offline base map, simplified for zooms 0–3',
        description:
          'The same countries, outlines simplified to 0.1° and islands under 0.1 square degree left out (about 58 ' +
          'kB gzipped), made from the detailed layer when first asked for: land that a map can paint at once.',
        security: [],
        response: { 200: FeatureCollection, 304: notModified, ...errorResponses },
      },
    },
    (request, reply) => sendCountries('lowZoom', request, reply),
  );

  app.get(
    '/basemap/towns.geojson',
    {
      schema: {
        tags: ['basemap'],
        summary: 'Town labels of a box for the offline base map',
        description:
          'GeoNames towns (1,000 inhabitants or more, worldwide) in the box, biggest first, at most `limit`. The ' +
          'further out the zoom, the bigger a town must be: 1,000,000 inhabitants below zoom 4, 300,000 at 4, ' +
          '100,000 at 5, 30,000 at 6, 10,000 at 7, 3,000 at 8, every town from 9.',
        security: [],
        querystring: TownBoxQuery,
        response: { 200: TownPoints, ...errorResponses },
      },
    },
    async (request, reply) => {
      let box;
      try {
        box = parseBbox(request.query.bbox);
      } catch (error) {
        if (error instanceof FilterError) return badRequest(reply, codedFrom(error));
        throw error;
      }
      const towns = (await worldTowns()).inBox(box, {
        limit: request.query.limit,
        minPopulation: labelMinPopulation(request.query.zoom),
      });
      return reply
        .type('application/geo+json')
        .header('cache-control', 'public, max-age=86400')
        .send({
          type: 'FeatureCollection' as const,
          features: towns.map(({ name, population, country, lat, lon }) => ({
            type: 'Feature' as const,
            properties: { name, population, country },
            geometry: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] },
          })),
        });
    },
  );

  await app.register(glyphRoutes);
  if (tilesPath) {
    const archive = await openVectorTileArchive(tilesPath);
    app.addHook('onClose', () => archive.close());
    await app.register(streetTileRoutes, { archive });
  }
};

const binary = (description: string, mediaType: string) => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
});
const noTile = { description: 'No tile here: nothing to draw (the sea, empty land).', type: 'null' };
const mvtType = 'application/vnd.mapbox-vector-tile';

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 24 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.String({ pattern: '^[0-9]{1,8}\\.mvt$', description: 'The row, then `.mvt`.' }),
});

const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  attribution: Type.Optional(Type.String()),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String()),
  bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  vector_layers: Type.Array(
    Type.Object(
      {
        id: Type.String(),
        fields: Type.Record(Type.String(), Type.String()),
        minzoom: Type.Optional(Type.Integer()),
        maxzoom: Type.Optional(Type.Integer()),
      },
      { additionalProperties: true },
    ),
  ),
});

/** Sends stored bytes as they are when the client takes gzip, as every browser does; unzipped otherwise. */
function sendMaybeGzipped(request: FastifyRequest, reply: FastifyReply, data: Buffer, gzipped: boolean) {
  if (!gzipped) return reply.send(data);
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(data);
  }
  return reply.header('vary', 'accept-encoding').send(gunzipSync(data));
}

/** The street tiles, same-origin, and their TileJSON. */
const streetTileRoutes: FastifyPluginAsyncTypebox<{ archive: VectorTileArchive }> = async (app, { archive }) => {
  const { info } = archive;

  app.get(
    '/basemap/tiles.json',
    {
      schema: {
        tags: ['basemap'],
        summary: 'TileJSON of the street base map (BASEMAP_TILES): extent, zoom levels and layers',
        security: [],
        response: { 200: TileJson, ...errorResponses },
      },
    },
    async (request, reply) => {
      // Absolute, because MapLibre reads the tile addresses in a worker that has no page to resolve them against.
      const origin = `${request.protocol}://${request.host}`;
      reply.header('cache-control', 'public, max-age=3600').header('vary', 'host');
      return {
        tilejson: '3.0.0' as const,
        name: info.name,
        attribution: info.attribution,
        scheme: 'xyz' as const,
        tiles: [`${origin}/api/basemap/tiles/{z}/{x}/{y}.mvt`],
        bounds: info.bounds,
        minzoom: info.minzoom,
        maxzoom: info.maxzoom,
        vector_layers: info.vectorLayers,
      };
    },
  );

  app.get(
    '/basemap/tiles/:z/:x/:y',
    {
      schema: {
        tags: ['basemap'],
        summary: 'One vector tile of the street base map (Mapbox Vector Tile, gzipped as stored)',
        security: [],
        params: TileParams,
        response: { 200: binary('A Mapbox Vector Tile.', mvtType), 204: noTile, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { z, x } = request.params;
      const y = Number.parseInt(request.params.y, 10);
      if (x >= 2 ** z || y >= 2 ** z) {
        return badRequest(reply, said('basemap.tile-out-of-range', { z, max: 2 ** z - 1 }));
      }
      if (z > info.maxzoom) {
        return notFound(reply, said('basemap.beyond-max-zoom', { maxZoom: info.maxzoom }));
      }
      const tile = z < info.minzoom ? undefined : await archive.tile(z, x, y);
      reply.header('cache-control', 'public, max-age=86400');
      if (!tile) return reply.code(204).send();
      return sendMaybeGzipped(request, reply.type(mvtType), tile.data, tile.gzipped);
    },
  );
};

const GlyphParams = Type.Object({
  fontstack: Type.String({
    maxLength: 200,
    description: 'Font names, comma-separated, as a MapLibre style names them.',
  }),
  range: Type.String({ pattern: '^[0-9]{1,5}-[0-9]{1,5}\\.pbf$', description: 'As `0-255.pbf`.' }),
});

/** The street map's label glyphs, made from fonts installed with the app: no font server. */
const glyphRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const glyphs = new GlyphRanges();
  app.get(
    '/basemap/fonts/:fontstack/:range',
    {
      schema: {
        tags: ['basemap'],
        summary: `Label glyphs of the street base map (${streetFontStack}), 256 characters a file`,
        security: [],
        params: GlyphParams,
        response: {
          200: binary('Signed distance field glyphs (protocol buffer).', 'application/x-protobuf'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { fontstack, range } = request.params;
      const [start, end] = range.slice(0, -'.pbf'.length).split('-').map(Number) as [number, number];
      if (start % 256 !== 0 || end !== start + 255 || end > 65535) {
        return badRequest(reply, said('basemap.glyph-range'));
      }
      if (!fontstack.split(',').some((font) => font.trim() === streetFontStack)) {
        return notFound(reply, said('basemap.unknown-font', { font: streetFontStack }));
      }
      const data = await glyphs.range(start);
      return reply.type('application/x-protobuf').header('cache-control', 'public, max-age=604800').send(data);
    },
  );
};
