import { describe, expect, it } from 'vitest';
import { scenarioMarkFeatures } from './scenarioMarkLayers';

const location = (id: string, lon: number, lat: number) => ({
  locationId: id,
  serviceName: `Service ${id}`,
  organizationName: 'Org',
  category: 'social_action',
  lon,
  lat,
  distanceM: 100,
});

describe('scenarioMarkFeatures', () => {
  it('draws a service taken away as removed, not also as a nearby service, and the planned ones', () => {
    const collection = scenarioMarkFeatures({
      planned: [{ lon: 1, lat: 2, category: 'social_action', label: '1. A desk' }],
      removed: [location('b', -0.5, 44.8)],
      nearby: [location('a', -0.6, 44.9), location('b', -0.5, 44.8)],
    });
    expect(collection.features.map((feature) => [feature.properties?.mark, feature.geometry.coordinates])).toEqual([
      ['service', [-0.6, 44.9]],
      ['removed', [-0.5, 44.8]],
      ['planned', [1, 2]],
    ]);
    expect(collection.features[0]!.properties).toMatchObject({ locationId: 'a', name: 'Service a' });
    expect(collection.features[1]!.properties).toMatchObject({ locationId: 'b' });
    expect(collection.features[2]!.properties).toMatchObject({ name: '1. A desk', category: 'social_action' });
  });

  it('draws a service taken away near another area too, and nothing when there is no what-if', () => {
    expect(scenarioMarkFeatures({ planned: [], removed: [location('c', 3, 4)], nearby: [] }).features).toHaveLength(1);
    expect(scenarioMarkFeatures({ planned: [], removed: [], nearby: [] }).features).toEqual([]);
  });
});
