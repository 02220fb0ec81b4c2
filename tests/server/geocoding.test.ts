import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { placesInGeocoderAnswer } from '../../server/src/domain/geocoding/geocoderAnswer.js';
import { geocoderSearchUrl } from '../../server/src/domain/geocoding/geocoderUrl.js';
import { signedInAs, type TestActor } from '../support/accounts.js';
import { miniDataDir, useTestApp } from '../support/testApp.js';
import { databaseModes } from '../support/testDatabase.js';

/** Testland, the mini data's alliance, is the square from (-1, 44.5) to (0, 45.2). */
const TESTLAND_BBOX = '-1,44.5,0,45.2';

const nominatimAnswer = [
  {
    lat: '44.8412',
    lon: '-0.5801',
    display_name: '12, Rue des Essais, Bordeaux, Gironde, 33000, France',
    address: { house_number: '12', road: 'Rue des Essais', city: 'Bordeaux', postcode: '33000' },
  },
  { lat: '48.8566', lon: '2.3522', display_name: 'Rue des Essais, Paris, France', address: { city: 'Paris' } },
  { lat: 'not a number', lon: '-0.58', display_name: 'Broken' },
  { lat: '44.90', lon: '-0.60', display_name: 'Bruges, Gironde, France', address: { town: 'Bruges' } },
];

const photonAnswer = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-0.5702, 44.8378] },
      properties: {
        name: 'Mairie',
        housenumber: '5',
        street: 'Place Pey Berland',
        postcode: '33000',
        city: 'Bordeaux',
        country: 'France',
      },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [4.8357, 45.764] },
      properties: { name: 'Place Bellecour', city: 'Lyon', country: 'France' },
    },
  ],
};

const banAnswer = {
  type: 'FeatureCollection',
  version: 'draft',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-0.561, 44.857] },
      properties: {
        label: '8 Boulevard du Port 33000 Bordeaux',
        name: '8 Boulevard du Port',
        housenumber: '8',
        street: 'Boulevard du Port',
        postcode: '33000',
        city: 'Bordeaux',
        type: 'housenumber',
      },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-0.57, 44.84] },
      properties: { label: 'Cours Victor Hugo 33000 Bordeaux', name: 'Cours Victor Hugo', type: 'street' },
    },
  ],
};

/** What the fake geocoder was last asked. */
interface Asked {
  url: URL;
  userAgent: string | undefined;
}

/** A local geocoder answering like Nominatim, Photon and the Base Adresse Nationale, or failing on purpose. */
async function startFakeGeocoder(): Promise<{ origin: string; asked: Asked[]; close(): Promise<void> }> {
  const asked: Asked[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    asked.push({ url, userAgent: request.headers['user-agent'] });
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/nominatim/search') return json(nominatimAnswer);
    if (url.pathname === '/photon/api') return json(photonAnswer);
    if (url.pathname === '/ban/search/') return json(banAnswer);
    if (url.pathname === '/html') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end('<html>Welcome</html>');
    }
    if (url.pathname === '/broken') {
      response.writeHead(500, { 'content-type': 'text/plain' });
      return response.end('Internal error');
    }
    if (url.pathname === '/hang') return void hanging.add(response);
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    asked,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('reading geocoder answers', () => {
  it('reads Nominatim’s list, leaving out a place without coordinates', () => {
    expect(placesInGeocoderAnswer(nominatimAnswer)).toEqual([
      {
        label: '12, Rue des Essais, Bordeaux, Gironde, 33000, France',
        lat: 44.8412,
        lon: -0.5801,
        postalCode: '33000',
        town: 'Bordeaux',
        address: '12 Rue des Essais',
        precision: 'exact',
      },
      { label: 'Rue des Essais, Paris, France', lat: 48.8566, lon: 2.3522, town: 'Paris', precision: 'town' },
      { label: 'Bruges, Gironde, France', lat: 44.9, lon: -0.6, town: 'Bruges', precision: 'town' },
    ]);
  });

  it('reads a Photon FeatureCollection, composing the label from the properties', () => {
    expect(placesInGeocoderAnswer(photonAnswer)?.[0]).toEqual({
      label: '5 Place Pey Berland, 33000 Bordeaux, France',
      lat: 44.8378,
      lon: -0.5702,
      postalCode: '33000',
      town: 'Bordeaux',
      address: '5 Place Pey Berland',
      precision: 'exact',
    });
  });

  it('reads the Base Adresse Nationale’s label, and a street found as such', () => {
    const places = placesInGeocoderAnswer(banAnswer);
    expect(places?.[0]).toMatchObject({
      label: '8 Boulevard du Port 33000 Bordeaux',
      address: '8 Boulevard du Port',
      precision: 'exact',
    });
    expect(places?.[1]).toMatchObject({
      label: 'Cours Victor Hugo 33000 Bordeaux',
      address: 'Cours Victor Hugo',
      precision: 'street',
    });
  });

  it('reads Pelias’s postalcode and locality', () => {
    const pelias = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [-0.58, 44.84] },
          properties: { label: 'Rue X, Bordeaux, France', street: 'Rue X', postalcode: '33000', locality: 'Bordeaux' },
        },
      ],
    };
    expect(placesInGeocoderAnswer(pelias)).toEqual([
      {
        label: 'Rue X, Bordeaux, France',
        lat: 44.84,
        lon: -0.58,
        postalCode: '33000',
        town: 'Bordeaux',
        address: 'Rue X',
        precision: 'street',
      },
    ]);
  });

  it('says so when the answer is in neither format', () => {
    expect(placesInGeocoderAnswer({ results: [] })).toBeUndefined();
    expect(placesInGeocoderAnswer('Welcome')).toBeUndefined();
  });
});

