import { beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage } from '../i18n/pageLanguage.svelte';
import { placementNote } from './placementNote';

describe('what a run says of where its services stand', () => {
  beforeAll(async () => {
    await pageLanguage.use('en');
  });

  it('counts the town-level services and the unplaced ones left out', () => {
    expect(placementNote({ placement: { townLevelServiceLocations: 54, unplacedServiceLocations: 1 } })).toBe(
      "54 services are placed at town level only and measured from the town's centre. 1 service is not placed yet " +
        'and left out: place it in the workspace\'s "Needs a place" list.',
    );
  });

  it('says when every service is placed precisely and none is left out', () => {
    expect(placementNote({ placement: { townLevelServiceLocations: 0, unplacedServiceLocations: 0 } })).toBe(
      'Every service placed is placed precisely. No service was left out for want of a place.',
    );
  });

  it('says nothing for a run made before the count existed', () => {
    expect(placementNote({})).toBeNull();
  });
});
