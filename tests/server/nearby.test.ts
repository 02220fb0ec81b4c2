import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp, requestSerializers } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { databaseModes } from '../support/testDatabase.js';
import { miniDataDir, useTestApp } from '../support/testApp.js';
import { meridianArcMetres } from './geodesy.js';

const alpha = { lat: 44.84, lon: -0.58 };

describe.each(databaseModes())('near-me search (%s database)', (mode) => {
  const context = useTestApp(mode);
  const nearby = (query: string) => context.app.inject({ url: `/api/services/nearby?${query}` });

  it('returns services nearest first with geodesic distances in metres', async () => {
    const response = await nearby(`lat=${alpha.lat}&lon=${alpha.lon}&radius_m=50000`);
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { name: string; distanceM: number }[];
    expect(items.map((item) => item.name).slice(2)).toEqual(['Beta job coaching', 'Gamma social desk']);
    expect(items[0]!.distanceM).toBe(0);
    // Beta is 0.1° and Gamma 0.2° of latitude away on the same meridian; the
    // API rounds to 0.1 m, so the two computations agree within 0.05 m.
    expect(items[2]!.distanceM).toBeCloseTo(meridianArcMetres(44.84, 44.94), 1);
    expect(items[3]!.distanceM).toBeCloseTo(meridianArcMetres(44.84, 44.64), 1);
  });

  it('keeps only what lies within the radius', async () => {
    const items = (await nearby(`lat=${alpha.lat}&lon=${alpha.lon}&radius_m=15000`)).json().items;
    expect(items.map((item: { name: string }) => item.name)).not.toContain('Gamma social desk');
    expect(items).toHaveLength(3);
  });

  it('filters by category and language, and honours the limit', async () => {
    const social = (await nearby(`lat=44.65&lon=-0.58&radius_m=50000&category=social_action`)).json().items;
    expect(social.map((item: { name: string }) => item.name)).toEqual(['Gamma social desk', 'Alpha housing advice']);
    const arabic = (await nearby(`lat=44.65&lon=-0.58&radius_m=50000&language=ar`)).json().items;
    expect(arabic.map((item: { name: string }) => item.name)).toEqual(['Alpha housing advice']);
    const one = (await nearby(`lat=44.65&lon=-0.58&radius_m=50000&limit=1`)).json().items;
    expect(one).toHaveLength(1);
  });

  it.each([
    ['lat=91&lon=0', /"lat" must be at most 90/],
    ['lat=-90.5&lon=0', /"lat" must be at least -90/],
    ['lat=45&lon=180.01', /"lon" must be at most 180/],
    ['lat=45&lon=-181', /"lon" must be at least -180/],
    ['lat=abc&lon=0', /"lat" must be a number/],
    ['lon=0', /missing "lat"/],
    ['lat=45&lon=0&radius_m=0', /"radius_m" must be more than 0/],
    ['lat=45&lon=0&radius_m=-10', /"radius_m" must be more than 0/],
    ['lat=45&lon=0&radius_m=100000000', /"radius_m" must be at most 200000/],
    ['lat=45&lon=0&category=shopping', /"category" must be one of/],
    ['lat=45&lon=0&limit=1000', /"limit" must be at most 100/],
  ])('rejects %s with a readable 400', async (query, message) => {
    const response = await nearby(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('never writes the searched position to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({
      config: { ...loadConfig({}), dataDir: miniDataDir },
      database: context.database,
      logger: { level: 'trace', stream, serializers: requestSerializers },
    });
    await app.inject({ url: '/api/services/nearby?lat=44.8123&lon=-0.5765&radius_m=5000' });
    await app.inject({ url: '/api/services/nearby?lat=95.4321&lon=-0.5765' });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/api/services/nearby');
    expect(log).not.toMatch(/44\.8123|0\.5765|95\.4321/);
  });
});
