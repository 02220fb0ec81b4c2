import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Places in Bordeaux the browser tests' geocoder knows, answered in the Base Adresse Nationale's GeoJSON: every
 * query containing "Pey Berland" finds them, any other finds nothing. `address` and `precision` are what
 * Passerelle should read from them.
 */
export const fakeGeocoderPlaces = [
  {
    label: '5 Place Pey Berland 33000 Bordeaux',
    address: '5 Place Pey Berland',
    precision: 'exact',
    lat: 44.8378,
    lon: -0.5772,
    properties: { housenumber: '5', street: 'Place Pey Berland', postcode: '33000', city: 'Bordeaux' },
  },
  {
    label: 'Place Pey Berland 33000 Bordeaux',
    address: 'Place Pey Berland',
    precision: 'street',
    lat: 44.8381,
    lon: -0.5778,
    properties: { name: 'Place Pey Berland', type: 'street', postcode: '33000', city: 'Bordeaux' },
  },
  {
    label: 'Rue Pey Berland 33000 Bordeaux',
    address: 'Rue Pey Berland',
    precision: 'street',
    lat: 44.8371,
    lon: -0.5791,
    properties: { name: 'Rue Pey Berland', type: 'street', postcode: '33000', city: 'Bordeaux' },
  },
];

/** A geocoder on a free loopback port, so that the browser tests need no network: GEOCODER_URL is its `urlTemplate`. */
export async function startFakeGeocoder(): Promise<{ urlTemplate: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('q') ?? '';
    const places = /pey berland/i.test(query) ? fakeGeocoderPlaces : [];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        type: 'FeatureCollection',
        features: places.map(({ label, lat, lon, properties }) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { label, ...properties },
        })),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlTemplate: `http://127.0.0.1:${port}/search/?q={query}&limit={limit}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
