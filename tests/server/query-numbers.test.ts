import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

describe.each(databaseModes())('numbers in query strings (%s database)', (mode) => {
  const context = useTestApp(mode);

  it.each([
    ['lat=Infinity&lon=0', 'Query parameter "lat" must be a number.'],
    ['lat=1e309&lon=0', 'Query parameter "lat" must be at most 90.'],
    ['lat=45&lon=-1e309', 'Query parameter "lon" must be at least -180.'],
    ['lat=45&lon=-Infinity', 'Query parameter "lon" must be a number.'],
    ['lat=45&lon=0&radius_m=Infinity', 'Query parameter "radius_m" must be a number.'],
    ['lat=45&lon=0&radius_m=1e309', 'Query parameter "radius_m" must be at most 200000.'],
    ['lat=45&lon=0&radius_m=300000', 'Query parameter "radius_m" must be at most 200000.'],
    ['lat=0x10&lon=0', 'Query parameter "lat" must be a number.'],
    ['lat=%20&lon=0', 'Query parameter "lat" must be a number.'],
    ['lat=45&lon=%2010', 'Query parameter "lon" must be a number.'],
    ['lat=45&lon=0&limit=0x5', 'Query parameter "limit" must be an integer.'],
  ])('refuses the near-me search with %s, naming the rule', async (query, message) => {
    const response = await context.app.inject({ url: `/api/services/nearby?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(message);
  });

  it('reads a number written with a fraction or an exponent', async () => {
    const response = await context.app.inject({ url: '/api/services/nearby?lat=44.84&lon=-0.58&radius_m=1.5e4' });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.length).toBeGreaterThan(0);
  });

  it.each([
    ['/api/services?limit=0x10', 'Query parameter "limit" must be an integer.'],
    ['/api/organizations?offset=%20', 'Query parameter "offset" must be an integer.'],
    [
      '/api/gap-analyses/3f2b0000-0000-4000-8000-000000000000/results?limit=1e309',
      'Query parameter "limit" must be at most 500.',
    ],
  ])('reads numbers as strictly on every route: %s', async (url, message) => {
    const response = await context.app.inject({ url });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(message);
  });
});
