import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of the repository, so that paths work whatever the working directory. This module is two folders down
 * from it both in the sources (`server/src/`) and in the server bundle `npm start` runs (`server/dist/`, see
 * scripts/start/serverBundle.mjs), where it is inlined into one of the bundle's files.
 */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The PostgreSQL server to use (DATABASE_URL); the embedded database when there is none. */
export function databaseUrlIn(env: NodeJS.ProcessEnv): string | undefined {
  return env.DATABASE_URL || undefined;
}

/** Where the embedded database keeps its files between restarts (PASSERELLE_DB_DIR, `.data/pglite` by default). */
export function embeddedDataDirIn(env: NodeJS.ProcessEnv): string {
  return path.resolve(projectRoot, env.PASSERELLE_DB_DIR ?? '.data/pglite');
}

/** Where the embedded database keeps files it makes once and reuses (the trimmed PostGIS bundle). */
export const defaultBundleCacheDir = path.join(projectRoot, '.data/cache');
