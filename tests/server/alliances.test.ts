import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

describe.each(databaseModes())('alliances API (%s database)', (mode) => {
  const context = useTestApp(mode);

  it('lists alliances with their extent and counts', async () => {
    const response = await context.app.inject({ url: '/api/alliances' });
    expect(response.statusCode).toBe(200);
    const [alliance] = response.json().items;
    expect(alliance).toMatchObject({
      slug: 'testland',
      country: 'FR',
      timezone: 'Europe/Paris',
      organizationCount: 3,
      serviceCount: 4,
    });
    expect(alliance.bbox).toEqual([-1, 44.5, 0, 45.2]);
  });

  it('returns one alliance by slug or id, with its boundary as a GeoJSON MultiPolygon', async () => {
    const bySlug = (await context.app.inject({ url: '/api/alliances/testland' })).json();
    expect(bySlug.boundary.type).toBe('MultiPolygon');
    expect(bySlug.boundary.coordinates[0][0]).toHaveLength(5);
    const byId = await context.app.inject({ url: `/api/alliances/${bySlug.id}` });
    expect(byId.json().slug).toBe('testland');
  });

  it('answers 404 with a readable message for an unknown alliance', async () => {
    const response = await context.app.inject({ url: '/api/alliances/atlantis' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('There is no alliance "atlantis".');
  });
});
