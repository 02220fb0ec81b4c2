import { describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { useTestApp } from '../support/testApp.js';

interface Summary {
  name: string;
  category: string;
}

describe.each(databaseModes())('services API (%s database)', (mode) => {
  const context = useTestApp(mode);
  const get = (url: string) => context.app.inject({ url });
  const names = (body: { items: Summary[] }) => body.items.map((item) => item.name);

  it('lists services sorted by name with their organisation and town-level location', async () => {
    const body = (await get('/api/services?alliance=testland')).json();
    expect(body.total).toBe(4);
    expect(names(body)).toEqual([
      'Alpha football club',
      'Alpha housing advice',
      'Beta job coaching',
      'Gamma social desk',
    ]);
    expect(body.items[2]).toMatchObject({
      organization: { name: 'Bureau Beta' },
      location: { lat: 44.94, lon: -0.58, town: 'Blanquefort', precision: 'town' },
      allianceSlug: 'testland',
    });
  });

  it('filters by category, topic and language', async () => {
    expect(names((await get('/api/services?category=social_action')).json())).toEqual([
      'Alpha housing advice',
      'Gamma social desk',
    ]);
    expect(names((await get('/api/services?topic=employment')).json())).toEqual(['Beta job coaching']);
    expect(names((await get('/api/services?language=ar')).json())).toEqual(['Alpha housing advice']);
  });

  it('filters by bounding box', async () => {
    const body = (await get('/api/services?bbox=-0.7,44.9,-0.5,45')).json();
    expect(names(body)).toEqual(['Beta job coaching']);
  });

  it('paginates with limit and offset and reports the total', async () => {
    const body = (await get('/api/services?limit=2&offset=1')).json();
    expect(body).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(names(body)).toEqual(['Alpha housing advice', 'Beta job coaching']);
  });

  it('returns map points as a GeoJSON FeatureCollection', async () => {
    const response = await get('/api/services.geojson?category=social_action');
    expect(response.headers['content-type']).toContain('application/geo+json');
    const collection = response.json();
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(2);
    const gamma = collection.features.find(
      (feature: { properties: { name: string } }) => feature.properties.name === 'Gamma social desk',
    );
    expect(gamma.geometry).toEqual({ type: 'Point', coordinates: [-0.58, 44.64] });
    expect(gamma.properties).toMatchObject({ category: 'social_action', precision: 'town', town: 'Langon' });
  });

  it('returns a service with its organisation, locations and alliance', async () => {
    const [first] = (await get('/api/services?topic=employment')).json().items;
    const detail = (await get(`/api/services/${first.id}`)).json();
    expect(detail).toMatchObject({
      name: 'Beta job coaching',
      category: 'professional_integration',
      languages: ['fr', 'en'],
      audiences: ['refugees'],
      organization: { name: 'Bureau Beta', website: null },
      alliance: { slug: 'testland' },
      locations: [{ town: 'Blanquefort', precision: 'town', note: 'Town assumed.' }],
    });
  });

  it.each([
    ['/api/services?category=gardening', 400, /category.*must be one of: social_action/],
    ['/api/services?bbox=1,2,3', 400, /bbox/],
    ['/api/services?bbox=10,50,5,40', 400, /not a valid box/],
    ['/api/services?bbox=-200,40,5,50', 400, /not a valid box/],
    ['/api/services?limit=0', 400, /limit.*at least 1/],
    ['/api/services?limit=100000', 400, /limit.*at most 500/],
    ['/api/services?alliance=atlantis', 404, /no alliance "atlantis"/],
    ['/api/services/not-a-uuid', 400, /"id" must be an id/],
    ['/api/services/00000000-0000-4000-8000-000000000000', 404, /no service with id/],
    ['/api/nothing-here', 404, /no GET \/api\/nothing-here/],
  ])('%s answers %i with a readable message', async (url, statusCode, message) => {
    const response = await get(url);
    expect(response.statusCode).toBe(statusCode);
    expect(response.json()).toMatchObject({ statusCode });
    expect(response.json().message).toMatch(message);
  });
});
