import type { RoadClass, TravelProfileName } from '../api/types';

/** The rows of the speeds table, in the order of server/src/domain/road-network/profiles.ts. */
export const roadClasses: readonly RoadClass[] = [
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'primary',
  'primary_link',
  'secondary',
  'secondary_link',
  'tertiary',
  'tertiary_link',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'road',
  'track',
  'busway',
  'pedestrian',
  'footway',
  'path',
  'cycleway',
  'bridleway',
  'steps',
  'corridor',
  'ferry',
];

export const travelProfiles: readonly TravelProfileName[] = ['walk', 'bike', 'drive'];
