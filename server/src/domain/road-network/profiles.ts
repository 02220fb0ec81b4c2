/**
 * Who may go where, and how fast: the three travel profiles (walking, cycling, driving), the road classes an
 * OpenStreetMap way is read as, the default speeds per profile and class, and `costsOf`, the one function that turns
 * an edge's class, length, speed limit, ferry duration and directions into its six costs. The README of this folder
 * says the rules in words.
 */

import { type RoadClass, roadClasses, type TravelProfileName, travelProfiles } from '#contract/travel/roadClasses.js';

export { type RoadClass, roadClasses };
export const profiles = travelProfiles;
export type Profile = TravelProfileName;

const classSet: ReadonlySet<string> = new Set(roadClasses);
export function isRoadClass(value: string): value is RoadClass {
  return classSet.has(value);
}

/** km/h per profile and road class. */
export type Speeds = Record<Profile, Record<RoadClass, number>>;

const everywhere = (kmh: number): Record<RoadClass, number> =>
  Object.fromEntries(roadClasses.map((name) => [name, kmh])) as Record<RoadClass, number>;

/** The speed of a ferry when its way has no `duration`, for every profile (passengers go at the boat's pace). */
export const defaultFerryKmh = 20;

/**
 * The defaults: walking 5 km/h everywhere; cycling 15 km/h, 12 on tracks and paths, 5 where a cyclist pushes the
 * bicycle (footways, pedestrian streets, corridors) and 2 on steps; driving by class (motorway 110 … living street
 * 10). A ferry without a duration goes at 20 km/h whoever is on it. A profile's speed on a class it may never use
 * (a car on a footway) is kept in the table but never used.
 */
export function defaultSpeeds(): Speeds {
  return {
    walk: { ...everywhere(5), ferry: defaultFerryKmh },
    bike: {
      ...everywhere(15),
      track: 12,
      path: 12,
      bridleway: 10,
      footway: 5,
      pedestrian: 5,
      corridor: 5,
      steps: 2,
      ferry: defaultFerryKmh,
    },
    drive: {
      motorway: 110,
      motorway_link: 60,
      trunk: 90,
      trunk_link: 50,
      primary: 80,
      primary_link: 50,
      secondary: 70,
      secondary_link: 50,
      tertiary: 60,
      tertiary_link: 40,
      unclassified: 50,
      residential: 30,
      living_street: 10,
      service: 20,
      road: 30,
      track: 15,
      busway: 30,
      pedestrian: 10,
      footway: 5,
      path: 5,
      cycleway: 5,
      bridleway: 5,
      steps: 5,
      corridor: 5,
      ferry: defaultFerryKmh,
    },
  };
}

/** The lowest and highest speed a table may say (km/h). */
export const speedLimits = { min: 1, max: 200 } as const;

/** A stored speeds object completed with the defaults (a class added later gets its default). */
export function speedsFrom(stored: unknown): Speeds {
  const speeds = defaultSpeeds();
  if (stored && typeof stored === 'object') {
    for (const profile of profiles) {
      const table = (stored as Record<string, unknown>)[profile];
      if (!table || typeof table !== 'object') continue;
      for (const name of roadClasses) {
        const value = (table as Record<string, unknown>)[name];
        if (typeof value === 'number' && value >= speedLimits.min && value <= speedLimits.max) {
          speeds[profile][name] = value;
        }
      }
    }
  }
  return speeds;
}

/** What costsOf needs of an edge. */
export interface EdgeForCosts {
  highway: string;
  lengthM: number;
  maxspeedKmh: number | null;
  durationS: number | null;
  walkForward: boolean;
  walkBackward: boolean;
  bikeForward: boolean;
  bikeBackward: boolean;
  driveForward: boolean;
  driveBackward: boolean;
}

export interface EdgeCosts {
  walkCost: number;
  walkReverseCost: number;
  bikeCost: number;
  bikeReverseCost: number;
  driveCost: number;
  driveReverseCost: number;
}

/** pgRouting's convention: a negative cost is a direction the profile may not take. */
export const noWay = -1;

function secondsFor(edge: EdgeForCosts, profile: Profile, speeds: Speeds): number {
  if (edge.durationS !== null && edge.durationS > 0) return edge.durationS;
  let kmh = isRoadClass(edge.highway) ? speeds[profile][edge.highway] : undefined;
  if (kmh === undefined || !(kmh > 0)) return noWay;
  if (profile === 'drive' && edge.maxspeedKmh !== null && edge.maxspeedKmh > 0) kmh = Math.min(kmh, edge.maxspeedKmh);
  return edge.lengthM / (kmh / 3.6);
}

/**
 * The six costs of an edge, in seconds: its length at the profile's speed for its class (driving: no faster than
 * `maxspeed`), or a ferry's `duration` for every profile; `noWay` (-1) in a direction the profile may not take.
 */
