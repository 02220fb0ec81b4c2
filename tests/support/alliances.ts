import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** west, south, east, north in degrees. */
export type Box = readonly [number, number, number, number];

/** Creates, through the API, an alliance whose boundary is the rectangle `box`; answers its id. */
export async function createAllianceOverBox(
  app: FastifyInstance,
  headers: Record<string, string>,
  slug: string,
  [west, south, east, north]: Box,
  place: { name?: string; country: string; timezone: string; languages: string[] },
): Promise<string> {
  const ring = [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];
  const created = await app.inject({
    method: 'POST',
    url: '/api/alliances',
    headers,
    payload: { slug, name: `Test alliance — ${slug}`, ...place, boundary: { type: 'Polygon', coordinates: [ring] } },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id as string;
}
