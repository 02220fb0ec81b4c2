import type { FastifyInstance } from 'fastify';
import { writeArrayBuffer } from 'geotiff';
import { expect } from 'vitest';
import { multipart } from './importRecords.js';
import { adminHeaders } from './testApp.js';

/**
 * A GeoTIFF as TIFF 6.0 and the GeoTIFF keys define it, written by the geotiff package: 32-bit floats, one strip,
 * ModelTiepoint + ModelPixelScale, GDAL_NODATA.
 */
export function geoTiff(
  values: number[],
  options: { width: number; height: number; origin: [number, number]; cell: number; keys?: Record<string, unknown> },
): Buffer {
  const metadata = {
    width: options.width,
    height: options.height,
    ModelPixelScale: [options.cell, options.cell, 0],
    ModelTiepoint: [0, 0, 0, options.origin[0], options.origin[1], 0],
    GDAL_NODATA: '-99999',
    BitsPerSample: [32],
    SampleFormat: [3],
    ...(options.keys ?? { GeographicTypeGeoKey: 4326 }),
  };
  return Buffer.from(writeArrayBuffer(new Float32Array(values), metadata as never));
}

/** Uploads a population file for an alliance, as a coordinator does, and answers the preview's response. */
export function uploadPopulationFile(
  app: FastifyInstance,
  alliance: string,
  name: string,
  content: Buffer | string,
  fields: Record<string, string> = {},
) {
  const body = multipart([{ name, content }], fields);
  return app.inject({
    method: 'POST',
    url: `/api/alliances/${alliance}/population-surface/uploads`,
    payload: body.payload,
    headers: { ...adminHeaders, ...body.headers },
  });
}

/**
 * Uploads, previews and imports a population file for an alliance; answers the preview and the surface once the
 * import has ended.
 */
export async function importPopulationFile(
  app: FastifyInstance,
  alliance: string,
  name: string,
  content: Buffer | string,
  populationField?: string,
) {
  const previewed = await uploadPopulationFile(app, alliance, name, content);
  expect(previewed.statusCode, previewed.body).toBe(201);
  const preview = previewed.json();
  const started = await app.inject({
    method: 'POST',
    url: `/api/alliances/${alliance}/population-surface`,
    payload: { uploadId: preview.uploadId, ...(populationField ? { populationField } : {}) },
    headers: adminHeaders,
  });
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().status).toBe('importing');
  return { preview, surface: await waitForPopulationSurface(app, started.json().id) };
}

/** The population surface `id` once its import has ended (active or failed). */
export async function waitForPopulationSurface(app: FastifyInstance, id: string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const surface = (await app.inject({ url: `/api/population-surfaces/${id}` })).json();
    if (surface.status !== 'importing') return surface;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Import ${id} did not finish`);
}

/** Removes the active population surface of an alliance, as a coordinator does; answers the response. */
export function removePopulationSurface(app: FastifyInstance, alliance: string) {
  return app.inject({ method: 'DELETE', url: `/api/alliances/${alliance}/population-surface`, headers: adminHeaders });
}
