import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  type AppConfig,
  defaultImportDir,
  defaultImportMaxBytes,
  defaultPopulationMaxBytes,
  defaultRoadNetworkMaxBytes,
} from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { authPlugin } from './plugins/auth.js';
import { backgroundTasksPlugin } from './plugins/backgroundTasks.js';
import { mailWorkPlugin } from './plugins/mailWork.js';
import { databasePlugin } from './plugins/database.js';
import { requestValidation, type SchemaCompilation } from './plugins/requestValidation.js';
import { errorsPlugin } from './plugins/errors.js';
import { nulCharactersPlugin } from './plugins/nulCharacters.js';
import { rateLimitsPlugin } from './plugins/rateLimits.js';
import { securityHeadersPlugin } from './plugins/securityHeaders.js';
import { swaggerPlugin } from './plugins/swagger.js';
import { pageConfigScript, webAppPlugin } from './plugins/webApp.js';
import { authRoutes } from './routes/auth/index.js';
import { memberRoutes } from './routes/members/index.js';
import { historyRoutes } from './routes/history/index.js';
import { locationRoutes } from './routes/locations/index.js';
import { geocodingRoutes } from './routes/geocoding/index.js';
import { geocoderSettingsOf } from './domain/geocoding/geocode.js';
import { actionPlanRoutes } from './routes/action-plan/index.js';
import { swotRoutes } from './routes/swot/index.js';
import { charterRoutes } from './routes/charter/index.js';
import { profileRoutes } from './routes/profile/index.js';
import { allianceRoutes } from './routes/alliances/index.js';
import { basemapRoutes } from './routes/basemap/index.js';
import { townRoutes } from './routes/towns/index.js';
import { categoryRoutes } from './routes/categories/index.js';
import { directoryRoutes } from './routes/directory/index.js';
import { exportRoutes } from './routes/exports/index.js';
import { gapAnalysisRoutes } from './routes/gap-analyses/index.js';
import { healthRoutes } from './routes/health/index.js';
import { hsdsRoutes } from './routes/hsds/index.js';
import { importRoutes } from './routes/imports/index.js';
import type { OpenImportReader } from './domain/imports/readerAdapter.js';
import { organizationRoutes } from './routes/organizations/index.js';
import { populationSurfaceRoutes } from './routes/population-surfaces/index.js';
import { travelTimeRoutes } from './routes/travel-times/index.js';
import { roadNetworkRoutes } from './routes/road-networks/index.js';
import { reportRoutes } from './routes/reports/index.js';
import { selfServiceRoutes } from './routes/self-service/index.js';
import { serviceRoutes } from './routes/services/index.js';
import { closureRoutes } from './routes/closures/index.js';
import { freshnessRoutes } from './routes/freshness/index.js';
import { translationRoutes } from './routes/translations/index.js';
import { mailRoutes } from './routes/mail/index.js';

export interface BuildAppOptions {
  config: Pick<AppConfig, 'dataDir' | 'webDistDir' | 'mapStyleUrl' | 'bodyLimit' | 'logLevel'> &
    Partial<
      Pick<
        AppConfig,
        | 'publicUrl'
        | 'geocoderUrl'
        | 'geocoderUserAgent'
        | 'geocoderMinIntervalMs'
        | 'translatorUrl'
        | 'translatorApiKey'
        | 'accountRateLimits'
        | 'trustProxy'
        | 'importDir'
        | 'importMaxBytes'
        | 'populationMaxBytes'
        | 'roadNetworkMaxBytes'
        | 'basemapTiles'
        | 'smtpUrl'
        | 'mailFrom'
      >
    >;
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
  /** The import file readers, replaced in tests by records built in the test. */
  openImportReader?: OpenImportReader;
  /**
   * The instant the directory counts its "today" from (the first day it lists opening times for by default, and the
   * year around it it accepts): the machine's clock, set in tests that read fixed days.
   */
  clock?: () => Date;
  /**
   * When the routes' schemas are compiled: all at start (the default, so that a schema Ajv cannot compile stops the
   * build), or each when a request first needs it (`npm start`: a shorter restart, see plugins/requestValidation.ts).
   */
  schemaCompilation?: SchemaCompilation;
}