export function costsOf(edge: EdgeForCosts, speeds: Speeds): EdgeCosts {
  const cost = (profile: Profile, allowed: boolean) => (allowed ? secondsFor(edge, profile, speeds) : noWay);
  return {
    walkCost: cost('walk', edge.walkForward),
    walkReverseCost: cost('walk', edge.walkBackward),
    bikeCost: cost('bike', edge.bikeForward),
    bikeReverseCost: cost('bike', edge.bikeBackward),
    driveCost: cost('drive', edge.driveForward),
    driveReverseCost: cost('drive', edge.driveBackward),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a way's tags.

const walkClasses: ReadonlySet<string> = new Set(
  roadClasses.filter((name) => !['motorway', 'motorway_link', 'trunk', 'trunk_link', 'busway'].includes(name)),
);
const bikeClasses: ReadonlySet<string> = new Set(
  roadClasses.filter((name) => !['motorway', 'motorway_link', 'steps', 'busway'].includes(name)),
);
const driveClasses: ReadonlySet<string> = new Set([
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
  'ferry',
]);

const allowing = new Set(['yes', 'designated', 'permissive', 'destination', 'customers', 'delivery', 'official']);
const denying = new Set(['no', 'private', 'agricultural', 'forestry', 'use_sidepath', 'discouraged_no']);

/** The first of the tags (most specific first) that says yes or no: true, false, or undefined when none does. */
function accessOf(tags: Tags, keys: readonly string[]): boolean | undefined {
  for (const key of keys) {
    const value = tags.get(key);
    if (value === undefined) continue;
    if (allowing.has(value)) return true;
    if (denying.has(value)) return false;
  }
  return undefined;
}

export type Tags = ReadonlyMap<string, string>;

/** The directions of a way for one profile: forward is the way's node order. */
export interface Directions {
  forward: boolean;
  backward: boolean;
}

/** What a way is as a road: its class, its directions per profile, its speed limit and a ferry's duration. */
export interface WayRoad {
  highway: RoadClass;
  walk: Directions;
  bike: Directions;
  drive: Directions;
  maxspeedKmh: number | null;
  durationS: number | null;
}

/** +1: forward only, -1: backward only, 0: both ways; undefined when the tag is absent or says nothing. */
function onewayOf(value: string | undefined): 1 | -1 | 0 | undefined {
  if (value === undefined) return undefined;
  if (value === 'yes' || value === '1' || value === 'true') return 1;
  if (value === '-1' || value === 'reverse') return -1;
  if (value === 'no' || value === '0' || value === 'false') return 0;
  return undefined;
}

function directions(allowed: boolean, oneway: 1 | -1 | 0): Directions {
  return { forward: allowed && oneway !== -1, backward: allowed && oneway !== 1 };
}

/**
 * Reads a way's tags as a road, or null when no profile may use it (not a routable highway, not a ferry, or closed
 * to everyone). See the README for the rules.
 */
export function roadOfWay(tags: Tags): WayRoad | null {
  const highwayTag = tags.get('highway');
  const ferry = tags.get('route') === 'ferry';
  let highway: RoadClass;
  if (ferry) highway = 'ferry';
  else if (highwayTag !== undefined && isRoadClass(highwayTag) && highwayTag !== 'ferry') highway = highwayTag;
  else return null;
  if (tags.get('area') === 'yes' && !ferry) return null;

  const general = accessOf(tags, ['access']);
  const walkSaid = accessOf(tags, ['foot', 'access']);
  const bikeSaid = accessOf(tags, ['bicycle', 'vehicle', 'access']);
  const driveSaid = accessOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);

  let walk: boolean;
  let bike: boolean;
  let drive: boolean;
  if (ferry) {
    walk = accessOf(tags, ['foot']) !== false && general !== false;
    bike = accessOf(tags, ['bicycle', 'vehicle']) !== false && general !== false;
    drive = accessOf(tags, ['motorcar', 'motor_vehicle', 'vehicle']) !== false && general !== false;
  } else {
    walk = walkSaid ?? walkClasses.has(highway);
    bike = bikeSaid ?? bikeClasses.has(highway);
    if (highway === 'steps') bike = accessOf(tags, ['bicycle']) === true;
    drive = driveClasses.has(highway) ? (driveSaid ?? true) : accessOf(tags, ['motorcar', 'motor_vehicle']) === true;
    if (highway === 'motorway' || highway === 'motorway_link') {
      walk = accessOf(tags, ['foot']) === true;
      bike = accessOf(tags, ['bicycle']) === true;
    }
  }
  if (!walk && !bike && !drive) return null;

  const junction = tags.get('junction');
  const roundabout = junction === 'roundabout' || junction === 'circular';
  const impliedOneway = roundabout || highway === 'motorway' ? 1 : 0;
  const oneway = onewayOf(tags.get('oneway')) ?? impliedOneway;
  const cyclewayOpposite = [...tags].some(([key, value]) => key.startsWith('cycleway') && value.startsWith('opposite'));
  const bikeOneway = onewayOf(tags.get('oneway:bicycle')) ?? (cyclewayOpposite ? 0 : oneway);
  const walkOneway = onewayOf(tags.get('oneway:foot')) ?? (highway === 'ferry' ? oneway : 0);

  return {
    highway,
    walk: directions(walk, walkOneway),
    bike: directions(bike, bikeOneway),
    drive: directions(drive, oneway),
    maxspeedKmh: highway === 'ferry' ? null : maxspeedKmh(tags.get('maxspeed')),
    durationS: highway === 'ferry' ? durationSeconds(tags.get('duration')) : null,
  };
}

/** Implicit limits by country and kind (km/h), the common ones; other codes are not read. */
const implicitLimits: Record<string, number> = {
  urban: 50,
  rural: 90,
  living_street: 20,
  walk: 7,
  'FR:rural': 80,
  'FR:motorway': 130,
  'DE:rural': 100,
  'DE:motorway': 130,
  'DE:living_street': 7,
  'NL:rural': 80,
  'NL:motorway': 130,
  'BE:rural': 90,
  'BE-VLG:rural': 70,
  'BE:motorway': 120,
  'SE:rural': 70,
  'SE:motorway': 110,
  'IE:rural': 80,
  'IE:regional': 80,
  'IE:national': 100,
  'IE:motorway': 120,
  'ES:rural': 90,
  'ES:motorway': 120,
  'GB:nsl_single': 96.56,
  'GB:nsl_dual': 112.65,
  'GB:motorway': 112.65,
  'UA:rural': 90,
};

/**
 * `maxspeed` in km/h: a number (km/h), "50 mph", "10 knots", or an implicit limit such as "FR:urban" (50) or
 * "DE:rural" (100); null for "none", "signals", several values or what is not understood.
 */
export function maxspeedKmh(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  const number = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/.exec(text);
  if (number) {
    const amount = Number(number[1]);
    const unit = number[2];
    const kmh = unit === 'mph' ? amount * 1.609344 : unit === 'knots' ? amount * 1.852 : amount;
    return kmh > 0 ? kmh : null;
  }
  if (implicitLimits[text] !== undefined) return implicitLimits[text];
  const kind = /^[A-Z]{2}(?:-[A-Z0-9]+)?:([a-z_]+)$/.exec(text)?.[1];
  if (kind === 'urban') return 50;
  if (kind === 'living_street') return 20;
  if (kind === 'walk') return 7;
  return null;
}

/** A ferry's `duration`: "HH:MM", "H:MM:SS" or a number of minutes; null when absent or not understood. */
export function durationSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  const clock = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?$/.exec(text);
  if (clock) {
    const seconds = Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
    return seconds > 0 ? seconds : null;
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const seconds = Number(text) * 60;
    return seconds > 0 ? seconds : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Barriers.

/** Bits of the profiles a barrier blocks. */
export const blocksWalk = 1;
export const blocksBike = 2;
export const blocksDrive = 4;

/** Barriers that stop everyone. */
const closedBarriers = new Set([
  'wall',
  'fence',
  'hedge',
  'retaining_wall',
  'city_wall',
  'ditch',
  'guard_rail',
  'hampshire_gate',
]);
/** Barriers that stop cars but let people on foot and bicycles through. */
const carBarriers = new Set([
  'bollard',
  'block',
  'cycle_barrier',
  'kissing_gate',
  'stile',
  'turnstile',
  'chain',
  'jersey_barrier',
  'kerb',
  'log',
  'motorcycle_barrier',
  'planter',
  'bump_gate',
  'full-height_turnstile',
]);
/** Barriers that stop cars and bicycles but let people on foot through. */
const footOnlyBarriers = new Set(['stile', 'turnstile', 'kissing_gate', 'full-height_turnstile']);
/** Gates: closed to cars only when `access` (or `motor_vehicle`…) says so; open to all otherwise. */
const gates = new Set(['gate', 'lift_gate', 'swing_gate', 'sliding_gate', 'border_control', 'toll_booth', 'entrance']);

/**
 * The profiles a node's `barrier` blocks (bits blocksWalk | blocksBike | blocksDrive), after its access tags: a
 * bollard blocks cars unless `motor_vehicle=yes`; a wall or fence blocks everyone unless an access tag lets a
 * profile through; a gate blocks only who its access tags refuse (`access=no` with `foot=yes`: closed to cars and
 * bicycles); barriers not listed block nobody.
 */
export function barrierBlocks(tags: Tags): number {
  const barrier = tags.get('barrier');
  if (barrier === undefined) return 0;
  let walk = true;
  let bike = true;
  let drive = true;
  if (closedBarriers.has(barrier)) {
    walk = bike = drive = false;
  } else if (footOnlyBarriers.has(barrier)) {
    bike = drive = false;
  } else if (carBarriers.has(barrier)) {
    drive = false;
  } else if (!gates.has(barrier)) {
    return 0;
  }
  walk = accessOf(tags, ['foot', 'access']) ?? walk;
  bike = accessOf(tags, ['bicycle', 'vehicle', 'access']) ?? bike;
  drive = accessOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']) ?? drive;
  return (walk ? 0 : blocksWalk) | (bike ? 0 : blocksBike) | (drive ? 0 : blocksDrive);
}
