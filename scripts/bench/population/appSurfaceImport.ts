import type { Kysely } from 'kysely';
import type { Database } from '../../../server/src/db/schema.js';
import type { Slicing } from '../../../server/src/domain/gap-analysis/batchSizer.js';
import { openPopulationFile } from '../../../server/src/domain/population/populationFiles.js';
import { createSurface, runSurfaceImport } from '../../../server/src/domain/population/populationSurfaces.js';

/**
 * A population file imported as the application imports an upload (openPopulationFile, createSurface,
 * runSurfaceImport, cut into statements by `slicing`), made the alliance's active surface; throws unless it is.
 * Returns the surface and how many cells were read.
 */
export async function importSurfaceAsApplication(
  db: Kysely<Database>,
  values: { allianceId: string; file: string; fileName: string; slicing: Slicing },
): Promise<{ surfaceId: string; read: number }> {
  const opened = await openPopulationFile(values.file, values.fileName);
  const surfaceId = await createSurface(db, {
    allianceId: values.allianceId,
    accountId: null,
    sourceName: values.fileName,
    description: opened.description,
  });
  await runSurfaceImport(db, surfaceId, opened, {
    slicing: values.slicing,
    onUnexpectedError: (error) => console.error(error),
  });
  const surface = await db
    .selectFrom('population_surface')
    .select(['status', 'error', 'cells_read'])
    .where('id', '=', surfaceId)
    .executeTakeFirstOrThrow();
  if (surface.status !== 'active') throw new Error(`The import ended ${surface.status}: ${surface.error}`);
  return { surfaceId, read: Number(surface.cells_read) };
}
