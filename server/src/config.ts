import path from 'node:path';
import { type DatabaseTimeouts, defaultDatabaseTimeouts } from './db/timeouts.js';
import { type AccountRateLimits, readAccountRateLimits } from './plugins/rateLimits.js';
import { databaseUrlIn, embeddedDataDirIn, projectRoot } from './projectRoot.js';

export { projectRoot };

/** Where import files are kept when PASSERELLE_IMPORT_DIR does not say, and the default upload limit (60 MB). */
export const defaultImportDir = path.resolve(projectRoot, '.data/imports');
export const defaultImportMaxBytes = 60_000_000;
export const defaultPopulationMaxBytes = 2_000_000_000;
/** The largest OpenStreetMap extract an alliance may upload (a county's .osm.pbf is 20–200 MB). */
export const defaultRoadNetworkMaxBytes = 1_000_000_000;

export interface AppConfig {
  host: string;
  port: number;
  /** A PostgreSQL + PostGIS connection string; when absent the embedded database is used. */
  databaseUrl: string | undefined;
  /** How long the server-mode pool waits for the database before answering 503 (`db/database.ts`). */
  databaseTimeouts: DatabaseTimeouts;
  /** Where the embedded database keeps its files between restarts. */
  embeddedDataDir: string;
  /** Folder of the demo data (alliances, organisations, boundaries, base map). */
  dataDir: string;
  /** Folder of the built web front end served at `/`. */
  webDistDir: string;
  /** Optional online base map style; the built-in offline style is used when unset. */
  mapStyleUrl: string | undefined;
  /** Street tiles the deployment provides (a PMTiles file or a z/x/y.pbf folder), served same-origin. */
  basemapTiles?: string | undefined;
  /** Load the demo alliances on first start when the database is empty. */
  seedDemoData: boolean;
  logLevel: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** E-mail of the platform admin account created on first start, when there is no account yet. */
  adminEmail: string;
  /** That account's password; when unset one is generated and shown once. */
  adminPassword: string | undefined;
  /**
   * The address people open Passerelle at (e.g. https://passerelle.example.org), used in links sent by mail.
   * Never taken from a request's Host header, which anyone can set: a password reset mail must not point
   * elsewhere.
   */
  publicUrl: string | undefined;
  /** How often sign-in, reset requests and account links may be tried (`plugins/rateLimits.ts`). */
  accountRateLimits: AccountRateLimits;
  /**
   * Whose X-Forwarded-For to believe for the client's address (Fastify's `trustProxy`): the reverse proxies'
   * addresses or ranges, comma-separated. false: the connection's address is the client's. Without it behind a
   * proxy, every client would share the proxy's address, and so its rate limits.
   */
  trustProxy: string | false;
  /**
   * An address search service (Nominatim, Photon, Pelias, the French Base Adresse Nationale…) that editors may
   * use to place a pin from an address: a URL template whose `{query}` Passerelle fills in, e.g.
   * `https://nominatim.example.org/search?format=jsonv2&q={query}` (see `domain/geocoding`). Unset: no address
   * search, only pins placed on the map. Never used for the public finder: no newcomer's search goes there.
   */
  geocoderUrl: string | undefined;
  /** The User-Agent sent to the geocoder (Nominatim's usage policy asks for one that names the application). */
  geocoderUserAgent: string | undefined;
  /** The shortest time between two requests to the geocoder, in milliseconds. */
  geocoderMinIntervalMs: number;
  /**
   * A LibreTranslate-compatible machine-translation service (`TRANSLATOR_URL`, e.g. https://translate.example.org)
   * that drafts translations of organisations' and services' texts when an editor asks; `TRANSLATOR_API_KEY` is
   * sent as its `api_key`. Unset: no machine drafts, and no text is sent anywhere (see `domain/translations`).
   */
  translatorUrl: string | undefined;
  translatorApiKey: string | undefined;
  /** Where the files of imports are kept until their preview is committed, discarded or expires. */
  importDir: string;
  /** The most an import may upload, all its files together, in bytes (IMPORT_MAX_BYTES, 60 MB by default). */
  importMaxBytes: number;
  /** The largest population file (raster, grid or areas) an alliance may upload (POPULATION_MAX_BYTES, 2 GB by default). */
  populationMaxBytes: number;
  /** The largest OpenStreetMap extract an alliance may upload (ROAD_NETWORK_MAX_BYTES, 1 GB by default). */
  roadNetworkMaxBytes: number;
  /**
   * The mail server mails are sent through (`SMTP_URL`, e.g. `smtps://user:password@smtp.example.org` or
   * `smtp://relay.internal:25`), see `domain/mail`. Unset: mails stay in the `outbox` table for another program.
   */
  smtpUrl: string | undefined;
  /** The sender of the mails (`MAIL_FROM`); by default `Passerelle <no-reply@…>` with PUBLIC_URL's host name. */
  mailFrom: string;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number between 0 and 65535, not "${value}".`);
  }
  return port;
}

/** An http(s) address from the environment variable `name`, without a trailing slash; undefined when unset. */
function readWebAddress(name: string, example: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an address like ${example}, not "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${name} must start with https:// or http://, not "${value}".`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readGeocoderUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const example = 'https://nominatim.example.org/search?format=jsonv2&q={query}';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`GEOCODER_URL must be an address like ${example}, not "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`GEOCODER_URL must start with https:// or http://, not "${value}".`);
  }
  if (![...url.searchParams.values()].some((parameter) => parameter.includes('{query}'))) {
    throw new Error(`GEOCODER_URL must say where the searched address goes with {query}, as in ${example}.`);
  }
  return value;
}

function readMilliseconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`${name} must be a whole number of milliseconds, not "${value}".`);
  return ms;
}

function readDatabaseTimeouts(env: NodeJS.ProcessEnv): DatabaseTimeouts {
  const defaults = defaultDatabaseTimeouts;
  const statementMs = readMilliseconds(
    'DATABASE_STATEMENT_TIMEOUT_MS',
    env.DATABASE_STATEMENT_TIMEOUT_MS,
    defaults.statementMs,
  );
  // Unless set, the client waits 5 s longer than the server lets a statement run (no limit when that has none).
  const queryFallback = statementMs === 0 ? 0 : statementMs + defaults.queryMs - defaults.statementMs;
  return {
    statementMs,
    queryMs: readMilliseconds('DATABASE_QUERY_TIMEOUT_MS', env.DATABASE_QUERY_TIMEOUT_MS, queryFallback),
    connectMs: readMilliseconds('DATABASE_CONNECT_TIMEOUT_MS', env.DATABASE_CONNECT_TIMEOUT_MS, defaults.connectMs),
    idleInTransactionMs: readMilliseconds(
      'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      defaults.idleInTransactionMs,
    ),
  };
}

function readBytes(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < 1)
    throw new Error(`${name} must be a whole number of bytes, not "${value}".`);
  return bytes;
}

function readTrustProxy(value: string | undefined): string | false {
  if (!value || value === 'false') return false;
  // Trusting every sender would believe any X-Forwarded-For, which a client can write to escape the rate limits.
  if (value === 'true' || /^\d+$/.test(value)) {
    throw new Error(`TRUST_PROXY must name the proxy's addresses (e.g. "127.0.0.1" or "10.0.0.0/8"), not "${value}".`);
  }
  return value;
}

function readSmtpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const example = 'smtps://user:password@smtp.example.org';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SMTP_URL must be an address like ${example}, not "${value}".`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, as in ${example}.`);
  }
  return value;
}

/** MAIL_FROM, else a no-reply address at the host people open Passerelle at. */
function readMailFrom(value: string | undefined, publicUrl: string | undefined): string {
  if (value) return value;
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  return `Passerelle <no-reply@${host}>`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    host: env.HOST ?? '0.0.0.0',
    port: readPort(env.PORT),
    databaseUrl: databaseUrlIn(env),
    databaseTimeouts: readDatabaseTimeouts(env),
    embeddedDataDir: embeddedDataDirIn(env),
    dataDir: path.resolve(projectRoot, env.PASSERELLE_DATA_DIR ?? 'data'),
    webDistDir: path.resolve(projectRoot, 'web/dist'),
    mapStyleUrl: env.MAP_STYLE_URL || undefined,
    basemapTiles: env.BASEMAP_TILES ? path.resolve(projectRoot, env.BASEMAP_TILES) : undefined,
    seedDemoData: env.SEED_DEMO_DATA !== 'false',
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimit: 1024 * 1024,
    adminEmail: env.ADMIN_EMAIL || 'admin@passerelle.local',
    adminPassword: env.ADMIN_PASSWORD || undefined,
    publicUrl: readWebAddress('PUBLIC_URL', 'https://passerelle.example.org', env.PUBLIC_URL),
    accountRateLimits: readAccountRateLimits(env),
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    geocoderUrl: readGeocoderUrl(env.GEOCODER_URL),
    geocoderUserAgent: env.GEOCODER_USER_AGENT || undefined,
    geocoderMinIntervalMs: readMilliseconds('GEOCODER_MIN_INTERVAL_MS', env.GEOCODER_MIN_INTERVAL_MS, 1000),
    translatorUrl: readWebAddress('TRANSLATOR_URL', 'https://translate.example.org', env.TRANSLATOR_URL),
    translatorApiKey: env.TRANSLATOR_API_KEY || undefined,
    importDir: env.PASSERELLE_IMPORT_DIR ? path.resolve(projectRoot, env.PASSERELLE_IMPORT_DIR) : defaultImportDir,
    importMaxBytes: readBytes('IMPORT_MAX_BYTES', env.IMPORT_MAX_BYTES, defaultImportMaxBytes),
    populationMaxBytes: readBytes('POPULATION_MAX_BYTES', env.POPULATION_MAX_BYTES, defaultPopulationMaxBytes),
    roadNetworkMaxBytes: readBytes('ROAD_NETWORK_MAX_BYTES', env.ROAD_NETWORK_MAX_BYTES, defaultRoadNetworkMaxBytes),
    smtpUrl: readSmtpUrl(env.SMTP_URL),
    mailFrom: readMailFrom(
      env.MAIL_FROM,
      readWebAddress('PUBLIC_URL', 'https://passerelle.example.org', env.PUBLIC_URL),
    ),
  };
}
