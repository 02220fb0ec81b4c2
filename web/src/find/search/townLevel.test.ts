import { describe, expect, it } from 'vitest';
import { distanceToTown, knownAtTownOnly } from './townLevel';

describe('a service known at town level only', () => {
  it('is one whose published place is its town, not a hidden address', () => {
    expect(knownAtTownOnly({ precision: 'town', addressHidden: false, city: 'Göttingen' })).toBe(true);
    expect(knownAtTownOnly({ precision: 'exact', addressHidden: false, city: 'Göttingen' })).toBe(false);
    expect(knownAtTownOnly({ precision: 'town', addressHidden: true, city: 'Göttingen' })).toBe(false);
    expect(knownAtTownOnly({ precision: 'town', addressHidden: false, city: null })).toBe(false);
  });

  it('is shown at a distance to the kilometre, never under one', () => {
    expect(distanceToTown(6300)).toBe(6000);
    expect(distanceToTown(6500)).toBe(7000);
    expect(distanceToTown(120)).toBe(1000);
  });
});