describe('the geocoder URL template', () => {
  const template = 'https://geo.example/search?format=jsonv2&q={query}&limit={limit}&viewbox={bbox}&bounded=1';

  it('fills in the query, the limit and the box', () => {
    const url = geocoderSearchUrl(template, { query: '12 rue des Essais & co', limit: 10, bbox: [-1, 44.5, 0, 45.2] });
    expect(url.searchParams.get('q')).toBe('12 rue des Essais & co');
    expect(url.searchParams.get('limit')).toBe('10');
    expect(url.searchParams.get('viewbox')).toBe('-1,44.5,0,45.2');
    expect(url.searchParams.get('format')).toBe('jsonv2');
  });

  it('leaves out the parameters of the box when the alliance has no boundary', () => {
    const url = geocoderSearchUrl(template, { query: 'Bordeaux', limit: 10, bbox: null });
    expect(url.searchParams.has('viewbox')).toBe(false);
    expect(url.searchParams.get('bounded')).toBe('1');
  });

  it('is refused at start without {query}', () => {
    expect(() => loadConfig({ GEOCODER_URL: 'https://geo.example/search?q=' })).toThrow(/\{query\}/);
    expect(() => loadConfig({ GEOCODER_URL: 'ftp://geo.example/?q={query}' })).toThrow(/https?:\/\//);
    expect(loadConfig({}).geocoderUrl).toBeUndefined();
  });
});

describe.each(databaseModes())('geocoding for editors (%s database)', (mode) => {
  const context = useTestApp(mode);
  const apps: FastifyInstance[] = [];
  let geocoder: Awaited<ReturnType<typeof startFakeGeocoder>>;
  let nominatim: FastifyInstance;
  let editor: TestActor;
  let member: TestActor;

  async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
    const config = { ...loadConfig(env), dataDir: miniDataDir, logLevel: 'silent' };
    const app = await buildApp({ config, database: context.database, logger: false });
    apps.push(app);
    return app;
  }

  const search = (app: FastifyInstance, q: string, actor: TestActor | null = editor) =>
    app.inject({
      url: `/api/alliances/testland/geocode?${new URLSearchParams({ q })}`,
      headers: actor?.headers ?? {},
    });

  beforeAll(async () => {
    geocoder = await startFakeGeocoder();
    nominatim = await appWith({
      GEOCODER_URL: `${geocoder.origin}/nominatim/search?format=jsonv2&q={query}&limit={limit}&viewbox={bbox}&bounded=1`,
      PUBLIC_URL: 'https://passerelle.example.org',
    });
    editor = await signedInAs(context.database.db, 'editor', 'testland');
    member = await signedInAs(context.database.db, 'member', 'testland');
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await geocoder?.close();
  });

  it('says whether a geocoder is configured', async () => {
    expect((await nominatim.inject({ url: '/api/geocoder' })).json()).toEqual({ configured: true });
    expect((await context.app.inject({ url: '/api/geocoder' })).json()).toEqual({ configured: false });
  });

  it('answers an editor with the places inside the alliance’s box, asking the geocoder to prefer it', async () => {
    const response = await search(nominatim, '12 rue des Essais');
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((place: { label: string }) => place.label)).toEqual([
      '12, Rue des Essais, Bordeaux, Gironde, 33000, France',
      'Bruges, Gironde, France',
    ]);
    const asked = geocoder.asked.at(-1)!;
    expect(asked.url.searchParams.get('q')).toBe('12 rue des Essais');
    expect(asked.url.searchParams.get('viewbox')).toBe(TESTLAND_BBOX);
    expect(asked.url.searchParams.get('limit')).toBe('10');
    expect(asked.userAgent).toBe('Passerelle (+https://passerelle.example.org)');
  });

  it('reads Photon’s and the Base Adresse Nationale’s GeoJSON, dropping places outside the box', async () => {
    const photon = await appWith({ GEOCODER_URL: `${geocoder.origin}/photon/api?q={query}&bbox={bbox}` });
    const photonPlaces = (await search(photon, 'Mairie')).json().items;
    expect(photonPlaces).toEqual([
      {
        label: '5 Place Pey Berland, 33000 Bordeaux, France',
        lat: 44.8378,
        lon: -0.5702,
        postalCode: '33000',
        town: 'Bordeaux',
        address: '5 Place Pey Berland',
        precision: 'exact',
      },
    ]);
    expect(geocoder.asked.at(-1)!.url.searchParams.get('bbox')).toBe(TESTLAND_BBOX);

    const ban = await appWith({
      GEOCODER_URL: `${geocoder.origin}/ban/search/?q={query}&limit={limit}`,
      GEOCODER_USER_AGENT: 'Passerelle test (ops@example.org)',
    });
    const banPlaces = (await search(ban, '8 bd du port')).json().items;
    expect(banPlaces.map((place: { label: string }) => place.label)).toEqual([
      '8 Boulevard du Port 33000 Bordeaux',
      'Cours Victor Hugo 33000 Bordeaux',
    ]);
    expect(geocoder.asked.at(-1)!.userAgent).toBe('Passerelle test (ops@example.org)');
  });

  it('asks for a signed-in editor of the alliance', async () => {
    expect((await search(nominatim, 'Bordeaux', null)).statusCode).toBe(401);
    const asMember = await search(nominatim, 'Bordeaux', member);
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().message).toMatch(/editor/);
    const unknown = await nominatim.inject({
      url: '/api/alliances/atlantis/geocode?q=Bordeaux',
      headers: editor.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers 404 when the server has no geocoder', async () => {
    const response = await search(context.app, 'Bordeaux');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/This server has no geocoder configured/);
  });

  it('refuses an empty or overlong query without asking the geocoder', async () => {
    const before = geocoder.asked.length;
    const blank = await search(nominatim, '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toMatch(/Type an address/);
    expect(
      (await nominatim.inject({ url: '/api/alliances/testland/geocode', headers: editor.headers })).statusCode,
    ).toBe(400);
    expect((await search(nominatim, 'x'.repeat(201))).statusCode).toBe(400);
    expect(geocoder.asked.length).toBe(before);
  });

  it('answers 502 when the geocoder fails or answers something else than places', async () => {
    for (const path of ['/broken', '/html']) {
      const failing = await appWith({ GEOCODER_URL: `${geocoder.origin}${path}?q={query}` });
      const response = await search(failing, 'Bordeaux');
      expect(response.statusCode).toBe(502);
      expect(response.json().message).toMatch(/The geocoder answered with an error/);
    }
  });

  it('answers 502 when the geocoder does not answer within 5 seconds', async () => {
    const hanging = await appWith({ GEOCODER_URL: `${geocoder.origin}/hang?q={query}` });
    const started = Date.now();
    const response = await search(hanging, 'Bordeaux');
    expect(response.statusCode).toBe(502);
    expect(response.json().message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(9000);
  }, 15_000);

  it('is described in the OpenAPI document', async () => {
    const paths = (await nominatim.inject({ url: '/docs/json' })).json().paths;
    expect(paths['/api/alliances/{idOrSlug}/geocode'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'q', in: 'query' }),
    );
    expect(paths['/api/geocoder']).toBeDefined();
  });
});
