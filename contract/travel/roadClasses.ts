/**
 * The travel profiles and the road classes an OpenStreetMap way is read as, in the order the speeds table lists
 * them: the server's profiles (server/src/domain/road-network/profiles.ts) and the road-network page share them.
 */

export const travelProfiles = ['walk', 'bike', 'drive'] as const;
export type TravelProfileName = (typeof travelProfiles)[number];

/** The road classes kept: OSM `highway` values routable by at least one profile, and `ferry` (route=ferry). */
export const roadClasses = [
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
] as const;
export type RoadClass = (typeof roadClasses)[number];