/** Invitation and password reset links carry their secret in the path: the log keeps `[token]` instead. */
const linkTokenInPath = /^(\/api\/(?:invitations|auth\/password-reset)\/)[^/]+/;

/**
 * The request log keeps the path but never the query string: "near me" queries carry a person's position,
 * which must not be written anywhere. Nor does it keep the token of a link, which lets its holder choose a
 * password or join an alliance.
 */
export const requestSerializers = {
  req(request: { method: string; url: string; id: string }) {
    const path = request.url.split('?')[0]!.replace(linkTokenInPath, '$1[token]');
    return { method: request.method, path, id: request.id };
  },
};

/** Builds the application without listening, so tests can inject requests into it. */
export async function buildApp({
  config,
  database,
  logger,
  openImportReader,
  schemaCompilation,
  clock = () => new Date(),
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? {
      level: config.logLevel,
      serializers: requestSerializers,
      // Readable lines for a person at a terminal; JSON lines for log collectors everywhere else.
      ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production'
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
            },
          }
        : {}),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy ?? false,
    // Fastify's default router would accept `/api/services/` and `/api/services` alike; keep it.
    routerOptions: { ignoreTrailingSlash: true },
    ...requestValidation(schemaCompilation),
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errorsPlugin);
  await app.register(securityHeadersPlugin, {
    publicUrl: config.publicUrl,
    mapStyleUrl: config.mapStyleUrl,
    inlineScripts: [pageConfigScript(config)],
  });
  await app.register(nulCharactersPlugin);
  await app.register(databasePlugin, { database });
  await app.register(backgroundTasksPlugin);
  await app.register(mailWorkPlugin, {
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    publicUrl: config.publicUrl,
  });
  await app.register(authPlugin);
  await app.register(rateLimitsPlugin, { limits: config.accountRateLimits });
  await app.register(swaggerPlugin);
  await app.register(compress, { global: true, threshold: 2048 });

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(categoryRoutes);
      await api.register(allianceRoutes);
      await api.register(directoryRoutes, { dataDir: config.dataDir, clock });
      await api.register(organizationRoutes);
      await api.register(serviceRoutes);
      await api.register(closureRoutes);
      await api.register(reportRoutes);
      await api.register(freshnessRoutes);
      await api.register(basemapRoutes, { dataDir: config.dataDir, tilesPath: config.basemapTiles });
      await api.register(townRoutes);
      await api.register(gapAnalysisRoutes, { dataDir: config.dataDir });
      await api.register(authRoutes, { publicUrl: config.publicUrl });
      await api.register(memberRoutes, { publicUrl: config.publicUrl });
      await api.register(selfServiceRoutes, { publicUrl: config.publicUrl });
      await api.register(locationRoutes);
      await api.register(geocodingRoutes, { geocoder: geocoderSettingsOf(config) });
      await api.register(historyRoutes);
      await api.register(actionPlanRoutes);
      await api.register(swotRoutes);
      await api.register(charterRoutes);
      await api.register(profileRoutes);
      await api.register(importRoutes, {
        importDir: config.importDir ?? defaultImportDir,
        maxBytes: config.importMaxBytes ?? defaultImportMaxBytes,
        geocoder: geocoderSettingsOf(config),
        openReader: openImportReader,
      });
      await api.register(exportRoutes);
      await api.register(populationSurfaceRoutes, {
        uploadDir: path.join(config.importDir ?? defaultImportDir, 'population'),
        maxBytes: config.populationMaxBytes ?? defaultPopulationMaxBytes,
      });
      await api.register(travelTimeRoutes);
      await api.register(roadNetworkRoutes, {
        uploadDir: path.join(config.importDir ?? defaultImportDir, 'road-networks'),
        maxBytes: config.roadNetworkMaxBytes ?? defaultRoadNetworkMaxBytes,
      });
      await api.register(hsdsRoutes);
      await api.register(translationRoutes, {
        translator: config.translatorUrl ? { url: config.translatorUrl, apiKey: config.translatorApiKey } : undefined,
      });
      await api.register(mailRoutes, { smtpUrl: config.smtpUrl, publicUrl: config.publicUrl });
    },
    { prefix: '/api' },
  );

  await app.register(webAppPlugin, { webDistDir: config.webDistDir, pageConfig: config });
  return app;
}
